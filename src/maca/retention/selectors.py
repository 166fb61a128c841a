"""Reads of an audit's closure and legal holds.

Closure and holds say nothing about any child: whoever may read the audit's page reads them, so they are fetched
for an audit the caller has already fetched through the audit's own scoped selector.
"""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from maca.audits.models import Audit
from maca.common.closure import Destroyed

from .models import AuditClosure, LegalHold


def audit_is_closed(audit: Audit) -> bool:
    """Whether the audit has been closed (registered with `maca.common.closure` for the earlier apps)."""
    return AuditClosure.objects.filter(audit_id=audit.pk).exists()


def closure_of(audit: Audit) -> AuditClosure | None:
    return AuditClosure.objects.filter(audit=audit).select_related("closed_by").first()


def hold_in_force(audit: Audit) -> LegalHold | None:
    return LegalHold.objects.filter(audit=audit, lifted_at__isnull=True).first()


def holds_of(audit: Audit) -> QuerySet[LegalHold]:
    """Every hold placed on the audit, the latest first."""
    return LegalHold.objects.filter(audit=audit)


@dataclass(frozen=True)
class RetentionState:
    """What the audit's page says of closure and retention."""

    closure: AuditClosure | None
    hold: LegalHold | None
    retention_months: int

    @property
    def is_closed(self) -> bool:
        return self.closure is not None

    @property
    def is_purged(self) -> bool:
        return self.closure is not None and self.closure.is_purged


def retention_state(audit: Audit) -> RetentionState:
    return RetentionState(closure_of(audit), hold_in_force(audit), audit.partnership.retention_months)


def closures_due(today: datetime.date) -> QuerySet[AuditClosure]:
    """Closed audits whose retention period has run out by `today`, not yet purged and with no legal hold in force,
    soonest due first."""
    held = LegalHold.objects.filter(lifted_at__isnull=True).values("audit_id")
    return (
        AuditClosure.objects.filter(destroy_on__lte=today, purged_at__isnull=True)
        .exclude(audit_id__in=held)
        .select_related("audit__partnership")
        .order_by("destroy_on", "audit__reference")
    )


def audit_destroyed(audit: Audit) -> Destroyed | None:
    """When the audit's case-level data was purged, with the figures frozen at closure (registered with
    `maca.common.closure`)."""
    closure = AuditClosure.objects.filter(audit_id=audit.pk, purged_at__isnull=False).first()
    if closure is None or closure.purged_at is None:
        return None
    return Destroyed(on=timezone.localdate(closure.purged_at), figures=list(closure.figures))
