"""The demo: every agency of the demo audit's section 6b has a submitted self-assessment against the default
framework, every statement rated, with evidence wherever a statement is rated partly or fully in place; loading it
again changes nothing; the results are computed from it."""

import pytest
from django.test import Client

from maca.accounts.models import User
from maca.accounts.tests.factories import enrol_totp
from maca.audits.demo import load_audit_demo
from maca.audits.models import Audit
from maca.partnerships.demo import load_partnership_demo
from maca.selfassessment.completeness import submission_gaps
from maca.selfassessment.demo import AGENCIES, load_self_assessment_demo
from maca.selfassessment.models import Answer, Rating, SelfAssessment, State
from maca.selfassessment.results import results_for
from maca.selfassessment.selectors import awaiting_submission, framework_of, progress, wider_agencies

pytestmark = pytest.mark.django_db


@pytest.fixture
def audit() -> Audit:
    partnership = load_partnership_demo()
    audit = load_audit_demo(partnership)
    load_self_assessment_demo(audit)
    return audit


@pytest.fixture
def wider(audit: Audit) -> list[str]:
    """The short codes of the demo audit's agencies of 6b: the demo has its own words for each of them."""
    codes = [agency.short_code for agency in wider_agencies(audit)]
    assert len(codes) >= 7
    assert set(codes) <= set(AGENCIES)
    return codes


def test_every_agency_of_6b_has_submitted_a_complete_self_assessment(audit: Audit, wider: list[str]) -> None:
    framework = framework_of(audit)
    assert framework is not None
    assert framework.name == "NSPCC Harmful Sexual Behaviour Framework"
    areas = list(framework.areas.all())
    assert len(areas) == 5
    rows = progress(audit)
    assert [row.agency.short_code for row in rows] == wider
    assert {row.state for row in rows} == {State.SUBMITTED}
    assert awaiting_submission(audit) == []
    for assessment in SelfAssessment.objects.filter(audit=audit):
        answers = {answer.statement_id: answer for answer in assessment.answers.all()}
        assert len(answers) == 28
        assert submission_gaps(areas, answers) == []
        assert assessment.submitted_by_name
        assert assessment.submitted_at is not None
        assert (assessment.submitted_at.year, assessment.submitted_at.month) == (2021, 9)
    yot = SelfAssessment.objects.get(audit=audit, agency__short_code="YOT")
    assert yot.submitted_by is not None
    assert yot.submitted_by.email == "agency.lead@demo.maca.invalid"


def test_the_ratings_differ_between_agencies_and_the_evidence_is_worded_for_each(
    audit: Audit, wider: list[str]
) -> None:
    results = results_for(audit)
    assert [agency.code for agency in results.agencies] == wider
    assert len({agency.scores for agency in results.agencies}) == len(wider)
    assert set(Answer.objects.values_list("rating", flat=True)) == set(Rating.values)
    police = Answer.objects.filter(self_assessment__agency__short_code="POLICE", rating=Rating.PARTLY).first()
    assert police is not None
    assert "However," in police.evidence
    nothing = Answer.objects.filter(rating=Rating.NOT_IN_PLACE).first()
    assert nothing is not None
    assert nothing.evidence.startswith("Not in place: ")
    assert not Answer.objects.filter(evidence__contains="{").exists()
    best = max(results.agencies, key=lambda agency: agency.overall.score or 0)
    assert best.code == "YOT"


def test_loading_again_changes_nothing(audit: Audit, wider: list[str]) -> None:
    before = list(Answer.objects.order_by("pk").values_list("pk", "rating", "evidence"))
    load_self_assessment_demo(audit)
    load_self_assessment_demo(audit)
    assert SelfAssessment.objects.count() == len(wider)
    assert list(Answer.objects.order_by("pk").values_list("pk", "rating", "evidence")) == before


def test_the_demo_coordinator_reads_the_results(audit: Audit, wider: list[str]) -> None:
    coordinator = User.objects.get(email="coordinator@demo.maca.invalid")
    enrol_totp(coordinator)
    client = Client()
    client.force_login(coordinator)
    page = client.get(f"/audits/{audit.reference}/self-assessment/results/").content.decode()
    assert page.count("<svg") == 1 + len(wider)
    assert "Youth Offending Team" in page
    overview = client.get(f"/audits/{audit.reference}/self-assessment/").content.decode()
    assert overview.count("Submitted</strong>") == len(wider)
