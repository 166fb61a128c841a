"""What maca's Word documents (python-docx) share: the page, the styles, the footer, the draft marking, SVG pictures.

Every document is A4 with 2 cm margins and Arial throughout (the template's theme fonts removed, so no reader
substitutes Calibri). Its footer carries a line of text and "Page X of Y" (fields the reader fills in). A draft has
its watermark word in the header and as Word's own text watermark (a VML WordArt shape behind every page).

SVG pictures: python-docx only places PNG, JPEG, GIF, BMP and TIFF pictures. Word 2016 and later draw a picture's
`asvg:svgBlip` extension; the ordinary `a:blip`, which Word keeps for readers without SVG support, is meant to hold
a PNG rendering, but maca has no rasteriser, so it names the same SVG part: LibreOffice draws that, and Word before
2016 shows an empty picture frame.
"""

import re
from html import escape
from typing import Final

from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Length, Pt, RGBColor, Twips
from docx.styles.style import CharacterStyle, ParagraphStyle
from docx.text.paragraph import Paragraph as WordParagraph
from docx.text.run import Run
from lxml import etree  # type: ignore[import-untyped]

PAGE_WIDTH: Final = Cm(21)
PAGE_HEIGHT: Final = Cm(29.7)
MARGIN: Final = Cm(2)
TEXT_WIDTH: Final = Cm(17)
FONT: Final = "Arial"
BLACK: Final = RGBColor(0x0B, 0x0C, 0x0C)
DRAFT_RED: Final = RGBColor(0xD4, 0x35, 0x1C)
GREY: Final = RGBColor(0x50, 0x5A, 0x5F)
HEADING_SIZES: Final = (("Title", 22), ("Heading 1", 14), ("Heading 2", 12), ("Heading 3", 11))

SVG_NAMESPACE: Final = "http://www.w3.org/2000/svg"
SVG_BLIP_EXTENSION: Final = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
LENGTH: Final = re.compile(r"^\s*([0-9.]+)\s*(px|pt|mm|cm|in)?\s*$")
EMU_PER_PX: Final = 9525  # at 96 dpi
EMU_PER_UNIT: Final = {"px": 9525, "pt": 12700, "mm": 36000, "cm": 360000, "in": 914400}
DEFAULT_SVG_SIZE: Final = (300 * EMU_PER_PX, 100 * EMU_PER_PX)


def page_setup(word: WordDocument) -> None:
    """The document's (only) section is A4, portrait, with 2 cm margins: a text width of 17 cm."""
    section = word.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin = section.right_margin = MARGIN
    section.top_margin = section.bottom_margin = MARGIN


def base_styles(word: WordDocument) -> None:
    """Normal is Arial 11 pt; Title and Heading 1 to 3 are bold, near-black Arial; no style uses a theme font."""
    normal = paragraph_style(word, "Normal")
    normal.font.name = FONT
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    for name, size in HEADING_SIZES:
        style = paragraph_style(word, name)
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.color.rgb = BLACK
        style.font.bold = True
    no_theme_fonts(word)


def paragraph_style(word: WordDocument, name: str) -> ParagraphStyle:
    """The paragraph style `name` (one of the template's); fails if it is not a paragraph style."""
    style = word.styles[name]
    assert isinstance(style, ParagraphStyle)
    return style


def builtin_style(word: WordDocument, name: str, style_id: str, kind: WD_STYLE_TYPE) -> CharacterStyle:
    """One of Word's own styles that python-docx's template lacks, under Word's name, so Word knows it as its own."""
    style = word.styles.add_style(name, kind, builtin=True)
    assert isinstance(style, CharacterStyle)  # paragraph styles are character styles too
    style.style_id = style_id
    return style


def no_theme_fonts(word: WordDocument) -> None:
    """Arial everywhere: the template's theme fonts (Calibri, Calibri Light) would otherwise win over it."""
    for fonts in word.styles.element.iter(qn("w:rFonts")):
        for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attribute), None)
        fonts.set(qn("w:ascii"), FONT)
        fonts.set(qn("w:hAnsi"), FONT)
        fonts.set(qn("w:cs"), FONT)


def small(run: Run) -> Run:
    """The run in small grey type (9 pt), as the footer and notes are set."""
    run.font.size = Pt(9)
    run.font.color.rgb = GREY
    return run


def page_footer(word: WordDocument, first_line: str, *more_lines: str) -> None:
    """Every page's footer: `first_line` with "Page X of Y" at the right margin, then each of `more_lines`."""
    footer = word.sections[0].footer
    first = footer.paragraphs[0]
    # The Footer style's own tab stops assume US Letter; one right-aligned stop at the A4 text width instead.
    for position in (Twips(4680), Twips(9360)):
        first.paragraph_format.tab_stops.add_tab_stop(position, WD_TAB_ALIGNMENT.CLEAR)
    first.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    small(first.add_run(first_line))
    small(first.add_run("\tPage "))
    first._p.append(field("PAGE", "1"))
    small(first.add_run(" of "))
    first._p.append(field("NUMPAGES", "1"))
    for line in more_lines:
        small(footer.add_paragraph().add_run(line))


