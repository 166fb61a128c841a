"""The Terms of Reference rendered as HTML, DOCX and PDF, each opened in a real reader.

DOCX files are opened by LibreOffice (converted to text, to its own OpenDocument format and to PDF); PDFs are read
by poppler's pdftotext and pdfinfo; HTML is parsed. `make test` installs LibreOffice and poppler-utils; without
them these tests fail (they never skip).
"""

import datetime
import re
import zipfile
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

import docx
import pytest
import yaml
from lxml import etree  # type: ignore[import-untyped]

from maca.audits.schema import AuditDefinition
from maca.audits.tests.tor_helpers import (
    AGENCIES,
    HSB_YAML,
    LIBRARY,
    TORBAY,
    TORBAY_AGENCIES,
    assert_in_order,
    definition,
    docx_part,
    html_running_text,
    libreoffice_convert,
    normalise,
    pdf_pages,
    pdf_text,
    png,
    running_text,
    seed_expectations,
)
from maca.audits.tor.context import Logo, TorDocument, tor_document
from maca.audits.tor.render import (
    FORMATS,
    render,
    render_docx,
    render_html,
    render_html_fragment,
    render_pdf,
    url_fetcher,
)
from maca.common.tests.htmltree import Element, check_references, parse

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ODF_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
ODF = {
    "text": ODF_TEXT,
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
}
NEGLECT_SENTENCES = [
    "Anyshire Safeguarding Children Partnership",
    "Terms of Reference for",
    "Multi Agency Case Audit on Neglect",
    "1. Background",
    "A review in 2022 found that neglect was recognised late.",
    "This audit looks at whether that has changed.",
    "2. What is neglect?",
    "Neglect is the persistent failure to meet a child’s basic needs.",
    "It can show as:",
    "Poor supervision",
    "Missed health appointments",
    "3. Purpose of the MACA on Neglect",
    "This audit will consider:",
    "The quality of assessments",
    "How agencies share information",
    "4. Objectives of the Audit",
    "Theme 1: Recognition",
    "Understand how early neglect is recognised.",
    "Explore drift.",
    "Theme 2: Response",
    "Understand how plans change outcomes.",
    "5. Identification of Cases",
    "Cases will be identified by Children’s Social Care",
    "The scope is 2022 to 2023",
    "6. Professional engagement in the MACA",
    "There should be contribution from the following partners:",
    "6a. Case Audit – where involved",
    "Children’s Social Care – MASH, Early Help",
    "Schools – DSLs and Pastoral Leads",
    "Police",
    "XYZ",
    "6b. Wider Partnership audit using the Graded Care Profile 2",
    "Health – Health Visiting",
    "7. Timeline for Audit",
    "Audit to take place in September 2024",
    "Report to the Business Group on 5 November 2024",
]
NEGLECT_FOOTNOTES = ["Neglect review, 2022", "Working Together, 2023", "NICE guideline NG76", "Ofsted, 2014"]
PNG = png(240, 80)
SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 100">'
    b'<rect width="300" height="100" fill="#1d70b8"/></svg>'
)


def neglect(status: str = "draft", **options: object) -> TorDocument:
    return tor_document(
        definition(),
        partnership_name="Anyshire Safeguarding Children Partnership",
        agency_names=AGENCIES,
        version=2,
        status=status,
        **options,  # type: ignore[arg-type]
    )


def hsb() -> TorDocument:
    """The seed: the library's HSB template as Torbay approved it."""
    seed = AuditDefinition.model_validate(yaml.safe_load(HSB_YAML.read_text(encoding="utf-8")))
    return tor_document(
        seed,
        partnership_name=TORBAY,
        agency_names=TORBAY_AGENCIES,
        version=1,
        status="approved",
        approved_on=datetime.date(2021, 6, 30),
    )


