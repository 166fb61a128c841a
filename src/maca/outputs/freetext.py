"""Numbers in the words people wrote, which disclosure control does not check.

The findings and recommendations are the panel's words, and the briefing's own words are the coordinator's and the
audit lead's; a public briefing prints them as written. "One child was not seen", "both girls", "all three had a
plan": a count written in words is as telling as one in a table, and no rule can tell which are safe. So before
publishing, the audit lead is shown every sentence of free text with a number or a number word in it, the words
highlighted, to confirm or rewrite. This module finds them; it is pure and knows nothing of Django.

What is flagged: any digit (with what follows it: "3rd", "25%", "1,200"); the number words from "zero" to "twenty",
the tens to "ninety", "hundred", "thousand" and "dozen"; and the words that say how many of a group: "a single",
"single", "sole", "both", "all", "none", "neither", "only", "every", "half", "most", "majority", "minority", "few",
"several", "twice", "per cent" and "percent". Words are matched whole and in any case ("All", "ONE"), never inside
another word ("someone", "overall"). Ordinals in words ("the second child") are not flagged.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from maca.common.richtext import without_links

NUMBER_WORDS = (
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
    "hundred",
    "thousand",
    "dozen",
)
HOW_MANY_WORDS = (
    "a single",
    "single",
    "sole",
    "both",
    "all",
    "none",
    "neither",
    "only",
    "every",
    "half",
    "most",
    "majority",
    "minority",
    "few",
    "several",
    "twice",
    "per cent",
    "percent",
)
# Longest first, so that "a single" is found whole rather than as "single".
_WORDS = sorted((*NUMBER_WORDS, *HOW_MANY_WORDS), key=len, reverse=True)
FLAGGED = re.compile(
    r"\d(?:[\d,.]*\d)?(?:(?:st|nd|rd|th)\b)?%?|\b(?:" + "|".join(re.escape(word) for word in _WORDS) + r")\b",
    re.IGNORECASE,
)
# A sentence ends at ".", "!" or "?" followed by a space, or at the end of a line (a bullet, a paragraph).
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\s*\n\s*")
BULLET = re.compile(r"^[-•·]\s+")


@dataclass(frozen=True)
class Piece:
    """A piece of a sentence; `flagged` when it is a number or number word to check."""

    text: str
    flagged: bool = False


@dataclass(frozen=True)
class Flagged:
    """A sentence of free text with a number or number word in it: where it is printed, and the sentence in pieces,
    the flagged ones being the words to check."""

    where: str
    pieces: tuple[Piece, ...]

    @property
    def sentence(self) -> str:
        return "".join(piece.text for piece in self.pieces)

    @property
    def words(self) -> tuple[str, ...]:
        """The flagged words, in order, each once."""
        return tuple(dict.fromkeys(piece.text for piece in self.pieces if piece.flagged))


def sentences(text: str) -> list[str]:
    """The sentences of marked-up free text as they read: links as their words, bullets without their dash."""
    found = []
    for part in SENTENCE_END.split(without_links(text)):
        part = BULLET.sub("", part.strip())
        if part:
            found.append(part)
    return found


def pieces(sentence: str) -> tuple[Piece, ...]:
    """The sentence cut into pieces, every number and number word a flagged piece of its own; no piece is flagged
    when it has none. Joined, the pieces are the sentence."""
    cut: list[Piece] = []
    position = 0
    for match in FLAGGED.finditer(sentence):
        if match.start() > position:
            cut.append(Piece(sentence[position : match.start()]))
        cut.append(Piece(match.group(0), flagged=True))
        position = match.end()
    if position < len(sentence):
        cut.append(Piece(sentence[position:]))
    return tuple(cut)


def flags(texts: Iterable[tuple[str, str]]) -> list[Flagged]:
    """Every sentence of `texts` ((where, text) pairs, in the order printed) with a number or number word in it, in
    that order."""
    found = []
    for where, text in texts:
        for sentence in sentences(text):
            cut = pieces(sentence)
            if any(piece.flagged for piece in cut):
                found.append(Flagged(where, cut))
    return found
