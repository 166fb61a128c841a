"""What a return asks, section by section: one section per theme of the audit (its questions, a graded judgement
and the narrative), information sharing, and the per-agency case fields. What is still missing before it can be
submitted, and the answers as people read them."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from maca.audits.models import Audit, CaseField, Question, Theme
from maca.cases.codes import YesNoNotKnown
from maca.cases.criteria import value_labels

from .models import AgencyReturn
from .sharing import PARTS, SHARING_EVENTS

NARRATIVE = (
    ("went_well", "What went well"),
    ("worried", "What worried you"),
    ("child_voice", "The child’s voice: what the child said, or how their voice was heard"),
    ("difference", "What difference your agency’s work made for the child"),
)
YES_NO_LABELS = dict(YesNoNotKnown.choices)
SHARING_TITLE = "Information sharing"
PROFILE_TITLE = "The child as your agency sees it"


@dataclass(frozen=True)
class Section:
    """A page of the return. `key` is `theme-<id>`, `sharing` or `profile`."""

    key: str
    title: str
    theme: Theme | None = None
    questions: tuple[Question, ...] = ()


@dataclass(frozen=True)
class Missing:
    """Something to answer before submitting: the section, the form field and the message."""

    section: Section
    field: str
    message: str


@dataclass
class SummaryRow:
    label: str
    text: str
    field: str


@dataclass
class SectionSummary:
    section: Section
    state: str
    rows: list[SummaryRow] = field(default_factory=list)


def per_agency_fields(audit: Audit) -> list[CaseField]:
    return [case_field for case_field in audit.case_fields.all() if case_field.per_agency]


def sections(audit: Audit) -> list[Section]:
    """The pages of a return of the audit, in order."""
    found = [
        Section(f"theme-{theme.pk}", theme.name, theme, tuple(theme.questions.all()))
        for theme in audit.themes.prefetch_related("questions")
    ]
    found.append(Section("sharing", SHARING_TITLE))
    if per_agency_fields(audit):
        found.append(Section("profile", PROFILE_TITLE))
    return found


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == []


def missing(agency_return: AgencyReturn, audit: Audit) -> list[Missing]:
    """What must still be answered before the return can be submitted, in the order of the pages."""
    problems = []
    for section in sections(audit):
        if section.theme is not None:
            for question in section.questions:
                if question.required and _blank(agency_return.answers.get(question.key)):
                    problems.append(Missing(section, f"q_{question.key}", f"{section.title}: answer “{question.text}”"))
            judgement = agency_return.judgements.get(str(section.theme.pk), {})
            if _blank(judgement.get("grade")):
                problems.append(Missing(section, "grade", f"{section.title}: select the grade for this theme"))
        elif section.key == "sharing":
            for event in SHARING_EVENTS:
                answer = agency_return.sharing.get(event.key, {})
                if _blank(answer.get("happened")):
                    problems.append(
                        Missing(section, f"{event.key}_happened", f"Information sharing: say whether “{event.text}”")
                    )
                elif answer.get("happened") == "yes" and _blank(answer.get("told")):
                    problems.append(
                        Missing(
                            section,
                            f"{event.key}_told",
                            f"Information sharing: say whether your agency was told that “{event.text}”",
                        )
                    )
        else:
            for case_field in per_agency_fields(audit):
                if _blank(agency_return.topic_values.get(case_field.key)):
                    problems.append(Missing(section, f"topic_{case_field.key}", f"Answer “{case_field.label}”"))
    return problems


def section_state(agency_return: AgencyReturn, section: Section, missing_fields: list[Missing]) -> str:
    """ "Completed", "In progress" or "Not yet started", as the GOV.UK task list words them."""
    if any(item.section == section for item in missing_fields):
        return "In progress" if _section_has_answers(agency_return, section) else "Not yet started"
    return "Completed"


def _section_has_answers(agency_return: AgencyReturn, section: Section) -> bool:
    if section.theme is not None:
        keys = {question.key for question in section.questions}
        judgement = agency_return.judgements.get(str(section.theme.pk), {})
        return any(not _blank(agency_return.answers.get(key)) for key in keys) or any(
            not _blank(value) for value in judgement.values()
        )
    if section.key == "sharing":
        return any(not _blank(v) for answer in agency_return.sharing.values() for v in answer.values())
    return any(not _blank(v) for v in agency_return.topic_values.values())


def answer_text(question: Question, value: Any) -> str:
    """An answer as people read it."""
    if _blank(value):
        return "Not answered"
    if question.answer_type == "yes_no":
        return str(YES_NO_LABELS.get(value, value))
    if question.answer_type == "choice":
        return str({choice["value"]: choice["label"] for choice in question.choices}.get(value, value))
    if question.answer_type == "date":
        day = datetime.date.fromisoformat(value)
        return f"{day.day} {day:%B %Y}"
    return str(value)


def topic_text(case_field: CaseField, value: Any) -> str:
    if _blank(value):
        return "Not answered"
    labels = value_labels(case_field)
    values = value if isinstance(value, list) else [value]
    return "; ".join(str(labels.get(item, item)) for item in values)


def summary(agency_return: AgencyReturn, audit: Audit) -> list[SectionSummary]:
    """Every section with its state and its answers, for the check-your-answers page and the reading page."""
    missing_fields = missing(agency_return, audit)
    result = []
    for section in sections(audit):
        part = SectionSummary(section, section_state(agency_return, section, missing_fields))
        if section.theme is not None:
            for question in section.questions:
                value = agency_return.answers.get(question.key)
                part.rows.append(SummaryRow(question.text, answer_text(question, value), f"q_{question.key}"))
            judgement = agency_return.judgements.get(str(section.theme.pk), {})
            part.rows.append(SummaryRow("Grade for this theme", judgement.get("grade") or "Not answered", "grade"))
            for key, label in NARRATIVE:
                part.rows.append(SummaryRow(label, judgement.get(key) or "Not answered", key))
        elif section.key == "sharing":
            for event in SHARING_EVENTS:
                answer = agency_return.sharing.get(event.key, {})
                for part_key, label in PARTS.items():
                    value = answer.get(part_key)
                    if part_key != "happened" and answer.get("happened") != "yes":
                        continue
                    text = YES_NO_LABELS.get(value, value) if part_key in ("happened", "told") else value
                    if part_key == "told_on" and value:
                        day = datetime.date.fromisoformat(value)
                        text = f"{day.day} {day:%B %Y}"
                    shown = f"{event.text}: {label.lower()}" if part_key != "happened" else event.text
                    part.rows.append(SummaryRow(shown, text or "Not answered", f"{event.key}_{part_key}"))
        else:
            for case_field in per_agency_fields(audit):
                value = agency_return.topic_values.get(case_field.key)
                part.rows.append(SummaryRow(case_field.label, topic_text(case_field, value), f"topic_{case_field.key}"))
        result.append(part)
    return result
