"""Forms for creating audits and moving them through their lifecycle (the section editors are in `forms`)."""

from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.db.models import QuerySet

from maca.accounts.models import User

from . import library
from .models import Audit

reference_validator = RegexValidator(
    r"^[a-z0-9]+(-[a-z0-9]+)*$",
    "Use lower-case letters, digits and single hyphens, for example torbay-neglect-2026",
)

BLANK = "blank"
COPY = "copy"


class NewAuditForm(forms.Form):
    """How a new audit starts: from a template of the library, as a copy of a past audit, or blank."""

    title = forms.CharField(
        label="Title",
        max_length=300,
        help_text="For example: Multi-Agency Case Audit on Neglect",
        error_messages={"required": "Enter the title of the audit"},
    )
    reference = forms.CharField(
        label="Reference",
        max_length=60,
        help_text="A short name used in links, files and on the command line, for example torbay-neglect-2026.",
        validators=[reference_validator],
        error_messages={"required": "Enter a reference for the audit"},
    )
    start = forms.ChoiceField(
        label="How do you want to start?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how to start the audit"},
    )
    copy_from = forms.ModelChoiceField(
        label="Past audit to copy",
        queryset=Audit.objects.none(),
        required=False,
        empty_label="Choose an audit",
        help_text="Only if you copy a past audit.",
    )

    def __init__(self, *args: Any, audits: QuerySet[Audit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        start: Any = self.fields["start"]
        choices = [(f"template:{t.key}", f"From the template: {t.name}") for t in library.TEMPLATES]
        hints = {f"template:{t.key}": t.description for t in library.TEMPLATES}
        choices += [(COPY, "A copy of a past audit"), (BLANK, "A blank audit")]
        hints[COPY] = "Everything its Terms of Reference says, as a new draft."
        hints[BLANK] = "Write every section yourself."
        start.choices = choices
        start.option_hints = hints
        copy_from: Any = self.fields["copy_from"]
        copy_from.queryset = audits

    def clean_reference(self) -> str:
        reference = str(self.cleaned_data["reference"]).strip().lower()
        if Audit.objects.filter(reference=reference).exists():
            raise forms.ValidationError(f"An audit with the reference {reference} already exists")
        return reference

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") == COPY and not data.get("copy_from"):
            self.add_error("copy_from", "Choose the past audit to copy")
        return data


class CopyAuditForm(forms.Form):
    title = NewAuditForm.base_fields["title"]
    reference = NewAuditForm.base_fields["reference"]
    clean_reference = NewAuditForm.clean_reference


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Audit definition file",
        help_text="A YAML file as maca exports it (see the documentation of the audit definition).",
        error_messages={"required": "Choose the audit definition file"},
    )
    replace = forms.BooleanField(
        label="Replace the Terms of Reference of the draft audit with the same reference",
        required=False,
    )

    MAX_BYTES = 2 * 1024 * 1024

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError("The file must be 2 MB or smaller")
        try:
            return str(upload.read().decode("utf-8"))
        except UnicodeDecodeError as error:
            raise forms.ValidationError("The file must be a text file in UTF-8 (a YAML file)") from error


class LeadForm(forms.Form):
    lead = forms.ModelChoiceField(
        label="Audit lead",
        queryset=User.objects.none(),
        empty_label="Choose a person",
        help_text="The person who chairs the audit and approves its Terms of Reference. Only people with the role "
        "of audit lead in the partnership are listed.",
        error_messages={"required": "Choose the audit lead"},
    )

    def __init__(self, *args: Any, candidates: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lead: Any = self.fields["lead"]
        lead.queryset = User.objects.filter(pk__in=[user.pk for user in candidates]).order_by("full_name")


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label="What needs to change?",
        widget=forms.Textarea,
        max_length=2000,
        error_messages={"required": "Say what needs to change"},
    )
