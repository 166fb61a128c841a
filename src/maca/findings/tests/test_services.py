"""Moderation's writes: headings, grades, findings and their evidence, recommendations, sign-off and new versions.
Each refusal names what is wrong and saves nothing."""

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError

from maca.accounts.models import User
from maca.analysis.figures import Figure
from maca.audits.tests.factories import make_approved_audit
from maca.partnerships.models import AccessAction, AccessLogEntry
from maca.partnerships.tests.factories import GovernanceGroupFactory
from maca.returns.models import AgencyReturn, ReturnStatus
from maca.tests.cast import Cast

from .. import services
from ..models import DEFAULT_HEADINGS, BriefingHeading, Evidence, Finding, FindingsVersion, ModeratedGrade, Moderation
from ..selectors import evidence_item, moderated_grades
from ..services import HeadingData
from .factories import (
    approved,
    first_heading,
    lead,
    make_finding,
    other_audit_return,
    sign_off,
    submitted_return,
    themes,
)


def _headings(cast: Cast) -> list[str]:
    return list(
        BriefingHeading.objects.filter(audit=approved(cast)).order_by("position").values_list("text", flat=True)
    )


def _counts() -> list[int]:
    return [model.objects.count() for model in (Finding, Evidence, ModeratedGrade, FindingsVersion)]


def _moderate(
    cast: Cast,
    agency_return: AgencyReturn,
    grade: str,
    reason: str,
    *,
    loaded_version: int = 0,
    actor: User | None = None,
) -> ModeratedGrade | None:
    """The panel's grade for the first theme (Recognition) of the return, by the coordinator unless said."""
    return services.grade_moderate(
        actor=actor or cast.coordinator,
        agency_return=agency_return,
        theme_id=themes(cast)[0].pk,
        grade=grade,
        reason=reason,
        loaded_version=loaded_version,
    )


# --- Headings ------------------------------------------------------------------------------------------------------


def test_a_first_moderation_starts_with_the_briefing_headings_and_the_next_audit_with_the_partnership_set(
    cast: Cast,
) -> None:
    audit = approved(cast)
    moderation = services.moderation_for(audit)
    assert _headings(cast) == list(DEFAULT_HEADINGS)
    assert services.moderation_for(audit) == moderation  # made once
    current = list(BriefingHeading.objects.filter(audit=audit).order_by("position"))
    services.headings_update(
        actor=cast.coordinator,
        audit=audit,
        loaded_version=moderation.version,
        headings=[
            HeadingData("What Good Practice did we see?", current[3].pk),
            HeadingData("What are we worried about?", current[0].pk),
            HeadingData("What next?"),
        ],
    )
    assert _headings(cast) == ["What Good Practice did we see?", "What are we worried about?", "What next?"]
    assert BriefingHeading.objects.get(text="What are we worried about?").pk == current[0].pk  # moved, not remade
    entry = AccessLogEntry.objects.filter(action=AccessAction.CHANGED).first()
    assert entry is not None
    assert "headings" in entry.changes

    later = make_approved_audit(cast.partnership, lead=lead(cast), reference="anytown-later-2027", title="Later")
    services.moderation_for(later)
    assert [h.text for h in BriefingHeading.objects.filter(audit=later).order_by("position")] == _headings(cast)


def test_headings_are_refused_when_empty_twice_over_or_still_holding_findings(cast: Cast) -> None:
    finding = make_finding(cast, evidence=False)
    audit = approved(cast)
    moderation = Moderation.objects.get(audit=audit)
    current = list(BriefingHeading.objects.filter(audit=audit).order_by("position"))
    before = _headings(cast)
    with pytest.raises(ValidationError) as empty:
        services.headings_update(actor=cast.coordinator, audit=audit, loaded_version=moderation.version, headings=[])
    assert empty.value.message_dict == {
        "headings": [
            "Keep at least one heading",
            "“What are we worried about?” has 1 finding under it: move it under another heading, or remove it, "
            "before removing the heading",
        ]
    }
    with pytest.raises(ValidationError) as twice:
        services.headings_update(
            actor=cast.coordinator,
            audit=audit,
            loaded_version=moderation.version,
            headings=[HeadingData(h.text, h.pk) for h in current] + [HeadingData(" themes for LEARNING ")],
        )
    assert twice.value.message_dict == {"headings": ["Heading 6: “themes for LEARNING” is given twice"]}
    with pytest.raises(ValidationError) as holding:
        services.headings_update(
            actor=cast.coordinator,
            audit=audit,
            loaded_version=moderation.version,
            headings=[HeadingData(h.text, h.pk) for h in current if h.pk != finding.heading_id],
        )
    assert holding.value.message_dict == {
        "headings": [
            "“What are we worried about?” has 1 finding under it: move it under another heading, or remove it, "
            "before removing the heading"
        ]
    }
    assert _headings(cast) == before


