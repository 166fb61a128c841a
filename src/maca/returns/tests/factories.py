"""Returns for tests: an included case of the cast's approved audit, with agency A's return."""

from maca.accounts.models import User
from maca.accounts.tests.factories import UserFactory, enrol_totp
from maca.cases.models import Case, Decision, Involvement
from maca.cases.services import case_decide, involvement_add, involvement_confirm
from maca.cases.tests.factories import make_case
from maca.partnerships.models import Membership, Role
from maca.returns.models import AgencyReturn
from maca.tests.cast import Cast


def make_included_case(cast: Cast, reference: str = "NEG-02") -> Case:
    """A case of the approved audit nominated by agency A, included, with agency A's involvement confirmed (which
    gives agency A its return)."""
    assert cast.approved_audit is not None
    existing = Case.objects.filter(audit=cast.approved_audit, reference=reference).first()
    if existing is not None:
        return existing
    lead = cast["agency_lead_a"]
    assert lead is not None
    case = make_case(cast.approved_audit, cast.agency_a, lead, reference=reference)
    case_decide(actor=cast.coordinator, case=case, decision=Decision.INCLUDED, reason="Meets the criteria.")
    involvement_confirm(actor=lead, involvement=case.involvements.get(agency=cast.agency_a), services=[])
    return case


def make_return(cast: Cast, reference: str = "NEG-02") -> AgencyReturn:
    """Agency A's return for an included case (not started, not assigned)."""
    case = make_included_case(cast, reference)
    return AgencyReturn.objects.get(case=case, agency=cast.agency_a)


def agency_lead_b(cast: Cast) -> User:
    """A lead of agency B (the cast has none), who confirms agency B's involvement and decides its returns."""
    existing = User.objects.filter(email="lead.b@example.org").first()
    if existing is not None:
        return existing
    user = UserFactory.create(email="lead.b@example.org", full_name="Bea Lead")
    enrol_totp(user)
    Membership.objects.create(user=user, partnership=cast.partnership, role=Role.AGENCY_LEAD, agency=cast.agency_b)
    return user


def involve_agency_b(cast: Cast, case: Case) -> Involvement:
    """Agency B added to a case and its involvement confirmed by its lead (which gives agency B its return)."""
    involvement = involvement_add(actor=cast.coordinator, case=case, agency=cast.agency_b)
    return involvement_confirm(actor=agency_lead_b(cast), involvement=involvement, services=[])
