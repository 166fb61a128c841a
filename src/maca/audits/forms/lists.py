"""The lists a section of the Terms of Reference holds, each item a form of an "add another" formset (see `items`).

The forms check what a person can put right on the page, in their words; the services in `maca.audits.editing`
check the same rules again before saving.
"""

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

import pydantic
from django import forms

from maca.common.forms import GovukDateField
from maca.partnerships.models import GovernanceGroup, Partnership

from .. import schema
from ..editing import KEY, AgencyChoice, CaseFieldData, MilestoneData, QuestionData, make_key
from ..models import Audit, Question, Theme
from ..schema import AnswerType, CaseFieldType, MilestoneKind
from .items import PROSE_HINT, ItemForm, ItemFormSet, ProseField, item_formset, numbered

ANSWER_LABELS = {
    AnswerType.GRADE: "A grade on the audit’s grading scale",
    AnswerType.YES_NO: "Yes, no or not known",
    AnswerType.CHOICE: "One of a list of choices",
    AnswerType.NUMBER: "A number",
    AnswerType.DATE: "A date",
    AnswerType.TEXT: "Written text",
}
CASE_FIELD_LABELS = {
    CaseFieldType.CHOICE: "One of a list of choices",
    CaseFieldType.MULTI_CHOICE: "Any number of a list of choices",
    CaseFieldType.YES_NO: "Yes or no",
    CaseFieldType.TEXT: "Written text",
}
MILESTONE_LABELS = {
    MilestoneKind.AUDIT: "The audit",
    MilestoneKind.REPORT: "A report",
    MilestoneKind.SEMINAR: "A seminar",
    MilestoneKind.DIP_SAMPLE: "A dip sample",
    MilestoneKind.OTHER: "Something else",
}
KEY_RULE = "Key must start with a lower-case letter and have only lower-case letters, digits and underscores"
CHOICES_HINT = (
    "One choice on each line. Write the stored value before a colon to keep it, for example "
    "“days: Within days”; a line without one gets a value made from its words."
)


# --- What is typed: choices, keys and planned dates ------------------------------------------------------------

CHOICE_LINE = re.compile(r"^([a-z][a-z0-9_]{0,39})\s*:\s*(\S.*)$")


def parse_choices(text: str) -> list[dict[str, str]]:
    """Choices written one a line, as `value: label` or just the label (whose value is then made from it).

    Values are what answers store, so a value once made stays as it is: the choices are shown for editing as
    `value: label`. ValidationError when a value is given to two choices.
    """
    rows: list[tuple[str | None, str]] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        line = line.strip()
        if not line:
            continue
        match = CHOICE_LINE.match(line)
        rows.append((match.group(1), match.group(2).strip()) if match else (None, line))
    given = [value for value, _ in rows if value]
    twice = sorted({value for value in given if given.count(value) > 1})
    if twice:
        raise forms.ValidationError(f"The value {twice[0]} is given to two choices: give each choice its own value")
    taken = set(given)
    choices = []
    for value, label in rows:
        if value is None:
            value = make_key(label, taken, fallback="choice")
            taken.add(value)
        choices.append({"value": value, "label": label})
    return choices


def format_choices(choices: Sequence[dict[str, str]]) -> str:
    """Choices as they are edited: `value: label`, one a line (`parse_choices` reads it back unchanged)."""
    return "\n".join(f"{choice['value']}: {choice['label']}" for choice in choices)


def planned_value(text: str) -> str:
    """A milestone's planned month (2021-07) or day (2021-07-15), as the schema reads and writes it.

    ValueError if it is neither.
    """
    try:
        return schema.Milestone(kind=schema.MilestoneKind.OTHER, text="-", planned=text).planned
    except pydantic.ValidationError as error:
        raise ValueError(str(error)) from error


