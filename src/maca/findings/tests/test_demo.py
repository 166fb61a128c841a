"""The demo moderation holds the seed learning briefing's findings word for word under its headings, each linked to
demo evidence, with moderated grades and recommendations to the demo audit's groups, signed off by its lead."""

import pytest
from django.core.management import call_command

from maca.analysis.figures import figures
from maca.audits.models import Audit
from maca.common.richtext import without_links
from maca.returns.models import SUBMITTED

from ..demo import FIGURES, load_findings_demo
from ..models import (
    BriefingHeading,
    Evidence,
    EvidenceKind,
    Finding,
    FindingsVersion,
    ModeratedGrade,
    Moderation,
    Recommendation,
)
from ..snapshot import snapshot_of

pytestmark = pytest.mark.django_db

# The seed briefing (shared/seeds/000_…), its headings and the findings under each, as it words them. Its
# hyperlinks are not part of the words (the demo's finding carries two, to invented addresses).
SEED = {
    "What are we worried about?": [
        "There was a concern about professionals' ability to identify and use appropriate language for addressing "
        "harmful sexual behaviour versus normal developmentally appropriate behaviour, or behaviour in response to "
        "child sexual abuse. There was a concern about the thresholds of services available to young people when "
        "transitioning into adult services.",
    ],
    "What can I do differently?": [
        "Take up the CPD offers on iLearn available here and here",
        "Commence transition planning at the earliest stage, what pathways are available to keep this young person "
        "safe",
        "Make use of the safeguarding leads in your organisation if you are unsure",
        "Ask curious questions and use the assessment tools available",
    ],
    "What is life like for our young people?": [
        "We don't know what our young people have to say about their experiences of harmful sexual behaviour",
        "We don't know how well young people are recovering from their experiences",
        "Practitioners should use tools and training available and ask key questions to support appropriate "
        "interventions",
    ],
    "What Good Practice did we see?": [
        "Evidence of professionals having good quality relationships with the young people they work with",
        "Effective working relationships between key partners keeping the young person at the centre of their work",
        "Emerging good practice of information sharing across the Partnership",
        "The tenacity and creativity of professionals in maintaining contact with young people through the "
        "challenges of a changing environment",
    ],
    "Themes for Learning": [
        "We need to value confidential consistent spaces to enable us to work effectively with our young people",
        "Age and ability appropriate relationship and sex education supports prevention and recovery from harmful "
        "sexual behaviour. Knowledge and skills are fundamental to professional practice across all sectors",
        "Encourage parents and foster carers to have discussions with their children and young people about sex and "
        "relationships to normalise and understand healthy sexual development",
        "The inconsistency in access to the Brook Assessment Tool is creating professional anxiety in identifying "
        "harmful sexual behaviour",
        "GP's were not receiving notification when children were removed or stepped down from CPP/CIN plans",
    ],
}


@pytest.fixture
def audit() -> Audit:
    call_command("load_demo")
    audit = Audit.objects.get(reference="torbay-hsb-2021")
    load_findings_demo(audit)
    return audit


def test_the_demo_holds_the_seed_findings_word_for_word_signed_off(audit: Audit) -> None:
    headings = list(BriefingHeading.objects.filter(audit=audit).order_by("position"))
    assert [heading.text for heading in headings] == list(SEED)
    live = {
        heading.text: [
            without_links(text)
            for text in Finding.objects.filter(heading=heading).order_by("position").values_list("text", flat=True)
        ]
        for heading in headings
    }
    assert live == SEED
    version = FindingsVersion.objects.get(audit=audit)
    assert version.number == 1
    assert version.signed_off_by is not None
    assert version.signed_off_by.email == "audit.lead@demo.maca.invalid"
    snapshot = snapshot_of(version)
    frozen = {heading.text: [without_links(item.text) for item in heading.findings] for heading in snapshot.headings}
    assert frozen == SEED
    assert Moderation.objects.get(audit=audit).is_signed_off


def test_every_finding_rests_on_demo_evidence_that_says_what_it_finds(audit: Audit) -> None:
    for finding in Finding.objects.filter(audit=audit):
        assert finding.evidence.exists(), finding.text
    evidence = list(Evidence.objects.filter(finding__audit=audit).select_related("agency_return", "finding"))
    assert {item.kind for item in evidence} == {EvidenceKind.RETURN, EvidenceKind.ANSWER, EvidenceKind.FIGURE}
    for item in evidence:
        if item.kind == EvidenceKind.FIGURE:
            computed = {figure.key: figure.text for figure in figures(audit)}
            assert computed[item.figure_key] == item.text
            continue
        assert item.agency_return is not None
        assert item.agency_return.audit_id == audit.pk
        assert item.agency_return.status in SUBMITTED
        if item.kind == EvidenceKind.ANSWER:
            assert item.agency_return.judgements[str(item.theme_id)][item.answer_kind] == item.text

    # Every figure the demo names is cited where the analysis computes it (the cohort's size at least).
    computed_keys = {figure.key for figure in figures(audit)}
    findings = list(Finding.objects.filter(audit=audit).order_by("heading__position", "position"))
    for number, keys in FIGURES.items():
        cited_keys = set(
            findings[number - 1].evidence.filter(kind=EvidenceKind.FIGURE).values_list("figure_key", flat=True)
        )
        assert cited_keys == {key for key in keys if key in computed_keys}, number
    assert "funnel.included" in set(Evidence.objects.filter(finding__audit=audit).values_list("figure_key", flat=True))

    def cited(start: str) -> str:
        finding = Finding.objects.get(audit=audit, text__startswith=start)
        return " ".join(e.text for e in finding.evidence.all())

    assert "lockdown" in cited("The tenacity and creativity")
    assert "relationship" in cited("Evidence of professionals having good quality relationships")
    assert "No recognised tool" in cited("The inconsistency in access to the Brook")
    gp = Finding.objects.get(audit=audit, text__startswith="GP's were not receiving")
    assert {e.agency_return.sharing["plan_ended"]["told"] for e in gp.evidence.all() if e.agency_return} == {"no"}


def test_grades_and_recommendations_and_loading_again_changes_nothing(audit: Audit) -> None:
    grades = list(ModeratedGrade.objects.filter(audit=audit).select_related("agency_return"))
    assert grades
    for grade in grades:
        assert grade.grade in audit.grading_scale
        assert grade.grade != grade.agency_return.judgements[str(grade.theme_id)]["grade"]
        assert grade.reason
    groups = set(audit.governance_groups.values_list("name", flat=True))
    recommendations = list(Recommendation.objects.filter(audit=audit).select_related("governance_group"))
    assert {r.governance_group.name for r in recommendations} == groups
    assert all(r.findings.exists() for r in recommendations)

    before = [model.objects.count() for model in (Finding, Evidence, ModeratedGrade, Recommendation, FindingsVersion)]
    assert load_findings_demo(audit) == FindingsVersion.objects.get(audit=audit)
    after = [model.objects.count() for model in (Finding, Evidence, ModeratedGrade, Recommendation, FindingsVersion)]
    assert after == before