# --- Moderated grades ----------------------------------------------------------------------------------------------


def test_the_panel_grades_where_it_differs_changes_its_grade_and_agreeing_removes_it(cast: Cast) -> None:
    agency_return = submitted_return(cast)
    recognition, response = themes(cast)
    moderated = _moderate(cast, agency_return, "Requires improvement", "  Neglect was named late.  ")
    assert moderated is not None
    assert (moderated.agency_grade, moderated.grade, moderated.reason) == (
        "Good",
        "Requires improvement",
        "Neglect was named late.",
    )
    assert moderated_grades(approved(cast)) == {(agency_return.pk, recognition.pk): "Requires improvement"}
    changed = _moderate(
        cast,
        agency_return,
        "Inadequate",
        "Neglect was not named at all.",
        loaded_version=moderated.version,
        actor=lead(cast),
    )
    assert changed is not None
    assert (changed.version, changed.moderated_by) == (2, lead(cast))
    # Someone who loaded the page before that change is refused.
    from maca.common.versioning import ChangedSinceLoaded

    with pytest.raises(ChangedSinceLoaded):
        _moderate(cast, agency_return, "Outstanding", "Stale.", loaded_version=moderated.version)
    # The agency's own grade: the panel agrees, and its grade goes (no reason needed).
    agreed = _moderate(cast, agency_return, "Good", "", loaded_version=2)
    assert agreed is None
    assert moderated_grades(approved(cast)) == {}
    assert AccessLogEntry.objects.filter(action=AccessAction.REMOVED).count() == 1
    assert response.pk not in {key[1] for key in moderated_grades(approved(cast))}


@pytest.mark.parametrize(
    ("grade", "reason", "expected"),
    [
        (
            "Excellent",
            "Why.",
            {"grade": ["Choose a grade on the audit’s scale: Outstanding, Good, Requires improvement or Inadequate"]},
        ),
        ("Inadequate", "  ", {"reason": ["Enter the reason for the panel’s grade"]}),
        ("Inadequate", "x" * 2001, {"reason": ["The reason for the panel’s grade must be 2,000 characters or fewer"]}),
    ],
)
def test_a_grade_off_the_scale_or_without_a_reason_is_refused(
    cast: Cast, grade: str, reason: str, expected: dict[str, list[str]]
) -> None:
    agency_return = submitted_return(cast)
    with pytest.raises(ValidationError) as refused:
        _moderate(cast, agency_return, grade, reason)
    assert refused.value.message_dict == expected
    assert not ModeratedGrade.objects.exists()


def _in_progress_return(cast: Cast) -> AgencyReturn:
    agency_return = submitted_return(cast)
    AgencyReturn.objects.filter(pk=agency_return.pk).update(status=ReturnStatus.IN_PROGRESS)
    agency_return.refresh_from_db()
    return agency_return


@pytest.mark.parametrize(
    ("make_return", "refusal"),
    [
        (_in_progress_return, "NEG-02 – Agency A is in progress: only submitted returns"),
        (other_audit_return, "is not a theme of Another audit"),
    ],
    ids=["return in progress", "theme of another audit"],
)
def test_only_submitted_returns_and_the_audits_own_themes_are_moderated(
    cast: Cast, make_return: Callable[[Cast], AgencyReturn], refusal: str
) -> None:
    agency_return = make_return(cast)
    with pytest.raises(ValidationError, match=refusal):
        _moderate(cast, agency_return, "Inadequate", "Why.")
    assert not ModeratedGrade.objects.exists()


# --- Findings and their evidence -----------------------------------------------------------------------------------