class ChoicesField(forms.CharField):
    """Choices written one a line (`value: label` or just the label), read into [{value, label}]."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(widget=forms.Textarea(attrs={"rows": "4"}), required=False, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        return format_choices(value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[dict[str, str]]:  # type: ignore[override]
        text = str(super().to_python(value))
        self.run_validators(text)  # Null characters, say, are refused in the text, before it becomes choices.
        return parse_choices(text)


class KeyField(forms.CharField):
    def __init__(self, *, made_from: str, **kwargs: Any) -> None:
        super().__init__(
            label="Key (optional)",
            required=False,
            max_length=40,
            help_text=f"A short name used in workbooks and exports, like recognised_early. Left empty, it is made "
            f"from the {made_from}.",
            widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "spellcheck": "false"}),
            error_messages={"max_length": "Key must be 40 characters or fewer"},
            **kwargs,
        )

    def clean(self, value: Any) -> str:
        key = str(super().clean(value)).strip()
        if key and not KEY.match(key):
            raise forms.ValidationError(f"{KEY_RULE}, like recognised_early")
        return key


def _required(what: str) -> dict[str, str]:
    return {"required": f"Enter {what}"}


def _select(choices: list[tuple[str, str]], *, empty: str, **kwargs: Any) -> forms.ChoiceField:
    return forms.ChoiceField(choices=[("", empty), *choices], **kwargs)


# --- Objectives of a theme ------------------------------------------------------------------------------------


class ObjectiveForm(ItemForm):
    content_fields = ("text",)
    text = ProseField(label="Objective", rows=3, help_text=PROSE_HINT, error_messages=_required("the objective"))

    def to_data(self) -> str:
        return str(self.cleaned_data["text"])


class ObjectiveFormSet(ItemFormSet):
    item_name = "objective"
    at_least_one = "Enter at least one objective for the theme"


ObjectiveForms = item_formset(ObjectiveForm, ObjectiveFormSet)


def objectives_initial(theme: Theme | None) -> list[dict[str, Any]]:
    return numbered([{"text": objective} for objective in theme.objectives]) if theme else []


# --- Questions ------------------------------------------------------------------------------------------------


class QuestionForm(ItemForm):
    content_fields = ("text", "key", "answer", "choices", "help")
    text = ProseField(label="Question", rows=2, error_messages=_required("the question"))
    key = KeyField(made_from="question")
    answer = _select(
        [(answer.value, label) for answer, label in ANSWER_LABELS.items()],
        empty="Choose how it is answered",
        label="Answered with",
        error_messages={
            "required": "Select how the question is answered",
            "invalid_choice": "Select how the question is answered",
        },
    )
    choices = ChoicesField(label="Choices", help_text=f"For a question answered with one of a list. {CHOICES_HINT}")
    help = ProseField(label="Help for the person answering (optional)", rows=2, required=False)
    required = forms.BooleanField(label="Agencies must answer this question", required=False, initial=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        answer, choices = data.get("answer"), data.get("choices") or []
        if answer == AnswerType.CHOICE and len(choices) < 2 and "choices" not in self.errors:
            self.add_error("choices", "Give at least two choices, one on each line")
        elif answer and answer != AnswerType.CHOICE and choices:
            self.add_error(
                "choices", "Only a question answered with one of a list has choices: clear them or change the answer"
            )
        return data

    def to_data(self) -> QuestionData:
        data = self.cleaned_data
        return QuestionData(
            text=data["text"],
            answer=data["answer"],
            key=data["key"],
            choices=data["choices"],
            help=data["help"],
            required=data["required"],
        )


class QuestionFormSet(ItemFormSet):
    """A theme's questions; `other_keys` are the keys of the audit's other questions (keys are unique)."""

    item_name = "question"

    def __init__(self, *args: Any, other_keys: Collection[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.other_keys = set(other_keys)

    def clean(self) -> None:
        super().clean()
        if not self.quiet:
            _refuse_repeated_keys(self, self.other_keys, "a question of another theme", "another question")


def _refuse_repeated_keys(formset: ItemFormSet, other_keys: set[str], elsewhere: str, here: str) -> None:
    seen: set[str] = set()
    for form in formset.kept_forms():
        key = getattr(form, "cleaned_data", {}).get("key")
        if not key:
            continue
        if key in other_keys:
            form.add_error("key", f"The key {key} is used by {elsewhere}")
        elif key in seen:
            form.add_error("key", f"The key {key} is used by {here}")
        seen.add(key)


QuestionForms = item_formset(QuestionForm, QuestionFormSet)


def questions_initial(theme: Theme) -> list[dict[str, Any]]:
    return numbered(
        [
            {
                "text": question.text,
                "key": question.key,
                "answer": question.answer_type,
                "choices": format_choices(question.choices),
                "help": question.help_text,
                "required": question.required,
            }
            for question in theme.questions.all()
        ]
    )


def other_question_keys(audit: Audit, theme: Theme) -> set[str]:
    return set(Question.objects.filter(theme__audit=audit).exclude(theme=theme).values_list("key", flat=True))


# --- Identifying agencies -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgencyOptions:
    """The partnership's agencies and their services as options of a select, grouped by agency."""

    choices: list[tuple[str, Any]]
    lookup: dict[str, AgencyChoice]

    @classmethod
    def of(cls, partnership: Partnership) -> "AgencyOptions":
        choices: list[tuple[str, Any]] = [("", "Choose an agency or service")]
        lookup: dict[str, AgencyChoice] = {}
        for agency in partnership.agencies.prefetch_related("services"):
            group = [(str(agency.pk), f"{agency.name} (the whole agency)")]
            lookup[str(agency.pk)] = AgencyChoice(agency)
            for service in agency.services.all():
                value = f"{agency.pk}:{service.pk}"
                group.append((value, f"{agency.name}: {service.name}"))
                lookup[value] = AgencyChoice(agency, service)
            choices.append((agency.name, group))
        return cls(choices, lookup)

    @staticmethod
    def value(agency_id: int, service_id: int | None) -> str:
        return f"{agency_id}:{service_id}" if service_id else str(agency_id)


