"""The forms of the outputs: the briefing's own words, and publishing a briefing."""

from typing import Any

from django import forms
from django.db.models import QuerySet

from maca.common.versioning import VersionField
from maca.partnerships.models import GovernanceGroup

from .models import Audience, Layout
from .services import REASON_LIMIT, TEXT_LIMIT

LINKS_HINT = "Write a link as [the words](https://address), for example [training](https://www.example.org/training)."


def _text(label: str, hint: str, rows: int = 4) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": str(rows)}),
        help_text=hint,
        error_messages={
            "max_length": f"{label} must be {TEXT_LIMIT:,} characters or fewer",
            "null_characters_not_allowed": f"{label} must not contain null characters",
        },
    )


class BriefingTextForm(forms.Form):
    """What the briefing says that no data gives."""

    version = VersionField()

    def __init__(self, *args: Any, groups: QuerySet[GovernanceGroup], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issued_by"] = forms.ModelChoiceField(
            label="Group that issues the briefing",
            queryset=groups,
            required=False,
            empty_label="The first group the audit reports to",
            help_text="Printed above the title, after the partnership’s short name.",
            error_messages={"invalid_choice": "Choose one of the partnership’s groups"},
        )
        self.fields["purpose"] = _text(
            "Purpose of the audit",
            "A sentence for practitioners. Left blank, the briefing quotes the purpose in the Terms of Reference. "
            + LINKS_HINT,
        )
        self.fields["why_it_matters"] = _text(
            "Why it matters",
            "For the seven-minute briefing. Left blank, it quotes the definitions in the Terms of Reference.",
        )
        self.fields["reflection"] = _text(
            "Questions for reflection",
            "For the seven-minute briefing. Start each question on a new line with “- ”.",
        )
        self.fields["further_reading"] = _text(
            "Further reading",
            "For the seven-minute briefing, after the link to the Terms of Reference. " + LINKS_HINT,
        )
        self.order_fields(["issued_by", "purpose", "why_it_matters", "reflection", "further_reading", "version"])


class PreviewChoiceForm(forms.Form):
    """Which briefing, for whom: chosen before publishing, to see what disclosure control changes."""

    layout = forms.ChoiceField(
        label="Briefing",
        choices=[
            (Layout.BRIEFING.value, Layout.BRIEFING.label),
            (Layout.SEVEN_MINUTE.value, Layout.SEVEN_MINUTE.label),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the briefing to publish", "invalid_choice": "Choose a briefing"},
    )
    audience = forms.ChoiceField(
        label="Audience",
        choices=Audience.choices,
        widget=forms.RadioSelect,
        help_text="A briefing for the public can be read by anyone without logging in. Disclosure control hides small "
        "counts in it.",
        error_messages={"required": "Choose who the briefing is for", "invalid_choice": "Choose an audience"},
    )


class PublishForm(PreviewChoiceForm):
    without_control = forms.BooleanField(
        label="Publish without disclosure control",
        required=False,
        help_text="Only for a public briefing, and only with a reason: every count will be shown as it is.",
    )
    reason = forms.CharField(
        label="Reason for publishing without disclosure control",
        required=False,
        max_length=REASON_LIMIT,
        widget=forms.Textarea(attrs={"rows": "3"}),
        error_messages={"max_length": f"The reason must be {REASON_LIMIT:,} characters or fewer"},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("audience") == Audience.PUBLIC and data.get("without_control") and not data.get("reason", ""):
            self.add_error("reason", "Give the reason for publishing without disclosure control")
        return data
