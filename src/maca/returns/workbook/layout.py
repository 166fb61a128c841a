"""What a case sheet of the returns workbook asks, row by row, and how an answer is compared and shown.

The workbook's names and columns, which building and reading share; the problems that refuse an upload; `layout`,
the sections (`Part`) and answer rows (`Entry`) of a case sheet in the order of the return's pages, each row saying
where the return keeps its answer and which form checks it; and the value helpers: an answer's `fingerprint` as
downloaded (equal answers have equal fingerprints) and the answer as its cell shows it.
"""

import datetime
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from maca.audits.models import Audit
from maca.cases.codes import YesNoNotKnown
from maca.common.forms import format_date
from maca.common.richtext import plain_text
from maca.common.spreadsheets import xlsx_text

from ..content import NARRATIVE, PROFILE_TITLE, SHARING_TITLE, Section, per_agency_fields, sections
from ..sharing import SHARING_EVENTS

FORMAT = "maca-returns-workbook/1"
INSTRUCTIONS = "Instructions"
LISTS = "_lists"
HIDDEN = "_maca"
KEY_COLUMN, ANSWER_COLUMN = 1, 4  # A (hidden): the row's key; D: the answer
LIST_KINDS = ("grade", "yes_no", "choice")
YES_NO = tuple((str(value), str(label)) for value, label in YesNoNotKnown.choices)


@dataclass(frozen=True)
class WorkbookProblem:
    """One thing wrong with an uploaded workbook: its sheet ("" for the whole file), its row (0 for the whole sheet)
    and column, as the spreadsheet shows them."""

    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if not self.sheet:
            return self.message
        if not self.row:
            return f"Sheet {self.sheet}: {self.message}"
        return f"Sheet {self.sheet}, row {self.row}, column {self.column}: {self.message}"


