"""An output as a Word document: what python-docx reads back from the file, and what LibreOffice reads in it.

LibreOffice is a real reader: `make test` installs it; without it the reader test fails (it never skips).
"""

import zipfile
from dataclasses import replace
from io import BytesIO
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from lxml import etree  # type: ignore[import-untyped]

from maca.audits.tests.tor_helpers import assert_in_order, docx_part, libreoffice_convert, normalise
from maca.common.docx import EMU_PER_PX, TEXT_WIDTH
from maca.outputs.document import Bullets, Cell, Chart, Document, Section, Table, paragraph
from maca.outputs.docx import render_docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
VML = "{urn:schemas-microsoft-com:vml}"
GUIDANCE = "https://www.gov.uk/government/publications/working-together-to-safeguard-children--2"
SMALL_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100">'
    '<rect width="50" height="20"/></svg>'
)
# 720 by 360 pixels, wider than the 17 cm text width: drawn at the text width.
WIDE_SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 720 360"><rect width="300" height="40"/></svg>'


def cases_table(caption: str) -> Table:
    return Table(
        caption=caption,
        head=("Agency", "Cases"),
        rows=(
            (Cell("Police"), Cell("12", numeric=True)),
            (Cell("Health"), Cell("fewer than 6", numeric=True, changed=True)),
        ),
        note="“fewer than 6”: a number from 1 to 5, not shown so that no child can be identified.",
    )


def output(*, draft: bool = False) -> Document:
    """A small briefing: a numbered section with a link, lists, and a sub-section holding a table and its own
    sub-section; then an unnumbered section with two charts."""
    learning = Section(
        key="learning",
        title="What we learnt",
        number=1,
        blocks=(
            paragraph(f"Read [the guidance]({GUIDANCE}) and the [audit’s page](/audits/7/) before the meeting."),
            Bullets((paragraph("Listen to the child"), paragraph("Record what they say")), numbered=True),
            Bullets((paragraph("Share the plan"), paragraph("Review it")), numbered=True),
        ),
        sections=(
            Section(
                key="cases",
                title="The cases",
                blocks=(cases_table("Cases by agency"),),
                sections=(
                    Section(
                        key="voice", title="The child’s voice", blocks=(Bullets((paragraph("Heard in most cases"),)),)
                    ),
                ),
            ),
        ),
    )
    data = Section(
        key="data",
        title="The figures",
        blocks=(
            Chart(
                "Cases by agency, as a chart",
                SMALL_SVG,
                "Police had 12 cases; Health fewer than 6.",
                cases_table("Cases"),
            ),
            Chart("Grades", WIDE_SVG, "Most cases were graded good.", cases_table("Grades by agency")),
        ),
    )
    return Document(
        kind="briefing",
        layout="seven-minute",
        reference="hsb-2021",
        partnership_name="Torbay Safeguarding Children Partnership",
        group="TSCP Quality and Assurance Group",
        title="Multi-Agency Case Audit: Harmful Sexual Behaviour",
        subtitle="Seven-minute briefing",
        audience="professionals",
        sections=(learning, data),
        footer="TSCP · MACA: Harmful Sexual Behaviour · Seven-minute briefing",
        draft=draft,
        controlled=True,
        version_label="Version 1, published 4 October 2021",
    )