class IdentifyingAgencyForm(ItemForm):
    content_fields = ("agency",)
    agency = forms.ChoiceField(
        label="Agency or service",
        error_messages={"required": "Select an agency or service", "invalid_choice": "Select an agency or service"},
    )

    def __init__(self, *args: Any, options: AgencyOptions, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.options = options
        field: Any = self.fields["agency"]
        field.choices = options.choices

    def to_data(self) -> AgencyChoice:
        return self.options.lookup[self.cleaned_data["agency"]]


class IdentifyingAgencyFormSet(ItemFormSet):
    item_name = "agency"
    at_least_one = "Add at least one agency or service that identifies cases"

    def clean(self) -> None:
        super().clean()
        seen: set[str] = set()
        for form in [] if self.quiet else self.kept_forms():
            value = getattr(form, "cleaned_data", {}).get("agency")
            if value in seen:
                form.add_error("agency", "This agency or service is listed twice: remove one of them")
            if value:
                seen.add(value)


IdentifyingAgencyForms = item_formset(IdentifyingAgencyForm, IdentifyingAgencyFormSet)


def identifying_initial(audit: Audit) -> list[dict[str, Any]]:
    return numbered([{"agency": AgencyOptions.value(row.agency_id, row.service_id)} for row in audit.identifying.all()])


# --- Timeline -------------------------------------------------------------------------------------------------


class MilestoneForm(ItemForm):
    content_fields = ("kind", "text", "planned", "actual", "reports_to")
    kind = _select(
        [(kind.value, label) for kind, label in MILESTONE_LABELS.items()],
        empty="Choose the kind of step",
        label="Kind of step",
        error_messages={"required": "Select the kind of step", "invalid_choice": "Select the kind of step"},
    )
    text = forms.CharField(
        label="What happens",
        max_length=300,
        help_text="For example “Audit to take place in”",
        error_messages={**_required("what happens"), "max_length": "What happens must be 300 characters or fewer"},
    )
    planned = forms.CharField(
        label="Planned for",
        max_length=20,
        help_text="For example 2021-07 (a month) or 2021-07-15 (a day)",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
        error_messages=_required("when it is planned for, like 2021-07 or 2021-07-15"),
    )
    actual = GovukDateField(label="Date it happened (optional)", required=False, error_name="the date it happened")
    reports_to = forms.ChoiceField(
        label="Reports to (optional)",
        required=False,
        error_messages={"invalid_choice": "Select a governance group from the list"},
    )

    def __init__(self, *args: Any, groups: list[GovernanceGroup], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.groups = {str(group.pk): group for group in groups}
        field: Any = self.fields["reports_to"]
        field.choices = [("", "No governance group"), *((pk, group.name) for pk, group in self.groups.items())]
        if not groups:
            del self.fields["reports_to"]

    def clean_planned(self) -> str:
        try:
            return planned_value(str(self.cleaned_data["planned"]))
        except ValueError:
            raise forms.ValidationError(
                "Planned for must be a month like 2021-07 or a day like 2021-07-15, and the day must exist"
            ) from None

    def to_data(self) -> MilestoneData:
        data = self.cleaned_data
        group = self.groups.get(data.get("reports_to") or "")
        return MilestoneData(data["kind"], data["text"], data["planned"], data["actual"], group)


class MilestoneFormSet(ItemFormSet):
    item_name = "step"


MilestoneForms = item_formset(MilestoneForm, MilestoneFormSet)


def milestones_initial(audit: Audit) -> list[dict[str, Any]]:
    return numbered(
        [
            {
                "kind": milestone.kind,
                "text": milestone.text,
                "planned": milestone.planned,
                "actual": milestone.actual,
                "reports_to": str(milestone.reports_to_id or ""),
            }
            for milestone in audit.milestones.all()
        ]
    )


# --- Case fields ----------------------------------------------------------------------------------------------

WITH_CHOICES = (CaseFieldType.CHOICE, CaseFieldType.MULTI_CHOICE)


class CaseFieldForm(ItemForm):
    content_fields = ("label", "key", "field_type", "choices", "help")
    label = forms.CharField(
        label="Label",
        max_length=300,
        help_text="For example “Where the behaviour sits on Hackett’s continuum”",
        error_messages={**_required("the label"), "max_length": "Label must be 300 characters or fewer"},
    )
    key = KeyField(made_from="label")
    field_type = _select(
        [(kind.value, label) for kind, label in CASE_FIELD_LABELS.items()],
        empty="Choose the type of answer",
        label="Answered with",
        error_messages={
            "required": "Select how the field is answered",
            "invalid_choice": "Select how the field is answered",
        },
    )
    choices = ChoicesField(label="Choices", help_text=f"For a field answered from a list. {CHOICES_HINT}")
    ordinal = forms.BooleanField(
        label="The choices are an ordered scale, from the first to the last",
        required=False,
        help_text="Only for one of a list of choices. Agreement between agencies is then measured along the scale.",
    )
    per_agency = forms.BooleanField(label="Each agency also gives its own answer in its return", required=False)
    help = ProseField(label="Help for the person answering (optional)", rows=2, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, choices = data.get("field_type"), data.get("choices") or []
        if kind in WITH_CHOICES and len(choices) < 2 and "choices" not in self.errors:
            self.add_error("choices", "Give at least two choices, one on each line")
        elif kind and kind not in WITH_CHOICES and choices:
            self.add_error("choices", "Only a field answered from a list has choices: clear them or change the answer")
        if data.get("ordinal") and kind and kind != CaseFieldType.CHOICE:
            self.add_error("ordinal", "Only a field answered with one of a list of choices can be an ordered scale")
        return data

    def to_data(self) -> CaseFieldData:
        data = self.cleaned_data
        return CaseFieldData(
            label=data["label"],
            field_type=data["field_type"],
            key=data["key"],
            choices=data["choices"],
            ordinal=data["ordinal"],
            per_agency=data["per_agency"],
            help=data["help"],
        )


class CaseFieldFormSet(ItemFormSet):
    item_name = "field"

    def clean(self) -> None:
        super().clean()
        if not self.quiet:
            _refuse_repeated_keys(self, set(), "", "another field")


CaseFieldForms = item_formset(CaseFieldForm, CaseFieldFormSet)


def case_fields_initial(audit: Audit) -> list[dict[str, Any]]:
    return numbered(
        [
            {
                "label": case_field.label,
                "key": case_field.key,
                "field_type": case_field.field_type,
                "choices": format_choices(case_field.choices),
                "ordinal": case_field.ordinal,
                "per_agency": case_field.per_agency,
                "help": case_field.help_text,
            }
            for case_field in audit.case_fields.all()
        ]
    )
