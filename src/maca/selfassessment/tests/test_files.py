"""Evidence files are recognised by their content: PDF, DOCX, XLSX, PNG and JPEG of up to 10 MB; anything else,
whatever it is called, is refused with a message that says why."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from maca.selfassessment.files import (
    DOCX,
    JPEG,
    MAX_BYTES,
    PDF,
    PNG,
    XLSX,
    check_evidence_file,
    clean_file_name,
    evidence_content_type,
)

from .helpers import macro_docm, plain_zip, tiny_docx, tiny_jpeg, tiny_pdf, tiny_png, tiny_xlsx


def _upload(content: bytes, name: str = "evidence.bin", content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(
    ("content", "expected", "extension"),
    [
        (tiny_pdf(), PDF, "pdf"),
        (tiny_png(), PNG, "png"),
        (tiny_jpeg(), JPEG, "jpg"),
        (tiny_docx(), DOCX, "docx"),
        (tiny_xlsx(), XLSX, "xlsx"),
    ],
    ids=["pdf", "png", "jpeg", "docx", "xlsx"],
)
def test_each_allowed_kind_is_recognised_whatever_its_name(content: bytes, expected: str, extension: str) -> None:
    upload = _upload(content, "named-wrongly.txt", "text/plain")
    checked = check_evidence_file(upload)
    # The name gains the extension of what the file is, so that it opens as that once downloaded.
    assert (checked.content_type, checked.size) == (expected, len(content))
    assert checked.name == f"named-wrongly.txt.{extension}"
    assert upload.tell() == 0  # Left ready to be stored from its start.


@pytest.mark.parametrize(
    "content",
    [
        b"<svg xmlns='http://www.w3.org/2000/svg'></svg>",
        b"GIF89a" + b"\x00" * 20,
        b"MZ\x90\x00 an executable",
        b"just some text that says %PDF- later on",
        macro_docm(),
        plain_zip(),
        b"PK\x03\x04 not really a zip file",
    ],
    ids=["svg", "gif", "exe", "text", "docm", "zip", "broken-zip"],
)
def test_anything_else_is_refused(content: bytes) -> None:
    assert evidence_content_type(_upload(content, "policy.pdf")) is None
    with pytest.raises(ValidationError) as caught:
        check_evidence_file(_upload(content, "policy.pdf"))
    assert caught.value.messages == [
        "The evidence file must be a PDF, a Word document (DOCX), an Excel workbook (XLSX), or a PNG or JPEG image"
    ]


def test_an_empty_or_too_large_file_is_refused() -> None:
    with pytest.raises(ValidationError, match="The evidence file is empty"):
        check_evidence_file(_upload(b""))
    with pytest.raises(ValidationError, match="must be 10 MB or smaller"):
        check_evidence_file(_upload(tiny_pdf() + b"0" * MAX_BYTES))
    assert check_evidence_file(_upload(tiny_pdf() + b"0" * (MAX_BYTES - len(tiny_pdf())))).size == MAX_BYTES


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("C:\\Users\\me\\Policy 2025.pdf", "Policy 2025.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("  spaced \t out\n.pdf ", "spaced out.pdf"),
        ("...", "evidence.pdf"),
        ("", "evidence.pdf"),
        ("a" * 300 + ".pdf", "a" * 196 + ".pdf"),
        ("Policy.PDF", "Policy.PDF"),
        ("page.html", "page.html.pdf"),
        ("no extension", "no extension.pdf"),
        ("a" * 300 + ".html", "a" * 196 + ".pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe.pdf"),
    ],
)
def test_the_name_shown_is_the_last_part_cleaned(name: str, expected: str) -> None:
    assert clean_file_name(name, PDF) == expected
