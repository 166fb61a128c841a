"""The results per area and agency, computed from the submitted self-assessments: tallies, scores (fully 2 points,
partly 1, not 0, over the most possible), the partnership's mean, and the agencies still to submit."""

import pytest

from maca.accounts.models import User
from maca.selfassessment.models import Answer, Rating
from maca.selfassessment.results import SubmittedRatings, Tally, results_for, summarise, tally
from maca.selfassessment.services import self_assessment_submit
from maca.tests.cast import Cast

from .helpers import approved, areas, person, rate_area, rate_everything


def test_a_tally_and_its_score() -> None:
    counted = tally(["fully", "fully", "partly", "not", "", "fully"])
    assert counted == Tally(fully=3, partly=1, not_in_place=1, unrated=1)
    assert counted.statements == 6
    assert counted.score == pytest.approx(7 / 12)
    assert counted.share(Rating.FULLY) == pytest.approx(0.5)
    assert counted.share(Rating.NOT_IN_PLACE) == pytest.approx(1 / 6)
    assert Tally().score is None
    assert Tally().share(Rating.PARTLY) is None
    assert tally(["fully"] * 4).score == 1.0
    assert tally(["not"] * 4).score == 0.0
    assert Tally(1, 2, 3, 0) + Tally(1, 0, 0, 1) == Tally(2, 2, 3, 1)


def test_summarise_per_area_and_agency_with_the_partnerships_mean() -> None:
    areas_given = [("Prevention", [1, 2]), ("Interventions", [3, 4, 5]), ("Workforce", [6])]
    results = summarise(
        areas_given,
        [
            SubmittedRatings(
                "Police", "POLICE", {1: "fully", 2: "partly", 3: "not", 4: "not", 5: "partly", 6: "fully"}
            ),
            SubmittedRatings("Health", "HEALTH", {1: "fully", 2: "fully", 3: "fully", 4: "partly", 5: "fully"}),
        ],
        waiting=["Schools"],
    )
    assert results.areas == ("Prevention", "Interventions", "Workforce")
    police, health = results.agencies
    assert police.scores == pytest.approx((0.75, 1 / 6, 1.0))
    assert health.scores == pytest.approx((1.0, 5 / 6, 0.0))  # Statement 6 not rated: it scores nothing.
    assert health.areas[2] == Tally(unrated=1)
    assert results.partnership == pytest.approx((0.875, 0.5, 0.5))
    assert police.overall == Tally(fully=2, partly=2, not_in_place=2)
    assert results.partnership_overall == pytest.approx(((6 / 12) + (9 / 12)) / 2)
    assert results.waiting == ("Schools",)


def test_an_area_without_statements_has_no_score() -> None:
    results = summarise([("Empty", []), ("One", [1])], [SubmittedRatings("Police", "POLICE", {1: "partly"})])
    assert results.agencies[0].scores == (None, 0.5)
    assert results.partnership == (None, 0.5)
    assert summarise([("One", [1])], []).partnership == (None,)


def test_only_submitted_self_assessments_count(both_agencies: Cast, lead_b: User) -> None:
    cast = both_agencies
    rate_everything(cast, person(cast, "auditor_a"), cast.agency_a, Rating.FULLY)  # A draft: not counted.
    assessment = rate_everything(cast, lead_b, cast.agency_b, Rating.PARTLY)
    first_area = areas(cast)[0]
    rate_area(cast, lead_b, cast.agency_b, first_area, Rating.FULLY)
    Answer.objects.filter(statement=first_area.statements.all()[0], self_assessment=assessment).update(rating="not")
    assessment.refresh_from_db()
    assert results_for(approved(cast)).agencies == ()
    self_assessment_submit(actor=lead_b, self_assessment=assessment, loaded_version=assessment.version)
    results = results_for(approved(cast))
    assert [agency.code for agency in results.agencies] == ["AGB"]
    assert results.waiting == ("Agency A",)
    [agency_b] = results.agencies
    assert agency_b.areas[0] == Tally(fully=4, not_in_place=1)
    assert agency_b.scores == pytest.approx((0.8, 0.5, 0.5, 0.5, 0.5))
    assert results.partnership == agency_b.scores
