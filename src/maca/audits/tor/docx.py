"""The Terms of Reference as a Word document (python-docx), in the seed's shape.

Sections are Heading 1 paragraphs and their sub-sections Heading 2, bullets use the List Bullet style, and footnotes
are real Word footnotes: python-docx has no API for them, so this module adds the `word/footnotes.xml` part (with
the separator and continuation separator footnotes Word requires), relates it to the document, declares the
separators in the settings and puts `w:footnoteReference` runs in the text. Every page's footer carries the short
title, the version date, the version and the page number; a document that is not approved has "DRAFT" in its header
and a "Draft" watermark (a VML text shape, as Word's own watermarks are).
"""

import io
import logging
from typing import Final

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.image.exceptions import InvalidImageStreamError, UnexpectedEndOfFileError, UnrecognizedImageError
from docx.image.image import Image
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Length, Pt, RGBColor, Twips
from docx.styles.style import CharacterStyle, ParagraphStyle
from docx.text.paragraph import Paragraph as WordParagraph
from docx.text.run import Run

from maca.audits.tor.context import Block, Footnote, Logo, Paragraph, TorDocument
from maca.audits.tor.svg import svg_picture_xml, svg_size

logger = logging.getLogger(__name__)

PAGE_WIDTH: Final = Cm(21)
PAGE_HEIGHT: Final = Cm(29.7)
MARGIN: Final = Cm(2)
TEXT_WIDTH: Final = Cm(17)
LOGO_MAX_WIDTH: Final = Cm(6)
LOGO_MAX_HEIGHT: Final = Cm(3.5)
FONT: Final = "Arial"
DRAFT_RED: Final = RGBColor(0xD4, 0x35, 0x1C)
GREY: Final = RGBColor(0x50, 0x5A, 0x5F)

# The footnote ids Word reserves for the separator lines above the footnotes.
SEPARATOR_IDS: Final = (-1, 0)


def render_docx(doc: TorDocument) -> bytes:
    """The document as the bytes of a .docx file."""
    word = Document()
    _page_setup(word)
    _styles(word)
    _properties(word, doc)
    _footer(word, doc)
    if doc.watermark:
        _draft_header(word, doc.watermark)
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


def _page_setup(word: WordDocument) -> None:
    section = word.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin = section.right_margin = MARGIN
    section.top_margin = section.bottom_margin = MARGIN


def _styles(word: WordDocument) -> None:
    styles = word.styles
    normal = styles["Normal"]
    assert isinstance(normal, ParagraphStyle)
    normal.font.name = FONT
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    for name, size in (("Title", 22), ("Heading 1", 14), ("Heading 2", 12)):
        style = styles[name]
        assert isinstance(style, ParagraphStyle)
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor(0x0B, 0x0C, 0x0C)
        style.font.bold = True
    _no_theme_fonts(word)
    footnote_text = _builtin_style(word, "footnote text", "FootnoteText", WD_STYLE_TYPE.PARAGRAPH)
    assert isinstance(footnote_text, ParagraphStyle)
    footnote_text.base_style = normal
    footnote_text.font.size = Pt(9)
    footnote_text.paragraph_format.space_after = Pt(0)
    footnote_reference = _builtin_style(word, "footnote reference", "FootnoteReference", WD_STYLE_TYPE.CHARACTER)
    footnote_reference.font.superscript = True


def _builtin_style(word: WordDocument, name: str, style_id: str, kind: WD_STYLE_TYPE) -> CharacterStyle:
    """One of Word's own styles that python-docx's template lacks, under Word's name, so Word knows it as its own."""
    style = word.styles.add_style(name, kind, builtin=True)
    assert isinstance(style, CharacterStyle)  # paragraph styles are character styles too
    style.style_id = style_id
    return style


def _no_theme_fonts(word: WordDocument) -> None:
    """Arial everywhere: the template's theme fonts (Calibri, Calibri Light) would otherwise win over it."""
    for fonts in word.styles.element.iter(qn("w:rFonts")):
        for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attribute), None)
        fonts.set(qn("w:ascii"), FONT)
        fonts.set(qn("w:hAnsi"), FONT)
        fonts.set(qn("w:cs"), FONT)


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
        _svg_picture(word, paragraph, logo)
    else:
        paragraph.add_run().add_picture(io.BytesIO(logo.content), width=width, height=height)


def _logo_size(image: Image) -> tuple[Length, Length]:
    """The logo's size on the page: its own, made to fit in LOGO_MAX_WIDTH by LOGO_MAX_HEIGHT."""
    width, height = image.width, image.height
    scale = min(1.0, LOGO_MAX_WIDTH / width, LOGO_MAX_HEIGHT / height)
    return Length(int(width * scale)), Length(int(height * scale))


