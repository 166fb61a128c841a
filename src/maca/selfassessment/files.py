"""Evidence files: recognised by their content, never by their name or the type the browser claims.

An agency may attach PDF, Word (DOCX) and Excel (XLSX) documents and PNG and JPEG images, each of up to
`MAX_BYTES`. Word and Excel files are ZIP packages: they are recognised by the main part their package declares, so
that a macro-enabled document (.docm, .xlsm) or any other ZIP file is refused. A file that only starts like an image
(an HTML page behind a PNG's first bytes) is refused, and so is a PDF with JavaScript or an action that starts a
program, as far as its objects can be read (an encrypted PDF's cannot). Nothing in the file is run or shown: it is
stored under a random name and only ever downloaded as an attachment, with its type as recognised here and
`X-Content-Type-Options: nosniff`, so that no browser takes it for a page.
"""

import re
import zipfile
import zlib
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
OBJECT_STREAMS_LIMIT = 50 * 1024 * 1024  # what a PDF's object streams may unpack to, all together, to be checked

# A PNG image goes on with its header chunk; after a JPEG image's first three bytes comes a marker (0xC0 to 0xFE).
_PNG_HEADER = b"\x00\x00\x00\x0dIHDR"
_STREAM = re.compile(rb"stream\r?\n")
# JavaScript, and actions that start a program or play embedded media.
SCRIPTED_NAMES = (b"JavaScript", b"JS", b"Launch", b"RichMedia")


def _pdf_name_pattern(names: tuple[bytes, ...]) -> re.Pattern[bytes]:
    """PDF names, however written: "#" and two hex digits stand for a byte (/J#61vaScript is /JavaScript), and a
    delimiter or the end ends a name (/JSON is not /JS)."""

    def either(byte: int) -> bytes:
        hexed = b"".join(b"[%s%s]" % (bytes([digit]), bytes([digit]).upper()) for digit in b"%02x" % byte)
        return b"(?:%s|#%s)" % (re.escape(bytes([byte])), hexed)

    spelled = b"|".join(b"".join(either(byte) for byte in name) for name in names)
    return re.compile(b"/(" + spelled + rb")(?=[\s/<>\[\]()%{}]|$)")


_SCRIPTED = _pdf_name_pattern(SCRIPTED_NAMES)
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


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


def _scripted_names(data: bytes) -> set[bytes]:
    """The names of `SCRIPTED_NAMES` in some PDF bytes, with their escapes read."""
    return {_NAME_ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), found[1]) for found in _SCRIPTED.finditer(data)}


def _object_stream_names(data: bytes) -> set[bytes] | None:
    """The names of `SCRIPTED_NAMES` in a PDF's object streams (where a PDF 1.5 file may keep its dictionaries,
    compressed), unpacked a megabyte at a time; None when they unpack to more than `OBJECT_STREAMS_LIMIT` together.
    One that cannot be unpacked (an encrypted PDF's) is passed over."""
    found: set[bytes] = set()
    budget = OBJECT_STREAMS_LIMIT
    for match in _STREAM.finditer(data):
        dictionary = data[max(0, match.start() - 1024) : match.start()]
        dictionary = dictionary[dictionary.rfind(b"obj") :]
        if b"/ObjStm" not in dictionary or b"/FlateDecode" not in dictionary:
            continue
        end = data.find(b"endstream", match.end())
        pending = data[match.end() : end if end >= 0 else len(data)]
        inflater = zlib.decompressobj()
        overlap = b""  # the end of the last piece: a name may run across two
        try:
            while pending and not inflater.eof:
                piece = inflater.decompress(pending, 1024 * 1024)
                pending = inflater.unconsumed_tail
                budget -= len(piece)
                if budget < 0:
                    return None
                found |= _scripted_names(overlap + piece)
                overlap = piece[-64:]
        except zlib.error:
            continue
    return found


def _pdf_problem(data: bytes, label: str) -> str | None:
    """Why a PDF may not be stored (JavaScript, an action that starts a program), or None."""
    in_streams = _object_stream_names(data)
    if in_streams is None:
        return f"{label} is a PDF too large once unpacked to be checked: save or print it again as a PDF"
    scripted = _scripted_names(data) | in_streams
    if scripted:
        what = "JavaScript" if scripted & {b"JavaScript", b"JS"} else "an action that starts a program or plays media"
        return (
            f"{label} is a PDF with {what} in it, which maca does not accept: print it to a new PDF, or save it "
            "again without scripts"
        )
    return None


def _content_problem(upload: Any, content_type: str, label: str) -> str | None:
    """Why a file of a recognised type may not be stored all the same, or None: an image that is not one past its
    first bytes, a PDF with scripts."""
    upload.seek(0)
    try:
        head = upload.read(16)
        if content_type == PNG and head[8:] != _PNG_HEADER:
            return f"{label} starts like a PNG image but is not one: save the image again as PNG or JPEG"
        if content_type == JPEG and not (len(head) > 3 and 0xC0 <= head[3] <= 0xFE):
            return f"{label} starts like a JPEG image but is not one: save the image again as PNG or JPEG"
        if content_type == PDF:
            upload.seek(0)
            return _pdf_problem(upload.read(), label)
        return None
    finally:
        upload.seek(0)


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


# The extensions a file of each type may keep; any other gains the first ("page.html" recognised as PNG is
# "page.html.png"), so that once downloaded the file opens as what it is, never as a page in the browser.
_OWN_EXTENSIONS: dict[str, tuple[str, ...]] = {kind: (extension,) for kind, extension in EVIDENCE_EXTENSIONS.items()}
_OWN_EXTENSIONS[JPEG] = ("jpg", "jpeg")


def clean_file_name(name: str, content_type: str) -> str:
    """The name an uploaded file is shown and downloaded with: its last part only, without control characters,
    at most 200 characters, ending with an extension of its type (added when the name has another); "evidence.pdf"
    (say) when nothing is left."""
    extension = EVIDENCE_EXTENSIONS[content_type]
    last = re.split(r"[\\/]", name or "")[-1]
    cleaned = " ".join("".join(c for c in last if c.isprintable()).split()).strip(" .")
    if not cleaned:
        return f"evidence.{extension}"
    _, dot, given = cleaned.rpartition(".")
    if not dot or given.lower() not in _OWN_EXTENSIONS[content_type]:
        cleaned, given = f"{cleaned}.{extension}", extension
    if len(cleaned) > NAME_LENGTH:
        keep = f".{given}"
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
    problem = _content_problem(upload, content_type, label)
    if problem:
        raise ValidationError(problem, code="wrong_content")
    return CheckedEvidence(upload, clean_file_name(str(getattr(upload, "name", "")), content_type), content_type, size)
