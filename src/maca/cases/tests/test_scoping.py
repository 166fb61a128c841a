"""Who sees which case: the identifying agency its nominations, an involved agency the profile, the coordinator and
the audit lead everything, nobody else anything; record numbers only to their own agency."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from maca.accounts.tests.factories import UserFactory
from maca.cases.codes import Gender, SpecialNeeds, YesNoNotKnown
from maca.cases.models import Case, Decision, Involvement
from maca.cases.selectors import cases_visible_to, record_numbers_visible_to
from maca.cases.services import CaseProfile, case_decide, case_nominate, involvement_confirm
from maca.cases.tests.factories import open_for_cases
from maca.partnerships.models import AccessAction, AccessLogEntry, Membership, Role
from maca.partnerships.tests.factories import AgencyFactory, AgencyServiceFactory
from maca.tests.cast import Cast


def _profile(reference: str = "NEG-01", **changes: object) -> CaseProfile:
    values: dict[str, object] = {
        "reference": reference,
        "birth_month": datetime.date(2012, 3, 1),
        "gender": Gender.FEMALE,
        "ethnicity": "WBRI",
        "send": SpecialNeeds.SEN_SUPPORT,
        "disability": YesNoNotKnown.NO,
        "aces": YesNoNotKnown.YES,
        "concern_date": datetime.date(2025, 4, 2),
        "topic_values": {"neglect_type": "physical"},
        **changes,
    }
    return CaseProfile(**values)  # type: ignore[arg-type]


def _nominate(cast: Cast, reference: str = "NEG-01", involved: bool = False) -> Case:
    audit = open_for_cases(cast)
    lead = cast["agency_lead_a"]
    assert lead is not None
    return case_nominate(
        actor=lead,
        audit=audit,
        agency=cast.agency_a,
        profile=_profile(reference),
        involved=[cast.agency_b] if involved else [],
        record_number="A-12345",
    )


def test_who_sees_a_case(cast: Cast) -> None:
    case = _nominate(cast)
    sees = {
        name
        for name in (
            "coordinator",
            "audit_lead",
            "agency_lead_a",
            "auditor_a",
            "auditor_b",
            "governance_reader",
            "outsider",
        )
        if (user := cast[name]) is not None and cases_visible_to(user).filter(pk=case.pk).exists()
    }
    assert sees == {"coordinator", "audit_lead", "agency_lead_a", "auditor_a"}
    Involvement.objects.create(case=case, agency=cast.agency_b)
    auditor_b = cast["auditor_b"]
    assert auditor_b is not None
    assert cases_visible_to(auditor_b).filter(pk=case.pk).exists()


def test_the_record_number_is_seen_by_its_own_agency_alone(cast: Cast) -> None:
    case = _nominate(cast, involved=True)
    numbers = {
        name: [r.number for r in record_numbers_visible_to(user, case)]
        for name in ("coordinator", "agency_lead_a", "auditor_b")
        if (user := cast[name]) is not None
    }
    assert numbers == {"coordinator": [], "agency_lead_a": ["A-12345"], "auditor_b": []}


def test_nominating_is_for_identifying_agencies_and_is_logged(cast: Cast) -> None:
    assert cast.audit is not None
    open_for_cases(cast)
    auditor_b = cast["auditor_b"]
    assert auditor_b is not None
    with pytest.raises(PermissionDenied):
        case_nominate(actor=auditor_b, audit=cast.audit, agency=cast.agency_a, profile=_profile())
    with pytest.raises(ValidationError, match="not an identifying agency"):
        case_nominate(actor=cast.coordinator, audit=cast.audit, agency=cast.agency_b, profile=_profile())
    case = _nominate(cast)
    assert case.birth_month == datetime.date(2012, 3, 1)
    entry = AccessLogEntry.objects.get(object_id=str(case.pk), action=AccessAction.CREATED)
    assert entry.agency == cast.agency_a
    with pytest.raises(ValidationError, match="already exists"):
        _nominate(cast, "neg-01")


def test_bad_profiles_are_refused_and_nothing_is_saved(cast: Cast) -> None:
    audit = open_for_cases(cast)
    lead = cast["agency_lead_a"]
    assert lead is not None
    bad = [
        _profile(birth_month=datetime.date(2025, 6, 1)),
        _profile(topic_values={"neglect_type": "medical"}),
        _profile(topic_values={"unknown_field": "x"}),
        _profile(reference="has space"),
    ]
    for profile in bad:
        with pytest.raises(ValidationError):
            case_nominate(actor=lead, audit=audit, agency=cast.agency_a, profile=profile)
    assert not Case.objects.filter(audit__reference="anytown-neglect-2026").exists()
    assert not Involvement.objects.filter(case__audit__reference="anytown-neglect-2026").exists()


def test_deciding_and_confirming_involvement(cast: Cast) -> None:
    case = _nominate(cast, involved=True)
    with pytest.raises(ValidationError):
        case_decide(actor=cast.coordinator, case=case, decision=Decision.INCLUDED, reason=" ")
    case_decide(actor=cast.coordinator, case=case, decision=Decision.INCLUDED, reason="Meets every criterion.")
    assert (case.decision, case.decided_by) == (Decision.INCLUDED, cast.coordinator)
    involvement = case.involvements.get(agency=cast.agency_a)
    lead = cast["agency_lead_a"]
    assert lead is not None
    other_agencys = AgencyServiceFactory.create(agency=cast.agency_b, name="Team B1")
    with pytest.raises(ValidationError, match="Team B1 is not a service of Agency A"):
        involvement_confirm(actor=lead, involvement=involvement, services=[other_agencys])
    assert not Involvement.objects.get(pk=involvement.pk).is_confirmed
    team = cast.agency_a.services.get()
    involvement_confirm(actor=lead, involvement=involvement, services=[team])
    assert involvement.is_confirmed
    assert list(involvement.services.all()) == [team]


def test_only_agencies_taking_part_open_an_audits_cases(cast: Cast) -> None:
    assert cast.approved_audit is not None
    audit = cast.approved_audit
    agency_c = AgencyFactory.create(partnership=cast.partnership, name="Agency C", short_code="AGC")
    auditor_c = UserFactory.create(email="auditor.c@example.org")
    Membership.objects.create(user=auditor_c, partnership=cast.partnership, role=Role.AUDITOR, agency=agency_c)
    # Agency C neither identifies cases, nor takes part in the Terms of Reference, nor is involved with a case.
    assert not auditor_c.has_perm("cases.view_cases", audit)
    for name in ("agency_lead_a", "auditor_a", "auditor_b", "coordinator", "audit_lead"):
        assert cast[name].has_perm("cases.view_cases", audit), name  # type: ignore[union-attr]
    # Once involved with a case, agency C opens the list and sees that case alone.
    assert cast.case is not None
    Involvement.objects.create(case=cast.case, agency=agency_c)
    assert auditor_c.has_perm("cases.view_cases", audit)
    assert list(cases_visible_to(auditor_c)) == [cast.case]
