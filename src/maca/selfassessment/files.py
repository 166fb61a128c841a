"""Evidence files: recognised by their content, never by their name or the type the browser claims.

An agency may attach PDF, Word (DOCX) and Excel (XLSX) documents and PNG and JPEG images, each of up to
`MAX_BYTES`. Word and Excel files are ZIP packages: they are recognised by the main part their package declares, so
that a macro-enabled document (.docm, .xlsm) or any other ZIP file is refused. Nothing in the file is run or shown:
it is stored under a random name and only ever downloaded as an attachment.
"""

import re
import zipfile
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

from .models import EVIDENCE_EXTENSIONS

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES_PER_AREA = 10
NAME_LENGTH = 200

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PNG = "image/png"
JPEG = "image/jpeg"

ALLOWED = "a PDF, a Word document (DOCX), an Excel workbook (XLSX), or a PNG or JPEG image"
# The main part an Office package declares in [Content_Types].xml: what it is, whatever it is called.
OFFICE_MAIN_PARTS = {
    DOCX: b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    XLSX: b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
CONTENT_TYPES_LIMIT = 1024 * 1024  # [Content_Types].xml is a few kilobytes; more is not an Office file.


@dataclass(frozen=True)
class CheckedEvidence:
    """An uploaded file that may be stored: its content, the name to show, its type and size."""

    upload: Any
    name: str
    content_type: str
    size: int


def _office_type(upload: Any) -> str | None:
    try:
        with zipfile.ZipFile(upload) as package:
            if "[Content_Types].xml" not in package.namelist():
                return None
            with package.open("[Content_Types].xml") as part:
                declared = part.read(CONTENT_TYPES_LIMIT)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError):
        return None
    for content_type, main_part in OFFICE_MAIN_PARTS.items():
        if main_part in declared:
            return content_type
    return None


def evidence_content_type(upload: Any) -> str | None:
    """The type of an evidence file from its content (PDF, DOCX, XLSX, PNG or JPEG), or None for anything else."""
    upload.seek(0)
    head = upload.read(8)
    try:
        if head.startswith(b"%PDF-"):
            return PDF
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return PNG
        if head.startswith(b"\xff\xd8\xff"):
            return JPEG
        if head.startswith(b"PK\x03\x04"):
            upload.seek(0)
            return _office_type(upload)
        return None
    finally:
        upload.seek(0)


def clean_file_name(name: str, content_type: str) -> str:
    """The name an uploaded file is shown and downloaded with: its last part only, without control characters,
    at most 200 characters (keeping the extension); "evidence.pdf" (say) when nothing is left."""
    last = re.split(r"[\\/]", name or "")[-1]
    cleaned = " ".join("".join(c for c in last if c.isprintable()).split()).strip(" .")
    if not cleaned:
        return f"evidence.{EVIDENCE_EXTENSIONS[content_type]}"
    if len(cleaned) > NAME_LENGTH:
        _, dot, extension = cleaned.rpartition(".")
        keep = f".{extension}" if dot and len(extension) <= 10 else ""
        cleaned = cleaned[: NAME_LENGTH - len(keep)].rstrip() + keep
    return cleaned


def check_evidence_file(upload: Any, *, label: str = "The evidence file") -> CheckedEvidence:
    """The upload if it may be stored; ValidationError saying what is wrong with it (its size or its type)."""
    size = int(getattr(upload, "size", 0) or 0)
    if size == 0:
        raise ValidationError(f"{label} is empty", code="empty")
    if size > MAX_BYTES:
        raise ValidationError(f"{label} must be 10 MB or smaller", code="too_large")
    content_type = evidence_content_type(upload)
    if content_type is None:
        raise ValidationError(f"{label} must be {ALLOWED}", code="wrong_type")
    return CheckedEvidence(upload, clean_file_name(str(getattr(upload, "name", "")), content_type), content_type, size)
