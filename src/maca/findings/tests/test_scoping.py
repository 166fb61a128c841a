"""Who takes part in moderation: every member of the cast and a panel member, before and after moderation opens and
after sign-off; governance readers read signed-off versions without evidence; nobody reaches another audit's."""

from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser
from django.test import Client

from maca.accounts.tests.factories import UserFactory
from maca.partnerships.models import Membership, Role
from maca.partnerships.tests.factories import GovernanceGroupFactory
from maca.tests.cast import CAST, Cast

from ..models import BriefingHeading
from ..selectors import findings_versions_visible_to, findings_visible_to, moderated_audits
from ..services import finding_add, moderation_for
from .factories import approved, make_finding, make_panel_member, open_moderation, other_audit_return, sign_off

ClientFor = Callable[[str], Client]
PERMS = ("findings.moderate", "findings.change_headings", "findings.sign_off", "findings.read_versions")
URL = "/audits/anytown-approved-2025/moderation/"

# What each member of the cast may do on the approved audit: moderate, change headings, sign off, read versions.
NOBODY = (False, False, False, False)
CAST_MAY = {
    "coordinator": (True, True, False, True),
    "audit_lead": (True, True, True, True),
    "agency_lead_a": NOBODY,
    "auditor_a": NOBODY,
    "auditor_b": NOBODY,
    "governance_reader": (False, False, False, True),
    "outsider": NOBODY,
}


def _may(user: object, obj: object) -> tuple[bool, ...]:
    return tuple(user.has_perm(perm, obj) for perm in PERMS)  # type: ignore[attr-defined]


def test_each_member_of_the_cast_and_the_panel_before_and_after_moderation_opens(cast: Cast) -> None:
    audit = approved(cast)
    panel = make_panel_member(cast)
    finding = make_finding(cast)
    for name, expected in CAST_MAY.items():
        user = cast[name]
        assert _may(user, audit) == expected, name
        assert _may(user, finding) == expected, name
        assert findings_visible_to(user).filter(pk=finding.pk).exists() is expected[0], name  # type: ignore[arg-type]
    # The panel has no part until the coordinator opens moderation, then moderates and reads, but neither changes
    # the headings nor signs off.
    assert _may(panel, audit) == NOBODY
    assert not findings_visible_to(panel).exists()
    open_moderation(cast)
    audit.refresh_from_db()
    assert _may(panel, audit) == (True, False, False, True)
    assert list(findings_visible_to(panel)) == [finding]
    for name, expected in CAST_MAY.items():  # Opening moderation changes nothing for anyone else.
        assert _may(cast[name], audit) == expected, name


def test_a_panel_member_of_another_partnership_and_a_draft_audit_have_no_moderation(cast: Cast) -> None:
    open_moderation(cast)
    stranger = UserFactory.create(email="panel.elsewhere@example.org")
    Membership.objects.create(
        user=stranger,
        partnership=cast.other_partnership,
        role=Role.PANEL_MEMBER,
        agency=cast.other_partnership.agencies.get(),
    )
    assert not moderated_audits(stranger).exists()
    assert not stranger.has_perm("findings.moderate", approved(cast))
    # A draft audit (its Terms of Reference never approved) has nothing to moderate, for its coordinator too.
    assert cast.audit is not None
    assert not cast.coordinator.has_perm("findings.moderate", cast.audit)
    assert list(moderated_audits(cast.coordinator)) == [approved(cast)]


def test_governance_readers_read_signed_off_versions_of_the_audits_that_report_to_their_group(cast: Cast) -> None:
    version = sign_off(cast)
    reader = cast["governance_reader"]
    assert reader is not None
    assert list(findings_versions_visible_to(reader)) == [version]
    assert not reader.has_perm("findings.read_evidence", approved(cast))
    other_group = GovernanceGroupFactory.create(partnership=cast.partnership, name="Health Board")
    elsewhere = UserFactory.create(email="health.board@example.org")
    Membership.objects.create(
        user=elsewhere, partnership=cast.partnership, role=Role.GOVERNANCE_READER, governance_group=other_group
    )
    assert not findings_versions_visible_to(elsewhere).exists()
    assert not elsewhere.has_perm("findings.read_versions", approved(cast))
    for name in ("agency_lead_a", "auditor_a", "auditor_b", "outsider", "anonymous"):
        assert not findings_versions_visible_to(cast[name] or AnonymousUser()).exists(), name


def test_the_pages_answer_the_panel_as_the_rules_say(cast: Cast) -> None:
    panel = make_panel_member(cast)
    client = Client()
    client.force_login(panel)
    finding = make_finding(cast)
    assert client.get(URL).status_code == 403  # not open yet
    open_moderation(cast)
    assert client.get(URL).status_code == 200
    assert client.get(f"{URL}findings/{finding.pk}/").status_code == 200
    assert client.get(f"{URL}headings/").status_code == 403
    assert client.get(f"{URL}sign-off/").status_code == 403
    assert client.get(f"{URL}versions/").status_code == 200


def test_nobody_reaches_another_audits_finding_through_this_audit(cast: Cast, client_for: ClientFor) -> None:
    finding = make_finding(cast)
    other_audit = other_audit_return(cast).audit
    moderation_for(other_audit)
    heading = BriefingHeading.objects.get(audit=other_audit, position=1)
    foreign = finding_add(actor=cast.coordinator, audit=other_audit, heading=heading, text="Another audit's finding.")
    coordinator = client_for("coordinator")
    assert coordinator.get(f"{URL}findings/{finding.pk}/").status_code == 200
    assert coordinator.get(f"{URL}findings/{foreign.pk}/").status_code == 404
    assert coordinator.get(f"{URL}findings/999999/").status_code == 404
    assert coordinator.get(f"{URL}versions/7/").status_code == 404
    # The draft audit has no moderation at all.
    assert coordinator.get("/audits/anytown-neglect-2026/moderation/").status_code == 404
    for name in CAST:
        if name in ("coordinator", "audit_lead", "anonymous", "outsider"):
            continue
        assert client_for(name).get(f"{URL}findings/{finding.pk}/").status_code == 403, name