def test_findings_are_added_placed_moved_and_removed_in_order(cast: Cast) -> None:
    audit = approved(cast)
    heading = first_heading(cast)
    second = BriefingHeading.objects.get(audit=audit, position=2)
    first = services.finding_add(actor=cast.coordinator, audit=audit, heading=heading, text="First.")
    third = services.finding_add(actor=cast.coordinator, audit=audit, heading=heading, text="Third.")
    middle = services.finding_add(actor=cast.coordinator, audit=audit, heading=heading, text="Second.", position=2)

    def order(under: BriefingHeading) -> list[str]:
        return list(Finding.objects.filter(heading=under).order_by("position").values_list("text", flat=True))

    assert order(heading) == ["First.", "Second.", "Third."]
    services.finding_update(
        actor=cast.coordinator, finding=first, loaded_version=first.version, heading=second, text="First, moved."
    )
    assert order(heading) == ["Second.", "Third."]
    assert list(Finding.objects.filter(heading=heading).values_list("position", flat=True).order_by("position")) == [
        1,
        2,
    ]
    assert order(second) == ["First, moved."]
    third.refresh_from_db()
    services.finding_update(
        actor=cast.coordinator, finding=third, loaded_version=third.version, heading=heading, text="Third.", position=1
    )
    assert order(heading) == ["Third.", "Second."]
    middle.refresh_from_db()
    services.finding_remove(actor=cast.coordinator, finding=middle, loaded_version=middle.version)
    assert order(heading) == ["Third."]


def test_a_finding_under_another_audits_heading_or_without_words_is_refused(cast: Cast) -> None:
    other = other_audit_return(cast).audit
    services.moderation_for(other)
    foreign = BriefingHeading.objects.filter(audit=other).first()
    assert foreign is not None
    with pytest.raises(ValidationError) as refused:
        services.finding_add(actor=cast.coordinator, audit=approved(cast), heading=foreign, text="  ")
    assert refused.value.message_dict == {
        "heading": ["“What are we worried about?” is a heading of another audit: choose one of this audit’s headings"],
        "text": ["Enter the finding"],
    }
    assert not Finding.objects.exists()


def test_evidence_keeps_what_was_cited_and_refuses_another_audits(cast: Cast) -> None:
    finding = make_finding(cast, evidence=False)
    agency_return = submitted_return(cast)
    recognition, response = themes(cast)
    services.evidence_set_returns(
        actor=cast.coordinator, finding=finding, loaded_version=finding.version, returns=[agency_return]
    )
    services.evidence_set_answers(
        actor=cast.coordinator,
        finding=finding,
        loaded_version=finding.version,
        agency_return=agency_return,
        answers=[(recognition.pk, "worried"), (response.pk, "child_voice")],
    )
    computed = [Figure("funnel.included", "Cases included", "1", "funnel")]
    services.evidence_set_figures(
        actor=cast.coordinator,
        finding=finding,
        loaded_version=finding.version,
        keys=["funnel.included"],
        computed=computed,
    )
    cited = {
        (e.kind, e.return_label, e.theme_name, e.answer_kind, e.figure_key, e.label, e.text)
        for e in finding.evidence.all()
    }
    assert cited == {
        ("return", "NEG-02 – Agency A", "", "", "", "", ""),
        ("answer", "NEG-02 – Agency A", "Recognition", "worried", "", "", "The neglect was named late."),
        ("answer", "NEG-02 – Agency A", "Response", "child_voice", "", "", "She said she felt listened to."),
        ("figure", "", "", "", "funnel.included", "Cases included", "1"),
    }
    assert finding.version == 4  # each change of evidence is a change of the finding

    # A figure no longer computed stays as cited; an unknown one is refused.
    services.evidence_set_figures(
        actor=cast.coordinator, finding=finding, loaded_version=finding.version, keys=["funnel.included"], computed=[]
    )
    with pytest.raises(ValidationError) as unknown:
        services.evidence_set_figures(
            actor=cast.coordinator, finding=finding, loaded_version=finding.version, keys=["made.up"], computed=[]
        )
    assert unknown.value.message_dict == {"figures": ["The figure made.up is not computed for this audit"]}

    # Another audit's return, or an answer the agency did not give, is refused and nothing changes.
    before = _counts()
    other = other_audit_return(cast)
    finding.refresh_from_db()  # a refused change leaves the version the page loaded
    with pytest.raises(ValidationError, match="OTH-01 – Agency A is a return of another audit"):
        services.evidence_set_returns(
            actor=cast.coordinator, finding=finding, loaded_version=finding.version, returns=[agency_return, other]
        )
    finding.refresh_from_db()
    with pytest.raises(ValidationError, match="OTH-01 – Agency A is a return of another audit"):
        services.evidence_set_answers(
            actor=cast.coordinator, finding=finding, loaded_version=finding.version, agency_return=other, answers=[]
        )
    finding.refresh_from_db()
    with pytest.raises(ValidationError) as unanswered:
        services.evidence_set_answers(
            actor=cast.coordinator,
            finding=finding,
            loaded_version=finding.version,
            agency_return=agency_return,
            answers=[(recognition.pk, "difference")],
        )
    assert unanswered.value.message_dict == {
        "answers": ["Recognition, the difference made: the agency gave no answer to cite"]
    }
    assert _counts() == before
    # Unticking everything of one kind removes that kind only.
    finding.refresh_from_db()
    services.evidence_set_returns(actor=cast.coordinator, finding=finding, loaded_version=finding.version, returns=[])
    assert sorted(finding.evidence.values_list("kind", flat=True)) == ["answer", "answer", "figure"]


