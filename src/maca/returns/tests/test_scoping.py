"""No agency reads another's return before it is submitted; the panel reads submitted returns once moderation is
open; returns follow the cases' decisions and involvement."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from maca.accounts.models import User
from maca.accounts.tests.factories import UserFactory
from maca.cases.models import Decision
from maca.cases.services import case_decide, involvement_add, involvement_confirm, involvement_remove
from maca.partnerships.models import Membership, Role
from maca.returns.deadlines import returns_due
from maca.returns.models import AgencyReturn, ReturnStatus
from maca.returns.selectors import readable_returns, returns_visible_to
from maca.returns.services import moderation_open, return_save
from maca.returns.tests.factories import agency_lead_b, make_included_case, make_return
from maca.tests.cast import Cast


def _person(cast: Cast, email: str, role: Role) -> User:
    user = UserFactory.create(email=email)
    Membership.objects.create(user=user, partnership=cast.partnership, role=role, agency=cast.agency_b)
    return user


def test_who_sees_and_reads_a_return(cast: Cast) -> None:
    draft = make_return(cast)
    panel = _person(cast, "panel.b@example.org", Role.PANEL_MEMBER)
    for name, sees, reads in (
        ("agency_lead_a", True, True),
        ("auditor_a", True, True),
        ("auditor_b", False, False),
        ("coordinator", True, False),  # the state, never a draft's content
        ("audit_lead", True, False),
        ("governance_reader", False, False),
        ("outsider", False, False),
    ):
        user = cast[name]
        assert user is not None
        assert returns_visible_to(user).filter(pk=draft.pk).exists() is sees, name
        assert user.has_perm("returns.read_return", draft) is reads, name
    assert not returns_visible_to(panel).exists()

    # Submitted: the coordinator and the audit lead read it; agency B still does not see it.
    AgencyReturn.objects.filter(pk=draft.pk).update(status=ReturnStatus.SUBMITTED)
    draft.refresh_from_db()
    assert cast.coordinator.has_perm("returns.read_return", draft)
    assert not returns_visible_to(cast["auditor_b"]).exists()  # type: ignore[arg-type]
    assert not returns_visible_to(panel).exists()

    # Moderation open: the panel reads submitted returns, never drafts.
    other = make_return(cast, "NEG-03")
    assert cast.approved_audit is not None
    moderation_open(actor=cast.coordinator, audit=cast.approved_audit)
    draft, other = (AgencyReturn.objects.get(pk=r.pk) for r in (draft, other))
    assert list(returns_visible_to(panel)) == [draft]
    assert panel.has_perm("returns.read_return", draft)
    assert not panel.has_perm("returns.read_return", other)
    with pytest.raises(ValidationError, match="already open"):
        moderation_open(actor=cast.coordinator, audit=cast.approved_audit)


def test_returns_follow_the_decision_and_the_involvement(cast: Cast) -> None:
    case = make_included_case(cast)
    lead = cast["agency_lead_a"]
    assert lead is not None
    assert list(case.returns.values_list("agency__short_code", flat=True)) == ["AGA"]
    # A new agency gets its return once its involvement is confirmed.
    involvement_b = involvement_add(actor=cast.coordinator, case=case, agency=cast.agency_b)
    assert case.returns.count() == 1
    involvement_confirm(actor=agency_lead_b(cast), involvement=involvement_b, services=[])
    assert sorted(case.returns.values_list("agency__short_code", flat=True)) == ["AGA", "AGB"]
    # An agency removed before starting loses its return; one that started keeps the agency involved.
    involvement_remove(actor=cast.coordinator, involvement=involvement_b, reason="Not involved after all.")
    assert list(case.returns.values_list("agency__short_code", flat=True)) == ["AGA"]
    agency_return = case.returns.get()
    return_save(
        actor=lead, agency_return=agency_return, loaded_version=1, section="Recognition", answers={"recognised": "no"}
    )
    with pytest.raises(ValidationError, match="Agency A has started its return for NEG-02"):
        case_decide(actor=cast.coordinator, case=case, decision=Decision.EXCLUDED, reason="Out of scope.")
    case.refresh_from_db()
    assert case.decision == Decision.INCLUDED
    assert case.returns.count() == 1


def test_returns_are_due_two_weeks_before_the_audit(cast: Cast) -> None:
    assert cast.approved_audit is not None  # the audit took place on 20 May 2026
    assert returns_due(cast.approved_audit) == datetime.date(2026, 5, 6)


def test_the_returns_a_user_reads_are_found_in_bulk_as_the_permission_decides(cast: Cast) -> None:
    draft = make_return(cast)
    submitted = make_return(cast, "NEG-03")
    AgencyReturn.objects.filter(pk=submitted.pk).update(status=ReturnStatus.SUBMITTED)
    panel = _person(cast, "panel.b@example.org", Role.PANEL_MEMBER)
    assert cast.approved_audit is not None
    moderation_open(actor=cast.coordinator, audit=cast.approved_audit)
    audit = AgencyReturn.objects.get(pk=draft.pk).audit
    returns = list(AgencyReturn.objects.filter(audit=audit).select_related("audit"))
    cast_members = [cast[name] for name in ("coordinator", "audit_lead", "agency_lead_a", "auditor_b")]
    for user in [*(member for member in cast_members if member is not None), panel]:
        expected = [r for r in returns if user.has_perm("returns.read_return", r)]
        assert readable_returns(user, audit, returns) == expected, user.email
