"""The public sentences on the children (outputs.children): worked examples, and the property that every count of one
suppression class gives the same sentences, word for word, checked with Hypothesis on invented cohorts.

A suppression class is every value of a count that the control prints the same way: 1 to 5 for "fewer than 6 of 9",
6 and 7 for "at least 3 of 8", 1 to 6 for "some of 7", every count of a group too small to count (and every size of
such a group), every breakdown that prints the same words. The sentences may depend on the class, never on the
value within it.
"""

import itertools
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from maca.analysis.cohort import Cohort, Count, ProfileField, cohort_sentences
from maca.cases.codes import Gender, SpecialNeeds, YesNoNotKnown
from maca.cases.criteria import Funnel
from maca.outputs.children import public_sentences
from maca.outputs.context import Ledger
from maca.outputs.disclosure import DEFAULT_CONTROL, Control, Status, age_band, protect_line, protect_of

PROPERTY = settings(derandomize=True, database=None, deadline=None, max_examples=150)
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "maca-hypothesis")

GENDERS = (Gender.MALE, Gender.FEMALE, Gender.OTHER, Gender.NOT_KNOWN)
TOPIC_VALUES = ("Low self-esteem", "Substance misuse")


@dataclass(frozen=True)
class Children:
    """An invented cohort, as the counts its sentences use."""

    size: int
    ages: tuple[int, int]
    genders: tuple[int, ...]  # male, female, other, not known
    ehcp: int = 0
    sen_support: int = 0
    disability: int = 0
    aces: int = 0
    topic: tuple[int, int] = (0, 0)  # how many are recorded with each of TOPIC_VALUES

    def cohort(self) -> Cohort:
        n = self.size

        def field(key: str, counts: dict[str, int]) -> ProfileField:
            return ProfileField(key, key, tuple(Count(k, k.title(), c, n) for k, c in counts.items() if c))

        topic = ProfileField(
            "topic.needs",
            "Needs identified",
            tuple(
                Count(label.lower(), label, count, n)
                for label, count in zip(TOPIC_VALUES, self.topic, strict=True)
                if count
            ),
            multiple=True,
        )
        fields = (
            ProfileField(
                "gender",
                "Gender",
                tuple(Count(g.value, g.label, c, n) for g, c in zip(GENDERS, self.genders, strict=True) if c),
            ),
            field(
                "send",
                {
                    SpecialNeeds.EHCP: self.ehcp,
                    SpecialNeeds.SEN_SUPPORT: self.sen_support,
                    SpecialNeeds.NONE: n - self.ehcp - self.sen_support,
                },
            ),
            field("disability", {YesNoNotKnown.YES: self.disability, YesNoNotKnown.NO: n - self.disability}),
            field("aces", {YesNoNotKnown.YES: self.aces, YesNoNotKnown.NO: n - self.aces}),
            topic,
        )
        return Cohort(Funnel(n, n, n, 0, 0), n, self.ages[0], self.ages[1], fields, ())


def read(children: Children, control: Control = DEFAULT_CONTROL) -> tuple[str, ...]:
    """The sentences a public output prints about `children`."""
    return tuple(said.text for said in public_sentences(children.cohort(), control) if said.text)


def nine_children(disability: int) -> Children:
    return Children(9, (11, 16), (6, 3, 0, 0), disability=disability)


# --- Worked examples --------------------------------------------------------------------------------------------


def test_the_verb_after_a_hidden_count_is_plural_whatever_the_count() -> None:
    # The professionals' sentence follows the count: "1 of 9 has", "2 of 9 have". Hidden, "has" would say 1.
    assert "1 of 9 has a disability" in cohort_sentences(nine_children(1).cohort())[1]
    assert read(nine_children(1))[1] == "Fewer than 6 of 9 have a disability."
    assert {read(nine_children(n)) for n in range(1, 6)} == {read(nine_children(1))}


def test_a_breakdown_names_its_kinds_in_a_fixed_order_not_by_size() -> None:
    # Largest first would say which of two hidden counts is the larger.
    four_girls = Children(9, (11, 16), (5, 4, 0, 0))
    five_girls = Children(9, (11, 16), (4, 5, 0, 0))
    assert cohort_sentences(five_girls.cohort())[0].endswith("5 were female and 4 male.")
    assert (
        read(four_girls)[0]
        == read(five_girls)[0]
        == (
            "The nine young people whose cases were audited were aged between 10 and 19; "
            "fewer than 6 were male and fewer than 6 female."
        )
    )


