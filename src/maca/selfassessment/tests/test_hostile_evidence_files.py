"""Evidence files that are damaged, disguised or hostile: `check_evidence_file` refuses them with a message (never
another exception), and whatever it accepts can only ever be downloaded, never shown or run by the browser.

Hypothesis makes the files from a real file of each kind (bytes changed, cut short or inserted; one part of a Word or
Excel package damaged); a fixed set adds the known disguises: an HTML page behind an image's first bytes, a page
named .pdf, PDFs with JavaScript, zip bombs.
"""

import io
import struct
import tracemalloc
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from maca.common.tests.hostile import BOMB_BYTES, FUZZ, mutations, part_mutations, zip_bomb
from maca.selfassessment.files import DOCX, JPEG, PDF, PNG, XLSX, CheckedEvidence, check_evidence_file
from maca.selfassessment.models import Area, EvidenceFile, Rating
from maca.tests.cast import Cast

from .helpers import areas, current, tiny_docx, tiny_jpeg, tiny_pdf, tiny_png, tiny_xlsx

ClientFor = Callable[[str], Client]
AGENCY = "/audits/anytown-approved-2025/self-assessment/AGB/"
KINDS = {"pdf": tiny_pdf(), "png": tiny_png(), "jpeg": tiny_jpeg(), "docx": tiny_docx(), "xlsx": tiny_xlsx()}
TYPES = {"pdf": PDF, "png": PNG, "jpeg": JPEG, "docx": DOCX, "xlsx": XLSX}
SCRIPT = b"<html><body><script>alert(document.cookie)</script></body></html>"


def check_or_refuse(content: bytes, name: str = "evidence.pdf") -> CheckedEvidence | ValidationError:
    """The checked file, or the refusal, which must say what is wrong. Any other exception fails the test."""
    try:
        return check_evidence_file(SimpleUploadedFile(name, content, content_type="application/pdf"))
    except ValidationError as error:
        refusal = error
    assert refusal.messages
    assert all(message.startswith("The evidence file ") for message in refusal.messages)
    return refusal


def refused(content: bytes, name: str = "evidence.pdf") -> str:
    outcome = check_or_refuse(content, name)
    assert isinstance(outcome, ValidationError), "the file was accepted"
    (message,) = outcome.messages
    return message


# --- Generated files -------------------------------------------------------------------------------------------


@FUZZ
@given(content=st.one_of(*(mutations(content) for content in KINDS.values())))
def test_a_damaged_evidence_file_is_accepted_as_what_it_is_or_refused(content: bytes) -> None:
    outcome = check_or_refuse(content)
    if isinstance(outcome, CheckedEvidence):
        assert outcome.content_type in TYPES.values()
        assert outcome.size == len(content)


@FUZZ
@given(content=st.one_of(part_mutations(KINDS["docx"]), part_mutations(KINDS["xlsx"])))
def test_a_damaged_office_package_is_accepted_as_what_it_is_or_refused(content: bytes) -> None:
    outcome = check_or_refuse(content, "evidence.docx")
    if isinstance(outcome, CheckedEvidence):
        assert outcome.content_type in (DOCX, XLSX)


# --- The known disguises -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n" + SCRIPT, "The evidence file starts like a PNG image but is not one"),
        (b"\xff\xd8\xff" + SCRIPT, "The evidence file starts like a JPEG image but is not one"),
        (SCRIPT, "The evidence file must be a PDF, a Word document (DOCX)"),
        (b"<!DOCTYPE html>\n%PDF-1.4\n" + SCRIPT, "The evidence file must be a PDF, a Word document (DOCX)"),
        (b"\xef\xbb\xbf%PDF-1.4" + SCRIPT, "The evidence file must be a PDF, a Word document (DOCX)"),
    ],
    ids=["png-then-html", "jpeg-then-html", "html-named-pdf", "html-then-pdf", "bom-then-pdf"],
)
def test_a_page_disguised_as_an_image_or_a_pdf_is_refused(content: bytes, message: str) -> None:
    assert refused(content, "evidence.pdf").startswith(message)


def pdf_with(*objects: bytes) -> bytes:
    """A PDF whose catalog is followed by `objects` (numbered from 4), with a cross-reference table."""
    bodies = [
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        *objects,
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(bodies) + 1, xref))
    return out.getvalue()


def object_stream(dictionaries: bytes) -> bytes:
    """An object stream (PDF 1.5) holding object 5, compressed as PDF writers compress it."""
    header = b"5 0 "
    data = zlib.compress(header + dictionaries)
    return b"<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream" % (
        len(header),
        len(data),
        data,
    )