class WorkbookError(Exception):
    """A workbook that cannot be uploaded; `problems` says everything that is wrong, in the workbook's order."""

    def __init__(self, problems: Iterable[WorkbookProblem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


@dataclass(frozen=True)
class Entry:
    """One answer row of a case sheet: what it asks, where the return keeps the answer and how it is checked."""

    key: str  # stable, kept in the hidden sheet: q:<key>, theme:<id>:<part>, sharing:<event>:<part>, topic:<key>
    form: str  # the section whose form checks it: theme-<id>, sharing or profile
    field: str  # the field's name in that form
    path: tuple[str, ...]  # where the return keeps it: ("answers", key), ("judgements", id, part), ...
    section: str
    label: str
    kind: str  # grade, yes_no, choice, multi, number, date or text
    options: tuple[tuple[str, str], ...] = ()  # (stored value, label people read)
    guidance: str = ""
    group: str = ""  # a heading within the section (the information-sharing event)
    history_name: str = ""  # the name `services.return_save` gives the field in the return's history
    long: bool = False

    @property
    def name(self) -> str:
        """The row as a message names it."""
        return f"{self.group}: {self.label}" if self.group else self.label


@dataclass(frozen=True)
class Part:
    """A section of a case sheet: its title, a line about it and its rows."""

    title: str
    intro: str
    entries: tuple[Entry, ...]


def label_list(options: Sequence[tuple[str, str]]) -> str:
    """The labels people read of a list of options, as guidance and messages list them."""
    return "; ".join(label for _, label in options)


def scope_text(audit: Audit) -> str:
    """The audit's scope period as a sentence ends with it ("from … to …"), or "" without one."""
    if audit.scope_start and audit.scope_end:
        return f"from {format_date(audit.scope_start)} to {format_date(audit.scope_end)}"
    return ""


def _guidance(kind: str, options: Sequence[tuple[str, str]], audit: Audit, help_text: str = "") -> str:
    scope = scope_text(audit)
    how = {
        "grade": f"Choose a grade from the list: {label_list(options)}.",
        "yes_no": "Choose Yes, No or Not known.",
        "choice": f"Choose one from the list: {label_list(options)}.",
        "multi": f"One or more of: {label_list(options)}. Separate them with semicolons (;).",
        "number": "A whole number, like 3.",
        "date": f"A date{' ' + scope if scope else ''}, typed like 14/03/2025 or 2025-03-14.",
    }.get(kind, "")
    return " ".join(part for part in (help_text.strip(), how) if part)


REQUIRED = "Needed before the return can be submitted."


def _theme_part(audit: Audit, section: Section) -> Part:
    """A theme's questions, then the grade for the theme and the four narrative boxes."""
    theme = section.theme
    assert theme is not None
    grades = tuple((grade, grade) for grade in audit.grading_scale)
    rows = []
    for question in section.questions:
        kind = question.answer_type
        options = {"grade": grades, "yes_no": YES_NO}.get(
            kind, tuple((str(choice["value"]), str(choice["label"])) for choice in question.choices)
        )
        guidance = _guidance(kind, options, audit, question.help_text)
        rows.append(
            Entry(
                key=f"q:{question.key}",
                form=section.key,
                field=f"q_{question.key}",
                path=("answers", question.key),
                section=theme.name,
                label=question.text,
                kind=kind,
                options=options,
                guidance=f"{guidance} {REQUIRED}".strip() if question.required else guidance,
                history_name=question.key,
                long=kind == "text",
            )
        )
    theme_id = str(theme.pk)
    rows.append(
        Entry(
            key=f"theme:{theme_id}:grade",
            form=section.key,
            field="grade",
            path=("judgements", theme_id, "grade"),
            section=theme.name,
            label="Your grade for this theme",
            kind="grade",
            options=grades,
            guidance=f"{_guidance('grade', grades, audit)} {REQUIRED}",
            history_name=f"{theme.name}: grade",
        )
    )
    for key, label in NARRATIVE:
        rows.append(
            Entry(
                key=f"theme:{theme_id}:{key}",
                form=section.key,
                field=key,
                path=("judgements", theme_id, key),
                section=theme.name,
                label=label,
                kind="text",
                guidance="Free text.",
                history_name=f"{theme.name}: {key}",
                long=True,
            )
        )
    intro = " ".join(plain_text(objective).replace("\n", " ") for objective in theme.objectives)
    return Part(theme.name, intro, tuple(rows))


def _sharing_part(audit: Audit) -> Part:
    """For each information-sharing event: did it happen, was the agency told, when and by whom."""
    asked = (
        ("happened", "Did it happen during the scope period?", "yes_no", "Choose Yes, No or Not known."),
        ("told", "Was your agency told?", "yes_no", "Only if it happened. Choose Yes, No or Not known."),
        (
            "told_on",
            "When was your agency told?",
            "date",
            f"Optional, only if it happened. {_guidance('date', (), audit)}",
        ),
        (
            "told_by",
            "Who told your agency?",
            "text",
            "Optional, only if it happened. A role and agency, never a name: for example, the child’s social worker.",
        ),
    )
    rows = [
        Entry(
            key=f"sharing:{event.key}:{part}",
            form="sharing",
            field=f"{event.key}_{part}",
            path=("sharing", event.key, part),
            section=SHARING_TITLE,
            label=label,
            kind=kind,
            options=YES_NO if kind == "yes_no" else (),
            guidance=guidance,
            group=event.text,
            history_name=f"{event.key} {part}",
        )
        for event in SHARING_EVENTS
        for part, label, kind, guidance in asked
    ]
    scope = scope_text(audit)
    intro = f"Whether each event happened during the audit’s scope period{' (' + scope + ')' if scope else ''}, and "
    intro += "whether your agency was told."
    return Part(SHARING_TITLE, intro, tuple(rows))


def _profile_part(audit: Audit) -> Part:
    """The audit's per-agency case fields."""
    rows = []
    for case_field in per_agency_fields(audit):
        kind = {"multi_choice": "multi", "choice": "choice", "yes_no": "yes_no"}.get(case_field.field_type, "text")
        choices = tuple((str(choice["value"]), str(choice["label"])) for choice in case_field.choices)
        options = YES_NO if kind == "yes_no" else choices
        rows.append(
            Entry(
                key=f"topic:{case_field.key}",
                form="profile",
                field=f"topic_{case_field.key}",
                path=("topic_values", case_field.key),
                section=PROFILE_TITLE,
                label=case_field.label,
                kind=kind,
                options=options,
                guidance=f"{_guidance(kind, options, audit, case_field.help_text)} {REQUIRED}".strip(),
                history_name=case_field.key,
            )
        )
    return Part(PROFILE_TITLE, "Where this child sits, as your agency sees it.", tuple(rows))


def layout(audit: Audit) -> list[Part]:
    """The sections of a case sheet and their rows, in the order of the return's pages."""
    parts = []
    for section in sections(audit):
        if section.theme is not None:
            parts.append(_theme_part(audit, section))
        elif section.key == "sharing":
            parts.append(_sharing_part(audit))
        else:
            parts.append(_profile_part(audit))
    return parts


def blank(value: Any) -> bool:
    """Whether an answer as stored is no answer at all."""
    return value is None or value == "" or value == []


def value_at(holder: Any, path: tuple[str, ...]) -> Any:
    """The value at `path` in a return (or in a dict shaped like one)."""
    head, *rest = path
    value = holder.get(head) if isinstance(holder, dict) else getattr(holder, head)
    for key in rest:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def fingerprint(value: Any) -> str:
    """A short digest of an answer as stored: equal answers (blank in any form, several choices in any order, line
    breaks of any kind, with or without the control characters a workbook cannot hold) have equal fingerprints."""
    if blank(value):
        value = None
    elif isinstance(value, list):
        value = sorted(str(item) for item in value)
    elif isinstance(value, str):
        # The workbook shows text without the characters it cannot hold, and a spreadsheet may save line breaks
        # its own way: text that comes back so is the answer as it was, not a change.
        value = xlsx_text(value).replace("\r\n", "\n").replace("\r", "\n")
    text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def cell_value(entry: Entry, value: Any) -> Any:
    """An answer as the answer cell shows it: labels for lists, a real date for a date."""
    if blank(value):
        return None
    labels = dict(entry.options)
    if entry.kind in LIST_KINDS:
        return labels.get(str(value), str(value))
    if entry.kind == "multi":
        return "; ".join(labels.get(str(item), str(item)) for item in (value if isinstance(value, list) else [value]))
    if entry.kind == "date":
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError:
            return str(value)
    if entry.kind == "number" and isinstance(value, int):
        return value
    return str(value)