@pytest.fixture(scope="session")
def office_profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One LibreOffice user profile for the session: LibreOffice starts faster once it exists."""
    return tmp_path_factory.mktemp("libreoffice-profile")


@pytest.fixture
def libreoffice(tmp_path: Path, office_profile: Path) -> Callable[[bytes, str], bytes]:
    """Open a DOCX in LibreOffice and save it as "txt:Text", "fodt" or "pdf"."""
    count = iter(range(100))

    def convert(data: bytes, target: str) -> bytes:
        return libreoffice_convert(data, "docx", target, tmp_path / f"lo-{next(count)}", office_profile)

    return convert


def odf_notes(fodt: bytes) -> list[tuple[str, str]]:
    """The footnotes LibreOffice read: (citation, text)."""
    root = etree.fromstring(fodt)
    notes = []
    for note in root.iter(f"{{{ODF_TEXT}}}note"):
        assert note.get(f"{{{ODF_TEXT}}}note-class") == "footnote"
        citation = note.find("text:note-citation", ODF)
        body = note.find("text:note-body", ODF)
        notes.append((citation.text, normalise("".join(body.itertext()))))
    return notes


def odf_headings(fodt: bytes) -> list[tuple[str, str]]:
    """LibreOffice's headings: (outline level, text)."""
    root = etree.fromstring(fodt)
    return [
        (h.get(f"{{{ODF_TEXT}}}outline-level"), normalise("".join(h.itertext()))) for h in root.iter(f"{{{ODF_TEXT}}}h")
    ]


def article(html: str) -> Element:
    root = parse(html)
    check_references(root)
    return root.find("article")


# HTML


def test_html_is_a_standalone_document_with_a_print_stylesheet() -> None:
    html = render_html(neglect())
    root = parse(html)
    check_references(root)

    assert html.startswith("<!DOCTYPE html>")
    assert root.find("html").get("lang") == "en-GB"
    assert root.find("title").text == (
        "Terms of Reference for Multi Agency Case Audit on Neglect – Anyshire Safeguarding Children Partnership"
    )
    style = root.find("style").text
    assert "@page" in style
    assert "size: A4" in style
    assert "Liberation Sans" in style
    assert not root.find_all("link")
    assert not root.find_all("script")
    # Nothing to fetch: every link is in the page.
    assert not re.search(r"""(?:src|href)=["'](?!#|data:)""", html)
    assert "url(" not in style


def test_html_says_the_document_in_order() -> None:
    body = article(render_html(neglect()))

    assert_in_order(html_running_text(body), NEGLECT_SENTENCES, "HTML")
    assert [h.text for h in body.find_all("h2")] == [
        "1. Background",
        "2. What is neglect?",
        "3. Purpose of the MACA on Neglect",
        "4. Objectives of the Audit",
        "5. Identification of Cases",
        "6. Professional engagement in the MACA",
        "7. Timeline for Audit",
    ]
    assert [h.text for h in body.find_all("h3")] == [
        "Theme 1: Recognition",
        "Theme 2: Response",
        "6a. Case Audit – where involved",
        "6b. Wider Partnership audit using the Graded Care Profile 2",
    ]
    assert body.find("h1").text == "Terms of Reference for Multi Agency Case Audit on Neglect"
    engagement = body.by_id("tor-section-engagement")
    assert [li.text for li in engagement.find_all("ul")[0].find_all("li")] == [
        "Children’s Social Care – MASH, Early Help",
        "Schools – DSLs and Pastoral Leads",
        "Police",
        "XYZ",
    ]


def test_html_footnotes_link_both_ways() -> None:
    body = article(render_html(neglect()))

    calls = body.find_all("sup", cls="tor-footnote-call")
    assert [call.text for call in calls] == ["footnote 1", "footnote 2", "footnote 3", "footnote 4"]
    assert [call.find("a").get("href") for call in calls] == ["#tor-fn-1", "#tor-fn-2", "#tor-fn-3", "#tor-fn-4"]
    notes = body.find("aside", cls="tor-footnotes").find_all("li")
    assert [note.id for note in notes] == ["tor-fn-1", "tor-fn-2", "tor-fn-3", "tor-fn-4"]
    assert [note.text.removesuffix(" ↩") for note in notes] == NEGLECT_FOOTNOTES
    assert [note.find("a").get("href") for note in notes] == [
        "#tor-fnref-1",
        "#tor-fnref-2",
        "#tor-fnref-3",
        "#tor-fnref-4",
    ]
    # The second footnote's call is in the definitions, after its sentence.
    definitions = body.by_id("tor-section-definitions")
    assert (
        definitions.find_all("p")[0].text
        == "Neglect is the persistent failure to meet a child’s basic needs.footnote 2"
    )


