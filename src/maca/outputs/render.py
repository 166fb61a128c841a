"""An output rendered: a standalone HTML page, a PDF (WeasyPrint, from that HTML) and a DOCX (python-docx).

Every renderer takes the `Document` of `maca.outputs.document` and nothing else, so the three formats say the same.
Nothing is fetched while rendering: charts are inline SVG, the stylesheet is inline, and WeasyPrint's fetcher
refuses every URL that is not a data URI.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from maca.audits.tor.render import url_fetcher

from .document import Document, Section
from .docx import render_docx

DOCUMENT_TEMPLATE = "outputs/document.html"
FRAGMENT_TEMPLATE = "outputs/_document.html"


def outline(doc: Document) -> list[tuple[Section, int]]:
    """Every section with its depth (0 for a top-level section), in reading order."""
    found: list[tuple[Section, int]] = []

    def visit(section: Section, depth: int) -> None:
        found.append((section, depth))
        for inner in section.sections:
            visit(inner, depth + 1)

    for section in doc.sections:
        visit(section, 0)
    return found


def _context(doc: Document, *, base: int, paged: bool) -> dict[str, object]:
    return {"doc": doc, "outline": outline(doc), "base": base, "paged": paged}


def render_html(doc: Document) -> str:
    """A complete HTML document (inline stylesheet and charts): open it anywhere, print it."""
    return render_to_string(DOCUMENT_TEMPLATE, _context(doc, base=1, paged=False))


def render_html_fragment(doc: Document, *, base: int = 2) -> SafeString:
    """The document's body (an <article>) for a page of the app; its title is an h`base` (by default h2, under the
    page's own h1; h1 on a page that has no other)."""
    return SafeString(render_to_string(FRAGMENT_TEMPLATE, _context(doc, base=base, paged=False)))


def render_paged_html(doc: Document) -> str:
    """The HTML the PDF is made from: the footer runs in every page's margin."""
    return render_to_string(DOCUMENT_TEMPLATE, _context(doc, base=1, paged=True))


def render_pdf(doc: Document) -> bytes:
    """An A4 PDF with page numbers and the footer in the margins, "Draft" across every page of a draft."""
    # Imported here: WeasyPrint loads Pango when imported, and only PDFs need it.
    from weasyprint import HTML  # type: ignore[import-untyped]

    html = HTML(string=render_paged_html(doc), base_url=None, url_fetcher=url_fetcher())
    pdf: bytes = html.write_pdf(pdf_identifier=f"{doc.reference}-{doc.layout}".encode(), custom_metadata=False)
    return pdf


def _html_bytes(doc: Document) -> bytes:
    return render_html(doc).encode("utf-8")


@dataclass(frozen=True)
class Format:
    """A file format an output comes in."""

    render: Callable[[Document], bytes]
    content_type: str
    extension: str
    label: str


FORMATS: dict[str, Format] = {
    "pdf": Format(render_pdf, "application/pdf", "pdf", "PDF"),
    "docx": Format(
        render_docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", "Word (DOCX)"
    ),
    "html": Format(_html_bytes, "text/html; charset=utf-8", "html", "Web page (HTML)"),
}


def render(doc: Document, fmt: str) -> bytes:
    """The document as the bytes of a file in format `fmt` (a key of FORMATS)."""
    try:
        chosen = FORMATS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}") from None
    return chosen.render(doc)


def file_name(doc: Document, fmt: str) -> str:
    """ "torbay-hsb-2021-briefing-public.pdf"."""
    draft = "-draft" if doc.draft else ""
    return f"{doc.reference}-{doc.layout}-{doc.audience}{draft}.{FORMATS[fmt].extension}"
