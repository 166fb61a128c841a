"""An output as a plain, typed document: what it says, in order, before any format lays it out.

The layouts (`maca.outputs.briefing`, `maca.outputs.report`) build a `Document` from an audit's facts
(`maca.outputs.context`); the renderers (`maca.outputs.render`: HTML, PDF from that HTML, DOCX) only lay it out,
so the three formats say the same thing. Nothing here touches the database.

A document is a title block and sections; a section holds blocks (paragraphs, bullet lists, tables, charts) and may
hold sub-sections. Text is made of spans, a span may be a link. A chart is an SVG drawn by maca with its data as a
table, which is its text alternative in every format.
"""

import re
from dataclasses import dataclass, field
from typing import ClassVar, Literal

from maca.common.richtext import link_runs

Audience = Literal["professionals", "public"]
AUDIENCES: tuple[Audience, ...] = ("professionals", "public")
AUDIENCE_LABELS: dict[str, str] = {
    "professionals": "Partnership professionals",
    "public": "The public",
}
WATERMARK = "Draft"


@dataclass(frozen=True)
class Span:
    """A piece of text; a link when `href` is set."""

    text: str
    href: str = ""


@dataclass(frozen=True)
class Paragraph:
    spans: tuple[Span, ...]
    kind: ClassVar[str] = "paragraph"

    @property
    def plain(self) -> str:
        return "".join(span.text for span in self.spans)


@dataclass(frozen=True)
class Bullets:
    items: tuple[Paragraph, ...]
    numbered: bool = False
    kind: ClassVar[str] = "bullets"


@dataclass(frozen=True)
class Cell:
    """A cell of a table; `numeric` cells are right-aligned; `changed` when disclosure control changed it."""

    text: str
    numeric: bool = False
    changed: bool = False


@dataclass(frozen=True)
class Table:
    caption: str
    head: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    # Said under the table, e.g. what "fewer than 6" means, or why the breakdown is not shown.
    note: str = ""
    kind: ClassVar[str] = "table"


@dataclass(frozen=True)
class Chart:
    """A bar chart drawn by maca (`svg`, a complete <svg> element); `table` holds its data and is its text
    alternative; `description` says in words what it shows."""

    title: str
    svg: str = field(repr=False)
    description: str
    table: Table
    kind: ClassVar[str] = "chart"


Block = Paragraph | Bullets | Table | Chart


@dataclass(frozen=True)
class Section:
    """A section: `number` is shown before the title when set (the seven-minute briefing numbers its sections)."""

    key: str
    title: str
    blocks: tuple[Block, ...] = ()
    sections: tuple["Section", ...] = ()
    number: int | None = None

    @property
    def heading(self) -> str:
        return f"{self.number}. {self.title}" if self.number is not None else self.title

    @property
    def anchor(self) -> str:
        return f"section-{self.key}"


@dataclass(frozen=True)
class Change:
    """What disclosure control changed: where, what it said before, what it says now, and why."""

    where: str
    before: str
    after: str
    reason: str


@dataclass(frozen=True)
class Document:
    """Everything an output shows, in order, with what it is and for whom.

    `kind` is "briefing" or "report"; `layout` names the layout ("briefing", "seven-minute", "report");
    `controlled` says whether disclosure control was applied (always for a public output unless the audit lead
    recorded a reason not to); `changes` lists what it changed.
    """

    kind: str
    layout: str
    reference: str
    partnership_name: str
    group: str
    title: str
    subtitle: str
    audience: Audience
    sections: tuple[Section, ...]
    footer: str
    draft: bool
    controlled: bool
    changes: tuple[Change, ...] = ()
    version_label: str = ""

    @property
    def watermark(self) -> str | None:
        return WATERMARK if self.draft else None

    @property
    def audience_label(self) -> str:
        return AUDIENCE_LABELS[self.audience]

    @property
    def document_title(self) -> str:
        return f"{self.title}: {self.subtitle}" if self.subtitle else self.title

    def walk(self) -> list[Section]:
        """Every section and sub-section, in reading order."""
        found: list[Section] = []

        def visit(section: Section) -> None:
            found.append(section)
            for inner in section.sections:
                visit(inner)

        for section in self.sections:
            visit(section)
        return found

    def text(self) -> str:
        """The document's words, one block per line: what the tests compare the formats against."""
        lines = [self.group, self.title, self.subtitle]
        for section in self.walk():
            lines.append(section.heading)
            for block in section.blocks:
                lines.extend(block_lines(block))
        return "\n".join(line for line in lines if line)


def block_lines(block: Block) -> list[str]:
    """A block's words as lines of plain text."""
    if isinstance(block, Paragraph):
        return [block.plain]
    if isinstance(block, Bullets):
        return [item.plain for item in block.items]
    table = block.table if isinstance(block, Chart) else block
    lines = [block.title] if isinstance(block, Chart) else []
    lines.append(table.caption)
    lines.append(" | ".join(table.head))
    lines.extend(" | ".join(cell.text for cell in row) for row in table.rows)
    if table.note:
        lines.append(table.note)
    return lines


def spans(text: str) -> tuple[Span, ...]:
    """Text with `[words](url)` links as spans."""
    return tuple(Span(words, href) for words, href in link_runs(text))


def paragraph(text: str) -> Paragraph:
    return Paragraph(spans(text))


def paragraphs(text: str) -> tuple[Block, ...]:
    """Marked-up prose (paragraphs split by a blank line, "- " bullets) as blocks, with links."""
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in chunk.splitlines() if line.strip()]
        if not lines:
            continue
        items = [line for line in lines if re.match(r"^[-•·]\s+", line)]
        if items and len(items) == len(lines):
            blocks.append(Bullets(tuple(paragraph(re.sub(r"^[-•·]\s+", "", line)) for line in lines)))
            continue
        prose = [line for line in lines if not re.match(r"^[-•·]\s+", line)]
        blocks.append(paragraph(" ".join(prose)))
        if items:
            blocks.append(Bullets(tuple(paragraph(re.sub(r"^[-•·]\s+", "", line)) for line in items)))
    return tuple(blocks)