def test_a_breakdown_that_needs_a_count_withheld_is_left_out() -> None:
    # 7 boys and 2 girls: "not shown were male" would read badly and tell nothing; 1 boy and 8 girls the same.
    assert (
        read(Children(9, (11, 16), (7, 2, 0, 0)))[0]
        == read(Children(9, (11, 16), (1, 8, 0, 0)))[0]
        == ("The nine young people whose cases were audited were aged between 10 and 19.")
    )


def test_a_small_group_reads_the_same_whatever_its_size_and_its_children() -> None:
    one = Children(1, (12, 12), (0, 1, 0, 0), ehcp=1, disability=1, aces=1, topic=(1, 0))
    five = Children(5, (10, 14), (2, 1, 1, 1), sen_support=3, aces=5, topic=(5, 2))
    assert (
        read(one)
        == read(five)
        == ("The young people (fewer than 6) whose cases were audited were aged between 10 and 14.",)
    )
    # The professionals' sentence about the one child says everything.
    assert cohort_sentences(one.cohort())[0].startswith("The young person whose case was audited was aged 12")


def test_all_is_said_only_of_a_group_that_is_not_small() -> None:
    assert read(Children(8, (10, 19), (8, 0, 0, 0), aces=8))[:2] == (
        "The eight young people whose cases were audited were aged between 10 and 19, and all were male.",
        "All were noted to have experienced adverse childhood experiences.",
    )
    small = Control(threshold=8, wording="a small number")
    assert read(Children(8, (10, 19), (8, 0, 0, 0), aces=8), small) == (
        "The young people (a small number) whose cases were audited were aged between 10 and 19.",
    )


def test_the_ledger_notes_each_changed_sentence_with_its_reasons() -> None:
    children = Children(9, (11, 16), (6, 3, 0, 0), ehcp=4, disability=1, topic=(9, 0))
    ledger = Ledger("public", DEFAULT_CONTROL)
    said = ledger.cohort_sentences(children.cohort())
    assert said == read(children)
    assert [(change.where, change.reason) for change in ledger.changes] == [
        ("The children: sentence 1", "ages shown as a band; a breakdown too small to show"),
        ("The children: sentence 2", "the count is from 1 to 5"),
    ]
    assert Ledger("professionals", None).cohort_sentences(children.cohort()) == cohort_sentences(children.cohort())


# --- Every count of a suppression class gives the same sentences ----------------------------------------------


def gender_key(genders: tuple[int, ...], size: int, control: Control) -> tuple[object, ...]:
    """What the control prints of a breakdown by gender: the kinds present (a kind is named only when some child
    has it, as zeros are printed), and the words of each count, or None when it cannot be shown without withholding."""
    present = tuple(count > 0 for count in genders)
    line = protect_line([count for count in genders if count], size, control, present=True)
    if line.withdrawn or any(cell.status is Status.WITHHELD for cell in line.cells):
        return (present, None)
    return (present, tuple(cell.text for cell in line.cells))


def compositions(total: int, parts: int) -> Iterator[tuple[int, ...]]:
    """Every way of writing `total` as `parts` counts of 0 or more, in order."""
    for cuts in itertools.combinations_with_replacement(range(total + 1), parts - 1):
        bounds = (0, *cuts, total)
        yield tuple(bounds[i + 1] - bounds[i] for i in range(parts))


def same_class(count: int, size: int, control: Control) -> list[int]:
    """Every count of `size` children printed as `count` is: itself alone when shown as it is."""
    words = protect_of(count, size, control)
    if not words.changed:
        return [count]
    return [other for other in range(size + 1) if protect_of(other, size, control).text == words.text]


CLAUSE_COUNTS = ("ehcp", "sen_support", "disability", "aces")


def with_count(children: Children, name: str, count: int) -> Children | None:
    """`children` with `count` of them counted under `name` (one of CLAUSE_COUNTS); None when that cannot be, as
    EHCP and SEN support are two values of one field."""
    counts = {other: getattr(children, other) for other in CLAUSE_COUNTS} | {name: count}
    if counts["ehcp"] + counts["sen_support"] > children.size:
        return None
    return Children(
        children.size,
        children.ages,
        children.genders,
        ehcp=counts["ehcp"],
        sen_support=counts["sen_support"],
        disability=counts["disability"],
        aces=counts["aces"],
        topic=children.topic,
    )