def test_html_footer_version_and_watermark() -> None:
    draft = article(render_html(neglect("draft")))
    approved = article(render_html(neglect("approved", approved_on=datetime.date(2024, 7, 3))))

    assert draft.find("footer").text == "ToR for MACA on Neglect June 2024 · Draft of version 2"
    assert draft.find("p", cls="tor-watermark").text == "Draft"
    assert "tor--draft" in draft.classes
    assert draft.find("p", cls="tor-version").text == "Draft of version 2"
    assert approved.find("footer").text == "ToR for MACA on Neglect June 2024 · Version 2, approved 3 July 2024"
    assert not approved.find_all(cls="tor-watermark")
    assert "tor--draft" not in approved.classes


def test_html_escapes_the_text() -> None:
    doc = tor_document(
        definition(background="Use <b>bold</b> & more.[^See <script>]"),
        partnership_name="A & B",
        agency_names={},
        version=1,
        status="draft",
    )

    html = render_html(doc)

    assert "<b>bold</b>" not in html
    assert "<script>" not in html
    assert "Use &lt;b&gt;bold&lt;/b&gt; &amp; more." in html
    assert article(html).find("p", cls="tor-partnership").text == "A & B"


def test_html_fragment_sits_under_the_pages_own_heading() -> None:
    fragment = render_html_fragment(neglect())
    root = parse(fragment)
    body = root.find("article")

    assert fragment.lstrip().startswith("<article")
    assert not root.find_all("html")
    assert not root.find_all("h1")
    assert body.find("h2").text == "Terms of Reference for Multi Agency Case Audit on Neglect"
    assert len(body.find_all("h3")) == 7
    assert len(body.find_all("h4")) == 4
    assert "govuk-list--bullet" in body.find_all("ul")[0].classes
    assert_in_order(html_running_text(body), NEGLECT_SENTENCES, "HTML fragment")


def test_html_logo_is_inline() -> None:
    body = article(render_html(neglect(logo=Logo(PNG, "image/png"))))

    image = body.find("img", cls="tor-logo")
    assert (image.get("src") or "").startswith("data:image/png;base64,iVBORw0KGgo")
    assert image.get("alt") == "Anyshire Safeguarding Children Partnership logo"


# DOCX


def test_docx_structure_headings_bullets_and_footer() -> None:
    data = render_docx(neglect())
    document = docx.Document(BytesIO(data))

    styled = [(p.style.name if p.style else "", p.text) for p in document.paragraphs if p.text]
    assert ("Title", "Multi Agency Case Audit on Neglect") in styled
    assert [text for style, text in styled if style == "Heading 1"] == [
        "1. Background",
        "2. What is neglect?",
        "3. Purpose of the MACA on Neglect",
        "4. Objectives of the Audit",
        "5. Identification of Cases",
        "6. Professional engagement in the MACA",
        "7. Timeline for Audit",
    ]
    assert [text for style, text in styled if style == "Heading 2"] == [
        "Theme 1: Recognition",
        "Theme 2: Response",
        "6a. Case Audit – where involved",
        "6b. Wider Partnership audit using the Graded Care Profile 2",
    ]
    assert [text for style, text in styled if style == "List Bullet"][-5:] == [
        "Children’s Social Care – MASH, Early Help",
        "Schools – DSLs and Pastoral Leads",
        "Police",
        "XYZ",
        "Health – Health Visiting",
    ]
    section = document.sections[0]
    assert section.page_width is not None
    assert section.page_height is not None
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    footer = [p.text for p in section.footer.paragraphs]
    assert footer[0].startswith("ToR for MACA on Neglect\tPage ")
    assert footer[1] == "June 2024 · Draft of version 2"
    assert document.core_properties.title == "Terms of Reference for Multi Agency Case Audit on Neglect"


