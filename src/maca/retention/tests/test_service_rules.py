"""Every write service of retention refuses, by itself, whoever its page refuses: only the partnership's
coordinator closes an audit, holds it, lifts a hold or sets the retention period; nothing is saved or logged when
refused."""

import re
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied

from maca.accounts.models import User
from maca.audits.models import Audit
from maca.partnerships.models import AccessLogEntry
from maca.retention import services
from maca.retention.models import AuditClosure, LegalHold
from maca.tests.cast import Cast

pytestmark = pytest.mark.django_db

NOT_THE_COORDINATOR = ("audit_lead", "agency_lead_a", "auditor_a", "auditor_b", "governance_reader", "outsider")


def _approved(cast: Cast) -> Audit:
    assert cast.approved_audit is not None
    return cast.approved_audit


def _held(cast: Cast) -> Audit:
    audit = _approved(cast)
    LegalHold.objects.get_or_create(audit=audit, lifted_at=None, defaults={"reason": "An inquiry asked for it."})
    return audit


Call = Callable[[Cast, User], object]
CALLS: dict[str, Call] = {
    "audit_close": lambda cast, actor: services.audit_close(actor=actor, audit=_approved(cast)),
    "legal_hold_place": lambda cast, actor: services.legal_hold_place(
        actor=actor, audit=_approved(cast), reason="A court asked for the records."
    ),
    "legal_hold_lift": lambda cast, actor: services.legal_hold_lift(
        actor=actor, audit=_held(cast), reason="The court case has ended."
    ),
    "partnership_set_retention": lambda cast, actor: services.partnership_set_retention(
        actor=actor, partnership=cast.partnership, months=24
    ),
}
REFUSED_SERVICES = {f"maca.retention.services.{name}" for name in CALLS}


def _person(cast: Cast, name: str) -> User:
    user = cast[name]
    assert user is not None
    return user


def _state(cast: Cast) -> tuple[int, int, list[tuple[int, bool]], int]:
    holds = [(hold.pk, hold.lifted_at is None) for hold in LegalHold.objects.order_by("pk")]
    cast.partnership.refresh_from_db()
    return AccessLogEntry.objects.count(), AuditClosure.objects.count(), holds, cast.partnership.retention_months


@pytest.mark.parametrize("service", sorted(CALLS))
def test_only_an_active_coordinator_of_the_partnership_is_let_through(cast: Cast, service: str) -> None:
    if service == "legal_hold_lift":
        _held(cast)
    before = _state(cast)
    for name in NOT_THE_COORDINATOR:
        with pytest.raises(PermissionDenied, match=re.escape(_person(cast, name).email)):
            CALLS[service](cast, _person(cast, name))
    cast.coordinator.is_active = False
    cast.coordinator.save()
    with pytest.raises(PermissionDenied):
        CALLS[service](cast, cast.coordinator)
    assert _state(cast) == before
    cast.coordinator.is_active = True
    cast.coordinator.save()
    CALLS[service](cast, cast.coordinator)
    assert _state(cast) != before
