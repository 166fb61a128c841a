"""The forms of a return. They check each answer's type (a grade on the scale, a date within the audit's scope);
whether everything required is answered is checked when the return is submitted (`maca.returns.content.missing`),
so that a draft can be saved half done."""

import datetime
from typing import Any

from django import forms

from maca.accounts.models import User
from maca.audits.models import Audit, Question, Theme
from maca.cases.codes import YesNoNotKnown
from maca.cases.forms import topic_field
from maca.common.forms import GovukDateField
from maca.common.versioning import VersionField

from .content import NARRATIVE, per_agency_fields
from .models import AgencyReturn
from .sharing import SHARING_EVENTS


def _radios(label: str, choices: Any, help_text: str = "", invalid: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=False,
        widget=forms.RadioSelect,
        help_text=help_text,
        error_messages={"invalid_choice": invalid or f"Select one of the options for “{label}”"},
    )


def _date(label: str, audit: Audit, help_text: str = "") -> GovukDateField:
    return GovukDateField(
        label=label,
        required=False,
        error_name="the date",
        help_text=help_text or "For example, 27 3 2020",
        min_date=audit.scope_start,
        max_date=audit.scope_end,
    )


def question_field(question: Question, audit: Audit) -> forms.Field:
    """The form field that answers one question of the audit."""
    kind, help_text = question.answer_type, question.help_text
    if kind == "grade":
        grades = [(grade, grade) for grade in audit.grading_scale]
        return _radios(question.text, grades, help_text, invalid="Select a grade from the audit’s grading scale")
    if kind == "yes_no":
        return _radios(question.text, YesNoNotKnown.choices, help_text)
    if kind == "choice":
        return _radios(question.text, [(c["value"], c["label"]) for c in question.choices], help_text)
    if kind == "number":
        return forms.IntegerField(
            label=question.text,
            required=False,
            min_value=0,
            max_value=100_000,
            help_text=help_text,
            widget=forms.NumberInput(attrs={"class": "govuk-input--width-5"}),
            error_messages={
                "invalid": f"“{question.text}” must be a whole number, like 3",
                "min_value": f"“{question.text}” must be 0 or more",
                "max_value": f"“{question.text}” must be 100000 or less",
            },
        )
    if kind == "date":
        return _date(question.text, audit, help_text)
    return forms.CharField(
        label=question.text, required=False, max_length=10_000, widget=forms.Textarea, help_text=help_text
    )


