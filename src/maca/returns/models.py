"""Agency returns: what each agency involved with an included case found when it audited its own records.

A return belongs to one case and one agency. Its answers are kept by question key, and its judgements by theme, so
that a return outlives a new version of the Terms of Reference (keys and themes are stable; rows are not).
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from maca.audits.models import Audit
from maca.cases.models import Case
from maca.common.models import VersionedModel
from maca.partnerships.models import Agency


class ReturnStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned for amendment"
    ACCEPTED = "accepted", "Accepted"


# The auditor may change the return in these states; after submission only the agency lead's decision moves it.
EDITABLE = (ReturnStatus.NOT_STARTED, ReturnStatus.IN_PROGRESS, ReturnStatus.RETURNED)
# Submitted returns: readable by the coordinator, the audit lead and (once moderation opens) the panel.
SUBMITTED = (ReturnStatus.SUBMITTED, ReturnStatus.ACCEPTED)


class AgencyReturn(VersionedModel):
    """One agency's audit of its involvement with the child of one included case."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="returns")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="returns")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="returns")
    status = models.CharField(max_length=12, choices=ReturnStatus.choices, default=ReturnStatus.NOT_STARTED)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="assigned_returns"
    )
    # {question key: answer}: a grade or choice as its text or value, yes/no as yes, no or not_known, a date as
    # YYYY-MM-DD, a number as a number, free text as text.
    answers = models.JSONField(default=dict, blank=True)
    # {theme id: {"grade", "went_well", "worried", "child_voice", "difference"}}
    judgements = models.JSONField(default=dict, blank=True)
    # {event key: {"happened", "told", "told_on", "told_by"}}: see `maca.returns.sharing`.
    sharing = models.JSONField(default=dict, blank=True)
    # The audit's per-agency case fields as this agency sees the child: {field key: value or [values]}.
    topic_values = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    returned_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["audit", "case__reference", "agency__name"]
        constraints = [models.UniqueConstraint(fields=["case", "agency"], name="return_per_case_and_agency")]

    def __str__(self) -> str:
        return f"{self.agency} return for {self.case}"

    @property
    def partnership(self) -> Any:
        return self.audit.partnership

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def has_content(self) -> bool:
        return bool(self.answers or self.judgements or self.sharing or self.topic_values)


class ReturnEvent(models.Model):
    """One step in a return's history: a save (with the fields it changed), a submission, a decision."""

    class Action(models.TextChoices):
        SAVED = "saved", "Saved"
        ASSIGNED = "assigned", "Assigned"
        SUBMITTED = "submitted", "Submitted"
        ACCEPTED = "accepted", "Accepted"
        RETURNED = "returned", "Returned for amendment"
        REOPENED = "reopened", "Re-opened"
        UPLOADED = "uploaded", "Saved from a workbook"

    agency_return = models.ForeignKey(AgencyReturn, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    action = models.CharField(max_length=10, choices=Action.choices)
    section = models.CharField(max_length=200, blank=True)
    # {field label: [before, after]}
    changes = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["agency_return", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"

    @property
    def holds_answers(self) -> bool:
        """Whether the values of its changes are the agency's answers (a save), not a step of the workflow."""
        return self.action in (self.Action.SAVED, self.Action.UPLOADED)
