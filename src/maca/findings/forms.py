"""Forms of moderation: the panel's grade, a finding, its evidence, a recommendation, the briefing's headings and
the confirmations. They check what a person can put right on the page, in their words; the services in
`maca.findings.services` check the same rules again before saving.
"""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet

from maca.analysis.figures import Figure
from maca.audits.forms.items import ItemForm, ItemFormSet, item_formset, numbered
from maca.audits.models import Audit
from maca.common.versioning import VersionField
from maca.partnerships.models import GovernanceGroup
from maca.returns.models import AgencyReturn

from .models import BriefingHeading, Evidence, Finding
from .services import FINDING_LENGTH, HEADING_LENGTH, REASON_LENGTH, RECOMMENDATION_LENGTH, HeadingData
from .snapshot import ANSWER_KINDS, answer_label, return_label


def _null_message(what: str) -> dict[str, str]:
    return {"null_characters_not_allowed": f"{what} must not contain null characters"}


def _position_field(what: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=f"Position {what} (optional)",
        required=False,
        min_value=1,
        max_value=9999,
        help_text="1 puts it first. Leave it empty to keep it where it is, or to put a new one last.",
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
        error_messages={
            "invalid": "Position must be a whole number, like 3",
            "min_value": "Position must be 1 or more",
            "max_value": "Position must be 9999 or less",
        },
    )


class LoadedForm(forms.Form):
    """Carries the version of the record the page was loaded with (0: the page showed none)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class GradeForm(LoadedForm):
    """The panel's grade for one theme of a return, and why it differs from the agency's."""

    def __init__(self, *args: Any, scale: Sequence[str], agency_grade: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agency_grade = agency_grade
        grade = forms.ChoiceField(
            label="The panel’s grade",
            choices=[(item, item) for item in scale],
            widget=forms.RadioSelect,
            help_text="Choose the agency’s grade if the panel agrees with it: a grade the panel had given is then "
            "removed.",
            error_messages={
                "required": "Choose the panel’s grade",
                "invalid_choice": "Choose a grade on the audit’s scale",
            },
        )
        grade.option_hints = {agency_grade: "The agency’s grade"} if agency_grade else {}  # type: ignore[attr-defined]
        self.fields["grade"] = grade
        self.fields["reason"] = forms.CharField(
            label="Why the panel’s grade differs from the agency’s",
            required=False,
            max_length=REASON_LENGTH,
            widget=forms.Textarea(attrs={"rows": "4"}),
            help_text="Agencies and the report read this: say what in the return led the panel to its grade.",
            error_messages={
                "max_length": f"The reason must be {REASON_LENGTH:,} characters or fewer",
                **_null_message("The reason"),
            },
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        grade = data.get("grade")
        if grade and grade != self.agency_grade and not str(data.get("reason") or "").strip():
            self.add_error("reason", "Give the reason for the panel’s grade")
        return data


class FindingForm(forms.Form):
    """A finding: the heading it is written under, its words and its place under the heading."""

    def __init__(self, *args: Any, headings: QuerySet[BriefingHeading], editing: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["version"] = VersionField()
        self.fields["heading"] = forms.ModelChoiceField(
            queryset=headings,
            label="Heading",
            widget=forms.RadioSelect,
            empty_label=None,
            error_messages={
                "required": "Choose the heading the finding goes under",
                "invalid_choice": "Choose one of this audit’s headings",
            },
        )
        self.fields["text"] = forms.CharField(
            label="Finding",
            max_length=FINDING_LENGTH,
            widget=forms.Textarea(attrs={"rows": "5"}),
            help_text="As the learning briefing will say it. "
            + ("The evidence behind it is below." if editing else "Link the evidence behind it on the next page."),
            error_messages={
                "required": "Enter the finding",
                "max_length": f"The finding must be {FINDING_LENGTH:,} characters or fewer",
                **_null_message("The finding"),
            },
        )
        self.fields["position"] = _position_field("under the heading")


class _EvidenceForm(forms.Form):
    """Evidence of one kind to cite: the ticked items replace those of that kind."""

    version = VersionField()


class ReturnsEvidenceForm(_EvidenceForm):
    def __init__(self, *args: Any, returns: Sequence[AgencyReturn], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.returns = {str(agency_return.pk): agency_return for agency_return in returns}
        self.fields["returns"] = forms.MultipleChoiceField(
            label="Returns that show it",
            required=False,
            widget=forms.CheckboxSelectMultiple,
            choices=[(pk, return_label(agency_return)) for pk, agency_return in self.returns.items()],
            help_text="Untick a return to stop citing it.",
            error_messages={"invalid_choice": "Choose submitted returns of this audit"},
        )

    def chosen(self) -> list[AgencyReturn]:
        return [self.returns[pk] for pk in self.cleaned_data["returns"]]


def answer_value(theme_id: int, kind: str) -> str:
    return f"{theme_id}:{kind}"


class AnswersEvidenceForm(_EvidenceForm):
    """The narrative answers of one return: each theme's what went well, what worried the agency, the child's voice
    and the difference made, with the agency's words as the option's hint."""

    def __init__(self, *args: Any, audit: Audit, agency_return: AgencyReturn, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices, hints = [], {}
        for theme in audit.themes.order_by("position"):
            judgement = agency_return.judgements.get(str(theme.pk), {})
            for kind in ANSWER_KINDS:
                answer = str(judgement.get(kind) or "").strip()
                if answer:
                    value = answer_value(theme.pk, kind)
                    choices.append((value, f"{theme.name}: {answer_label(kind).lower()}"))
                    hints[value] = answer
        field = forms.MultipleChoiceField(
            label=f"Answers in {return_label(agency_return)}’s return that show it",
            required=False,
            widget=forms.CheckboxSelectMultiple,
            choices=choices,
            help_text="Each answer is kept as it is now. Untick an answer to stop citing it.",
            error_messages={"invalid_choice": "Choose answers the agency gave in this return"},
        )
        field.option_hints = hints  # type: ignore[attr-defined]
        self.fields["answers"] = field

    def chosen(self) -> list[tuple[int, str]]:
        pairs = []
        for value in self.cleaned_data["answers"]:
            theme_id, kind = str(value).split(":", 1)
            pairs.append((int(theme_id), kind))
        return pairs


class FiguresEvidenceForm(_EvidenceForm):
    """The audit's computed figures, and any cited figure no longer computed (kept as cited until unticked)."""

    def __init__(self, *args: Any, computed: Sequence[Figure], cited: Sequence[Evidence], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(figure.key, f"{figure.label}: {figure.text}") for figure in computed]
        known = {figure.key for figure in computed}
        hints = {
            item.figure_key: "No longer computed: kept as it was cited until you untick it"
            for item in cited
            if item.figure_key not in known
        }
        choices += [(item.figure_key, f"{item.label}: {item.text}") for item in cited if item.figure_key not in known]
        field = forms.MultipleChoiceField(
            label="Figures that show it",
            required=False,
            widget=forms.CheckboxSelectMultiple,
            choices=choices,
            help_text="Each figure is kept as it is now, so the finding still says what it rested on if it changes.",
            error_messages={"invalid_choice": "Choose figures the analysis computes for this audit"},
        )
        field.option_hints = hints  # type: ignore[attr-defined]
        self.fields["figures"] = field


