"""The narrative grouped by theme and kind, filtered by agency and linked to its return; the bar charts."""

import pytest

from maca.analysis.chart import BAR_MAX, Bar, BarGroup, bar_chart_svg, bar_length, describe
from maca.analysis.data import AnalysisData
from maca.analysis.narrative import grouped, narrative

from . import memory


def _data() -> AnalysisData:
    police, yot = memory.agency(1, "POL", "Police"), memory.agency(2, "YOT", "Youth Offending Team")
    first, second = memory.case(1, "HSB-01"), memory.case(2, "HSB-02")
    responses, prevention = memory.theme(10, 1, "Responses"), memory.theme(11, 2, "Prevention")
    notes = memory.question("notes", "text")
    returns = [
        memory.agency_return(
            first,
            police,
            judgements={"10": {"went_well": "Quick response.", "worried": "", "child_voice": "He said no."}},
            answers={"notes": "Seen twice."},
        ),
        memory.agency_return(first, yot, judgements={"10": {"went_well": "A trusted worker."}, "11": {"worried": "X"}}),
        memory.agency_return(second, police, judgements={"11": {"difference": "Safer at home.", "grade": "Good"}}),
    ]
    return memory.data(
        cases=[first, second], returns=returns, themes=[(responses, [memory.question("seen"), notes]), (prevention, [])]
    )


def test_every_narrative_answer_by_theme_and_kind() -> None:
    items = narrative(_data())
    assert [(i.theme, i.kind, i.case, i.code, i.text) for i in items] == [
        ("Responses", "went_well", "HSB-01", "POL", "Quick response."),
        ("Responses", "went_well", "HSB-01", "YOT", "A trusted worker."),
        ("Responses", "child_voice", "HSB-01", "POL", "He said no."),
        ("Responses", "question.notes", "HSB-01", "POL", "Seen twice."),
        ("Prevention", "worried", "HSB-01", "YOT", "X"),
        ("Prevention", "difference", "HSB-02", "POL", "Safer at home."),
    ]
    assert items[3].kind_label == "Question notes?"
    assert items[0].url == "/audits/anytown-test-2021/returns/HSB-01/POL/"
    groups = grouped(items)
    assert [group.theme for group in groups] == ["Responses", "Prevention"]
    assert [(kind.label, len(kind.items)) for kind in groups[0].kinds] == [
        ("What went well", 2),
        ("The child’s voice", 1),
        ("Question notes?", 1),
    ]
    assert [kind.label for kind in groups[1].kinds] == [
        "What worried the agency",
        "The difference the agency’s work made",
    ]


def test_the_narrative_of_one_agency() -> None:
    items = narrative(_data(), agency="YOT")
    assert [(i.agency, i.text) for i in items] == [
        ("Youth Offending Team", "A trusted worker."),
        ("Youth Offending Team", "X"),
    ]
    assert narrative(_data(), agency="NONE") == []


def test_bar_lengths() -> None:
    assert bar_length(5, 10) == BAR_MAX / 2
    assert bar_length(0, 10) == 0
    assert bar_length(3, 0) == 0
    assert bar_length(20, 10) == BAR_MAX


def test_a_bar_chart_is_an_image_with_its_numbers_in_words() -> None:
    groups = [
        BarGroup("Responses <& co>", [Bar("Good", 4, "4"), Bar("Inadequate", 0, "0")]),
        BarGroup("Prevention", [Bar("Good", 2, "2")]),
    ]
    svg = bar_chart_svg(groups=groups, title="Grades", description=describe(groups), chart_id="chart-grades")
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert 'role="img" aria-labelledby="chart-grades-title chart-grades-desc"' in svg
    assert '<title id="chart-grades-title">Grades</title>' in svg
    assert "Responses &lt;&amp; co&gt;: Good: 4, Inadequate: 0. Prevention: Good: 2." in svg
    assert "style=" not in svg
    # A bar per non-zero value; the longest is drawn at full length.
    assert svg.count("<rect ") == 2
    assert f'width="{BAR_MAX}"' in svg


def test_a_chart_needs_a_bar() -> None:
    with pytest.raises(ValueError, match="at least one bar"):
        bar_chart_svg(groups=[BarGroup("Empty", [])], title="t", description="d", chart_id="c")
