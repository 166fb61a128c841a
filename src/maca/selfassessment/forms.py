"""Forms of the self-assessment: an agency's answers for one area, submitting, returning, and the framework editor.

They check what a person can put right on the page, in their words, naming the statement or field; the services in
`maca.selfassessment.services` check the same rules again before saving.
"""

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField

from maca.audits.forms.items import ItemForm, ItemFormSet, VersionForm, item_formset, numbered
from maca.common.versioning import VersionField

from .completeness import answer_digest, statement_label
from .files import MAX_BYTES, CheckedEvidence, check_evidence_file
from .library import normalise
from .models import Answer, Area, Framework, Rating, Statement
from .services import (
    AREA_NAME_LENGTH,
    DESCRIPTION_LENGTH,
    EVIDENCE_LENGTH,
    HINT_LENGTH,
    NAME_LENGTH,
    REASON_LENGTH,
    STATEMENT_LENGTH,
    AnswerData,
    AreaData,
    StatementData,
)

FILE_HINT = (
    f"A PDF, Word (DOCX) or Excel (XLSX) document, or a PNG or JPEG image, of up to {MAX_BYTES // (1024 * 1024)} MB. "
    "It is seen by your agency and, once you submit, by the coordinator and the audit lead."
)


def _null_message(what: str) -> dict[str, str]:
    return {"null_characters_not_allowed": f"{what} must not contain null characters"}


