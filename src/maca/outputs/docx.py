"""An output (`maca.outputs.document.Document`) as a Word document (python-docx).

Laid out as maca's other Word documents are (`maca.common.docx`: A4, 2 cm margins, Arial, the footer with "Page X
of Y", a draft's header and watermark): the title block, then each section as Heading 1, its sub-sections as
Heading 2 and any deeper as Heading 3. Links are real hyperlinks; bullet and numbered lists use Word's list styles,
each numbered list counting from 1; tables are Word tables whose header row repeats on every page; a chart is its
SVG as a vector picture, with its description as the picture's alternative text, followed by its data table.
"""

import io
from typing import Final

import docx
from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table as WordTable
from docx.text.paragraph import Paragraph as WordParagraph

from maca.common.docx import (
    BLACK,
    DRAFT_RED,
    GREY,
    TEXT_WIDTH,
    add_svg_picture,
    base_styles,
    builtin_style,
    draft_header,
    page_footer,
    page_setup,
    paragraph_style,
    small,
)
from maca.outputs.document import Block, Bullets, Chart, Document, Paragraph, Section, Span, Table

TABLE_STYLE: Final = "Table Grid"
CHART_MAX_HEIGHT: Final = Cm(20)
LINK_BLUE: Final = RGBColor(0x1D, 0x70, 0xB8)
# Only these work from a file; a relative link ("/audits/…") is written as its text.
LINKABLE: Final = ("https://", "http://", "mailto:")
KIND_NAMES: Final = {"briefing": "Briefing", "report": "Report"}
DEEPEST_HEADING: Final = 3


def render_docx(doc: Document) -> bytes:
    """The document as the bytes of a .docx file: every word of `doc.text()` in the same order, with each chart's
    SVG as a picture before its table."""
    word = docx.Document()
    page_setup(word)
    _styles(word)
    _properties(word, doc)
    page_footer(word, doc.footer)
    if doc.watermark:
        draft_header(word, doc.watermark)
    _title_block(word, doc)
    for section in doc.sections:
        _section(word, section, level=1)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _styles(word: WordDocument) -> None:
    """The shared styles, a plain Subtitle and Caption, and Word's Hyperlink style (which python-docx's template
    lacks)."""
    base_styles(word)
    subtitle = paragraph_style(word, "Subtitle")
    subtitle.font.size = Pt(14)
    subtitle.font.italic = False
    subtitle.font.color.rgb = BLACK
    caption = paragraph_style(word, "Caption")
    caption.font.size = Pt(10)
    caption.font.bold = True
    caption.font.italic = False
    caption.font.color.rgb = BLACK
    caption.paragraph_format.space_before = Pt(6)
    caption.paragraph_format.keep_with_next = True
    hyperlink = builtin_style(word, "Hyperlink", "Hyperlink", WD_STYLE_TYPE.CHARACTER)
    hyperlink.font.color.rgb = LINK_BLUE
    hyperlink.font.underline = True


def _properties(word: WordDocument, doc: Document) -> None:
    audience = _lower_first(doc.audience_label)
    kind = KIND_NAMES.get(doc.kind, doc.kind.capitalize())
    properties = word.core_properties
    properties.title = doc.document_title
    properties.subject = f"{kind} for {audience}"
    properties.author = doc.partnership_name
    properties.last_modified_by = doc.partnership_name
    properties.comments = doc.version_label
    properties.keywords = "; ".join(("Multi-Agency Case Audit", kind, doc.reference))
    properties.content_status = "Draft" if doc.draft else ""
    properties.language = "en-GB"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _title_block(word: WordDocument, doc: Document) -> None:
    if doc.group:
        small(word.add_paragraph().add_run(doc.group))
    word.add_paragraph(doc.title, style="Title")
    if doc.subtitle:
        word.add_paragraph(doc.subtitle, style="Subtitle")
    line = word.add_paragraph()
    line.add_run(f"For {_lower_first(doc.audience_label)}").font.color.rgb = GREY
    if doc.version_label:
        line.add_run(" · ").font.color.rgb = GREY
        version = line.add_run(doc.version_label)
        version.font.color.rgb = DRAFT_RED if doc.draft else GREY
        version.bold = doc.draft


def _section(word: WordDocument, section: Section, *, level: int) -> None:
    word.add_heading(section.heading, level=min(level, DEEPEST_HEADING))
    for block in section.blocks:
        _block(word, block)
    for inner in section.sections:
        _section(word, inner, level=level + 1)


def _block(word: WordDocument, block: Block) -> None:
    if isinstance(block, Paragraph):
        _write(word, word.add_paragraph(), block.spans)
    elif isinstance(block, Bullets):
        _list(word, block)
    elif isinstance(block, Table):
        _table(word, block)
    else:
        _chart(word, block)


