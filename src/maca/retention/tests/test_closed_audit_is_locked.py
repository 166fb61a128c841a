"""Once an audit is closed, the services of the earlier apps refuse to change its case-level data, even for the
people who could before: its Terms of Reference (which the returns answer), nominating and deciding cases,
involvements, writing and deciding returns, the workbook, moderation, the self-assessment and the panel's findings."""

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError

from maca.accounts.models import User
from maca.audits import editing
from maca.audits.models import Audit
from maca.audits.services import audit_start_new_version
from maca.cases import services as cases
from maca.cases.importing import CaseFileError, import_cases, read_case_file
from maca.cases.models import Decision
from maca.cases.tests.factories import profile
from maca.cases.tests.test_importing import GOOD, HEADER, csv_bytes
from maca.common.closure import CLOSED_MESSAGE
from maca.findings.models import BriefingHeading
from maca.findings.services.findings import finding_add
from maca.partnerships.models import AccessLogEntry
from maca.retention.services import audit_close
from maca.returns import services as returns
from maca.returns.models import AgencyReturn
from maca.returns.tests.factories import make_return
from maca.returns.workbook import build_workbook, import_workbook
from maca.selfassessment.services import AnswerData, self_assessment_save_area
from maca.selfassessment.tests.helpers import areas
from maca.tests.cast import Cast

pytestmark = pytest.mark.django_db

Call = Callable[[Cast, AgencyReturn], object]


def _person(cast: Cast, name: str) -> User:
    user = cast[name]
    assert user is not None
    return user


def _audit(cast: Cast) -> Audit:
    assert cast.approved_audit is not None
    return cast.approved_audit


def _lead(cast: Cast) -> User:
    return _person(cast, "agency_lead_a")


def _first_area_answers(cast: Cast) -> dict[int, AnswerData]:
    area = areas(cast)[0]
    return {statement.pk: AnswerData("fully", "Policy, 2025.", "") for statement in area.statements.all()}


def _fresh(r: AgencyReturn) -> Audit:
    return Audit.objects.get(pk=r.audit_id)


CALLS: dict[str, Call] = {
    "edit the Terms of Reference": lambda cast, r: editing.tor_heading_update(
        actor=cast.coordinator, audit=_fresh(r), loaded_version=_fresh(r).version, section="purpose", heading="Why"
    ),
    "start a new version of the Terms of Reference": lambda cast, r: audit_start_new_version(
        actor=cast.coordinator, audit=_fresh(r)
    ),
    "nominate a case": lambda cast, r: cases.case_nominate(
        actor=cast.coordinator, audit=_audit(cast), agency=cast.agency_a, profile=profile("NEG-09")
    ),
    "import a case list": lambda cast, r: import_cases(
        actor=cast.coordinator,
        audit=_audit(cast),
        agency_scope=None,
        rows=read_case_file(csv_bytes([HEADER, *GOOD]), "cases.csv", _audit(cast)),
    ),
    "decide a case": lambda cast, r: cases.case_decide(
        actor=cast.coordinator, case=r.case, decision=Decision.EXCLUDED, reason="Out of scope."
    ),
    "add an involvement": lambda cast, r: cases.involvement_add(
        actor=cast.coordinator, case=r.case, agency=cast.agency_b
    ),
    "write a return": lambda cast, r: returns.return_save(
        actor=_lead(cast),
        agency_return=r,
        loaded_version=r.version,
        section="Recognition",
        answers={"recognised": "no"},
    ),
    "give a return to an auditor": lambda cast, r: returns.return_assign(
        actor=_lead(cast), agency_return=r, auditor=_person(cast, "auditor_a")
    ),
    "upload the workbook": lambda cast, r: import_workbook(
        actor=_lead(cast), audit=r.audit, agency=cast.agency_a, data=build_workbook(r.audit, cast.agency_a, [r])
    ),
    "open moderation": lambda cast, r: returns.moderation_open(actor=cast.coordinator, audit=r.audit),
    "rate the self-assessment": lambda cast, r: self_assessment_save_area(
        actor=_person(cast, "auditor_b"),
        audit=r.audit,
        agency=cast.agency_b,
        area=areas(cast)[0],
        answers=_first_area_answers(cast),
    ),
    "add a finding": lambda cast, r: finding_add(
        actor=cast.coordinator,
        audit=r.audit,
        heading=BriefingHeading.objects.filter(audit=r.audit).first(),  # type: ignore[arg-type]
        text="Agencies shared information well.",
    ),
}


@pytest.mark.parametrize("change", sorted(CALLS))
def test_a_closed_audit_takes_no_change_of_its_case_level_data(cast: Cast, change: str) -> None:
    agency_return = make_return(cast)
    if change == "add a finding":
        returns.moderation_open(actor=cast.coordinator, audit=agency_return.audit)
    areas(cast)  # the self-assessment's framework, made when its pages are first opened
    audit_close(actor=cast.coordinator, audit=_audit(cast))
    agency_return.refresh_from_db()
    logged = AccessLogEntry.objects.count()
    with pytest.raises((ValidationError, CaseFileError), match=CLOSED_MESSAGE):
        CALLS[change](cast, agency_return)
    assert AccessLogEntry.objects.count() == logged
