"""How the analysis writes numbers and lists in words, the same way on the page, in the download and in the figures
other parts of maca cite."""

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

NUMBER_WORDS = (
    "no",
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
)


def number_word(count: int) -> str:
    """A count in words up to twenty ("eight"), in digits above it, as a briefing writes it."""
    return NUMBER_WORDS[count] if 0 <= count < len(NUMBER_WORDS) else f"{count:,}"


def of(count: int, total: int) -> str:
    """ "4 of 8"."""
    return f"{count:,} of {total:,}"


def share(count: int, total: int) -> float | None:
    """count / total, or None when there is nothing to divide by."""
    return count / total if total else None


def percent(value: float | None) -> str:
    """A share (0 to 1) as a whole percentage, halves rounded up ("13%" for 1 in 8); an en dash for none."""
    if value is None:
        return "–"
    return f"{Decimal(str(value * 100)).quantize(Decimal(1), rounding=ROUND_HALF_UP)}%"


def listed(items: Sequence[str], *, empty: str = "none") -> str:
    """ "A, B and C"."""
    if not items:
        return empty
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} and {items[-1]}"


def blank(value: Any) -> bool:
    """Nothing was given: no value, an empty text or an empty list."""
    return value is None or value == "" or value == [] or (isinstance(value, str) and not value.strip())


def short_label(label: str) -> str:
    """The name of a scale point without its description: "Abusive – victimising intent…" becomes "Abusive"."""
    for separator in (" – ", " — ", " - "):
        if separator in label:
            return label.split(separator, 1)[0].strip()
    return label


def slug(text: str) -> str:
    """A stable key part from a text: "Requires improvement" becomes "requires_improvement"."""
    kept = "".join(character if character.isalnum() else "_" for character in text.lower())
    return "_".join(part for part in kept.split("_") if part) or "blank"


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]
