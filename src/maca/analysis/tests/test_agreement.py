"""Krippendorff's alpha, checked against values worked out by hand and against the published worked example, and
the agencies' placements of each child on an ordinal case field."""

from fractions import Fraction

import pytest

from maca.analysis.agreement import (
    agreement,
    coincidences,
    describe_alpha,
    field_agreement,
    krippendorff_alpha,
    ordinal_fields,
)
from maca.analysis.data import AnalysisData

from . import memory

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": four observers, twelve units, values 1 to 5,
# with missing values; unit 12 has a single value and drops out. Published: nominal 0.743, ordinal 0.815,
# interval 0.849.
N = None
PUBLISHED = list(
    zip(
        [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
        [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
        strict=True,
    )
)


def test_the_published_example() -> None:
    assert krippendorff_alpha(PUBLISHED, metric="nominal") == pytest.approx(0.743, abs=0.0005)
    assert krippendorff_alpha(PUBLISHED, metric="ordinal") == pytest.approx(0.815, abs=0.0005)
    assert krippendorff_alpha(PUBLISHED, metric="interval") == pytest.approx(0.849, abs=0.0005)


def test_every_agency_agreeing_on_every_child_is_one() -> None:
    assert krippendorff_alpha([[2, 2, 2], [3, 3], [0, 0, 0, 0]]) == 1.0


def test_a_hand_computed_ordinal_example() -> None:
    # Units [0, 0], [0, 1], [2, 2]: n0 = 3, n1 = 1, n2 = 2, n = 6; o01 = o10 = 1.
    # δ²01 = ((3 + 1) − (3 + 1) / 2)² = 4; δ²02 = (6 − 2.5)² = 12.25; δ²12 = (3 − 1.5)² = 2.25.
    # Σ o δ² = 8; Σ n n δ² = 2 × (3·1·4 + 3·2·12.25 + 1·2·2.25) = 180; α = 1 − 5 × 8 / 180 = 7/9.
    units = [[0, 0], [0, 1], [2, 2]]
    assert krippendorff_alpha(units) == pytest.approx(7 / 9)
    # The same units on an interval scale (δ² = (c − k)²): 1 − 5 × 2 / 58; nominal: 1 − 5 × 2 / 22.
    assert krippendorff_alpha(units, metric="interval") == pytest.approx(1 - 10 / 58)
    assert krippendorff_alpha(units, metric="nominal") == pytest.approx(1 - 10 / 22)


def test_the_coincidences_of_the_hand_computed_example() -> None:
    assert coincidences([[0, 0], [0, 1], [2, 2]]) == {
        (0, 0): Fraction(2),
        (0, 1): Fraction(1),
        (1, 0): Fraction(1),
        (2, 2): Fraction(2),
    }
    # Three values in a unit: each ordered pair counts 1 / (3 − 1).
    assert coincidences([[0, 0, 1]]) == {(0, 0): Fraction(1), (0, 1): Fraction(1), (1, 0): Fraction(1)}


def test_systematic_disagreement_is_below_zero() -> None:
    # Two children, each placed at both ends by two agencies: n0 = n4 = 2, n = 4, o04 = o40 = 2.
    # δ²04 = (4 − 2)² = 4; Σ o δ² = 16; Σ n n δ² = 2 × 2·2·4 = 32; α = 1 − 3 × 16 / 32 = −0.5.
    assert krippendorff_alpha([[0, 4], [4, 0]]) == pytest.approx(-0.5)


def test_every_agency_disagreeing_with_every_other_is_below_zero() -> None:
    alpha = krippendorff_alpha([[0, 2, 4], [0, 2, 4], [0, 2, 4]])
    assert alpha is not None
    assert alpha < 0


def test_missing_ratings_leave_out_units_with_fewer_than_two() -> None:
    hand_computed = [[0, 0], [0, 1], [2, 2]]
    with_gaps: list[list[int | None]] = [[0, None, 0], [None, 0, 1], [2, 2, None], [None, 4, None], [], [None, None]]
    assert krippendorff_alpha(with_gaps) == pytest.approx(7 / 9)
    assert krippendorff_alpha(with_gaps) == krippendorff_alpha(hand_computed)


def test_alpha_is_not_defined_without_pairs_or_without_variation() -> None:
    assert krippendorff_alpha([]) is None
    assert krippendorff_alpha([[1], [2, None], [None]]) is None
    assert krippendorff_alpha([[3, 3], [3, 3, 3]]) is None
    assert describe_alpha(None).startswith("Not defined")


def test_describing_alpha() -> None:
    assert describe_alpha(0.815) == "0.815: good agreement"
    assert describe_alpha(0.7) == "0.700: agreement good enough only for tentative conclusions"
    assert describe_alpha(0.3) == "0.300: poor agreement"
    assert describe_alpha(-0.5) == "-0.500: no agreement beyond chance"


def _placed(*placements: tuple[str, dict[str, str]]) -> AnalysisData:
    """Cases (reference, {agency code: scale value}) with a return per agency."""
    agencies = {code: memory.agency(index, code) for index, code in enumerate(["POL", "YOT", "CSC"], start=1)}
    cases = []
    returns = []
    for pk, (reference, values) in enumerate(placements, start=1):
        found = memory.case(pk, reference)
        cases.append(found)
        for code, value in values.items():
            topic = {"continuum": value} if value else {}
            returns.append(memory.agency_return(found, agencies[code], topic_values=topic))
    return memory.data(cases=cases, returns=returns, case_fields=[memory.continuum_field()])


def test_the_cases_two_or_more_steps_apart_come_first() -> None:
    data = _placed(
        ("HSB-01", {"POL": "abusive", "YOT": "problematic"}),
        ("HSB-02", {"POL": "violent", "YOT": "inappropriate", "CSC": "abusive"}),
        ("HSB-03", {"POL": "abusive", "YOT": "abusive", "CSC": ""}),
        ("HSB-04", {"YOT": "normal"}),
        ("HSB-05", {"POL": "normal", "CSC": "problematic"}),
    )
    found = field_agreement(data, memory.continuum_field())
    assert [case.reference for case in found.cases] == ["HSB-02", "HSB-05", "HSB-01", "HSB-03", "HSB-04"]
    assert [case.spread for case in found.cases] == [3, 2, 1, 0, None]
    assert [case.apart for case in found.cases] == [True, True, False, False, False]
    assert found.apart == 2
    assert found.compared == 4
    assert found.agreed == 1
    first = found.cases[0]
    assert (first.lowest, first.highest) == ("Inappropriate", "Violent")
    assert found.cases[3].not_placed == ("Agency CSC",)
    assert found.scale == ("Normal", "Inappropriate", "Problematic", "Abusive", "Violent")
    assert found.counts == (2, 1, 2, 4, 1)
    ranks = [[3, 2], [4, 1, 3], [3, 3], [0], [0, 2]]
    assert found.alpha == krippendorff_alpha(ranks)


def test_a_value_not_on_the_scale_is_not_a_placement() -> None:
    data = _placed(("HSB-01", {"POL": "abusive", "YOT": "something_else"}))
    found = field_agreement(data, memory.continuum_field())
    assert found.cases[0].placements[0].agency == "Agency POL"
    assert found.cases[0].not_placed == ("Agency YOT",)
    assert found.alpha is None


def test_only_ordinal_fields_answered_by_each_agency_are_compared() -> None:
    nominal = memory.continuum_field(key="involvement", ordinal=False)
    case_level = memory.continuum_field(key="severity", per_agency=False)
    ordinal = memory.continuum_field()
    assert ordinal_fields([nominal, case_level, ordinal]) == [ordinal]
    data = memory.data(cases=[memory.case(1, "HSB-01")], case_fields=[nominal, case_level])
    assert agreement(data) == []
