"""The forms of closing, legal holds and the retention period."""

from django import forms

from .services import MONTHS_MAX, MONTHS_MIN, REASON_LIMIT


class RetentionForm(forms.Form):
    """The partnership's retention period for closed audits' case-level data."""

    retention_months = forms.IntegerField(
        label="Months a closed audit’s case-level data is kept",
        min_value=MONTHS_MIN,
        max_value=MONTHS_MAX,
        help_text=(
            "From 1 to 120. When an audit closes, its cases, returns and self-assessment evidence are kept this long, "
            "then destroyed. Audits already closed keep the date they were closed with."
        ),
        error_messages={
            "required": "Enter the number of months a closed audit’s case-level data is kept",
            "invalid": "The number of months must be a whole number, like 12",
            "min_value": f"The number of months must be {MONTHS_MIN} or more",
            "max_value": f"The number of months must be {MONTHS_MAX} or less",
        },
    )


class ReasonForm(forms.Form):
    """A reason, required: for placing or lifting a legal hold."""

    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=REASON_LIMIT,
        error_messages={
            "required": "Enter the reason",
            "max_length": f"The reason must be {REASON_LIMIT} characters or fewer",
        },
    )