JAVASCRIPT = "The evidence file is a PDF with JavaScript in it, which maca does not accept"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (pdf_with(b"<< /Type /Action /S /JavaScript /JS (app.alert(1)) >>"), JAVASCRIPT),
        (pdf_with(b"<< /S /JavaScript /JS 5 0 R >>", b"<< /Length 12 >>\nstream\napp.alert(1)\nendstream"), JAVASCRIPT),
        (pdf_with(b"<< /Type /Action /S /J#61vaScript /J#53 (app.alert(1)) >>"), JAVASCRIPT),
        (pdf_with(b"<< /Names << /JavaScript 5 0 R >> >>"), JAVASCRIPT),
        (pdf_with(b"<< /Type /Action /S /Launch /F (cmd.exe) >>"), "The evidence file is a PDF with an action that"),
        (pdf_with(object_stream(b"<< /Type /Action /S /JavaScript /JS (app.alert(1)) >>")), JAVASCRIPT),
    ],
    ids=["open-action", "js-stream", "escaped-names", "document-scripts", "launch", "in-an-object-stream"],
)
def test_a_pdf_with_javascript_or_a_launch_action_is_refused(content: bytes, message: str) -> None:
    assert content.startswith(b"%PDF-")
    assert refused(content).startswith(message)


def test_a_pdf_whose_names_only_look_like_scripts_is_accepted() -> None:
    content = pdf_with(b"<< /Type /Action /S /GoTo /D [3 0 R /Fit] /JSON (a name that starts like JS) >>")
    outcome = check_or_refuse(content)
    assert isinstance(outcome, CheckedEvidence)
    assert outcome.content_type == PDF


def test_an_object_stream_bomb_is_refused_without_being_unpacked_whole() -> None:
    bomb = zlib.compressobj(9)
    data = b"".join(bomb.compress(bytes(1024 * 1024)) for _ in range(BOMB_BYTES // (1024 * 1024))) + bomb.flush()
    stream = b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream"
    content = pdf_with(stream % (len(data), data))
    tracemalloc.start()
    try:
        message = refused(content)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (
        message == "The evidence file is a PDF too large once unpacked to be checked: save or print it again as a PDF"
    )
    assert peak < 20 * 1024 * 1024  # of the 200 MB it unpacks to


@pytest.mark.parametrize("understate", [False, True], ids=["declared", "understated"])
def test_an_office_zip_bomb_is_checked_without_being_unpacked(understate: bool) -> None:
    content = zip_bomb(KINDS["docx"], "[Content_Types].xml", understate=understate)
    tracemalloc.start()
    try:
        message = refused(content, "evidence.docx")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert message.startswith("The evidence file must be a PDF, a Word document (DOCX)")
    assert peak < 20 * 1024 * 1024


# --- Through the page, and served back -----------------------------------------------------------------------------


def area_post(area: Area, upload: SimpleUploadedFile) -> dict[str, Any]:
    """The area's page as posted, every statement rated, with a file."""
    data: dict[str, Any] = {"then": "continue", "file": upload}
    for statement in area.statements.all():
        data[f"rating_{statement.pk}"] = Rating.FULLY
        data[f"evidence_{statement.pk}"] = "Our policy (2025)."
        data[f"loaded_{statement.pk}"] = current(None, statement.pk)
    return data


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.png", b"\x89PNG\r\n\x1a\n" + SCRIPT),
        ("policy.pdf", SCRIPT),
        ("policy.pdf", pdf_with(b"<< /Type /Action /S /JavaScript /JS (app.alert(1)) >>")),
    ],
    ids=["png-then-html", "html-named-pdf", "pdf-with-javascript"],
)
def test_the_area_page_refuses_a_disguised_file_and_stores_nothing(
    client_for: ClientFor, cast: Cast, settings: Any, name: str, content: bytes
) -> None:
    area = areas(cast)[0]
    response = client_for("auditor_b").post(f"{AGENCY}areas/1/", area_post(area, SimpleUploadedFile(name, content)))
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "The evidence file " in page
    assert not EvidenceFile.objects.exists()
    assert not any(path.is_file() for path in Path(settings.MEDIA_ROOT).rglob("*"))


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


# A real PNG image that carries a page in a text chunk: it is an image, so it is stored; it must never be shown.
POLYGLOT = tiny_png()[:-12] + png_chunk(b"tEXt", b"Comment\x00" + SCRIPT) + tiny_png()[-12:]


@pytest.mark.parametrize("kind", [*sorted(KINDS), "png-carrying-a-page"])
def test_an_accepted_file_is_only_ever_downloaded_with_its_own_type(
    client_for: ClientFor, cast: Cast, kind: str
) -> None:
    content = POLYGLOT if kind == "png-carrying-a-page" else KINDS[kind]
    area = areas(cast)[0]
    client = client_for("auditor_b")
    upload = SimpleUploadedFile("evidence.html", content, content_type="text/html")
    assert client.post(f"{AGENCY}areas/1/", area_post(area, upload)).status_code == 302
    evidence = EvidenceFile.objects.get()
    response = client.get(f"{AGENCY}evidence/{evidence.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == TYPES.get(kind, PNG)  # recognised from the content, never the browser's
    assert response["Content-Disposition"].startswith("attachment; ")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "no-store" in response["Cache-Control"]
    extension = "jpg" if kind == "jpeg" else kind if kind in KINDS else "png"
    assert response["Content-Disposition"] == f'attachment; filename="evidence.html.{extension}"'
    assert b"".join(response.streaming_content) == content  # type: ignore[attr-defined]