def test_docx_has_real_footnotes() -> None:
    data = render_docx(neglect())

    with zipfile.ZipFile(BytesIO(data)) as package:
        content_types = package.read("[Content_Types].xml").decode()
        relationships = package.read("word/_rels/document.xml.rels").decode()
    assert 'PartName="/word/footnotes.xml"' in content_types
    assert "wordprocessingml.footnotes+xml" in content_types
    assert 'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"' in relationships

    footnotes = docx_part(data, "word/footnotes.xml")
    notes = footnotes.findall(f"{W}footnote")
    assert [(n.get(f"{W}id"), n.get(f"{W}type")) for n in notes[:2]] == [
        ("-1", "separator"),
        ("0", "continuationSeparator"),
    ]
    assert notes[0].find(f".//{W}separator") is not None
    assert notes[1].find(f".//{W}continuationSeparator") is not None
    real = notes[2:]
    assert [n.get(f"{W}id") for n in real] == ["1", "2", "3", "4"]
    assert [normalise("".join(n.itertext())) for n in real] == NEGLECT_FOOTNOTES
    assert all(n.find(f".//{W}footnoteRef") is not None for n in real)

    body = docx_part(data, "word/document.xml")
    references = body.findall(f".//{W}footnoteReference")
    assert [r.get(f"{W}id") for r in references] == ["1", "2", "3", "4"]
    settings = docx_part(data, "word/settings.xml")
    assert [f.get(f"{W}id") for f in settings.findall(f"{W}footnotePr/{W}footnote")] == ["-1", "0"]


def test_docx_opens_in_libreoffice_with_its_text_and_footnotes(libreoffice: Callable[[bytes, str], bytes]) -> None:
    data = render_docx(neglect())

    text = libreoffice(data, "txt:Text").decode("utf-8-sig")
    assert_in_order(text, NEGLECT_SENTENCES, "DOCX read by LibreOffice")

    fodt = libreoffice(data, "fodt")
    assert odf_notes(fodt) == [(str(n), note) for n, note in enumerate(NEGLECT_FOOTNOTES, start=1)]
    headings = odf_headings(fodt)
    assert ("1", "1. Background") in headings
    assert ("2", "6a. Case Audit – where involved") in headings
    root = etree.fromstring(fodt)
    assert len(root.findall(".//text:list", ODF)) == 5  # definitions, purpose, identification, 6a, 6b


def test_docx_draft_marking_and_footer_in_libreoffices_pdf(
    tmp_path: Path, libreoffice: Callable[[bytes, str], bytes]
) -> None:
    data = render_docx(neglect("draft"))

    header = docx_part(data, "word/header1.xml")
    assert "DRAFT" in normalise("".join(header.itertext()))
    shape = header.find(".//{urn:schemas-microsoft-com:vml}shape")
    assert shape is not None
    assert shape.get("id", "").startswith("PowerPlusWaterMarkObject")
    assert shape.find("{urn:schemas-microsoft-com:vml}textpath").get("string") == "DRAFT"

    fodt = libreoffice(data, "fodt")
    shapes = etree.fromstring(fodt).findall(".//draw:custom-shape", ODF)
    assert [s.get(f"{{{ODF['draw']}}}name") for s in shapes] == ["PowerPlusWaterMarkObject1"]

    pdf = libreoffice(data, "pdf")
    pages = pdf_text(pdf, tmp_path / "pdf").split("\f")
    pages = [page for page in pages if page.strip()]
    assert len(pages) >= 1
    for number, page in enumerate(pages, start=1):
        flat = normalise(page)
        assert "DRAFT" in flat
        assert "ToR for MACA on Neglect" in flat
        assert f"Page {number} of {len(pages)}" in flat
        assert "June 2024 · Draft of version 2" in flat
    # The footnotes are at the foot of a page, not in the running text.
    running = running_text(
        "\f".join(pages), NEGLECT_FOOTNOTES, ["ToR for MACA on Neglect", "June 2024 · Draft of version 2"], ["DRAFT"]
    )
    assert_in_order(running, NEGLECT_SENTENCES, "DOCX printed by LibreOffice")


def test_docx_approved_has_no_draft_marking() -> None:
    data = render_docx(neglect("approved"))
    document = docx.Document(BytesIO(data))

    header = "".join(p.text for p in document.sections[0].header.paragraphs)
    assert "DRAFT" not in header
    assert b"PowerPlusWaterMarkObject" not in data
    assert document.sections[0].footer.paragraphs[1].text == "June 2024 · Version 2"