def test_live_evidence_says_what_has_changed_since_it_was_cited(cast: Cast) -> None:
    finding = make_finding(cast, evidence=False)
    agency_return = submitted_return(cast)
    recognition = themes(cast)[0]
    services.evidence_set_answers(
        actor=cast.coordinator,
        finding=finding,
        loaded_version=finding.version,
        agency_return=agency_return,
        answers=[(recognition.pk, "worried")],
    )
    cited = [Figure("funnel.included", "Cases included", "1", "funnel"), Figure("funnel.met", "Met", "2", "funnel")]
    services.evidence_set_figures(
        actor=cast.coordinator,
        finding=finding,
        loaded_version=finding.version,
        keys=["funnel.included", "funnel.met"],
        computed=cited,
    )
    judgements = dict(agency_return.judgements)
    judgements[str(recognition.pk)] = {**judgements[str(recognition.pk)], "worried": "Reworded after re-opening."}
    AgencyReturn.objects.filter(pk=agency_return.pk).update(judgements=judgements)
    now = {"funnel.included": Figure("funnel.included", "Cases included", "3", "funnel")}
    items = {
        item.figure_key or item.answer_kind: evidence_item(item, now, {agency_return.pk})
        for item in Evidence.objects.filter(finding=finding).select_related(
            "agency_return__case", "agency_return__agency", "agency_return__audit"
        )
    }
    assert items["worried"].text == "The neglect was named late."
    assert items["worried"].note.startswith("The agency has changed this answer since it was cited")
    assert items["worried"].href == "/audits/anytown-approved-2025/returns/NEG-02/AGA/"
    assert items["funnel.included"].note == "Now 3: this is the figure as it was cited."
    assert items["funnel.met"].note == "No longer computed: this is the figure as it was cited."
    unreadable = evidence_item(Evidence.objects.get(finding=finding, kind="answer"), now, set())
    assert unreadable.href == ""


# --- Recommendations -----------------------------------------------------------------------------------------------


def test_recommendations_go_to_the_audits_groups_with_its_own_findings(cast: Cast) -> None:
    finding = make_finding(cast)
    audit = approved(cast)
    elsewhere = GovernanceGroupFactory.create(partnership=cast.partnership, name="Health Board")
    other = other_audit_return(cast).audit
    services.moderation_for(other)
    foreign_heading = BriefingHeading.objects.get(audit=other, position=1)
    foreign = services.finding_add(actor=cast.coordinator, audit=other, heading=foreign_heading, text="Elsewhere.")
    with pytest.raises(ValidationError) as refused:
        services.recommendation_add(
            actor=cast.coordinator, audit=audit, text="", governance_group=elsewhere, findings=[foreign]
        )
    assert refused.value.message_dict == {
        "text": ["Enter the recommendation"],
        "governance_group": [
            "MACA on Neglect does not report to Health Board: choose one of the groups its Terms of Reference names"
        ],
        "findings": ["“Elsewhere.” is a finding of another audit"],
    }
    with pytest.raises(ValidationError) as unsupported:
        services.recommendation_add(
            actor=cast.coordinator, audit=audit, text="Train.", governance_group=cast.group, findings=[]
        )
    assert unsupported.value.message_dict == {"findings": ["Choose the findings that support the recommendation"]}
    first = services.recommendation_add(
        actor=cast.coordinator, audit=audit, text="Train.", governance_group=cast.group, findings=[finding]
    )
    second = services.recommendation_add(
        actor=cast.coordinator,
        audit=audit,
        text="Audit again.",
        governance_group=cast.group,
        findings=[finding],
        position=1,
    )
    first.refresh_from_db()
    assert (second.position, first.position) == (1, 2)
    services.recommendation_remove(actor=cast.coordinator, recommendation=second, loaded_version=second.version)
    first.refresh_from_db()
    assert first.position == 1
    assert list(first.findings.all()) == [finding]


