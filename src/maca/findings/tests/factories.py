"""Moderation for tests: a panel member, submitted returns of the cast's approved audit, findings and a sign-off.

The cast's approved audit has two themes (Recognition, Response), the default grading scale and reports to the
Business Group, whose governance reader is in the cast.
"""

from maca.accounts.models import User
from maca.accounts.tests.factories import UserFactory, enrol_totp
from maca.audits.models import Audit, Theme
from maca.audits.tests.factories import make_approved_audit
from maca.cases.models import Decision
from maca.cases.services import case_decide, involvement_confirm
from maca.cases.tests.factories import make_case
from maca.partnerships.models import Agency, Membership, Role
from maca.returns.models import AgencyReturn, ReturnStatus
from maca.returns.services import moderation_open
from maca.returns.tests.factories import make_return
from maca.tests.cast import Cast

from ..models import BriefingHeading, Finding, FindingsVersion
from ..services import evidence_set_returns, finding_add, findings_sign_off, moderation_for

PANEL_EMAIL = "panel.b@example.org"


def approved(cast: Cast) -> Audit:
    assert cast.approved_audit is not None
    return cast.approved_audit


def lead(cast: Cast) -> User:
    user = cast["audit_lead"]
    assert user is not None
    return user


def themes(cast: Cast) -> list[Theme]:
    return list(approved(cast).themes.order_by("position"))


def make_panel_member(cast: Cast, agency: Agency | None = None, email: str = PANEL_EMAIL) -> User:
    """A panel member of the cast's partnership (for agency B unless said), with a second factor."""
    user = UserFactory.create(email=email, full_name="Pat Panel")
    enrol_totp(user)
    Membership.objects.get_or_create(
        user=user, partnership=cast.partnership, role=Role.PANEL_MEMBER, agency=agency or cast.agency_b
    )
    return user


def submitted_return(cast: Cast, reference: str = "NEG-02", grades: tuple[str, str] = ("Good", "Good")) -> AgencyReturn:
    """Agency A's return for an included case, with grades and narrative for both themes, set as submitted (as the
    agency lead's acceptance would leave it, without going through the pages)."""
    agency_return = make_return(cast, reference)
    recognition, response = themes(cast)
    judgements = {
        str(recognition.pk): {
            "grade": grades[0],
            "went_well": "Early help was offered within a week.",
            "worried": "The neglect was named late.",
            "child_voice": "",
            "difference": "",
        },
        str(response.pk): {
            "grade": grades[1],
            "went_well": "",
            "worried": "",
            "child_voice": "She said she felt listened to.",
            "difference": "",
        },
    }
    AgencyReturn.objects.filter(pk=agency_return.pk).update(judgements=judgements, status=ReturnStatus.SUBMITTED)
    agency_return.refresh_from_db()
    return agency_return


def open_moderation(cast: Cast) -> Audit:
    audit = approved(cast)
    if audit.moderation_opened_at is None:
        moderation_open(actor=cast.coordinator, audit=audit)
    audit.refresh_from_db()
    return audit


def first_heading(cast: Cast) -> BriefingHeading:
    audit = approved(cast)
    moderation_for(audit)
    return BriefingHeading.objects.filter(audit=audit).order_by("position").first()  # type: ignore[return-value]


def make_finding(cast: Cast, text: str = "Neglect was recognised late.", *, evidence: bool = True) -> Finding:
    """A finding under the first heading of the approved audit, citing agency A's submitted return for NEG-02."""
    finding = finding_add(actor=cast.coordinator, audit=approved(cast), heading=first_heading(cast), text=text)
    if evidence:
        evidence_set_returns(
            actor=cast.coordinator, finding=finding, loaded_version=finding.version, returns=[submitted_return(cast)]
        )
        finding.refresh_from_db()
    return finding


def sign_off(cast: Cast) -> FindingsVersion:
    """The audit lead signs off the approved audit's findings (a finding is made first if there is none)."""
    audit = approved(cast)
    if not Finding.objects.filter(audit=audit).exists():
        make_finding(cast)
    return findings_sign_off(actor=lead(cast), audit=audit, loaded_revision=moderation_for(audit).revision)


def other_audit_return(cast: Cast) -> AgencyReturn:
    """A submitted return of a second approved audit of the same partnership (agency A's, for case OTH-01)."""
    other = make_approved_audit(
        cast.partnership, lead=lead(cast), reference="anytown-other-2026", title="Another audit"
    )
    agency_lead = cast["agency_lead_a"]
    assert agency_lead is not None
    case = make_case(other, cast.agency_a, agency_lead, reference="OTH-01")
    case_decide(actor=cast.coordinator, case=case, decision=Decision.INCLUDED, reason="Meets the criteria.")
    involvement_confirm(actor=agency_lead, involvement=case.involvements.get(agency=cast.agency_a), services=[])
    agency_return = AgencyReturn.objects.get(case=case, agency=cast.agency_a)
    theme = other.themes.order_by("position").first()
    assert theme is not None
    judgements = {str(theme.pk): {"grade": "Good", "went_well": "Another audit's words."}}
    AgencyReturn.objects.filter(pk=agency_return.pk).update(judgements=judgements, status=ReturnStatus.SUBMITTED)
    agency_return.refresh_from_db()
    return agency_return
