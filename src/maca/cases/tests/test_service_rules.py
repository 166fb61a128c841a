"""Every write service of cases refuses, by itself, whoever its page refuses, and an audit whose Terms of Reference
was never approved takes no case, from the page, the service or `maca import_cases` alike."""

import re
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from maca.accounts.models import User
from maca.audits.models import Audit
from maca.cases import services
from maca.cases.importing import CaseFileError, import_cases, read_case_file
from maca.cases.models import Case, Decision, Involvement
from maca.cases.tests.factories import profile
from maca.cases.tests.test_importing import GOOD, HEADER, csv_bytes
from maca.partnerships.models import AccessLogEntry
from maca.tests.cast import Cast

pytestmark = pytest.mark.django_db

Call = Callable[[Cast, User], object]


def _approved(cast: Cast) -> Audit:
    assert cast.approved_audit is not None
    return cast.approved_audit


def _case(cast: Cast) -> Case:
    assert cast.case is not None
    return cast.case


def _involvement(cast: Cast) -> Involvement:
    return _case(cast).involvements.get(agency=cast.agency_a)


def _rows(cast: Cast) -> list:  # type: ignore[type-arg]
    return read_case_file(csv_bytes([HEADER, *GOOD]), "cases.csv", _approved(cast))


NOMINATING: dict[str, Call] = {
    "services.case_nominate": lambda cast, actor: services.case_nominate(
        actor=actor, audit=_approved(cast), agency=cast.agency_a, profile=profile("NEG-09")
    ),
    "importing.import_cases": lambda cast, actor: import_cases(
        actor=actor, audit=_approved(cast), agency_scope=None, rows=_rows(cast)
    ),
}
CHANGING: dict[str, tuple[Call, tuple[str, ...]]] = {
    "services.case_decide": (
        lambda cast, actor: services.case_decide(
            actor=actor, case=_case(cast), decision=Decision.INCLUDED, reason="Meets the criteria."
        ),
        ("agency_lead_a", "auditor_a", "auditor_b", "governance_reader", "outsider"),
    ),
    "services.involvement_confirm": (
        lambda cast, actor: services.involvement_confirm(actor=actor, involvement=_involvement(cast), services=[]),
        ("coordinator", "audit_lead", "auditor_a", "auditor_b", "governance_reader", "outsider"),
    ),
    "services.involvement_add": (
        lambda cast, actor: services.involvement_add(actor=actor, case=_case(cast), agency=cast.agency_b),
        ("auditor_a", "auditor_b", "governance_reader", "outsider"),
    ),
    "services.involvement_remove": (
        lambda cast, actor: services.involvement_remove(
            actor=actor, involvement=_involvement(cast), reason="Not involved."
        ),
        ("auditor_a", "auditor_b", "governance_reader", "outsider"),
    ),
    "services.case_update": (
        lambda cast, actor: services.case_update(actor=actor, case=_case(cast), profile=profile("NEG-01")),
        ("audit_lead", "auditor_a", "auditor_b", "governance_reader", "outsider"),
    ),
    "services.case_withdraw": (
        lambda cast, actor: services.case_withdraw(actor=actor, case=_case(cast)),
        ("audit_lead", "auditor_a", "auditor_b", "governance_reader", "outsider"),
    ),
}
REFUSED_SERVICES = {f"maca.cases.{name}" for name in (*NOMINATING, *CHANGING)}


def _person(cast: Cast, name: str) -> User:
    user = cast[name]
    assert user is not None
    return user


def _nothing_changed(cast: Cast, logged: int) -> None:
    assert AccessLogEntry.objects.count() == logged
    assert list(Case.objects.values_list("reference", "decision")) == [("NEG-01", Decision.PENDING)]
    assert list(_case(cast).involvements.values_list("agency__short_code", "confirmed_at")) == [("AGA", None)]


@pytest.mark.parametrize("service", sorted(NOMINATING))
def test_only_the_coordinator_and_the_identifying_agencys_lead_nominate(cast: Cast, service: str) -> None:
    logged = AccessLogEntry.objects.count()
    for name in ("audit_lead", "auditor_a", "auditor_b", "governance_reader", "outsider"):
        with pytest.raises(PermissionDenied, match=re.escape(_person(cast, name).email)):
            NOMINATING[service](cast, _person(cast, name))
    _nothing_changed(cast, logged)


@pytest.mark.parametrize("service", sorted(CHANGING))
def test_cases_are_changed_by_those_their_pages_let_through(cast: Cast, service: str) -> None:
    call, refused = CHANGING[service]
    logged = AccessLogEntry.objects.count()
    for name in refused:
        with pytest.raises(PermissionDenied, match=re.escape(_person(cast, name).email)):
            call(cast, _person(cast, name))
    _nothing_changed(cast, logged)


def test_an_agency_lead_nominates_for_their_own_agency_only(cast: Cast) -> None:
    lead = _person(cast, "agency_lead_a")
    with pytest.raises(ValidationError, match="You do not nominate cases for Agency B"):
        services.case_nominate(actor=lead, audit=_approved(cast), agency=cast.agency_b, profile=profile("NEG-09"))


def test_a_terms_of_reference_never_approved_takes_no_case(cast: Cast, tmp_path: Path) -> None:
    draft = cast.audit
    assert draft is not None
    logged = AccessLogEntry.objects.count()
    with pytest.raises(ValidationError, match="once the Terms of Reference has been approved"):
        services.case_nominate(actor=cast.coordinator, audit=draft, agency=cast.agency_a, profile=profile("NEG-09"))
    rows = read_case_file(csv_bytes([HEADER, *GOOD]), "cases.csv", draft)
    with pytest.raises(CaseFileError, match="once the Terms of Reference has been approved"):
        import_cases(actor=cast.coordinator, audit=draft, agency_scope=None, rows=rows)
    path = tmp_path / "cases.csv"
    path.write_bytes(csv_bytes([HEADER, *GOOD]))
    with pytest.raises(CommandError, match="once the Terms of Reference has been approved"):
        call_command("import_cases", draft.reference, str(path), "--as", "coordinator@example.org", stderr=StringIO())
    assert not Case.objects.filter(audit=draft).exists()
    assert AccessLogEntry.objects.count() == logged
