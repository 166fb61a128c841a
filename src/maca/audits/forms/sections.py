"""The forms of the sections of the Terms of Reference, with the initial data each takes from the audit.

Every form carries the audit's version (`VersionForm`); a section's heading is edited on its own page (`HeadingForm`).
"""

from collections.abc import Collection, Sequence
from typing import Any, cast

from django import forms

from maca.common.forms import GovukDateField
from maca.partnerships.models import Agency, AgencyService, Partnership

from ..editing import DEFAULT_HEADINGS, ParticipantData
from ..models import Audit, CaseField, ParticipationKind
from ..schema import YES_NO_VALUES, CaseFieldType, Phase
from .items import PROSE_HINT, EditForm, ProseField, VersionForm

PHASE_LABELS = {
    Phase.EARLY_YEARS: "Early years",
    Phase.PRIMARY: "Primary",
    Phase.SECONDARY: "Secondary",
    Phase.POST_16: "Post-16",
}
YES_NO_LABELS = dict(zip(YES_NO_VALUES, ("Yes", "No", "Not known"), strict=True))
CRITERION_PREFIX = "criterion_"
TEXT_SECTION_NAMES = {"background": "background", "definitions": "definitions", "purpose": "purpose"}


def heading_of(audit: Audit, key: str) -> str:
    """A section's heading as the audit words it, or the default."""
    return str(dict(audit.headings).get(key) or DEFAULT_HEADINGS[key])


class HeadingForm(VersionForm):
    heading = forms.CharField(
        label="Heading of the section",
        max_length=200,
        help_text="As it appears in the Terms of Reference.",
        error_messages={"required": "Enter the heading of the section"},
    )


def heading_initial(audit: Audit, key: str) -> dict[str, Any]:
    return {"heading": heading_of(audit, key), "version": audit.version}


class DetailsForm(VersionForm):
    title = forms.CharField(
        label="Title",
        max_length=300,
        error_messages={"required": "Enter the title", "max_length": "Title must be 300 characters or fewer"},
    )
    short_title = forms.CharField(
        label="Short title",
        max_length=200,
        help_text="For example “MACA on Neglect”. Used where the full title is too long.",
        error_messages={
            "required": "Enter the short title",
            "max_length": "Short title must be 200 characters or fewer",
        },
    )
    topic = forms.CharField(
        label="Topic",
        max_length=200,
        help_text="For example Neglect, or Harmful Sexual Behaviour.",
        error_messages={"required": "Enter the topic", "max_length": "Topic must be 200 characters or fewer"},
    )
    version_date = GovukDateField(
        label="Date of this version", error_name="the date of this version", help_text="For example, 1 6 2021"
    )
    governance_groups = forms.MultipleChoiceField(
        label="Governance groups the audit reports to (optional)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select governance groups from the list"},
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.groups = {str(group.pk): group for group in partnership.governance_groups.all()}
        field: Any = self.fields["governance_groups"]
        field.choices = [(pk, group.name) for pk, group in self.groups.items()]

    def clean_governance_groups(self) -> list[Any]:
        return [self.groups[pk] for pk in self.cleaned_data["governance_groups"]]


def details_initial(audit: Audit) -> dict[str, Any]:
    return {
        "title": audit.title,
        "short_title": audit.short_title,
        "topic": audit.topic,
        "version_date": audit.version_date,
        "governance_groups": [str(pk) for pk in audit.governance_groups.values_list("pk", flat=True)],
        "version": audit.version,
    }


