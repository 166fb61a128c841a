"""Closing an audit, legal holds and the retention period: each refuses, by itself, whoever its page refuses, and
records who did what in the access log in the same transaction.

The purge itself, run by the system with no actor, is in `maca.retention.purge`.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from maca.accounts.models import User
from maca.analysis.figures import figures
from maca.audits.models import Audit, AuditStatus
from maca.common.scoping import require_perm
from maca.partnerships.models import AccessAction, Partnership
from maca.partnerships.services import access_log_record

from .models import AuditClosure, LegalHold, add_months

REASON_LIMIT = 2000
MONTHS_MIN, MONTHS_MAX = 1, 120


def _name(user: User) -> str:
    return user.get_full_name() or user.email


def frozen_figures(audit: Audit) -> list[dict[str, str]]:
    """The audit's analysis figures as they stand, to keep after the returns they are computed from are destroyed
    (none for an audit whose Terms of Reference was never approved: it has no returns)."""
    if audit.status != AuditStatus.APPROVED and not audit.tor_versions.exists():
        return []
    return [{"key": figure.key, "label": figure.label, "text": figure.text} for figure in figures(audit)]


@transaction.atomic
def audit_close(*, actor: User, audit: Audit) -> AuditClosure:
    """Close the audit: its case-level data takes no more changes and is destroyed once the partnership's retention
    period has run from today. The analysis figures are frozen now, so that they outlive that data."""
    require_perm(actor, "retention.close_audit", audit)
    audit = Audit.objects.select_for_update().select_related("partnership").get(pk=audit.pk)
    if AuditClosure.objects.filter(audit=audit).exists():
        raise ValidationError("This audit is already closed.")
    now = timezone.now()
    months = audit.partnership.retention_months
    closure = AuditClosure.objects.create(
        audit=audit,
        closed_at=now,
        closed_by=actor,
        closed_by_name=_name(actor),
        retention_months=months,
        destroy_on=add_months(timezone.localdate(now), months),
        figures=frozen_figures(audit),
    )
    access_log_record(
        actor=actor,
        partnership=audit.partnership,
        action=AccessAction.CREATED,
        obj=closure,
        changes={
            "closed": [None, now.isoformat()],
            "retention months": [None, months],
            "destroy on": [None, closure.destroy_on.isoformat()],
        },
    )
    return closure


def _reason(reason: str, field: str, what: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError({field: f"Enter the reason for {what}"})
    if len(reason) > REASON_LIMIT:
        raise ValidationError({field: f"The reason must be {REASON_LIMIT} characters or fewer"})
    return reason


@transaction.atomic
def legal_hold_place(*, actor: User, audit: Audit, reason: str) -> LegalHold:
    """Place a legal hold on the audit: nothing of it is destroyed until the hold is lifted. Needs a reason."""
    require_perm(actor, "retention.hold_audit", audit)
    reason = _reason(reason, "reason", "the legal hold")
    Audit.objects.select_for_update().filter(pk=audit.pk).first()
    if LegalHold.objects.filter(audit=audit, lifted_at__isnull=True).exists():
        raise ValidationError("This audit is already under a legal hold.")
    closure = AuditClosure.objects.filter(audit=audit).first()
    if closure is not None and closure.is_purged:
        raise ValidationError("This audit’s case-level data has already been destroyed: there is nothing to hold.")
    hold = LegalHold.objects.create(audit=audit, reason=reason, placed_by=actor, placed_by_name=_name(actor))
    access_log_record(
        actor=actor,
        partnership=audit.partnership,
        action=AccessAction.CREATED,
        obj=hold,
        changes={"legal hold placed": [None, reason]},
    )
    return hold


@transaction.atomic
def legal_hold_lift(*, actor: User, audit: Audit, reason: str) -> LegalHold:
    """Lift the audit's legal hold: if its retention period has run out, the next purge destroys its case-level
    data. Needs a reason."""
    require_perm(actor, "retention.hold_audit", audit)
    reason = _reason(reason, "reason", "lifting the legal hold")
    hold = LegalHold.objects.select_for_update().filter(audit=audit, lifted_at__isnull=True).first()
    if hold is None:
        raise ValidationError("This audit is not under a legal hold.")
    hold.lifted_at = timezone.now()
    hold.lifted_by = actor
    hold.lifted_by_name = _name(actor)
    hold.lift_reason = reason
    hold.save(update_fields=["lifted_at", "lifted_by", "lifted_by_name", "lift_reason"])
    access_log_record(
        actor=actor,
        partnership=audit.partnership,
        action=AccessAction.CHANGED,
        obj=hold,
        changes={"legal hold lifted": [None, reason]},
    )
    return hold


@transaction.atomic
def partnership_set_retention(*, actor: User, partnership: Partnership, months: int) -> Partnership:
    """Set how many months a closed audit's case-level data is kept (1 to 120); audits closed from now on take it,
    and the change is logged."""
    require_perm(actor, "retention.change_retention", partnership)
    if not MONTHS_MIN <= months <= MONTHS_MAX:
        raise ValidationError(
            {"retention_months": f"The retention period must be from {MONTHS_MIN} to {MONTHS_MAX} months"}
        )
    old = partnership.retention_months
    if old != months:
        partnership.retention_months = months
        partnership.save(update_fields=["retention_months"])
        access_log_record(
            actor=actor,
            partnership=partnership,
            action=AccessAction.CHANGED,
            obj=partnership,
            changes={"retention_months": [old, months]},
        )
    return partnership