def _write(word: WordDocument, paragraph: WordParagraph, spans: tuple[Span, ...]) -> None:
    """The spans as runs of the paragraph; a span with a link a file can follow as a hyperlink."""
    for span in spans:
        if span.href.startswith(LINKABLE):
            _hyperlink(word, paragraph, span)
        else:
            paragraph.add_run(span.text)


def _hyperlink(word: WordDocument, paragraph: WordParagraph, span: Span) -> None:
    """A `w:hyperlink` to the span's address (an external relationship of the document) holding its text."""
    rid = word.part.relate_to(span.href, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    run = paragraph.add_run(span.text, style="Hyperlink")._r
    hyperlink = OxmlElement("w:hyperlink", {qn("r:id"): rid, qn("w:history"): "1"})
    run.addprevious(hyperlink)
    hyperlink.append(run)


def _list(word: WordDocument, bullets: Bullets) -> None:
    style = "List Number" if bullets.numbered else "List Bullet"
    num_id = _restarted_numbering(word) if bullets.numbered else None
    for item in bullets.items:
        paragraph = word.add_paragraph(style=style)
        if num_id is not None:
            _number_with(paragraph, num_id)
        _write(word, paragraph, item.spans)


def _restarted_numbering(word: WordDocument) -> int:
    """A new instance (`w:num`) of the List Number style's numbering that counts from 1 again: the paragraphs of
    each numbered list refer to their own, so that a second list does not carry on from the first."""
    numbering = word.part.numbering_part.element
    style_properties = paragraph_style(word, "List Number").element.pPr
    assert style_properties is not None
    assert style_properties.numPr is not None
    style_num_id = style_properties.numPr.numId
    assert style_num_id is not None
    abstract = numbering.num_having_numId(style_num_id.val).abstractNumId.val
    num = numbering.add_num(abstract)
    num.add_lvlOverride(ilvl=0).add_startOverride(1)
    number: int = num.numId
    return number


def _number_with(paragraph: WordParagraph, num_id: int) -> None:
    numbering = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    numbering.get_or_add_ilvl().val = 0
    numbering.get_or_add_numId().val = num_id


def _table(word: WordDocument, table: Table) -> None:
    """The caption, the table (its header row repeated on every page, numbers right-aligned, cells that disclosure
    control changed in italics), then the note in small grey type."""
    if table.caption:
        word.add_paragraph(table.caption, style="Caption")
    columns = max(len(table.head), *(len(row) for row in table.rows), 1)
    head_rows = 1 if table.head else 0
    grid = word.add_table(rows=head_rows + len(table.rows), cols=columns)
    grid.style = TABLE_STYLE
    if table.head:
        _head(grid, table.head, [_numeric_column(table, column) for column in range(columns)])
    for row, cells in zip(list(grid.rows)[head_rows:], table.rows, strict=True):
        for column, cell in enumerate(cells):
            paragraph = _cell_paragraph(row.cells[column].paragraphs[0], right=cell.numeric)
            run = paragraph.add_run(cell.text)
            run.italic = cell.changed
    if table.note:
        small(word.add_paragraph().add_run(table.note))
    else:
        # Something between the table and what follows: Word joins two tables with nothing between them.
        word.add_paragraph().paragraph_format.space_after = Pt(0)


def _numeric_column(table: Table, column: int) -> bool:
    """Whether every row has a number in the column, so that its heading is right-aligned over them."""
    return bool(table.rows) and all(column < len(row) and row[column].numeric for row in table.rows)


def _head(grid: WordTable, head: tuple[str, ...], numeric: list[bool]) -> None:
    """The header row, bold, marked as the table's header row (`w:tblHeader`), which readers repeat on every page
    and screen readers announce with each cell."""
    row = grid.rows[0]
    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for column, text in enumerate(head):
        paragraph = _cell_paragraph(row.cells[column].paragraphs[0], right=numeric[column])
        paragraph.add_run(text).bold = True


def _cell_paragraph(paragraph: WordParagraph, *, right: bool) -> WordParagraph:
    paragraph.paragraph_format.space_after = Pt(0)
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return paragraph


def _chart(word: WordDocument, chart: Chart) -> None:
    """The chart's title as a caption, its SVG as a picture fitted to the text width with its description as the
    alternative text, then its data table."""
    word.add_paragraph(chart.title, style="Caption")
    picture = word.add_paragraph()
    picture.paragraph_format.keep_with_next = True
    add_svg_picture(
        word,
        picture,
        chart.svg.encode("utf-8"),
        name=chart.title,
        description=chart.description,
        max_width=TEXT_WIDTH,
        max_height=CHART_MAX_HEIGHT,
    )
    _table(word, chart.table)