class TextForm(HeadingForm):
    """The text of the background, definitions or purpose (only the definitions may be left empty)."""

    text = ProseField(label="Text", rows=14, help_text=PROSE_HINT)

    def __init__(self, *args: Any, section: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["text"]
        if section == "definitions":
            field.required = False
            field.label = "Text (optional)"
        field.error_messages["required"] = f"Enter the text of the {TEXT_SECTION_NAMES[section]}"


def text_initial(audit: Audit, section: str) -> dict[str, Any]:
    return {**heading_initial(audit, section), "text": getattr(audit, section)}


class ThemeForm(VersionForm):
    name = forms.CharField(
        label="Name of the theme",
        max_length=200,
        help_text="For example Prevention.",
        error_messages={
            "required": "Enter the name of the theme",
            "max_length": "Name must be 200 characters or fewer",
        },
    )

    def __init__(self, *args: Any, other_names: Collection[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.other_names = {name.lower() for name in other_names}

    def clean_name(self) -> str:
        name = " ".join(str(self.cleaned_data["name"]).split())
        if name.lower() in self.other_names:
            raise forms.ValidationError(f"The audit already has a theme called {name}")
        return name


class GradingForm(VersionForm):
    grades = forms.CharField(
        label="Grades",
        widget=forms.Textarea(attrs={"rows": "6"}),
        help_text="One grade on each line, the best first. For example Outstanding, then Good.",
        error_messages={"required": "Enter the grades, one on each line"},
    )

    def clean_grades(self) -> list[str]:
        grades = [" ".join(line.split()) for line in str(self.cleaned_data["grades"]).splitlines() if line.strip()]
        if len(grades) < 2:
            raise forms.ValidationError("Enter at least two grades, one on each line")
        seen: set[str] = set()
        for grade in grades:
            if grade.lower() in seen:
                raise forms.ValidationError(f"The grade {grade} is given twice: give each grade once")
            seen.add(grade.lower())
        return grades


def _age_field(which: str, *, example: int) -> forms.IntegerField:
    """The youngest or oldest age of a child in the audit, in whole years from 0 to 25 (optional)."""
    return forms.IntegerField(
        label=f"{which} age of a child in the audit (optional)",
        required=False,
        min_value=0,
        max_value=25,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-2"}),
        error_messages={
            "invalid": f"{which} age must be a whole number of years, like {example}",
            "min_value": f"{which} age must be 0 or more",
            "max_value": f"{which} age must be 25 or less",
        },
    )


class IdentificationForm(HeadingForm):
    text = ProseField(
        label="How cases are identified",
        help_text=PROSE_HINT,
        error_messages={"required": "Enter how cases are identified"},
    )
    target_cases = forms.IntegerField(
        label="Number of cases",
        min_value=1,
        max_value=1000,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
        error_messages={
            "required": "Enter the number of cases",
            "invalid": "Number of cases must be a whole number, like 10",
            "min_value": "Number of cases must be 1 or more",
            "max_value": "Number of cases must be 1000 or fewer",
        },
    )
    scope_start = GovukDateField(
        label="Start of the period the audit looks at",
        error_name="the start of the period",
        help_text="For example, 1 1 2025",
    )
    scope_end = GovukDateField(
        label="End of the period the audit looks at",
        error_name="the end of the period",
        help_text="For example, 31 12 2025",
    )
    age_min = _age_field("Youngest", example=0)
    age_max = _age_field("Oldest", example=17)
    phases = forms.MultipleChoiceField(
        label="Phases of education (optional)",
        required=False,
        choices=[(phase.value, label) for phase, label in PHASE_LABELS.items()],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select phases of education from the list"},
    )
    include_send = forms.BooleanField(
        label="Include children with special educational needs or disabilities", required=False
    )

    def __init__(self, *args: Any, case_fields: Sequence[CaseField] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        yes_no = list(YES_NO_LABELS.items())
        for case_field in case_fields:
            if case_field.field_type == CaseFieldType.TEXT:
                continue
            choices = (
                yes_no
                if case_field.field_type == CaseFieldType.YES_NO
                else [(choice["value"], choice["label"]) for choice in case_field.choices]
            )
            any_of = "any of them" if case_field.field_type == CaseFieldType.MULTI_CHOICE else "one of them"
            self.fields[f"{CRITERION_PREFIX}{case_field.key}"] = forms.MultipleChoiceField(
                label=case_field.label,
                required=False,
                choices=choices,
                widget=forms.CheckboxSelectMultiple,
                help_text=f"A case meets the criteria when it has {any_of}. Tick none for no criterion on it.",
                error_messages={"invalid_choice": f"Choose only the values listed for {case_field.label}"},
            )

    def criteria_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(CRITERION_PREFIX)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # The criteria on the case fields are given to the service as one list, in the order of the fields.
        chosen = {name: data.pop(name) for name in list(data) if name.startswith(CRITERION_PREFIX)}
        data["field_criteria"] = [
            (name.removeprefix(CRITERION_PREFIX), list(values)) for name, values in chosen.items() if values
        ]
        start, end = data.get("scope_start"), data.get("scope_end")
        if start and end and end < start:
            self.add_error("scope_end", "The end of the period must be the same as or after its start")
        age_min, age_max = data.get("age_min"), data.get("age_max")
        if age_min is not None and age_max is not None and age_max < age_min:
            self.add_error("age_max", "Oldest age must be the same as or more than the youngest age")
        return data


def identification_initial(audit: Audit) -> dict[str, Any]:
    return {
        **heading_initial(audit, "identification"),
        "text": audit.identification_text,
        "target_cases": audit.target_cases,
        "scope_start": audit.scope_start,
        "scope_end": audit.scope_end,
        "age_min": audit.age_min,
        "age_max": audit.age_max,
        "phases": list(audit.phases),
        "include_send": audit.include_send,
        **{f"{CRITERION_PREFIX}{c['field']}": list(c["values"]) for c in audit.field_criteria},
    }


class EngagementForm(HeadingForm):
    text = ProseField(
        label="Text",
        help_text=PROSE_HINT,
        error_messages={"required": "Enter the text on professional engagement"},
    )
    framework = forms.CharField(
        label="Framework of the wider partnership audit (optional)",
        max_length=300,
        required=False,
        help_text="For example the NSPCC Harmful Sexual Behaviour Framework. Leave it empty if there is no wider "
        "partnership audit.",
        error_messages={"max_length": "Framework must be 300 characters or fewer"},
    )


def engagement_initial(audit: Audit) -> dict[str, Any]:
    return {**heading_initial(audit, "engagement"), "text": audit.engagement_text, "framework": audit.framework}


# --- Agencies taking part: one fixed row per agency of the partnership ----------------------------------------


class ParticipantForm(EditForm):
    """Whether one agency takes part, with its services (chosen, or named in words).

    Each row carries its agency's id, so that a row is never saved against another agency when the partnership's
    agencies changed after the page was loaded.
    """

    agency_id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    takes_part = forms.BooleanField(label="Takes part", required=False)
    services = forms.MultipleChoiceField(
        label="Services or teams taking part (optional)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select services from the list"},
    )
    services_text = forms.CharField(
        label="Or name the services in words (optional)",
        max_length=500,
        required=False,
        help_text="For example “All teams”.",
        error_messages={"max_length": "Services in words must be 500 characters or fewer"},
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agency = agency
        self.agency_services: dict[str, AgencyService] = {str(s.pk): s for s in agency.services.all()}
        field: Any = self.fields["services"]
        field.choices = [(pk, service.name) for pk, service in self.agency_services.items()]
        if not self.agency_services:
            del self.fields["services"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.is_bound and data.get("agency_id") != self.agency.pk:
            raise forms.ValidationError(
                "The partnership’s agencies changed after you opened this page. Check each row and save again."
            )
        services, text = data.get("services") or [], data.get("services_text") or ""
        if services and text:
            self.add_error("services_text", f"Choose {self.agency.name}’s services or name them in words, not both")
        if (services or text) and not data.get("takes_part"):
            self.add_error("takes_part", f"Select ‘Takes part’ if {self.agency.name} takes part, or clear its services")
        return data

    def to_data(self) -> ParticipantData:
        data = self.cleaned_data
        services = [self.agency_services[pk] for pk in data.get("services") or []]
        return ParticipantData(self.agency, services, data.get("services_text") or "")


class ParticipantFormSet(forms.BaseFormSet[ParticipantForm]):
    """One row for each agency of the partnership, in the partnership's order: the rows are fixed."""

    def __init__(self, *args: Any, agencies: Sequence[Agency], kind: str, **kwargs: Any) -> None:
        self.agencies = list(agencies)
        self.kind = kind
        super().__init__(*args, **kwargs)

    def total_form_count(self) -> int:
        return len(self.agencies)

    def initial_form_count(self) -> int:
        return len(self.agencies)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        kwargs = super().get_form_kwargs(index)
        if index is not None:
            kwargs["agency"] = self.agencies[index]
        return kwargs

    def clean(self) -> None:
        if self.kind == ParticipationKind.CASE_AUDIT and not self.participants():
            raise forms.ValidationError("Select at least one agency that takes part in the case audit")

    def participants(self) -> list[ParticipantData]:
        return [form.to_data() for form in self.forms if getattr(form, "cleaned_data", {}).get("takes_part")]


ParticipantForms = cast(
    type[ParticipantFormSet], forms.formset_factory(ParticipantForm, formset=ParticipantFormSet, extra=0)
)


def participant_forms(audit: Audit, kind: str, data: Any = None) -> ParticipantFormSet:
    """The rows of the agencies of the audit's partnership, filled from who takes part now (or from `data`)."""
    current = {row.agency_id: row for row in audit.participants.filter(kind=kind).prefetch_related("service_links")}
    agencies = list(audit.partnership.agencies.prefetch_related("services"))
    initial = []
    for agency in agencies:
        row = current.get(agency.pk)
        initial.append(
            {
                "agency_id": agency.pk,
                "takes_part": row is not None,
                "services": [str(link.service_id) for link in row.service_links.all()] if row else [],
                "services_text": row.services_text if row else "",
            }
        )
    return ParticipantForms(data, initial=initial, prefix="agencies", agencies=agencies, kind=kind)
