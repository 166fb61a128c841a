"""The Terms of Reference as a Word document (python-docx), in the seed's shape.

Sections are Heading 1 paragraphs and their sub-sections Heading 2, bullets use the List Bullet style, and footnotes
are real Word footnotes: python-docx has no API for them, so this module adds the `word/footnotes.xml` part (with
the separator and continuation separator footnotes Word requires), relates it to the document, declares the
separators in the settings and puts `w:footnoteReference` runs in the text. Every page's footer carries the short
title, the version date, the version and the page number; a document that is not approved has "DRAFT" in its header
and as a watermark (a VML text shape, as Word's own watermarks are). The page, styles, footer, draft marking and SVG
pictures are those every maca Word document shares (`maca.common.docx`).
"""

import io
import logging
from typing import Final

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.image.exceptions import InvalidImageStreamError, UnexpectedEndOfFileError, UnrecognizedImageError
from docx.image.image import Image
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Length, Pt
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph as WordParagraph

from maca.audits.tor.context import Block, Footnote, Logo, Paragraph, TorDocument
from maca.common.docx import (
    DRAFT_RED,
    GREY,
    add_svg_picture,
    base_styles,
    builtin_style,
    draft_header,
    page_footer,
    page_setup,
    paragraph_style,
    svg_size,
)

logger = logging.getLogger(__name__)

LOGO_MAX_WIDTH: Final = Cm(6)
LOGO_MAX_HEIGHT: Final = Cm(3.5)

# The footnote ids Word reserves for the separator lines above the footnotes.
SEPARATOR_IDS: Final = (-1, 0)


def render_docx(doc: TorDocument) -> bytes:
    """The document as the bytes of a .docx file."""
    word = Document()
    page_setup(word)
    _styles(word)
    _properties(word, doc)
    page_footer(word, *doc.footer_lines)
    if doc.watermark:
        draft_header(word, doc.watermark.upper())
    notes = _Footnotes(word)
    _title_block(word, doc)
    for section in doc.sections:
        word.add_heading(section.heading, level=1)
        _blocks(word, section.blocks, notes)
        for subsection in section.subsections:
            word.add_heading(subsection.heading, level=2)
            _blocks(word, subsection.blocks, notes)
    notes.attach(doc.footnotes)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _styles(word: WordDocument) -> None:
    """The shared styles, and Word's footnote styles (which python-docx's template lacks)."""
    base_styles(word)
    footnote_text = builtin_style(word, "footnote text", "FootnoteText", WD_STYLE_TYPE.PARAGRAPH)
    assert isinstance(footnote_text, ParagraphStyle)
    footnote_text.base_style = paragraph_style(word, "Normal")
    footnote_text.font.size = Pt(9)
    footnote_text.paragraph_format.space_after = Pt(0)
    footnote_reference = builtin_style(word, "footnote reference", "FootnoteReference", WD_STYLE_TYPE.CHARACTER)
    footnote_reference.font.superscript = True


def _properties(word: WordDocument, doc: TorDocument) -> None:
    properties = word.core_properties
    properties.title = doc.document_title
    properties.subject = doc.short_title
    properties.author = doc.partnership_name
    properties.last_modified_by = doc.partnership_name
    properties.comments = doc.version_label
    properties.keywords = "Terms of Reference; Multi-Agency Case Audit"
    properties.version = str(doc.version)
    properties.language = "en-GB"


def _title_block(word: WordDocument, doc: TorDocument) -> None:
    if doc.logo is not None:
        _logo(word, doc.logo)
    partnership = word.add_paragraph()
    run = partnership.add_run(doc.partnership_name)
    run.bold = True
    run.font.size = Pt(14)
    lead = word.add_paragraph()
    lead.add_run(doc.title_lead).font.size = Pt(14)
    lead.paragraph_format.space_after = Pt(2)
    word.add_paragraph(doc.title, style="Title")
    version = word.add_paragraph()
    label = version.add_run(doc.version_label)
    label.font.color.rgb = DRAFT_RED if doc.is_draft else GREY
    label.bold = doc.is_draft


def _logo(word: WordDocument, logo: Logo) -> None:
    """The logo above the title; one that cannot be read is left out (and logged) rather than failing the document."""
    try:
        width, height = svg_size(logo.content) if logo.is_svg else _logo_size(Image.from_blob(logo.content))
    except (ValueError, UnrecognizedImageError, UnexpectedEndOfFileError, InvalidImageStreamError) as error:
        logger.warning("The logo (%s) cannot be read; the document goes without it: %r", logo.content_type, error)
        return
    paragraph = word.add_paragraph()
    if logo.is_svg:
        add_svg_picture(
            word,
            paragraph,
            logo.content,
            name="Logo",
            description="Logo",
            max_width=LOGO_MAX_WIDTH,
            max_height=LOGO_MAX_HEIGHT,
        )
    else:
        paragraph.add_run().add_picture(io.BytesIO(logo.content), width=width, height=height)