class AreaAnswersForm(forms.Form):
    """The answers for one area: for each statement, its rating (radios) and evidence (a textarea); and an
    evidence file to add. Everything may be left empty in a draft: what is missing is listed before submitting."""

    def __init__(self, *args: Any, area: Area, answers: Mapping[int, Answer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.area = area
        self.statements: list[Statement] = list(area.statements.all())
        for statement in self.statements:
            label = statement_label(area, statement)
            answer = answers.get(statement.pk)
            rating, evidence = (answer.rating, answer.evidence) if answer else ("", "")
            wrong_rating = f"Statement {label}: select not in place, partly in place or fully in place"
            self.fields[f"rating_{statement.pk}"] = forms.ChoiceField(
                label=f"{label} {statement.text}",
                choices=Rating.choices,
                widget=forms.RadioSelect,
                required=False,
                initial=rating or None,
                help_text=statement.hint,
                error_messages={"invalid_choice": wrong_rating},
            )
            self.fields[f"evidence_{statement.pk}"] = forms.CharField(
                label=f"Evidence for {label}",
                widget=forms.Textarea(attrs={"rows": "4"}),
                required=False,
                initial=evidence,
                max_length=EVIDENCE_LENGTH,
                help_text="What shows it: name documents, dates and figures. Needed for partly or fully in place.",
                error_messages={
                    "max_length": f"Evidence for statement {label} must be {EVIDENCE_LENGTH:,} characters or fewer",
                    **_null_message(f"Evidence for statement {label}"),
                },
            )
            self.fields[f"loaded_{statement.pk}"] = forms.CharField(
                widget=forms.HiddenInput, required=False, initial=answer_digest(rating, evidence)
            )
        self.fields["file"] = forms.FileField(
            label="Add an evidence file for this area (optional)",
            required=False,
            help_text=FILE_HINT,
            error_messages={
                "empty": "The evidence file is empty",
                "invalid": "The evidence file could not be read: choose it again",
                "missing": "The evidence file could not be read: choose it again",
            },
        )

    def clean_file(self) -> CheckedEvidence | None:
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        return check_evidence_file(upload)

    def rows(self) -> list[tuple[Statement, BoundField, BoundField]]:
        """Each statement with its rating and evidence fields, for the page."""
        return [(s, self[f"rating_{s.pk}"], self[f"evidence_{s.pk}"]) for s in self.statements]

    def hidden(self) -> list[BoundField]:
        return [self[f"loaded_{s.pk}"] for s in self.statements]

    def answers(self) -> dict[int, AnswerData]:
        data = self.cleaned_data
        return {
            s.pk: AnswerData(
                rating=str(data.get(f"rating_{s.pk}") or ""),
                evidence=str(data.get(f"evidence_{s.pk}") or ""),
                loaded=str(data.get(f"loaded_{s.pk}") or ""),
            )
            for s in self.statements
        }

    def evidence(self) -> list[CheckedEvidence]:
        checked = self.cleaned_data.get("file")
        return [checked] if isinstance(checked, CheckedEvidence) else []


class SubmitForm(forms.Form):
    """Signing off: carries the version of the self-assessment the lead checked."""

    version = VersionField()


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label="Why are you returning it?",
        widget=forms.Textarea(attrs={"rows": "5"}),
        max_length=REASON_LENGTH,
        help_text="The agency’s leads are sent this by e-mail. Say what to change, for example which statements "
        "need more evidence.",
        error_messages={
            "required": "Give the reason for returning the self-assessment",
            "max_length": f"The reason must be {REASON_LENGTH:,} characters or fewer",
            **_null_message("The reason"),
        },
    )


# --- The framework editor -------------------------------------------------------------------------------------


class FrameworkForm(VersionForm):
    name = forms.CharField(
        label="Name of the framework",
        max_length=NAME_LENGTH,
        help_text="As your Terms of Reference names it.",
        error_messages={
            "required": "Enter the name of the framework",
            "max_length": f"The name of the framework must be {NAME_LENGTH} characters or fewer",
            **_null_message("The name of the framework"),
        },
    )


class _KeptItemForm(ItemForm):
    """An item that is an existing area or statement (it carries its id): emptying it is an error, not a removal,
    so that nothing agencies have answered is lost by clearing a box; the Remove checkbox removes it."""

    item = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def has_changed(self) -> bool:
        return bool(self["item"].data) or super().has_changed()

    def item_id(self) -> int | None:
        value = self.cleaned_data.get("item")
        return int(value) if value else None


class AreaItemForm(_KeptItemForm):
    content_fields = ("name", "description")
    name = forms.CharField(
        label="Name of the area",
        max_length=AREA_NAME_LENGTH,
        error_messages={
            "required": "Enter the name of the area, or tick Remove this area",
            "max_length": f"The name of the area must be {AREA_NAME_LENGTH} characters or fewer",
            **_null_message("The name of the area"),
        },
    )
    description = forms.CharField(
        label="What the area is about (optional)",
        widget=forms.Textarea(attrs={"rows": "3"}),
        required=False,
        max_length=DESCRIPTION_LENGTH,
        error_messages={
            "max_length": f"The description must be {DESCRIPTION_LENGTH:,} characters or fewer",
            **_null_message("The description"),
        },
    )

    def to_data(self) -> AreaData:
        return AreaData(self.cleaned_data["name"], self.cleaned_data["description"], self.item_id())


class AreaFormSet(ItemFormSet):
    item_name = "area"
    at_least_one = "Keep at least one area"

    def clean(self) -> None:
        super().clean()
        if self.quiet:
            return
        seen: set[str] = set()
        for form in self.kept_forms():
            name = getattr(form, "cleaned_data", {}).get("name")
            if not name:
                continue
            if normalise(name) in seen:
                form.add_error("name", f"The area {name} is given twice: give each area its own name")
            seen.add(normalise(name))


AreaForms = item_formset(AreaItemForm, AreaFormSet)


def areas_initial(framework: Framework) -> list[dict[str, Any]]:
    return numbered(
        [{"item": a.pk, "name": a.name, "description": a.description} for a in framework.areas.order_by("position")]
    )


class StatementItemForm(_KeptItemForm):
    content_fields = ("text", "hint")
    text = forms.CharField(
        label="Statement",
        widget=forms.Textarea(attrs={"rows": "3"}),
        max_length=STATEMENT_LENGTH,
        help_text="What should be in place, as an agency would say it: “Our staff know …”.",
        error_messages={
            "required": "Enter the statement, or tick Remove this statement",
            "max_length": f"The statement must be {STATEMENT_LENGTH:,} characters or fewer",
            **_null_message("The statement"),
        },
    )
    hint = forms.CharField(
        label="Hint on the evidence (optional)",
        widget=forms.Textarea(attrs={"rows": "2"}),
        required=False,
        max_length=HINT_LENGTH,
        error_messages={
            "max_length": f"The hint must be {HINT_LENGTH:,} characters or fewer",
            **_null_message("The hint"),
        },
    )

    def to_data(self) -> StatementData:
        return StatementData(self.cleaned_data["text"], self.cleaned_data["hint"], self.item_id())


class StatementFormSet(ItemFormSet):
    item_name = "statement"
    at_least_one = "Keep at least one statement in the area"


StatementForms = item_formset(StatementItemForm, StatementFormSet)


def statements_initial(area: Area) -> list[dict[str, Any]]:
    return numbered([{"item": s.pk, "text": s.text, "hint": s.hint} for s in area.statements.order_by("position")])


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's refusal on the form: by field where the field is on it, else above the fields."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