def _stored(value: Any) -> Any:
    """A cleaned value as the return keeps it."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return value.strip()
    return value


def _initial(value: Any) -> Any:
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return value
    return value


class ReturnForm(forms.Form):
    version = VersionField()


class ThemeForm(ReturnForm):
    """The questions of one theme, the grade for the theme and the narrative."""

    def __init__(self, *args: Any, audit: Audit, theme: Theme, agency_return: AgencyReturn, **kwargs: Any) -> None:
        judgement = agency_return.judgements.get(str(theme.pk), {})
        self.questions = list(theme.questions.all())
        initial = {f"q_{q.key}": _initial(agency_return.answers.get(q.key)) for q in self.questions}
        initial.update({key: judgement.get(key, "") for key in ("grade", *dict(NARRATIVE))})
        initial["version"] = agency_return.version
        super().__init__(*args, **{**kwargs, "initial": initial})
        for question in self.questions:
            self.fields[f"q_{question.key}"] = question_field(question, audit)
        self.fields["grade"] = _radios(
            "Your grade for this theme",
            [(grade, grade) for grade in audit.grading_scale],
            f"Your judgement of your agency’s work with this child under “{theme.name}”.",
            invalid="Select a grade from the audit’s grading scale",
        )
        for key, label in NARRATIVE:
            self.fields[key] = forms.CharField(label=label, required=False, max_length=10_000, widget=forms.Textarea)

    def question_fields(self) -> list[forms.BoundField]:
        return [self[f"q_{question.key}"] for question in self.questions]

    def judgement_fields(self) -> list[forms.BoundField]:
        return [self["grade"], *(self[key] for key, _ in NARRATIVE)]

    def answers(self) -> dict[str, Any]:
        return {q.key: _stored(self.cleaned_data[f"q_{q.key}"]) for q in self.questions}

    def judgement(self) -> dict[str, Any]:
        return {key: _stored(self.cleaned_data[key]) for key in ("grade", *dict(NARRATIVE))}


class SharingForm(ReturnForm):
    """For each information-sharing event: did it happen, was the agency told, when and by whom."""

    def __init__(self, *args: Any, audit: Audit, agency_return: AgencyReturn, **kwargs: Any) -> None:
        initial: dict[str, Any] = {"version": agency_return.version}
        for event in SHARING_EVENTS:
            answer = agency_return.sharing.get(event.key, {})
            initial.update({f"{event.key}_{part}": _initial(value) for part, value in answer.items()})
        super().__init__(*args, **{**kwargs, "initial": initial})
        for event in SHARING_EVENTS:
            self.fields[f"{event.key}_happened"] = _radios(
                f"{event.text} during the scope period?", YesNoNotKnown.choices
            )
            self.fields[f"{event.key}_told"] = _radios("Was your agency told?", YesNoNotKnown.choices)
            self.fields[f"{event.key}_told_on"] = _date("When was your agency told? (optional)", audit)
            self.fields[f"{event.key}_told_by"] = forms.CharField(
                label="Who told your agency? (optional)",
                required=False,
                max_length=300,
                help_text="A role and agency, never a name: for example, the child’s social worker.",
            )

    def events(self) -> list[tuple[Any, list[forms.BoundField]]]:
        parts = ("happened", "told", "told_on", "told_by")
        return [(event, [self[f"{event.key}_{part}"] for part in parts]) for event in SHARING_EVENTS]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for event in SHARING_EVENTS:
            if data.get(f"{event.key}_happened") != "yes":
                for part in ("told", "told_on", "told_by"):
                    if data.get(f"{event.key}_{part}"):
                        self.add_error(
                            f"{event.key}_{part}",
                            "Leave this empty, or answer Yes to whether it happened during the scope period",
                        )
        return data

    def sharing(self) -> dict[str, dict[str, Any]]:
        return {
            event.key: {
                part: _stored(self.cleaned_data[f"{event.key}_{part}"])
                for part in ("happened", "told", "told_on", "told_by")
                if self.cleaned_data[f"{event.key}_{part}"] not in (None, "")
            }
            for event in SHARING_EVENTS
        }


class ProfileForm(ReturnForm):
    """The audit's per-agency case fields, as this agency sees the child."""

    def __init__(self, *args: Any, audit: Audit, agency_return: AgencyReturn, **kwargs: Any) -> None:
        self.case_fields = per_agency_fields(audit)
        initial: dict[str, Any] = {"version": agency_return.version}
        initial.update({f"topic_{f.key}": agency_return.topic_values.get(f.key) for f in self.case_fields})
        super().__init__(*args, **{**kwargs, "initial": initial})
        for case_field in self.case_fields:
            self.fields[f"topic_{case_field.key}"] = topic_field(case_field, optional=False)

    def topic_values(self) -> dict[str, Any]:
        return {f.key: _stored(self.cleaned_data[f"topic_{f.key}"]) for f in self.case_fields}


class AssignForm(forms.Form):
    auditor = forms.ModelChoiceField(
        label="Auditor",
        queryset=User.objects.none(),
        empty_label="Choose an auditor",
        help_text="An auditor or lead of your agency. They are told by e-mail.",
        error_messages={"required": "Choose the auditor", "invalid_choice": "Choose an auditor from the list"},
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        auditor: Any = self.fields["auditor"]
        auditor.queryset = people
        auditor.label_from_instance = lambda user: f"{user.get_full_name() or user.email} ({user.email})"


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("accept", "Accept the return"), ("return", "Return it for amendment")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether to accept the return or return it for amendment"},
    )
    reason = forms.CharField(
        label="What needs to change (if you return it)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "The reason must be 2000 characters or fewer"},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "return" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Say what needs to change before the return can be accepted")
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Why is the return re-opened?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Give the reason for re-opening the return",
            "max_length": "The reason must be 2000 characters or fewer",
        },
    )