@pytest.mark.parametrize(("logo", "part"), [(Logo(PNG, "image/png"), "png"), (Logo(SVG, "image/svg+xml"), "svg")])
def test_docx_logo_on_the_title_page(libreoffice: Callable[[bytes, str], bytes], logo: Logo, part: str) -> None:
    data = render_docx(neglect(logo=logo))

    with zipfile.ZipFile(BytesIO(data)) as package:
        assert package.read(f"word/media/image1.{part}") == logo.content
    fodt = etree.fromstring(libreoffice(data, "fodt"))
    # One picture (LibreOffice keeps a PNG rendering beside an SVG in the same frame), in the first paragraph.
    frames = [frame for frame in fodt.findall(".//draw:frame", ODF) if frame.find("draw:image", ODF) is not None]
    assert len(frames) == 1
    first_paragraph = fodt.find(".//office:text/text:p", ODF)
    assert first_paragraph.find(".//draw:frame/draw:image", ODF) is not None


def test_an_unreadable_logo_is_left_out(caplog: pytest.LogCaptureFixture) -> None:
    for logo in (Logo(b"\x89PNG not really", "image/png"), Logo(b"<svg", "image/svg+xml")):
        data = render_docx(neglect(logo=logo))

        document = docx.Document(BytesIO(data))
        assert not document.inline_shapes
        assert document.paragraphs[0].text == "Anyshire Safeguarding Children Partnership"
        assert "cannot be read" in caplog.text
        assert render_pdf(neglect(logo=logo)).startswith(b"%PDF-")


# PDF


def test_pdf_reads_in_order_with_footnotes_and_footer(tmp_path: Path) -> None:
    data = render_pdf(neglect("approved"))

    assert data.startswith(b"%PDF-")
    pages = pdf_pages(data, tmp_path)
    assert 1 <= pages <= 3
    text = pdf_text(data, tmp_path)
    page_texts = [page for page in text.split("\f") if page.strip()]
    assert len(page_texts) == pages
    for number, page in enumerate(page_texts, start=1):
        flat = normalise(page)
        assert "ToR for MACA on Neglect" in flat
        assert "June 2024 · Version 2" in flat
        assert f"Page {number} of {pages}" in flat
    running = running_text(text, NEGLECT_FOOTNOTES, ["ToR for MACA on Neglect", "June 2024 · Version 2"])
    assert_in_order(running, NEGLECT_SENTENCES, "PDF")


def test_pdf_footnotes_are_at_the_foot_of_the_page(tmp_path: Path) -> None:
    text = pdf_text(render_pdf(neglect("approved")), tmp_path)

    for page in text.split("\f"):
        lines = [normalise(line) for line in page.splitlines() if line.strip()]
        notes = [i for i, line in enumerate(lines) if re.match(r"^\d\. ", line) and line[3:] in NEGLECT_FOOTNOTES]
        if notes:
            # Footnotes come after the page's text, just above the footer.
            assert lines[notes[-1] + 1] == "ToR for MACA on Neglect"
    flat = normalise(text)
    assert all(f"{n}. {note}" in flat for n, note in enumerate(NEGLECT_FOOTNOTES, start=1))


def test_pdf_draft_is_watermarked_on_every_page(tmp_path: Path) -> None:
    draft = pdf_text(render_pdf(neglect("draft")), tmp_path)
    approved = pdf_text(render_pdf(neglect("approved")), tmp_path / "approved")

    def watermark_letters(page: str) -> list[str]:
        # The rotated "DRAFT" comes out of pdftotext as a letter a line.
        return sorted(line.strip() for line in page.splitlines() if re.fullmatch(r"\s*[DRAFT]\s*", line))

    draft_pages = [page for page in draft.split("\f") if page.strip()]
    assert draft_pages
    assert all(watermark_letters(page) == sorted("DRAFT") for page in draft_pages)
    assert all(not watermark_letters(page) for page in approved.split("\f"))
    assert "Draft of version 2" in normalise(draft)


def test_pdf_logo(tmp_path: Path) -> None:
    for logo in (Logo(PNG, "image/png"), Logo(SVG, "image/svg+xml")):
        data = render_pdf(neglect(logo=logo))
        assert pdf_pages(data, tmp_path) >= 1
    assert b"/Subtype /Image" in render_pdf(neglect(logo=Logo(PNG, "image/png")))


