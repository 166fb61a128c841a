"""The seed Terms of Reference (`fixtures/seed_tor.txt`, the Torbay HSB audit of 2021) as sentences, for tests.

Tests that check a definition or a rendered document against the seed use these: every sentence of the title and of
sections 1–7 must appear word for word. The text is split by line, and long lines by sentence end; whitespace is
normalised, the "·" bullet marks are dropped, and numbering that documents generate ("1. ", "6a. ", "Theme 1: ") is
taken off headings. A footnote (`[footnoteRef:1] [1: ...]` in the export) becomes a sentence of its own after the one
it belongs to. The logo's alt text, the "image1.png" line and the footer are left out.
"""

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SEED_TOR = Path(__file__).parent / "fixtures" / "seed_tor.txt"

TITLE_INTRO = "Terms of Reference for"  # the line above the title
FOOTER_START = "ToR for "  # the footer's first line: it and everything after it (the logo) are not content
HEADING = re.compile(r"^(?P<number>\d+[a-z]?)\.\s+(?P<heading>\S.*)$")
THEME = re.compile(r"^Theme \d+:\s+")
BULLET = re.compile(r"^·\s*")
FOOTNOTE = re.compile(r"\[footnoteRef:\d+\]\s*\[\d+:\s*(?P<text>[^\]]*)\]")
SENTENCE_END = re.compile(r"(?<=[.?!])\s+(?=[A-Z“‘(])")


@dataclass(frozen=True)
class SeedSection:
    """A numbered section of the seed ToR: its number ("1", "6a"), heading and sentences (without the heading)."""

    number: str
    heading: str
    sentences: tuple[str, ...]


def _normalise(line: str) -> str:
    return " ".join(line.split())


def split_sentences(text: str) -> list[str]:
    """A paragraph's sentences, split where one ends and the next begins, with whitespace normalised."""
    return [part for part in SENTENCE_END.split(_normalise(text)) if part]


def _sentences(line: str) -> list[str]:
    line = BULLET.sub("", _normalise(line))
    line = THEME.sub("", line)
    footnotes = [_normalise(match.group("text")) for match in FOOTNOTE.finditer(line)]
    return split_sentences(FOOTNOTE.sub("", line)) + footnotes


def _lines() -> list[str]:
    return SEED_TOR.read_text(encoding="utf-8").splitlines()


@cache
def seed_tor_title() -> str:
    """The audit's title, the line under "Terms of Reference for"."""
    lines = [_normalise(line) for line in _lines()]
    return lines[lines.index(TITLE_INTRO) + 1]


@cache
def seed_tor_sections() -> tuple[SeedSection, ...]:
    """Sections 1–7 (with 6a and 6b as sections of their own), in the order of the seed."""
    sections: list[SeedSection] = []
    number = heading = ""
    sentences: list[str] = []
    started = False
    for raw in _lines():
        line = _normalise(raw)
        if line.startswith(FOOTER_START):
            break
        match = HEADING.match(line)
        if match:
            if started:
                sections.append(SeedSection(number, heading, tuple(sentences)))
            number, heading, sentences, started = match["number"], match["heading"], [], True
        elif started and line:
            sentences.extend(_sentences(line))
    sections.append(SeedSection(number, heading, tuple(sentences)))
    return tuple(sections)


def seed_tor_sentences() -> list[str]:
    """Every sentence of the title and sections 1–7: the title, then each section's heading and sentences."""
    sentences = [seed_tor_title()]
    for section in seed_tor_sections():
        sentences.append(section.heading)
        sentences.extend(section.sentences)
    return sentences
