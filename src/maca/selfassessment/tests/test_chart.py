"""The radar chart: drawn from the values given (each axis from the centre, 0%, to the edge, 100%, clockwise from
the top), a well-formed SVG image with a title and a description, every text escaped, nothing hard-coded."""

import math
import xml.etree.ElementTree as ET

import pytest

from maca.selfassessment.chart import CENTRE, RADIUS, Series, describe, radar_points, radar_svg

NS = {"svg": "http://www.w3.org/2000/svg"}
AREAS = ["Continuum", "Prevention", "Assessment", "Interventions", "Workforce"]


def test_points_sit_on_their_axes_at_their_values() -> None:
    cx, cy = CENTRE
    points = radar_points([1.0, 0.5, 0.0, None, 2.0])
    assert points[0] == (cx, cy - RADIUS)  # The first axis points straight up.
    angle = -math.pi / 2 + 2 * math.pi / 5
    assert points[1] == pytest.approx((cx + RADIUS / 2 * math.cos(angle), cy + RADIUS / 2 * math.sin(angle)), abs=0.01)
    assert points[2] == points[3] == (cx, cy)  # Nothing and no score sit at the centre.
    assert math.dist(points[4], CENTRE) == pytest.approx(RADIUS, abs=0.01)  # Clamped to the edge.
    assert points[1][0] > cx
    assert points[4][0] < cx


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 (our own output)


def test_the_chart_is_an_image_with_a_title_description_and_one_line_per_series() -> None:
    series = [Series("Police", [0.8, 0.5, 0.25, 1.0, 0.0]), Series("Partnership", [0.5] * 5, dashed=True)]
    svg = radar_svg(axes=AREAS, series=series, title="Scores", description=describe(AREAS, series), chart_id="r1")
    root = _parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "r1-title r1-desc"
    assert root.find("svg:title", NS).text == "Scores"  # type: ignore[union-attr]
    description = root.find("svg:desc", NS).text  # type: ignore[union-attr]
    assert description.startswith("Police: 1. Continuum: 80%, 2. Prevention: 50%, 3. Assessment: 25%")  # type: ignore[union-attr]
    polygons = root.findall("svg:polygon", NS)
    assert len(polygons) == 4 + 2  # Four rings, then the two series.
    police = polygons[4].get("points", "").split()
    drawn = [float(number) for point in police for number in point.split(",")]
    assert drawn == pytest.approx([number for point in radar_points(series[0].values) for number in point])
    assert polygons[5].get("stroke-dasharray") == "8 5"
    assert polygons[4].get("stroke-dasharray") is None
    labels = " ".join("".join(text.itertext()) for text in root.findall("svg:text", NS))
    for number, area in enumerate(AREAS, start=1):
        assert f"{number}. {area}" in labels
    assert "style=" not in svg  # The Content-Security-Policy allows no inline styles.


def test_names_are_escaped_and_long_labels_wrapped() -> None:
    long = "A continuum of responses to children and young people displaying harmful sexual behaviour"
    series = [Series("<script>alert(1)</script> & Co", [0.1, 0.2, 0.3])]
    svg = radar_svg(axes=[long, "B", "C"], series=series, title="T <b>", description="D & E", chart_id="r2")
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    root = _parse(svg)
    first_label = next(t for t in root.findall("svg:text", NS) if "".join(t.itertext()).startswith("1."))
    lines = [span.text or "" for span in first_label.findall("svg:tspan", NS)]
    assert len(lines) == 3
    assert all(len(line) <= 24 for line in lines)
    assert lines[-1].endswith("…")


def test_a_radar_needs_three_axes_and_a_value_for_each() -> None:
    with pytest.raises(ValueError, match="at least three areas"):
        radar_svg(axes=["A", "B"], series=[], title="", description="", chart_id="x")
    with pytest.raises(ValueError, match="Police has 2 values for 3 areas"):
        radar_svg(axes=["A", "B", "C"], series=[Series("Police", [0.1, 0.2])], title="", description="", chart_id="x")


def test_the_description_says_when_there_is_no_score() -> None:
    assert describe(["A", "B"], [Series("Health", [None, 0.456])]) == "Health: 1. A: no score, 2. B: 46%."