def field(instruction: str, placeholder: str) -> BaseOxmlElement:
    """A simple field (PAGE, NUMPAGES) that the reader fills in, in the footer's small grey type."""
    return parse_xml(
        f'<w:fldSimple {nsdecls("w")} w:instr=" {instruction} ">'
        f'<w:r><w:rPr><w:color w:val="{GREY}"/><w:sz w:val="18"/></w:rPr><w:t>{escape(placeholder)}</w:t></w:r>'
        "</w:fldSimple>"
    )


def draft_header(word: WordDocument, text: str) -> None:
    """Every page's header says `text` (bold, red, centred) and carries it as a watermark behind the page."""
    header = word.sections[0].header
    paragraph = header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = True
    run.font.size = Pt(16)
    run.font.color.rgb = DRAFT_RED
    run.font.name = FONT
    paragraph.add_run()._r.append(watermark_pict(text))


def watermark_pict(text: str) -> BaseOxmlElement:
    """Word's own text watermark: a VML WordArt shape behind the text of every page."""
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
        f'<v:textpath style="font-family:&quot;{FONT}&quot;;font-size:1pt" string="{escape(text)}"/>'
        "</v:shape></w:pict>"
    )


def svg_size(svg: bytes) -> tuple[int, int]:
    """The SVG's intrinsic size in EMU, from its width and height or else its viewBox (as pixels), or else
    300 by 100 pixels. Raises ValueError unless `svg` is well-formed XML with an <svg> root."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(svg, parser)
    except etree.XMLSyntaxError as error:
        raise ValueError(f"the SVG is not well-formed XML: {error}") from error
    if root.tag not in (f"{{{SVG_NAMESPACE}}}svg", "svg"):
        raise ValueError("the SVG's root element is not <svg>")
    width, height = _length(root.get("width")), _length(root.get("height"))
    if width and height:
        return width, height
    box = (root.get("viewBox") or "").replace(",", " ").split()
    if len(box) == 4:
        try:
            box_width, box_height = float(box[2]), float(box[3])
        except ValueError:
            box_width = box_height = 0
        if box_width > 0 and box_height > 0:
            return int(box_width * EMU_PER_PX), int(box_height * EMU_PER_PX)
    return DEFAULT_SVG_SIZE


def _length(value: str | None) -> int | None:
    match = LENGTH.match(value or "")
    if not match or float(match.group(1)) <= 0:
        return None
    return int(float(match.group(1)) * EMU_PER_UNIT[match.group(2) or "px"])


def fit(width: int, height: int, max_width: Length, max_height: Length) -> tuple[int, int]:
    """The size scaled down, keeping its proportions, to fit in `max_width` by `max_height` (never scaled up)."""
    scale = min(1.0, max_width / width, max_height / height)
    return int(width * scale), int(height * scale)


def add_svg_picture(
    word: WordDocument,
    paragraph: WordParagraph,
    svg: bytes,
    *,
    name: str,
    description: str,
    max_width: Length,
    max_height: Length,
) -> None:
    """The SVG as an inline picture at the end of `paragraph` (a paragraph of the document's body), in its own
    image part, at its own size fitted in the maximum size, with `description` as its alternative text and a
    drawing id unique in the body. Raises ValueError (and adds nothing) if the SVG cannot be read."""
    width, height = fit(*svg_size(svg), max_width, max_height)
    part = word.part
    package = part.package
    partname = package.next_partname("/word/media/image%d.svg")
    rid = part.relate_to(Part(partname, "image/svg+xml", svg, package), RELATIONSHIP_TYPE.IMAGE)
    xml = svg_picture_xml(rid, part.next_id, width, height, name=name, description=description)
    paragraph.add_run()._r.append(parse_xml(xml))


def svg_picture_xml(rid: str, shape_id: int, width: int, height: int, *, name: str, description: str) -> str:
    """An inline picture (`w:drawing`) `width` by `height` EMU showing the SVG image part related as `rid`, with
    `shape_id` as its drawing id (`wp:docPr`), which must be unique in the document."""
    return (
        '<w:drawing xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
        ' xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"'
        ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
        ' xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"'
        ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{width}" cy="{height}"/>'
        f'<wp:docPr id="{shape_id}" name="{escape(name)}" descr="{escape(description)}"/>'
        '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        f'<pic:pic><pic:nvPicPr><pic:cNvPr id="0" name="image{shape_id}.svg"/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip r:embed="{rid}"><a:extLst><a:ext uri="{SVG_BLIP_EXTENSION}">'
        '<asvg:svgBlip xmlns:asvg="http://schemas.microsoft.com/office/drawing/2016/SVG/main"'
        f' r:embed="{rid}"/></a:ext></a:extLst></a:blip>'
        "<a:stretch><a:fillRect/></a:stretch></pic:blipFill>"
        f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{width}" cy="{height}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>'
        "</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing>"
    )
