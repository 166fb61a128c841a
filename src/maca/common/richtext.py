"""The small text markup that documents' prose is written in, and its parser.

- Paragraphs are separated by a blank line.
- A line starting with "- " is a bullet; consecutive bullet lines form one list.
- `[^text of the footnote]` anywhere in a paragraph or bullet is a footnote; documents number them in order.

Every renderer (HTML, DOCX, PDF) works from the parsed blocks, so the three say the same thing.
"""

import re
from dataclasses import dataclass, field

FOOTNOTE = re.compile(r"\[\^([^\]]+)\]")
BULLET = re.compile(r"^\s*[-•·]\s+")


@dataclass(frozen=True)
class Run:
    """A piece of inline text; `footnote` holds the footnote's text when the run is a footnote reference."""

    text: str
    footnote: str | None = None


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]

    @property
    def plain(self) -> str:
        return "".join(run.text for run in self.runs if run.footnote is None)


@dataclass(frozen=True)
class BulletList:
    items: tuple[Paragraph, ...]


Block = Paragraph | BulletList


def parse_inline(text: str) -> Paragraph:
    """Split a line of text into runs of plain text and footnotes."""
    runs: list[Run] = []
    position = 0
    for match in FOOTNOTE.finditer(text):
        if match.start() > position:
            runs.append(Run(text[position : match.start()]))
        runs.append(Run("", footnote=match.group(1).strip()))
        position = match.end()
    if position < len(text):
        runs.append(Run(text[position:]))
    return Paragraph(tuple(runs))


def parse_blocks(text: str) -> list[Block]:
    """Parse marked-up text into paragraphs and bullet lists."""
    blocks: list[Block] = []
    paragraph_lines: list[str] = []
    bullets: list[Paragraph] = []

    def flush_paragraph() -> None:
        if paragraph_lines:
            blocks.append(parse_inline(" ".join(line.strip() for line in paragraph_lines)))
            paragraph_lines.clear()

    def flush_bullets() -> None:
        if bullets:
            blocks.append(BulletList(tuple(bullets)))
            bullets.clear()

    for line in text.replace("\r\n", "\n").split("\n"):
        if not line.strip():
            flush_paragraph()
            flush_bullets()
        elif BULLET.match(line):
            flush_paragraph()
            bullets.append(parse_inline(BULLET.sub("", line, count=1).strip()))
        elif bullets and line.startswith(("  ", "\t")):
            # An indented line continues the bullet above it.
            last = bullets.pop()
            bullets.append(parse_inline(_source(last) + " " + line.strip()))
        else:
            flush_bullets()
            paragraph_lines.append(line)
    flush_paragraph()
    flush_bullets()
    return blocks


def _source(paragraph: Paragraph) -> str:
    return "".join(f"[^{run.footnote}]" if run.footnote is not None else run.text for run in paragraph.runs)


@dataclass
class FootnoteNumbering:
    """Numbers footnotes in the order a document meets them, across all its sections."""

    notes: list[str] = field(default_factory=list)

    def number(self, text: str) -> int:
        self.notes.append(text)
        return len(self.notes)


def plain_text(text: str) -> str:
    """The text without its markup: footnotes removed, bullets as lines."""
    lines = []
    for block in parse_blocks(text):
        if isinstance(block, Paragraph):
            lines.append(block.plain)
        else:
            lines.extend(item.plain for item in block.items)
    return "\n".join(lines)


# `[words](https://…)`: a link in hand-written prose (findings, the briefing's own words). Web, mail and site links.
LINK = re.compile(r"\[([^\]\[^][^\]\[]*)\]\(((?:https?://|mailto:|/)[^\s()]+)\)")


def link_runs(text: str) -> list[tuple[str, str]]:
    """The text as (words, href) pieces: href is "" for plain text, the address for a `[words](address)` link."""
    pieces: list[tuple[str, str]] = []
    position = 0
    for match in LINK.finditer(text):
        if match.start() > position:
            pieces.append((text[position : match.start()], ""))
        pieces.append((match.group(1), match.group(2)))
        position = match.end()
    if position < len(text) or not pieces:
        pieces.append((text[position:], ""))
    return pieces


def without_links(text: str) -> str:
    """The text as it reads: `[here](https://…)` reads "here"."""
    return "".join(words for words, _ in link_runs(text))
