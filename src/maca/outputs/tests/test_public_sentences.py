"""The public outputs' other sentences with counts in them (the briefing's opening, the report's summary and its
agreement between agencies): rendered for every value of each count's suppression class, with everything else
fixed, they read the same word for word. The sentences on the children are in test_children.py."""

import datetime
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from maca.cases.criteria import Funnel
from maca.outputs.briefing import opening_sentence
from maca.outputs.context import Ledger
from maca.outputs.disclosure import Control, protect_count, protect_of
from maca.outputs.report import agreement_sentence, summary_sentence

PROPERTY = settings(derandomize=True, database=None, deadline=None, max_examples=200)
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "maca-hypothesis")
DAY = datetime.date(2021, 9, 20)
thresholds = st.integers(1, 6)


def public(threshold: int) -> Ledger:
    return Ledger("public", Control(threshold=threshold))


def counted_alike(count: int, control: Control) -> list[int]:
    """Every count printed on its own as `count` is (up to a bound well past any threshold)."""
    words = protect_count(count, control)
    if not words.changed:
        return [count]
    return [other for other in range(60) if protect_count(other, control).text == words.text]


def of_alike(count: int, total: int, control: Control) -> list[int]:
    """Every count of `total` printed as `count` is."""
    words = protect_of(count, total, control)
    if not words.changed:
        return [count]
    return [other for other in range(total + 1) if protect_of(other, total, control).text == words.text]


@PROPERTY
@given(included=st.integers(0, 40), scope=st.none() | st.integers(1, 40), threshold=thresholds)
def test_the_briefings_opening_reads_the_same_for_every_count_of_a_class(
    included: int, scope: int | None, threshold: int
) -> None:
    control = Control(threshold=threshold)
    said = opening_sentence(DAY, scope, included, public(threshold))
    for other in counted_alike(included, control):
        assert opening_sentence(DAY, scope, other, public(threshold)) == said, other


@PROPERTY
@given(
    nominated=st.integers(0, 30),
    data=st.data(),
    agencies=st.integers(0, 8),
    extra_returns=st.integers(0, 20),
    threshold=thresholds,
)
def test_the_reports_summary_reads_the_same_for_every_count_of_a_class(
    nominated: int, data: st.DataObject, agencies: int, extra_returns: int, threshold: int
) -> None:
    """The number of cases nominated and included vary within their classes; the number of returns (at least one an
    agency) is never said for the public, so every number of them reads alike."""
    control = Control(threshold=threshold)
    included = data.draw(st.integers(0, nominated))
    returns = agencies + extra_returns

    def said(nominated: int, included: int, returns: int) -> str:
        return summary_sentence(DAY, Funnel(nominated, nominated, included, 0, 0), agencies, returns, public(threshold))

    sentence = said(nominated, included, returns)
    for other in counted_alike(nominated, control):
        if other >= included:
            assert said(other, included, returns) == sentence, ("nominated", other)
    for other in counted_alike(included, control):
        if other <= nominated:
            assert said(nominated, other, returns) == sentence, ("included", other)
    for other in range(agencies, agencies + 30):
        assert said(nominated, included, other) == sentence, ("returns", other)


@PROPERTY
@given(compared=st.integers(0, 30), data=st.data(), threshold=thresholds)
def test_agreement_between_agencies_reads_the_same_for_every_count_of_a_class(
    compared: int, data: st.DataObject, threshold: int
) -> None:
    """How many cases were two or more steps apart varies within its class, and alpha with it (it is computed from
    the same placements): when the count is hidden, the sentence gives neither."""
    control = Control(threshold=threshold)
    apart = data.draw(st.integers(0, compared))
    alpha = data.draw(st.none() | st.floats(-1, 1))
    sentence = agreement_sentence("Risk", alpha, apart, compared, public(threshold))
    alike = of_alike(apart, compared, control)
    for other in alike:
        if len(alike) > 1:
            for other_alpha in (None, -0.5, 0.0, 0.667, 1.0):
                assert agreement_sentence("Risk", other_alpha, other, compared, public(threshold)) == sentence
    if len(alike) > 1 or protect_of(apart, compared, control).changed:
        assert "alpha" not in sentence


def test_the_sentences_for_professionals_say_every_count() -> None:
    professionals = Ledger("professionals", None)
    assert summary_sentence(DAY, Funnel(10, 9, 8, 1, 0), 5, 5, professionals).endswith(
        "Of 10 cases nominated, 8 met the criteria and were included. 5 agencies audited their involvement and "
        "submitted 5 returns."
    )
    assert agreement_sentence("Risk", 0.8125, 2, 7, professionals) == (
        "Risk: agreement between agencies (Krippendorff’s alpha, ordinal) 0.812; agencies were two or more steps "
        "apart in 2 of 7 cases placed by two or more agencies."
    )
    ledger = public(5)
    assert summary_sentence(DAY, Funnel(10, 9, 8, 1, 0), 5, 5, ledger).endswith(
        "Of 10 cases nominated, 8 met the criteria and were included. 5 agencies audited their involvement and "
        "submitted their returns."
    )
    assert agreement_sentence("Risk", 0.8125, 2, 7, ledger) == (
        "Risk: agreement between agencies is not shown; agencies were two or more steps apart in some of 7 cases "
        "placed by two or more agencies."
    )
    assert agreement_sentence("Risk", 1.0, 0, 3, ledger) == (
        "Risk: agreement between agencies is not shown: too few cases were placed by two or more agencies."
    )
    assert [change.where for change in ledger.changes] == [
        "Returns submitted",
        "Risk",
        "Risk: alpha",
        "Risk",
        "Risk: alpha",
    ]
    assert all(change.reason for change in ledger.changes)