def variants(children: Children, control: Control) -> Iterator[tuple[str, Children]]:
    """Every cohort that differs from `children` in one hidden value only, within its suppression class, named."""
    n = children.size
    band = age_band(*children.ages)
    for youngest in range(band[0], band[1] + 1):
        for oldest in range(youngest, band[1] + 1):
            if age_band(youngest, oldest) == band:
                yield f"ages {youngest} to {oldest}", replace(children, ages=(youngest, oldest))
    if control.is_small(n):
        # Nothing about a small group is said but its band: every size of it, and every count in it, reads alike.
        for size in range(1, control.limit):
            yield f"size {size}", Children(size, children.ages, (size, 0, 0, 0))
        for genders in compositions(n, 4):
            yield f"genders {genders}", replace(children, genders=genders)
        for name in CLAUSE_COUNTS:
            for count in range(n + 1):
                if (other := with_count(children, name, count)) is not None:
                    yield f"{name} {count}", other
        for first, second in itertools.product(range(n + 1), repeat=2):
            yield f"topic {first}, {second}", replace(children, topic=(first, second))
        return
    key = gender_key(children.genders, n, control)
    for genders in compositions(n, 4):
        if gender_key(genders, n, control) == key:
            yield f"genders {genders}", replace(children, genders=genders)
    for name in CLAUSE_COUNTS:
        for count in same_class(getattr(children, name), n, control):
            if (other := with_count(children, name, count)) is not None:
                yield f"{name} {count}", other
    # "All were recorded with …" is said of a value every child has; of any other, nothing.
    for first in [n] if children.topic[0] == n else range(n):
        yield f"topic {first}", replace(children, topic=(first, children.topic[1]))


@st.composite
def cohorts(draw: st.DrawFn) -> Children:
    size = draw(st.integers(1, 12))
    youngest = draw(st.integers(0, 17))
    oldest = draw(st.integers(youngest, youngest + 6))
    male = draw(st.integers(0, size))
    female = draw(st.integers(0, size - male))
    other = draw(st.integers(0, size - male - female))
    ehcp = draw(st.integers(0, size))
    return Children(
        size=size,
        ages=(youngest, oldest),
        genders=(male, female, other, size - male - female - other),
        ehcp=ehcp,
        sen_support=draw(st.integers(0, size - ehcp)),
        disability=draw(st.integers(0, size)),
        aces=draw(st.integers(0, size)),
        topic=(draw(st.integers(0, size)), draw(st.integers(0, size))),
    )


@PROPERTY
@given(children=cohorts(), threshold=st.integers(1, 6))
def test_every_count_of_a_suppression_class_gives_the_same_sentences(children: Children, threshold: int) -> None:
    control = Control(threshold=threshold)
    sentences = read(children, control)
    for name, other in variants(children, control):
        assert read(other, control) == sentences, name


SINGULAR = re.compile(r"\b(has|receives|child|young person|one|only|both|none|neither|single)\b", re.IGNORECASE)


@PROPERTY
@given(children=cohorts(), threshold=st.integers(1, 6))
def test_no_public_sentence_says_a_count_in_its_grammar_or_as_a_small_number(
    children: Children, threshold: int
) -> None:
    """No singular verb or noun, no "only", "both", "none" or "one"; no small count or small complement as a
    number; and "all" only of a group that is not small."""
    control = Control(threshold=threshold)
    text = " ".join(read(children, control))
    assert not SINGULAR.search(text), text
    hidden = {
        value
        for count in (children.ehcp, children.sen_support, children.disability, children.aces, *children.genders)
        for value in (count, children.size - count)
        if control.is_small(value)
    }
    low, high = age_band(*children.ages)
    # The band, the control's "fewer than 6" and its "at least 3 of 8" (the size less the threshold) are not counts.
    numbers = {int(n) for n in re.findall(r"\d+", text)} - {low, high, control.limit, children.size - threshold}
    assert not numbers & hidden, text
    if re.search(r"\ball\b", text, re.IGNORECASE):
        assert control.allows_universal(children.size), text
