"""Every write service of returns refuses, by itself, whoever its page refuses: an agency's return is written by its
lead or the auditor it is given to, assigned and decided by the agency's lead, re-opened by the audit lead; the
coordinator opens moderation and sends reminders; the agency's workbook goes to its leads and auditors and comes back
from its leads. Nothing is saved or logged when refused."""

import re
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from maca.accounts.models import User
from maca.partnerships.models import AccessLogEntry
from maca.returns import services
from maca.returns.models import AgencyReturn, ReturnStatus
from maca.returns.tests.factories import make_return
from maca.returns.workbook import build_workbook, export_workbook, import_workbook
from maca.tests.cast import Cast

pytestmark = pytest.mark.django_db

Call = Callable[[Cast, User, AgencyReturn], object]
EVERYONE = ("coordinator", "audit_lead", "agency_lead_a", "auditor_a", "auditor_b", "governance_reader", "outsider")


def _except(*allowed: str) -> tuple[str, ...]:
    return tuple(name for name in EVERYONE if name not in allowed)


CALLS: dict[str, tuple[Call, tuple[str, ...]]] = {
    "services.return_save": (
        lambda cast, actor, r: services.return_save(
            actor=actor, agency_return=r, loaded_version=r.version, section="Recognition", answers={"recognised": "no"}
        ),
        _except("agency_lead_a"),  # auditor A has not been given this return
    ),
    "services.return_submit": (
        lambda cast, actor, r: services.return_submit(actor=actor, agency_return=r, loaded_version=r.version),
        _except("agency_lead_a"),
    ),
    "services.return_assign": (
        lambda cast, actor, r: services.return_assign(actor=actor, agency_return=r, auditor=actor),
        _except("agency_lead_a"),
    ),
    "services.return_decide": (
        lambda cast, actor, r: services.return_decide(actor=actor, agency_return=r, accept=True),
        _except("agency_lead_a"),
    ),
    "services.return_reopen": (
        lambda cast, actor, r: services.return_reopen(actor=actor, agency_return=r, reason="The panel asks."),
        _except("audit_lead"),
    ),
    "services.moderation_open": (
        lambda cast, actor, r: services.moderation_open(actor=actor, audit=r.audit),
        _except("coordinator"),
    ),
    "services.return_remind": (
        lambda cast, actor, r: services.return_remind(actor=actor, agency_return=r),
        _except("coordinator", "audit_lead"),
    ),
    "workbook.build.export_workbook": (
        lambda cast, actor, r: export_workbook(actor=actor, audit=r.audit, agency=cast.agency_a, returns=[r]),
        _except("agency_lead_a", "auditor_a"),
    ),
    "workbook.importing.import_workbook": (
        lambda cast, actor, r: import_workbook(
            actor=actor, audit=r.audit, agency=cast.agency_a, data=build_workbook(r.audit, cast.agency_a, [r])
        ),
        _except("agency_lead_a"),
    ),
}
REFUSED_SERVICES = {f"maca.returns.{name}" for name in CALLS}


def _person(cast: Cast, name: str) -> User:
    user = cast[name]
    assert user is not None
    return user


@pytest.mark.parametrize("service", sorted(CALLS))
def test_returns_are_written_and_decided_by_those_their_pages_let_through(cast: Cast, service: str) -> None:
    agency_return = make_return(cast)
    call, refused = CALLS[service]
    logged = AccessLogEntry.objects.count()
    for name in refused:
        with pytest.raises(PermissionDenied, match=re.escape(_person(cast, name).email)):
            call(cast, _person(cast, name), agency_return)
    agency_return.refresh_from_db()
    assert AccessLogEntry.objects.count() == logged
    assert (agency_return.status, agency_return.answers, agency_return.assigned_to) == (
        ReturnStatus.NOT_STARTED,
        {},
        None,
    )
    assert not agency_return.events.exists()
    assert agency_return.audit.moderation_opened_at is None


def test_a_submitted_return_is_neither_written_nor_given_to_someone(cast: Cast) -> None:
    agency_return = make_return(cast)
    AgencyReturn.objects.filter(pk=agency_return.pk).update(status=ReturnStatus.SUBMITTED)
    agency_return.refresh_from_db()
    lead = _person(cast, "agency_lead_a")
    with pytest.raises(PermissionDenied):  # the permission to write asks that the return be editable
        CALLS["services.return_save"][0](cast, lead, agency_return)
    with pytest.raises(ValidationError, match="submitted: it is not to be written"):
        CALLS["services.return_assign"][0](cast, lead, agency_return)
    assert not agency_return.events.exists()