@pytest.fixture(scope="module")
def office_profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One LibreOffice user profile: LibreOffice starts faster once it exists."""
    return tmp_path_factory.mktemp("libreoffice-profile")


def test_word_reads_back_the_title_block_headings_and_page() -> None:
    doc = output()
    word = docx.Document(BytesIO(render_docx(doc)))

    styled = [(p.style.name if p.style else "", p.text) for p in word.paragraphs if p.text]
    assert styled[:4] == [
        ("Normal", "TSCP Quality and Assurance Group"),
        ("Title", "Multi-Agency Case Audit: Harmful Sexual Behaviour"),
        ("Subtitle", "Seven-minute briefing"),
        ("Normal", "For partnership professionals · Version 1, published 4 October 2021"),
    ]
    assert [(style, text) for style, text in styled if style.startswith("Heading")] == [
        ("Heading 1", "1. What we learnt"),
        ("Heading 2", "The cases"),
        ("Heading 3", "The child’s voice"),
        ("Heading 1", "The figures"),
    ]
    section = word.sections[0]
    assert section.page_width is not None
    assert section.page_height is not None
    assert section.left_margin is not None
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert round(section.left_margin.cm, 1) == 2.0
    assert section.footer.paragraphs[0].text.startswith(f"{doc.footer}\tPage ")
    properties = word.core_properties
    assert properties.title == "Multi-Agency Case Audit: Harmful Sexual Behaviour: Seven-minute briefing"
    assert properties.subject == "Briefing for partnership professionals"
    assert properties.language == "en-GB"


def test_links_are_hyperlinks_and_a_relative_one_is_text() -> None:
    word = docx.Document(BytesIO(render_docx(output())))

    linked = next(p for p in word.paragraphs if p.hyperlinks)
    assert linked.text == "Read the guidance and the audit’s page before the meeting."
    [hyperlink] = linked.hyperlinks
    assert (hyperlink.address, hyperlink.text) == (GUIDANCE, "the guidance")
    assert [run.style.name for run in hyperlink.runs if run.style] == ["Hyperlink"]
    external = [rel.target_ref for rel in word.part.rels.values() if rel.reltype == RELATIONSHIP_TYPE.HYPERLINK]
    assert external == [GUIDANCE]
    assert all(rel.is_external for rel in word.part.rels.values() if rel.reltype == RELATIONSHIP_TYPE.HYPERLINK)


def test_lists_use_words_list_styles_and_each_numbered_list_counts_from_one() -> None:
    word = docx.Document(BytesIO(render_docx(output())))

    styled = [(p.style.name if p.style else "", p.text) for p in word.paragraphs]
    assert [text for style, text in styled if style == "List Number"] == [
        "Listen to the child",
        "Record what they say",
        "Share the plan",
        "Review it",
    ]
    assert [text for style, text in styled if style == "List Bullet"] == ["Heard in most cases"]
    numbered = [p for p in word.paragraphs if p.style is not None and p.style.name == "List Number"]
    num_ids = [p._p.find(f"{W}pPr/{W}numPr/{W}numId").get(f"{W}val") for p in numbered]
    assert num_ids[0] == num_ids[1] != num_ids[2] == num_ids[3]


def test_tables_have_a_caption_a_repeated_header_row_aligned_numbers_and_a_note() -> None:
    word = docx.Document(BytesIO(render_docx(output())))

    assert len(word.tables) == 3  # the section's table and each chart's
    table = word.tables[0]
    assert table.style is not None
    assert table.style.name == "Table Grid"
    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        ["Agency", "Cases"],
        ["Police", "12"],
        ["Health", "fewer than 6"],
    ]
    header, police, health = table.rows
    assert header._tr.trPr.find(f"{W}tblHeader") is not None
    assert police._tr.trPr is None or police._tr.trPr.find(f"{W}tblHeader") is None
    assert all(run.bold for cell in header.cells for run in cell.paragraphs[0].runs)
    assert header.cells[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert police.cells[0].paragraphs[0].alignment is None
    assert police.cells[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert [run.italic for run in police.cells[1].paragraphs[0].runs] == [False]
    assert [run.italic for run in health.cells[1].paragraphs[0].runs] == [True]

    body = list(word.element.body)
    at = body.index(table._tbl)
    caption, note = body[at - 1], body[at + 1]
    assert caption.text == "Cases by agency"
    assert caption.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == "Caption"
    assert note.text.startswith("“fewer than 6”")


def test_charts_are_svg_pictures_with_their_description_as_alt_text() -> None:
    doc = output()
    data = render_docx(doc)
    word = docx.Document(BytesIO(data))

    svg_parts = [
        rel.target_part
        for rel in word.part.rels.values()
        if rel.reltype == RELATIONSHIP_TYPE.IMAGE and rel.target_part.content_type == "image/svg+xml"
    ]
    assert sorted(part.blob for part in svg_parts) == sorted([SMALL_SVG.encode(), WIDE_SVG.encode()])
    with zipfile.ZipFile(BytesIO(data)) as package:
        content_types = package.read("[Content_Types].xml").decode()
    assert 'ContentType="image/svg+xml"' in content_types

    drawings = docx_part(data, "word/document.xml").findall(f".//{WP}inline")
    assert [drawing.find(f"{WP}docPr").get("descr") for drawing in drawings] == [
        "Police had 12 cases; Health fewer than 6.",
        "Most cases were graded good.",
    ]
    ids = [drawing.find(f"{WP}docPr").get("id") for drawing in drawings]
    assert len(set(ids)) == len(ids) == 2
    sizes = [(int(d.find(f"{WP}extent").get("cx")), int(d.find(f"{WP}extent").get("cy"))) for d in drawings]
    # Its own size (200 by 100 pixels); the wide one at the text width, in proportion.
    assert sizes == [(200 * EMU_PER_PX, 100 * EMU_PER_PX), (TEXT_WIDTH, TEXT_WIDTH // 2)]
    svg_blips = docx_part(data, "word/document.xml").findall(
        ".//{http://schemas.microsoft.com/office/drawing/2016/SVG/main}svgBlip"
    )
    assert len(svg_blips) == 2


def test_a_chart_whose_svg_cannot_be_read_fails_the_document() -> None:
    broken = Chart("Broken", "<svg", "Nothing", cases_table("Cases"))
    doc = replace(output(), sections=(Section(key="data", title="Data", blocks=(broken,)),))

    with pytest.raises(ValueError, match="not well-formed"):
        render_docx(doc)


def test_libreoffice_reads_every_line_of_the_document_in_order(tmp_path: Path, office_profile: Path) -> None:
    doc = output()

    text = libreoffice_convert(render_docx(doc), "docx", "txt:Text", tmp_path / "lo", office_profile).decode(
        "utf-8-sig"
    )

    # LibreOffice writes a table cell by cell, one a line.
    expected = [part for line in doc.text().splitlines() for part in line.split(" | ")]
    assert_in_order(text, expected, "DOCX read by LibreOffice")
    assert_in_order(
        text,
        ["For partnership professionals · Version 1, published 4 October 2021", "1. Listen to the child", "2. Record"],
        "DOCX read by LibreOffice",
    )
    assert_in_order(text, ["1. Share the plan", "2. Review it"], "the second numbered list counts from 1 again")


def test_a_draft_has_the_watermark_in_its_header_and_a_final_one_does_not() -> None:
    draft = render_docx(output(draft=True))
    final = render_docx(output(draft=False))

    header = docx_part(draft, "word/header1.xml")
    assert normalise("".join(header.itertext())) == "Draft"
    shape = header.find(f".//{VML}shape")
    assert shape is not None
    assert shape.get("id", "").startswith("PowerPlusWaterMarkObject")
    assert shape.find(f"{VML}textpath").get("string") == "Draft"
    assert docx.Document(BytesIO(draft)).core_properties.content_status == "Draft"

    assert b"PowerPlusWaterMarkObject" not in final
    with zipfile.ZipFile(BytesIO(final)) as package:
        headers = [name for name in package.namelist() if name.startswith("word/header")]
        assert all("Draft" not in "".join(etree.fromstring(package.read(name)).itertext()) for name in headers)
    assert docx.Document(BytesIO(final)).core_properties.content_status == ""
