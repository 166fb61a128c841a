"""The Terms of Reference as a plain, typed document: what it says, in order, before any format renders it.

`tor_document` builds it from an `AuditDefinition` alone (no database): the title block, the numbered sections in
the seed's shape (1 background ... 7 timeline; a section with nothing to say is left out and the numbers close up),
footnotes numbered in the order the document meets them, and the version and status that the footer and the
watermark show. The renderers in `maca.audits.tor.render` (HTML, PDF) and `maca.audits.tor.docx` (DOCX) only lay
this out, so the three formats say the same thing.
"""

import base64
import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import ClassVar, Literal

from maca.audits.schema import AuditDefinition, Participant, WiderAudit
from maca.common.richtext import BulletList, FootnoteNumbering, parse_blocks, parse_inline
from maca.common.richtext import Paragraph as SourceParagraph

Status = Literal["draft", "in_review", "approved"]
STATUSES: tuple[Status, ...] = ("draft", "in_review", "approved")
LOGO_TYPES = frozenset({"image/png", "image/jpeg", "image/svg+xml"})
TITLE_LEAD = "Terms of Reference for"
WATERMARK = "Draft"

# English month names whatever the server's locale: the document is in British English.
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True)
class Logo:
    """The partnership's logo, shown on the title page."""

    content: bytes = field(repr=False)
    content_type: str

    def __post_init__(self) -> None:
        if self.content_type not in LOGO_TYPES:
            raise ValueError(f"a logo must be PNG, JPEG or SVG, not {self.content_type!r}")
        if not self.content:
            raise ValueError("the logo is empty")

    @property
    def is_svg(self) -> bool:
        return self.content_type == "image/svg+xml"

    @property
    def data_uri(self) -> str:
        """The logo inline, so that no renderer fetches anything."""
        return f"data:{self.content_type};base64,{base64.b64encode(self.content).decode('ascii')}"


@dataclass(frozen=True)
class Footnote:
    number: int
    text: str


@dataclass(frozen=True)
class Span:
    """A piece of a paragraph: text, or (when `footnote` is set) the call of that footnote."""

    text: str
    footnote: Footnote | None = None


@dataclass(frozen=True)
class Paragraph:
    spans: tuple[Span, ...]
    is_list: ClassVar[bool] = False

    @property
    def plain(self) -> str:
        """The paragraph's text without its footnote calls."""
        return "".join(span.text for span in self.spans)


@dataclass(frozen=True)
class Bullets:
    items: tuple[Paragraph, ...]
    is_list: ClassVar[bool] = True


Block = Paragraph | Bullets


