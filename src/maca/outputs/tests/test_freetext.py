"""Finding the numbers and number words in free text (outputs.freetext), which disclosure control does not check."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maca.outputs.freetext import HOW_MANY_WORDS, NUMBER_WORDS, Flagged, Piece, flags, pieces, sentences


def words_in(text: str) -> list[tuple[str, ...]]:
    return [flag.words for flag in flags([("Finding 1", text)])]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("One child was not seen by a nurse.", ("One",)),
        ("Both girls had a plan.", ("Both",)),
        ("All three were known to the school.", ("All", "three")),
        ("None of them was referred.", ("None",)),
        ("Only a single agency shared the plan.", ("Only", "a single")),
        ("Neither parent was asked.", ("Neither",)),
        ("In 2 cases the plan ended.", ("2",)),
        ("25% were seen within 1,200 minutes, by the 3rd visit.", ("25%", "1,200", "3rd")),
        ("Twelve were seen; most were seen twice.", ("Twelve", "most", "twice")),
        ("Every child in half the cases.", ("Every", "half")),
        ("Seventeen per cent were missing.", ("Seventeen", "per cent")),
    ],
)
def test_numbers_and_number_words_are_flagged(text: str, words: tuple[str, ...]) -> None:
    assert words_in(text) == [words]


@pytest.mark.parametrize(
    "text",
    [
        "Someone overall alone reached the phone.",  # "one" and "all" inside other words
        "Practitioners did not recognise the neglect early.",
        "See [the review](https://www.example.org/review-2019/part-3).",  # a link's address is not printed
        "",
    ],
)
def test_nothing_else_is_flagged(text: str) -> None:
    assert words_in(text) == []


def test_each_flagged_sentence_is_quoted_whole_with_its_words_highlighted_and_where_it_is() -> None:
    found = flags(
        [
            (
                "Finding 2",
                "Plans were reviewed late. One child was not seen.\n\n- Both were known to [the 3 schools](https://www.example.org/schools).",
            ),
            ("Recommendation 1 (Business Group)", "Train the staff."),
            ("The briefing’s own words: questions for reflection", "- Would you have asked again?\n- All of you?"),
        ]
    )
    assert found == [
        Flagged("Finding 2", (Piece("One", True), Piece(" child was not seen."))),
        Flagged("Finding 2", (Piece("Both", True), Piece(" were known to the "), Piece("3", True), Piece(" schools."))),
        Flagged("The briefing’s own words: questions for reflection", (Piece("All", True), Piece(" of you?"))),
    ]
    assert found[1].sentence == "Both were known to the 3 schools."


def test_sentences_end_at_a_full_stop_a_question_a_bullet_or_a_paragraph() -> None:
    assert sentences("First one. Second?\nThird\n\n- Fourth! Fifth") == [
        "First one.",
        "Second?",
        "Third",
        "Fourth!",
        "Fifth",
    ]


@settings(derandomize=True, database=None, deadline=None, max_examples=300)
@given(
    words=st.lists(
        st.sampled_from(NUMBER_WORDS + HOW_MANY_WORDS)
        | st.integers(0, 5000).map(str)
        | st.from_regex(r"[A-Za-z]{1,10}", fullmatch=True),
        max_size=12,
    )
)
def test_the_pieces_of_a_sentence_are_the_sentence_and_every_number_in_it_is_flagged(words: list[str]) -> None:
    """Joined, the pieces are the sentence; every number and listed word is inside a flagged piece; no piece left
    unflagged holds a digit."""
    sentence = " ".join(words)
    cut = pieces(sentence)
    assert "".join(piece.text for piece in cut) == sentence
    flagged_spans, position = [], 0
    for piece in cut:
        if piece.flagged:
            flagged_spans.append((position, position + len(piece.text)))
        else:
            assert not re.search(r"\d", piece.text), piece
        position += len(piece.text)
    position = 0
    for word in words:
        if word.isdigit() or word.lower() in NUMBER_WORDS + HOW_MANY_WORDS:
            assert any(start <= position and position + len(word) <= end for start, end in flagged_spans), word
        position += len(word) + 1