# --- Signing off, the lock and new versions ------------------------------------------------------------------------


def test_sign_off_freezes_the_findings_locks_them_and_a_new_version_opens_them(cast: Cast) -> None:
    audit = approved(cast)
    finding = make_finding(cast, "Neglect was recognised late.")
    agency_return = submitted_return(cast)
    services.recommendation_add(
        actor=cast.coordinator, audit=audit, text="Train.", governance_group=cast.group, findings=[finding]
    )
    grade = _moderate(cast, agency_return, "Inadequate", "Named too late.")
    version = sign_off(cast)
    assert version.number == 1
    assert version.signed_off_by_name == "Ali Lead"
    content = version.data
    assert content["headings"][0] == {
        "text": "What are we worried about?",
        "findings": [
            {
                "number": 1,
                "text": "Neglect was recognised late.",
                "evidence": [{"kind": "return", "title": "NEG-02 – Agency A", "text": ""}],
            }
        ],
    }
    assert content["recommendations"] == [
        {"number": 1, "text": "Train.", "governance_group": "Business Group", "findings": [1]}
    ]
    assert content["grades"][0]["grade"] == "Inadequate"

    # Locked: every change is refused, and nothing changes.
    finding.refresh_from_db()
    assert grade is not None
    before = _counts()
    attempts = [
        lambda: services.finding_add(actor=cast.coordinator, audit=audit, heading=first_heading(cast), text="More."),
        lambda: services.finding_update(
            actor=cast.coordinator,
            finding=finding,
            loaded_version=finding.version,
            heading=first_heading(cast),
            text="Changed.",
        ),
        lambda: services.finding_remove(actor=cast.coordinator, finding=finding, loaded_version=finding.version),
        lambda: services.evidence_set_returns(
            actor=cast.coordinator, finding=finding, loaded_version=finding.version, returns=[]
        ),
        lambda: _moderate(cast, agency_return, "Good", "", loaded_version=grade.version),
        lambda: services.headings_update(
            actor=cast.coordinator,
            audit=audit,
            loaded_version=Moderation.objects.get(audit=audit).version,
            headings=[HeadingData("One")],
        ),
        lambda: services.findings_sign_off(
            actor=lead(cast), audit=audit, loaded_revision=Moderation.objects.get(audit=audit).revision
        ),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError, match="signed off"):
            attempt()
    assert _counts() == before

    # A new version: the draft of version 2, changed and signed off again; version 1 stays as it was.
    moderation = services.findings_start_new_version(actor=lead(cast), audit=audit)
    assert (moderation.is_signed_off, moderation.number) == (False, 2)
    with pytest.raises(ValidationError, match="not signed off"):
        services.findings_start_new_version(actor=lead(cast), audit=audit)
    finding.refresh_from_db()
    services.finding_update(
        actor=cast.coordinator,
        finding=finding,
        loaded_version=finding.version,
        heading=finding.heading,
        text="Reworded.",
    )
    second = sign_off(cast)
    assert second.number == 2
    assert second.data["headings"][0]["findings"][0]["text"] == "Reworded."
    version.refresh_from_db()
    assert version.data["headings"][0]["findings"][0]["text"] == "Neglect was recognised late."


def test_sign_off_refuses_a_stale_page_and_an_empty_moderation(cast: Cast) -> None:
    from maca.common.versioning import ChangedSinceLoaded

    audit = approved(cast)
    moderation = services.moderation_for(audit)
    with pytest.raises(ValidationError, match="There is no finding to sign off yet"):
        services.findings_sign_off(actor=lead(cast), audit=audit, loaded_revision=moderation.revision)
    make_finding(cast)  # a change after the sign-off page was loaded
    with pytest.raises(ChangedSinceLoaded):
        services.findings_sign_off(actor=lead(cast), audit=audit, loaded_revision=moderation.revision)
    assert not FindingsVersion.objects.exists()