@dataclass(frozen=True)
class Subsection:
    """A sub-heading and what follows it: "Theme 1: Responses", "6a. Case Audit – where involved"."""

    heading: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Section:
    """A numbered section. `key` names what it is (background, ..., timeline), whatever its heading says."""

    key: str
    number: int
    title: str
    blocks: tuple[Block, ...] = ()
    subsections: tuple[Subsection, ...] = ()

    @property
    def heading(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def anchor(self) -> str:
        return f"tor-section-{self.key}"


@dataclass(frozen=True)
class TorDocument:
    """Everything the Terms of Reference shows, in order."""

    reference: str
    partnership_name: str
    title_lead: str
    title: str
    short_title: str
    sections: tuple[Section, ...]
    footnotes: tuple[Footnote, ...]
    footer_title: str
    version_date: str
    version: int
    status: Status
    version_label: str
    watermark: str | None
    logo: Logo | None = None

    @property
    def is_draft(self) -> bool:
        return self.watermark is not None

    @property
    def document_title(self) -> str:
        """The title a reader's window or file properties show."""
        return f"{self.title_lead} {self.title}"

    @property
    def footer_lines(self) -> tuple[str, str]:
        """What the footer of every page says: the short title, then the version date and the version."""
        return self.footer_title, f"{self.version_date} · {self.version_label}"


def tor_document(
    definition: AuditDefinition,
    *,
    partnership_name: str,
    agency_names: Mapping[str, str],
    version: int,
    status: str,
    approved_on: datetime.date | None = None,
    logo: Logo | None = None,
) -> TorDocument:
    """The Terms of Reference of `definition` as the partnership publishes it, in version `version`.

    `agency_names` maps an agency's short code to the name the document shows (the code itself when missing).
    `status` is "draft", "in_review" or "approved"; anything but approved is watermarked "Draft".
    """
    if status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
    if version < 1:
        raise ValueError("versions are numbered from 1")
    builder = _Builder(agency_names)
    sections = builder.sections(definition)
    checked_status = next(known for known in STATUSES if known == status)  # the Literal, even from a StrEnum
    return TorDocument(
        reference=definition.reference,
        partnership_name=partnership_name,
        title_lead=TITLE_LEAD,
        title=definition.title,
        short_title=definition.short_title,
        sections=sections,
        footnotes=tuple(Footnote(number, text) for number, text in enumerate(builder.numbering.notes, start=1)),
        footer_title=f"ToR for {definition.short_title}",
        version_date=format_month(definition.version_date),
        version=version,
        status=checked_status,
        version_label=version_label(version, checked_status, approved_on),
        watermark=None if checked_status == "approved" else WATERMARK,
        logo=logo,
    )


def version_label(version: int, status: Status, approved_on: datetime.date | None = None) -> str:
    """The version as the document names it: "Version 2, approved 3 July 2021", "Draft of version 2", ..."""
    if status == "approved":
        return f"Version {version}, approved {format_day(approved_on)}" if approved_on else f"Version {version}"
    if status == "in_review":
        return f"Version {version}, in review"
    return f"Draft of version {version}"


def format_month(date: datetime.date) -> str:
    """The month in words: "July 2021"."""
    return f"{MONTHS[date.month - 1]} {date.year}"


def format_day(date: datetime.date) -> str:
    """The day in words: "15 July 2021" (no leading zero)."""
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def participant_line(participant: Participant, agency_names: Mapping[str, str]) -> str:
    """A participant's bullet: "Health – Public Health Nursing, CAMHS" (or its `services_text`), or just the name."""
    name = agency_names.get(participant.agency) or participant.agency
    services = participant.services_text or ", ".join(participant.services)
    return f"{name} – {services}" if services else name


def wider_audit_heading(heading: str, wider_audit: WiderAudit) -> str:
    """The 6b heading, naming the framework ("Wider Partnership audit using the NSPCC Framework").

    A heading that already names the framework (or says what it uses) is kept as the partnership wrote it.
    """
    framework = wider_audit.framework
    bare = framework[4:] if framework.lower().startswith("the ") else framework
    if bare.lower() in heading.lower() or " using " in f" {heading.lower()} ":
        return heading
    return f"{heading} using the {bare}"


class _Builder:
    """Builds the sections in document order, numbering sections and footnotes as it meets them."""

    def __init__(self, agency_names: Mapping[str, str]) -> None:
        self.agency_names = agency_names
        self.numbering = FootnoteNumbering()
        self.found: list[Section] = []

    def sections(self, definition: AuditDefinition) -> tuple[Section, ...]:
        headings = definition.headings
        self.add("background", headings.background, self.prose(definition.background))
        self.add("definitions", headings.definitions, self.prose(definition.definitions))
        self.add("purpose", headings.purpose, self.prose(definition.purpose))
        themes = tuple(
            Subsection(
                f"Theme {number}: {theme.name}",
                tuple(block for objective in theme.objectives for block in self.prose(objective)),
            )
            for number, theme in enumerate(definition.themes, start=1)
        )
        self.add("objectives", headings.objectives, (), themes)
        self.add("identification", headings.identification, self.prose(definition.identification.text))
        self.engagement(definition)
        milestones = tuple(
            self.inline(f"{milestone.text} {format_planned(milestone.planned_date, milestone.planned_is_month)}")
            for milestone in definition.timeline
        )
        self.add("timeline", headings.timeline, milestones)
        return tuple(self.found)

    def engagement(self, definition: AuditDefinition) -> None:
        engagement = definition.engagement
        headings = definition.headings
        number = len(self.found) + 1
        blocks = self.prose(engagement.text)
        subsections = [Subsection(f"{number}a. {headings.case_audit}", self.participants(engagement.case_audit))]
        if engagement.wider_audit is not None:
            wider = engagement.wider_audit
            subsections.append(
                Subsection(
                    f"{number}b. {wider_audit_heading(headings.wider_audit, wider)}",
                    self.participants(wider.participants),
                )
            )
        self.add("engagement", headings.engagement, blocks, tuple(subsections))

    def add(self, key: str, title: str, blocks: tuple[Block, ...], subsections: tuple[Subsection, ...] = ()) -> None:
        if blocks or subsections:
            self.found.append(Section(key, len(self.found) + 1, title, blocks, subsections))

    def participants(self, participants: Iterable[Participant]) -> tuple[Block, ...]:
        items = tuple(self.inline(participant_line(p, self.agency_names)) for p in participants)
        return (Bullets(items),) if items else ()

    def prose(self, text: str) -> tuple[Block, ...]:
        blocks: list[Block] = []
        for block in parse_blocks(text):
            if isinstance(block, BulletList):
                blocks.append(Bullets(tuple(self.paragraph(item) for item in block.items)))
            else:
                blocks.append(self.paragraph(block))
        return tuple(blocks)

    def inline(self, text: str) -> Paragraph:
        return self.paragraph(parse_inline(text))

    def paragraph(self, source: SourceParagraph) -> Paragraph:
        spans: list[Span] = []
        for run in source.runs:
            if run.footnote is None:
                spans.append(Span(run.text))
            else:
                spans.append(Span("", Footnote(self.numbering.number(run.footnote), run.footnote)))
        return Paragraph(tuple(spans))


def format_planned(date: datetime.date, is_month: bool) -> str:
    return format_month(date) if is_month else format_day(date)