def _logo_size(image: Image) -> tuple[Length, Length]:
    """The logo's size on the page: its own, made to fit in LOGO_MAX_WIDTH by LOGO_MAX_HEIGHT."""
    width, height = image.width, image.height
    scale = min(1.0, LOGO_MAX_WIDTH / width, LOGO_MAX_HEIGHT / height)
    return Length(int(width * scale)), Length(int(height * scale))


def _blocks(word: WordDocument, blocks: tuple[Block, ...], notes: "_Footnotes") -> None:
    for block in blocks:
        if isinstance(block, Paragraph):
            notes.write(word.add_paragraph(), block)
        else:
            for item in block.items:
                notes.write(word.add_paragraph(style="List Bullet"), item)


class _Footnotes:
    """The document's footnotes part: calls go in as the text is written, the part is attached at the end."""

    def __init__(self, word: WordDocument) -> None:
        self.word = word
        self.called: list[int] = []

    def write(self, paragraph: WordParagraph, source: Paragraph) -> None:
        for span in source.spans:
            if span.footnote is None:
                paragraph.add_run(span.text)
            else:
                paragraph._p.append(self._reference(span.footnote))

    def _reference(self, footnote: Footnote) -> BaseOxmlElement:
        self.called.append(footnote.number)
        run = OxmlElement("w:r")
        properties = OxmlElement("w:rPr")
        style = OxmlElement("w:rStyle")
        style.set(qn("w:val"), "FootnoteReference")
        properties.append(style)
        run.append(properties)
        reference = OxmlElement("w:footnoteReference")
        reference.set(qn("w:id"), str(footnote.number))
        run.append(reference)
        return run

    def attach(self, footnotes: tuple[Footnote, ...]) -> None:
        """Add `word/footnotes.xml` with every footnote called in the text (and the separators)."""
        if sorted(self.called) != [footnote.number for footnote in footnotes]:
            raise ValueError("the text calls footnotes that the document does not hold, or the reverse")
        root = parse_xml(f"<w:footnotes {nsdecls('w', 'r')}/>")
        root.append(_separator(SEPARATOR_IDS[0], "separator"))
        root.append(_separator(SEPARATOR_IDS[1], "continuationSeparator"))
        for footnote in footnotes:
            root.append(_footnote(footnote))
        part = XmlPart(PackURI("/word/footnotes.xml"), CONTENT_TYPE.WML_FOOTNOTES, root, self.word.part.package)
        self.word.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)
        _declare_separators(self.word)


def _separator(footnote_id: int, kind: str) -> BaseOxmlElement:
    return parse_xml(
        f'<w:footnote {nsdecls("w")} w:type="{kind}" w:id="{footnote_id}">'
        '<w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
        f"<w:r><w:{kind}/></w:r></w:p></w:footnote>"
    )


def _footnote(footnote: Footnote) -> BaseOxmlElement:
    element = parse_xml(f'<w:footnote {nsdecls("w")} w:id="{footnote.number}"/>')
    paragraph = OxmlElement("w:p")
    properties = OxmlElement("w:pPr")
    style = OxmlElement("w:pStyle")
    style.set(qn("w:val"), "FootnoteText")
    properties.append(style)
    paragraph.append(properties)
    mark = parse_xml(f'<w:r {nsdecls("w")}><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>')
    paragraph.append(mark)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    text.text = f" {footnote.text}"
    run.append(text)
    paragraph.append(run)
    element.append(paragraph)
    return element


def _declare_separators(word: WordDocument) -> None:
    """`w:footnotePr` in the settings names the separator footnotes, as Word writes it."""
    settings = word.settings.element
    footnote_properties = parse_xml(
        f'<w:footnotePr {nsdecls("w")}><w:footnote w:id="{SEPARATOR_IDS[0]}"/>'
        f'<w:footnote w:id="{SEPARATOR_IDS[1]}"/></w:footnotePr>'
    )
    # The schema orders the settings: w:footnotePr comes before these.
    successors = ("w:endnotePr", "w:compat", "w:docVars", "w:rsids", "m:mathPr", "w:themeFontLang")
    for name in successors:
        found = settings.find(qn(name))
        if found is not None:
            found.addprevious(footnote_properties)
            return
    settings.append(footnote_properties)
