"""How the public briefing's sentences on the children say their numbers (outputs.context.ControlledNumbers)."""

from maca.outputs.context import ControlledNumbers
from maca.outputs.disclosure import DEFAULT_CONTROL


def test_a_count_of_a_group_too_small_to_count_leaves_its_clause_out_with_the_reason() -> None:
    numbers = ControlledNumbers(DEFAULT_CONTROL)
    assert numbers.how_many(1, 2) is None
    assert numbers.how_many(0, 2) is None
    numbers.end_sentence()
    assert numbers.by_sentence == [["the group is too small to give any count of it"]]


def test_a_small_count_of_a_larger_group_is_said_with_the_partnership_wording() -> None:
    numbers = ControlledNumbers(DEFAULT_CONTROL)
    assert numbers.how_many(4, 8) == "fewer than 6 of 8"
    assert numbers.how_many(8, 8) == "all"
    numbers.end_sentence()
    assert numbers.by_sentence == [["the count is from 1 to 5"]]