def test_pdf_fetches_nothing() -> None:
    from weasyprint.urls import FatalURLFetchingError  # type: ignore[import-untyped]
    from weasyprint.urls import fetch as weasyprint_fetch

    fetcher = url_fetcher()
    for url in ("https://example.org/logo.png", "http://169.254.169.254/", "file:///etc/passwd"):
        with pytest.raises(FatalURLFetchingError), weasyprint_fetch(fetcher, url):
            pass
    with weasyprint_fetch(fetcher, "data:text/plain;base64,aGk=") as response:
        assert response.read() == b"hi"


# Formats


def test_formats_and_render() -> None:
    doc = neglect()

    assert set(FORMATS) == {"html", "docx", "pdf"}
    assert FORMATS["html"].content_type == "text/html; charset=utf-8"
    assert FORMATS["docx"].content_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert FORMATS["pdf"].content_type == "application/pdf"
    assert [spec.extension for spec in FORMATS.values()] == ["html", "docx", "pdf"]
    assert render(doc, "html") == render_html(doc).encode("utf-8")
    assert render(doc, "docx").startswith(b"PK")
    assert render(doc, "pdf").startswith(b"%PDF-")
    with pytest.raises(ValueError, match="unknown format 'odt': choose one of html, docx, pdf"):
        render(doc, "odt")


# The library


@pytest.mark.parametrize("path", sorted(LIBRARY.glob("*.yaml")), ids=lambda path: path.stem)
def test_every_template_in_the_library_renders(tmp_path: Path, path: Path) -> None:
    template = AuditDefinition.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    doc = tor_document(template, partnership_name="Anyshire", agency_names={}, version=1, status="draft")
    headings = [section.heading for section in doc.sections]

    html = article(render_html(doc))
    assert [h.text for h in html.find_all("h2")] == headings
    word = docx.Document(BytesIO(render_docx(doc)))
    assert [p.text for p in word.paragraphs if p.style is not None and p.style.name == "Heading 1"] == headings
    footnotes = docx_part(render_docx(doc), "word/footnotes.xml").findall(f"{W}footnote")
    assert len(footnotes) == 2 + len(doc.footnotes)
    text = pdf_text(render_pdf(doc), tmp_path)
    assert_in_order(text, headings, f"PDF of {path.name}")


# The seed


def test_the_seed_terms_of_reference_in_every_format(
    tmp_path: Path, libreoffice: Callable[[bytes, str], bytes]
) -> None:
    """Rendered from the library's HSB template, each format says every sentence of the seed's sections 1–7 in
    order, and its footnotes."""
    doc = hsb()
    sentences, footnotes = seed_expectations()
    assert len(sentences) > 60
    assert len(footnotes) == 2
    furniture = ["ToR for Multi Agency Case Audit on HSB", "June 2021 · Version 1, approved 30 June 2021"]

    html = article(render(doc, "html").decode("utf-8"))
    assert normalise(html.find("p", cls="tor-partnership").text) == TORBAY
    assert_in_order(html_running_text(html), sentences, "HTML")
    notes = html.find("aside", cls="tor-footnotes").find_all("li")
    assert [normalise(note.text.removesuffix(" ↩")) for note in notes] == footnotes

    data = render(doc, "docx")
    text = libreoffice(data, "txt:Text").decode("utf-8-sig")
    assert normalise(text).startswith(normalise(f"{TORBAY} Terms of Reference for"))
    assert_in_order(text, sentences, "DOCX read by LibreOffice")
    assert [note for _, note in odf_notes(libreoffice(data, "fodt"))] == footnotes
    printed = pdf_text(libreoffice(data, "pdf"), tmp_path / "docx")
    assert_in_order(running_text(printed, footnotes, furniture), sentences, "DOCX printed by LibreOffice")

    pdf = render(doc, "pdf")
    assert 2 <= pdf_pages(pdf, tmp_path / "pdf") <= 6
    text = pdf_text(pdf, tmp_path / "pdf")
    assert normalise(text).startswith(normalise(f"{TORBAY} Terms of Reference for"))
    assert_in_order(running_text(text, footnotes, furniture), sentences, "PDF")
