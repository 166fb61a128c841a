"""Closing an audit and keeping its case-level data no longer than the partnership's retention period.

- `AuditClosure`: one per closed audit. Who closed it and when, the retention period it was closed under, the day
  its case-level data becomes due for destruction, the analysis figures frozen at closure (so that the figures the
  findings and outputs cite outlive the returns they were computed from), and when the purge destroyed the data.
- `LegalHold`: a hold on an audit's case-level data (a court case, an inquiry): while one is in force nothing of the
  audit is destroyed. Placing and lifting each need a reason, kept here and in the access log.

They live in their own app, last in the lifecycle, so that no earlier app changes: the earlier apps learn of a
closure only through `maca.common.closure`.
"""

import calendar
import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from maca.audits.models import Audit
from maca.partnerships.models import Partnership


class AuditClosure(models.Model):
    """A closed audit: no more changes of its case-level data, which is destroyed on `destroy_on`."""

    audit = models.OneToOneField(Audit, on_delete=models.CASCADE, related_name="closure")
    closed_at = models.DateTimeField(default=timezone.now)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    # Kept as text too, so that the closure still says who after an account is deleted.
    closed_by_name = models.CharField(max_length=300, blank=True)
    # The partnership's retention period when the audit closed: a later change of the setting does not move the date
    # the coordinator was warned of when closing.
    retention_months = models.PositiveSmallIntegerField()
    destroy_on = models.DateField("case-level data destroyed on")
    # [{"key", "label", "text"}]: `maca.analysis.figures` as they stood at closure.
    figures = models.JSONField(default=list, blank=True)
    purged_at = models.DateTimeField(null=True, blank=True)
    # What the purge destroyed, by kind: {"cases": 3, "returns": 5, ...}.
    purged_counts = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["destroy_on", "audit"]

    def __str__(self) -> str:
        return f"Closure of {self.audit.reference}"

    @property
    def partnership(self) -> Partnership:
        return self.audit.partnership

    @property
    def is_purged(self) -> bool:
        return self.purged_at is not None

    def is_due(self, today: datetime.date) -> bool:
        """Whether the retention period has run out by `today` (a legal hold is asked separately)."""
        return not self.is_purged and self.destroy_on <= today


class LegalHold(models.Model):
    """A legal hold on an audit: in force from `placed_at` until lifted; both with a reason."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="legal_holds")
    reason = models.TextField()
    placed_at = models.DateTimeField(default=timezone.now)
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    placed_by_name = models.CharField(max_length=300, blank=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    lifted_by_name = models.CharField(max_length=300, blank=True)
    lift_reason = models.TextField("reason for lifting it", blank=True)

    class Meta:
        ordering = ["audit", "-placed_at", "-pk"]
        constraints = [
            # One hold in force at a time: a second reason is added by lifting and placing again.
            models.UniqueConstraint(
                fields=["audit"], condition=models.Q(lifted_at__isnull=True), name="one_legal_hold_in_force"
            )
        ]

    def __str__(self) -> str:
        return f"Legal hold on {self.audit.reference}"

    @property
    def partnership(self) -> Partnership:
        return self.audit.partnership

    @property
    def in_force(self) -> bool:
        return self.lifted_at is None


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` moved on by whole calendar months; a day the later month lacks (the 31st) becomes its last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def holds_in_force(audit: Any) -> "models.QuerySet[LegalHold]":
    return LegalHold.objects.filter(audit=audit, lifted_at__isnull=True)
