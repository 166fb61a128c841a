"""Who sees which self-assessment: an agency's own people theirs, in every state; the coordinator and the audit
lead every submitted one; nobody else any. No agency ever sees another's, draft or submitted."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile

from maca.accounts.models import User
from maca.selfassessment.models import EvidenceFile, State
from maca.selfassessment.rules import AgencyPart, may
from maca.selfassessment.selectors import evidence_files_visible_to, self_assessments_visible_to
from maca.selfassessment.services import self_assessment_return, self_assessment_submit
from maca.tests.cast import CAST, Cast

from .helpers import approved, areas, person, rate_area, rate_everything


def _seers(cast: Cast, extra: dict[str, User]) -> dict[str, set[str]]:
    """For each member of the cast (and `extra`), the codes of the agencies whose self-assessment they see."""
    people: dict[str, User | AnonymousUser] = {name: cast[name] or AnonymousUser() for name in CAST}
    people.update(extra)
    return {
        name: set(self_assessments_visible_to(user).values_list("agency__short_code", flat=True))
        for name, user in people.items()
    }


def test_drafts_stay_in_their_agency_and_submitted_ones_reach_those_who_oversee(
    both_agencies: Cast, lead_b: User
) -> None:
    cast = both_agencies
    draft_a = rate_area(cast, person(cast, "auditor_a"), cast.agency_a, areas(cast)[0])
    submitted_b = rate_everything(cast, person(cast, "auditor_b"), cast.agency_b)
    extra = {"lead_b": lead_b}
    nobody: set[str] = set()
    assert _seers(cast, extra) == {
        "coordinator": nobody,
        "audit_lead": nobody,
        "agency_lead_a": {"AGA"},
        "auditor_a": {"AGA"},
        "auditor_b": {"AGB"},
        "lead_b": {"AGB"},
        "governance_reader": nobody,
        "outsider": nobody,
        "anonymous": nobody,
    }
    self_assessment_submit(actor=lead_b, self_assessment=submitted_b, loaded_version=submitted_b.version)
    seen = _seers(cast, extra)
    assert seen["coordinator"] == seen["audit_lead"] == {"AGB"}
    assert seen["agency_lead_a"] == seen["auditor_a"] == {"AGA"}
    assert seen["governance_reader"] == seen["outsider"] == nobody
    self_assessment_return(actor=cast.coordinator, self_assessment=submitted_b, reason="More evidence, please.")
    seen = _seers(cast, extra)
    assert seen["coordinator"] == seen["audit_lead"] == nobody  # Returned, it is a draft again.
    assert seen["auditor_b"] == {"AGB"}
    assert draft_a.state == State.IN_PROGRESS


def test_evidence_files_follow_their_self_assessment(both_agencies: Cast, lead_b: User) -> None:
    cast = both_agencies
    area = areas(cast)[0]
    assessment = rate_everything(cast, person(cast, "auditor_b"), cast.agency_b)
    evidence = EvidenceFile(self_assessment=assessment, area=area, name="a.pdf", content_type="application/pdf", size=5)
    evidence.file.save("a.pdf", ContentFile(b"%PDF-"), save=True)

    def seers() -> set[str]:
        people = {name: cast[name] or AnonymousUser() for name in CAST} | {"lead_b": lead_b}
        return {
            name for name, user in people.items() if evidence_files_visible_to(user).filter(pk=evidence.pk).exists()
        }

    assert seers() == {"auditor_b", "lead_b"}
    self_assessment_submit(actor=lead_b, self_assessment=assessment, loaded_version=assessment.version)
    assert seers() == {"auditor_b", "lead_b", "coordinator", "audit_lead"}


def test_an_inactive_person_sees_nothing(cast: Cast) -> None:
    rate_area(cast, person(cast, "auditor_b"), cast.agency_b, areas(cast)[0])
    auditor = person(cast, "auditor_b")
    auditor.is_active = False
    auditor.save()
    assert not self_assessments_visible_to(auditor).exists()


@pytest.mark.parametrize(
    ("name", "view", "oversee", "fill_in_b", "submit_b"),
    [
        ("coordinator", True, True, False, False),
        ("audit_lead", True, True, False, False),
        ("agency_lead_a", False, False, False, False),
        ("auditor_a", False, False, False, False),
        ("auditor_b", True, False, True, False),
        ("governance_reader", False, False, False, False),
        ("outsider", False, False, False, False),
    ],
)
def test_what_each_member_of_the_cast_may_do(
    cast: Cast, name: str, view: bool, oversee: bool, fill_in_b: bool, submit_b: bool
) -> None:
    user = person(cast, name)
    audit = approved(cast)
    part = AgencyPart(audit, cast.agency_b)
    assert user.has_perm("selfassessment.view_self_assessments", audit) is view
    assert user.has_perm("selfassessment.oversee", audit) is oversee
    assert user.has_perm("selfassessment.change_framework", audit) is oversee
    assert may(user, "selfassessment.fill_in", part) is fill_in_b
    assert may(user, "selfassessment.submit", part) is submit_b
    assert may(user, "selfassessment.return", part) is oversee
    # Agency A is not in the approved audit's section 6b: nobody fills it in.
    assert may(user, "selfassessment.fill_in", AgencyPart(audit, cast.agency_a)) is False


def test_the_agency_lead_submits_and_an_agency_outside_6b_has_no_part(cast: Cast, lead_b: User) -> None:
    audit = approved(cast)
    assert may(lead_b, "selfassessment.submit", AgencyPart(audit, cast.agency_b))
    assert may(lead_b, "selfassessment.fill_in", AgencyPart(audit, cast.agency_b))
    lead_a = person(cast, "agency_lead_a")
    assert not may(lead_a, "selfassessment.submit", AgencyPart(audit, cast.agency_a))
    assert not lead_a.has_perm("selfassessment.view_self_assessments", audit)
