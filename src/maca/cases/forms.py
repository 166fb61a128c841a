"""Forms for nominating cases, deciding on them and confirming involvement. They validate; services save."""

import datetime
import re
from typing import Any

from django import forms
from django.utils import timezone

from maca.audits.models import Audit, CaseField
from maca.common.forms import GovukDateField
from maca.partnerships.models import Agency

from .codes import ETHNICITY_CHOICES, Gender, SpecialNeeds, YesNoNotKnown
from .models import Decision, case_reference_validator
from .services import CaseProfile

MONTH_FORMS = (
    re.compile(r"^(?P<year>\d{4})-(?P<month>\d{1,2})$"),
    re.compile(r"^(?P<month>\d{1,2})/(?P<year>\d{4})$"),
    re.compile(r"^(?P<name>[a-z]+)\s+(?P<year>\d{4})$"),
)
MONTH_NAMES = {datetime.date(2000, n, 1).strftime(fmt).lower(): n for n in range(1, 13) for fmt in ("%B", "%b")}
MONTH_NAMES["sept"] = 9


def read_month(text: str) -> datetime.date | None:
    """The first day of a month written 2012-04, 04/2012 or April 2012 (None if it is none of those)."""
    for pattern in MONTH_FORMS:
        match = pattern.match(" ".join(text.strip().lower().split()))
        if match is None:
            continue
        month = MONTH_NAMES.get(match["name"]) if "name" in pattern.groupindex else int(match["month"])
        if month is not None and 1 <= month <= 12:
            return datetime.date(int(match["year"]), month, 1)
    return None


def _radios(label: str, choices: Any, what: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": f"Select {what}", "invalid_choice": f"Select {what}"},
    )


def topic_field(case_field: CaseField, *, optional: bool = True) -> forms.Field:
    """The form field for one of the audit's topic-specific case fields (never required by the form itself: a
    draft may leave it empty; `optional` says so in the label)."""
    choices = [(choice["value"], choice["label"]) for choice in case_field.choices]
    label = f"{case_field.label} (optional)" if optional else case_field.label
    if case_field.field_type == "multi_choice":
        return forms.MultipleChoiceField(
            label=label,
            choices=choices,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text=case_field.help_text,
        )
    if case_field.field_type == "choice":
        return forms.ChoiceField(
            label=label, choices=choices, required=False, widget=forms.RadioSelect, help_text=case_field.help_text
        )
    if case_field.field_type == "yes_no":
        return forms.ChoiceField(
            label=label,
            choices=YesNoNotKnown.choices,
            required=False,
            widget=forms.RadioSelect,
            help_text=case_field.help_text,
        )
    return forms.CharField(label=label, required=False, max_length=500, help_text=case_field.help_text)


class NominateForm(forms.Form):
    """One case: a reference and the child's profile, never a name, an address or a full date of birth."""

    reference = forms.CharField(
        label="Case reference",
        max_length=40,
        validators=[case_reference_validator],
        help_text="A reference that does not identify the child, for example HSB-01. Never a name.",
        error_messages={"required": "Enter a reference for the case"},
    )
    nominated_by = forms.ModelChoiceField(
        label="Nominated by",
        queryset=Agency.objects.none(),
        empty_label=None,
        error_messages={"required": "Select the agency nominating the case"},
    )
    birth_month = forms.CharField(
        label="Month and year of birth",
        max_length=20,
        help_text="For example 2012-04 or April 2012. The day of birth is never recorded.",
        error_messages={"required": "Enter the month and year of birth"},
    )
    gender = _radios("Gender", Gender.choices, "the child’s gender")
    ethnicity = forms.ChoiceField(label="Ethnicity", choices=ETHNICITY_CHOICES, required=False)
    send = _radios("Special educational needs", SpecialNeeds.choices, "the special educational needs provision")
    disability = _radios("Disability", YesNoNotKnown.choices, "whether the child has a disability")
    aces = _radios(
        "Adverse childhood experiences", YesNoNotKnown.choices, "whether there were adverse childhood experiences"
    )
    concern_date = GovukDateField(
        label="Date the concern was first recorded",
        error_name="the date the concern was first recorded",
        max_date=timezone.localdate,
    )
    involved = forms.ModelMultipleChoiceField(
        label="Other agencies involved with the child (optional)",
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Each agency’s lead confirms its own involvement.",
    )
    record_number = forms.CharField(
        label="Your agency’s record number (optional)",
        max_length=60,
        required=False,
        help_text="Seen by your agency alone, to find the child’s records.",
    )

    def __init__(self, *args: Any, audit: Audit, agencies: list[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.audit = audit
        nominated_by: Any = self.fields["nominated_by"]
        nominated_by.queryset = Agency.objects.filter(pk__in=[agency.pk for agency in agencies])
        involved: Any = self.fields["involved"]
        involved.queryset = audit.partnership.agencies.all()
        self.topic_keys = []
        for case_field in audit.case_fields.all():
            self.fields[f"topic_{case_field.key}"] = topic_field(case_field)
            self.topic_keys.append(case_field.key)

    def clean_birth_month(self) -> datetime.date:
        month = read_month(self.cleaned_data["birth_month"])
        if month is None:
            raise forms.ValidationError("Enter the month and year of birth like 2012-04 or April 2012")
        return month

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        born, concern = data.get("birth_month"), data.get("concern_date")
        if born and concern and born > concern:
            self.add_error("birth_month", "The month of birth must be before the date the concern was first recorded")
        return data

    def profile(self) -> CaseProfile:
        data = self.cleaned_data
        topic = {key: data[f"topic_{key}"] for key in self.topic_keys if data.get(f"topic_{key}") not in ("", [], None)}
        return CaseProfile(
            reference=data["reference"].strip(),
            birth_month=data["birth_month"],
            gender=data["gender"],
            ethnicity=data["ethnicity"],
            send=data["send"],
            disability=data["disability"],
            aces=data["aces"],
            concern_date=data["concern_date"],
            topic_values=topic,
        )


class DecisionForm(forms.Form):
    decision = _radios(
        "Decision",
        [(Decision.INCLUDED, "Include the case"), (Decision.EXCLUDED, "Exclude the case")],
        "whether to include or exclude the case",
    )
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea,
        max_length=2000,
        help_text="For example: meets every criterion; or the concern was recorded before the scope of the audit.",
        error_messages={"required": "Give the reason for the decision"},
    )


class InvolvementForm(forms.Form):
    services = forms.ModelMultipleChoiceField(
        label="Services or teams involved (optional)",
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        services: Any = self.fields["services"]
        services.queryset = agency.services.all()


class CaseFileForm(forms.Form):
    file = forms.FileField(
        label="Case list",
        help_text="A CSV or XLSX file with a header row, like the template. At most 2,000 cases and 5 MB.",
        error_messages={"required": "Choose the case list file"},
    )


class AddInvolvementForm(forms.Form):
    agency = forms.ModelChoiceField(
        label="Agency involved with the child",
        queryset=Agency.objects.none(),
        empty_label="Choose an agency",
        help_text="The agency’s lead is asked to confirm it, and which of its services were involved.",
        error_messages={"required": "Choose the agency involved with the child"},
    )

    def __init__(self, *args: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency: Any = self.fields["agency"]
        agency.queryset = case.audit.partnership.agencies.exclude(involvements__case=case)


class RemoveInvolvementForm(forms.Form):
    reason = forms.CharField(
        label="Why was the agency recorded as involved by mistake?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="For example: the agency had no contact with the child in the scope period.",
        error_messages={
            "required": "Give the reason for removing the agency",
            "max_length": "The reason must be 2000 characters or fewer",
        },
    )
