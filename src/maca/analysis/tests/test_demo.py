"""The demo audit's analysis: the seed briefing's figures, computed from the demo's cases and returns.

The seed: "The eight young people whose cases were audited ranged in age from 10yrs to 19yrs, and all were male.
The young people were identified as having self-esteem issues, 4 out of 8 have an EHCP, and all were noted to have
experienced Adverse Childhood Experiences." … "GP's were not receiving notification when children were removed or
stepped down from CPP/CIN plans."
"""

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from maca.accounts.models import User
from maca.accounts.tests.factories import enrol_totp
from maca.analysis.figures import figures
from maca.analysis.report import Analysis, analysis_of
from maca.analysis.sharing import NOT_TOLD, TOLD
from maca.audits.models import Audit
from maca.cases.codes import SpecialNeeds, YesNoNotKnown

pytestmark = pytest.mark.django_db

SENTENCE = "The eight young people whose cases were audited ranged in age from 10 to 19 years, and all were male."


@pytest.fixture
def audit() -> Audit:
    call_command("load_demo", stdout=io.StringIO())
    return Audit.objects.get(reference="torbay-hsb-2021")


@pytest.fixture
def analysis(audit: Audit) -> Analysis:
    return analysis_of(audit)


def test_the_cohort_of_the_seed(analysis: Analysis) -> None:
    cohort = analysis.cohort
    assert (cohort.funnel.nominated, cohort.funnel.met_criteria, cohort.funnel.included) == (10, 8, 8)
    assert (cohort.size, cohort.age_min, cohort.age_max) == (8, 10, 19)
    assert cohort.sentences[0] == SENTENCE
    assert cohort.field("gender").count_of("male") == 8
    assert cohort.field("send").count_of(SpecialNeeds.EHCP) == 4
    assert "4 of 8 have an education, health and care plan (EHCP)" in cohort.sentences[1]
    assert cohort.field("aces").count_of(YesNoNotKnown.YES) == 8
    assert cohort.sentences[1].endswith("and all were noted to have experienced adverse childhood experiences.")
    assert cohort.field("topic.needs").count_of("low_self_esteem") == 8
    assert "All were recorded with “Low self-esteem” under “Needs identified”." in cohort.sentences


def test_the_gp_was_not_told_when_a_plan_ended(analysis: Analysis) -> None:
    ended = next(event for event in analysis.sharing if event.key == "plan_ended")
    by_code = {agency.code: agency for agency in ended.agencies}
    health = by_code["HEALTH"]
    assert health.happened == 4
    assert health.count(NOT_TOLD) == 4
    assert health.count(TOLD) == 0
    assert [agency.code for agency in ended.gaps] == ["HEALTH"]
    assert all(agency.count(NOT_TOLD) == 0 for code, agency in by_code.items() if code != "HEALTH")


def test_the_other_sections_from_the_demo(analysis: Analysis) -> None:
    # Only accepted returns, all of them.
    assert len(analysis.data.returns) == 33
    assert analysis.data.returns_pending == 0
    # No young person's own words were recorded.
    assert analysis.voice.question is not None
    assert analysis.voice.total.own_words == 0
    # Each agency placed each child on Hackett's continuum; the police one step from the others in some cases.
    (continuum,) = analysis.agreement
    assert continuum.key == "continuum"
    assert continuum.compared == 8
    assert continuum.apart == 0
    assert continuum.alpha is not None
    assert continuum.alpha < 1
    # The one young person 17 or older during the scope, whose transition was planned late or below threshold.
    assert [case.reference for case in analysis.transition.cases] == ["HSB-01"]
    assert analysis.grades.scale[:4] == ("Outstanding", "Good", "Requires improvement", "Inadequate")


def test_the_figures_that_findings_cite(audit: Audit) -> None:
    found = {figure.key: figure for figure in figures(audit)}
    assert len(found) == len(figures(audit))  # keys are unique
    assert found["funnel.included"].text == "8"
    assert found["cohort.age_range"].text == "10 to 19"
    assert found["cohort.summary"].text.startswith(SENTENCE)
    assert found["cohort.send.ehcp"].text == "4 of 8"
    assert found["cohort.aces.yes"].text == "8 of 8"
    assert found["cohort.gender.male"].text == "8 of 8"
    assert found["cohort.topic.needs.low_self_esteem"].text == "8 of 8"
    assert found["sharing.plan_ended.not_told.HEALTH"].text == "4 of 4"
    assert found["sharing.plan_ended.not_told.POLICE"].text == "0 of 4"
    assert found["voice.own_words"].text == "0 of 33"
    assert found["transition.older"].text == "1"
    assert found["completeness.answers.known"].text.endswith("%")
    assert found["agreement.continuum.apart"].text == "0 of 8"
    assert found["grades.theme1.good"].label == "Responses: graded Good"


def _client(email: str) -> Client:
    """The demo person, with a second factor (outside demo mode everyone needs one)."""
    user = User.objects.get(email=email)
    enrol_totp(user)
    client = Client()
    client.force_login(user)
    return client


def test_the_page_shows_the_seed_figures_from_data(audit: Audit) -> None:
    client = _client("coordinator@demo.maca.invalid")
    response = client.get(reverse("analysis:overview", args=[audit.reference]))
    page = response.content.decode()
    assert SENTENCE in page
    assert "4 of 8 have an education, health and care plan (EHCP)" in page
    assert "Health was not told in 4 of 4 cases where it said it happened." in page
    # Every figure that findings cite points at an element of the page.
    for figure in figures(audit):
        assert f'id="{figure.anchor}"' in page, figure.key
    # The panel member of the demo reads it: moderation is open.
    panel = _client("panel.member@demo.maca.invalid")
    assert panel.get(reverse("analysis:overview", args=[audit.reference])).status_code == 200