class NumberedFindings(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """The audit's findings as checkboxes, each labelled with its number through the briefing."""

    def __init__(self, *args: Any, numbers: dict[int, int], **kwargs: Any) -> None:
        self.numbers = numbers
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return f"{self.numbers.get(obj.pk, '')}. {obj.text}"


class RecommendationForm(forms.Form):
    def __init__(
        self,
        *args: Any,
        groups: QuerySet[GovernanceGroup],
        findings: QuerySet[Finding],
        numbers: dict[int, int],
        editing: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["version"] = VersionField()
        self.fields["text"] = forms.CharField(
            label="Recommendation",
            max_length=RECOMMENDATION_LENGTH,
            widget=forms.Textarea(attrs={"rows": "4"}),
            help_text="What the group should do, as the report will say it.",
            error_messages={
                "required": "Enter the recommendation",
                "max_length": f"The recommendation must be {RECOMMENDATION_LENGTH:,} characters or fewer",
                **_null_message("The recommendation"),
            },
        )
        self.fields["governance_group"] = forms.ModelChoiceField(
            queryset=groups,
            label="Addressed to",
            widget=forms.RadioSelect,
            empty_label=None,
            help_text="The governance groups the Terms of Reference says the audit reports to.",
            error_messages={
                "required": "Choose the group the recommendation is addressed to",
                "invalid_choice": "Choose one of the groups the audit reports to",
            },
        )
        self.fields["findings"] = NumberedFindings(
            queryset=findings.order_by("heading__position", "position", "pk"),
            numbers=numbers,
            label="Findings that support it",
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "required": "Choose the findings that support the recommendation",
                "invalid_choice": "Choose findings of this audit",
                "invalid_pk_value": "Choose findings of this audit",
            },
        )
        self.fields["position"] = _position_field("among the recommendations")


class ConfirmForm(forms.Form):
    """A confirmation page's form: the version of what was shown."""

    version = VersionField()


class SignOffForm(forms.Form):
    """Signing off: the moderation's revision the page showed."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


# --- The headings editor ---------------------------------------------------------------------------------------


class HeadingItemForm(ItemForm):
    """A heading. An existing one carries its id: emptying it is an error, not a removal, so that a heading with
    findings is never lost by clearing a box; the Remove checkbox removes it."""

    content_fields = ("text",)
    item = forms.IntegerField(widget=forms.HiddenInput, required=False)
    text = forms.CharField(
        label="Heading",
        max_length=HEADING_LENGTH,
        error_messages={
            "required": "Enter the heading, or tick Remove this heading",
            "max_length": f"The heading must be {HEADING_LENGTH} characters or fewer",
            **_null_message("The heading"),
        },
    )

    def has_changed(self) -> bool:
        return bool(self["item"].data) or super().has_changed()

    def to_data(self) -> HeadingData:
        item = self.cleaned_data.get("item")
        return HeadingData(self.cleaned_data["text"], int(item) if item else None)


class HeadingFormSet(ItemFormSet):
    item_name = "heading"
    at_least_one = "Keep at least one heading"

    def clean(self) -> None:
        super().clean()
        if self.quiet:
            return
        seen: set[str] = set()
        for form in self.kept_forms():
            wording = str(getattr(form, "cleaned_data", {}).get("text") or "").strip()
            if wording and wording.casefold() in seen:
                form.add_error("text", f"“{wording}” is given twice: give each heading its own words")
            seen.add(wording.casefold())


HeadingForms = item_formset(HeadingItemForm, HeadingFormSet)


def headings_initial(headings: Sequence[BriefingHeading]) -> list[dict[str, Any]]:
    return numbered([{"item": heading.pk, "text": heading.text} for heading in headings])
