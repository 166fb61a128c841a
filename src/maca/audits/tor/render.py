"""The Terms of Reference rendered: a standalone HTML page, a PDF (WeasyPrint, from that HTML) and a DOCX.

Every renderer takes the `TorDocument` of `maca.audits.tor.context` and nothing else. Nothing is fetched while
rendering: the logo is a data URI, the stylesheet is inline, and WeasyPrint's URL fetcher refuses every URL that
is not a data URI.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from maca.audits.tor.context import TorDocument
from maca.audits.tor.docx import render_docx

__all__ = [
    "FORMATS",
    "Format",
    "render",
    "render_docx",
    "render_html",
    "render_html_fragment",
    "render_paged_html",
    "render_pdf",
    "url_fetcher",
]

DOCUMENT_TEMPLATE = "audits/tor/document.html"
FRAGMENT_TEMPLATE = "audits/tor/_document.html"
ALLOWED_URL_SCHEMES = ("data",)
EMBEDDED_HEADINGS = {"title_tag": "h2", "section_tag": "h3", "subsection_tag": "h4"}


def render_html(doc: TorDocument) -> str:
    """A complete HTML document (inline print stylesheet, logo as a data URI): open it anywhere, print it."""
    return render_to_string(DOCUMENT_TEMPLATE, {"doc": doc, "paged": False})


def render_html_fragment(doc: TorDocument) -> SafeString:
    """The document's body (an <article>) for a page of the app, styled there by GOV.UK Frontend; its headings
    start at h2, under the page's own h1. (A template can also `{% include "audits/tor/_document.html" %}` with
    `doc`: its headings then start at h1.)"""
    context = {"doc": doc, "paged": False, **EMBEDDED_HEADINGS}
    return SafeString(render_to_string(FRAGMENT_TEMPLATE, context))


def render_paged_html(doc: TorDocument) -> str:
    """The HTML that the PDF is made from: footnotes inline (they float to the foot of the page), running footer."""
    return render_to_string(DOCUMENT_TEMPLATE, {"doc": doc, "paged": True})


def url_fetcher() -> Any:
    """WeasyPrint's fetcher, refusing every URL but data URIs (and stopping the render if one is asked for)."""
    from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]

    return URLFetcher(allowed_protocols=ALLOWED_URL_SCHEMES, allow_redirects=False, fail_on_errors=True)


def render_pdf(doc: TorDocument) -> bytes:
    """An A4 PDF: page numbers and the footer in the page margins, real footnotes, "Draft" across every draft page."""
    # Imported here: WeasyPrint loads Pango when imported, and only PDFs need it.
    from weasyprint import HTML  # type: ignore[import-untyped]

    html = HTML(string=render_paged_html(doc), base_url=None, url_fetcher=url_fetcher())
    pdf: bytes = html.write_pdf(
        pdf_identifier=f"{doc.reference}-v{doc.version}".encode(),
        custom_metadata=False,
    )
    return pdf


def _html_bytes(doc: TorDocument) -> bytes:
    return render_html(doc).encode("utf-8")


@dataclass(frozen=True)
class Format:
    """A file format the Terms of Reference comes in."""

    render: Callable[[TorDocument], bytes]
    content_type: str
    extension: str


FORMATS: dict[str, Format] = {
    "html": Format(_html_bytes, "text/html; charset=utf-8", "html"),
    "docx": Format(render_docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "pdf": Format(render_pdf, "application/pdf", "pdf"),
}


def render(doc: TorDocument, fmt: str) -> bytes:
    """The document as the bytes of a file in format `fmt` (a key of FORMATS)."""
    try:
        chosen = FORMATS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}") from None
    return chosen.render(doc)