def _svg_picture(word: WordDocument, paragraph: WordParagraph, logo: Logo) -> None:
    """An SVG logo, as Word 2016 and later hold one (see `maca.audits.tor.svg`)."""
    package = word.part.package
    partname = package.next_partname("/word/media/image%d.svg")
    rid = word.part.relate_to(Part(partname, "image/svg+xml", logo.content, package), RELATIONSHIP_TYPE.IMAGE)
    xml = svg_picture_xml(logo, rid, LOGO_MAX_WIDTH, LOGO_MAX_HEIGHT)
    paragraph.add_run()._r.append(parse_xml(xml))


def _blocks(word: WordDocument, blocks: tuple[Block, ...], notes: "_Footnotes") -> None:
    for block in blocks:
        if isinstance(block, Paragraph):
            notes.write(word.add_paragraph(), block)
        else:
            for item in block.items:
                notes.write(word.add_paragraph(style="List Bullet"), item)


def _footer(word: WordDocument, doc: TorDocument) -> None:
    footer = word.sections[0].footer
    title_line, version_line = doc.footer_lines
    first = footer.paragraphs[0]
    # The Footer style's own tab stops assume US Letter; one right-aligned stop at the A4 text width instead.
    for position in (Twips(4680), Twips(9360)):
        first.paragraph_format.tab_stops.add_tab_stop(position, WD_TAB_ALIGNMENT.CLEAR)
    first.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    _small(first.add_run(title_line))
    _small(first.add_run("\tPage "))
    first._p.append(_field("PAGE", "1"))
    _small(first.add_run(" of "))
    first._p.append(_field("NUMPAGES", "1"))
    _small(footer.add_paragraph().add_run(version_line))


def _small(run: Run) -> None:
    run.font.size = Pt(9)
    run.font.color.rgb = GREY


def _field(instruction: str, placeholder: str) -> BaseOxmlElement:
    """A simple field (PAGE, NUMPAGES) that the reader fills in."""
    return parse_xml(
        f'<w:fldSimple {nsdecls("w")} w:instr=" {instruction} ">'
        f'<w:r><w:rPr><w:color w:val="505A5F"/><w:sz w:val="18"/></w:rPr><w:t>{placeholder}</w:t></w:r>'
        "</w:fldSimple>"
    )


def _draft_header(word: WordDocument, watermark: str) -> None:
    header = word.sections[0].header
    paragraph = header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(watermark.upper())
    run.bold = True
    run.font.size = Pt(16)
    run.font.color.rgb = DRAFT_RED
    run.font.name = FONT
    paragraph.add_run()._r.append(_watermark_pict(watermark.upper()))


def _watermark_pict(text: str) -> BaseOxmlElement:
    """Word's own text watermark: a VML WordArt shape behind the text of every page."""
    escaped = text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return parse_xml(
        '<w:pict xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
        ' xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office">'
        '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800"'
        ' path="m@7,l@8,m@5,21600l@6,21600e">'
        '<v:formulas><v:f eqn="sum #0 0 10800"/><v:f eqn="prod #0 2 1"/><v:f eqn="sum 21600 0 @1"/>'
        '<v:f eqn="sum 0 0 @2"/><v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/><v:f eqn="if @0 21600 @1"/>'
        '<v:f eqn="if @0 0 @2"/><v:f eqn="if @0 @4 21600"/><v:f eqn="mid @5 @6"/><v:f eqn="mid @8 @5"/>'
        '<v:f eqn="mid @7 @8"/><v:f eqn="mid @6 @7"/><v:f eqn="sum @6 0 @5"/></v:formulas>'
        '<v:path textpathok="t" o:connecttype="custom" o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800"'
        ' o:connectangles="270,180,90,0"/>'
        '<v:textpath on="t" fitshape="t"/><o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>'
        '<v:shape id="PowerPlusWaterMarkObject1" o:spid="_x0000_s1025" type="#_x0000_t136"'
        ' style="position:absolute;margin-left:0;margin-top:0;width:440pt;height:140pt;rotation:315;'
        "z-index:-251657216;mso-position-horizontal:center;mso-position-horizontal-relative:margin;"
        'mso-position-vertical:center;mso-position-vertical-relative:margin" o:allowincell="f"'
        ' fillcolor="silver" stroked="f">'
        '<v:fill opacity=".35"/>'
        f'<v:textpath style="font-family:&quot;{FONT}&quot;;font-size:1pt" string="{escaped}"/>'
        "</v:shape></w:pict>"
    )


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
