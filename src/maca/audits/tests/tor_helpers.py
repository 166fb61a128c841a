"""Helpers for the Terms of Reference tests: a small definition, what the seed ToR says, and the real readers.

The readers are LibreOffice (`soffice`) for DOCX files and poppler-utils (`pdftotext`, `pdfinfo`) for PDFs. `make
test` installs them (scripts/system-deps); a test that needs one fails, never skips, when it is missing.
"""

import io
import re
import shutil
import struct
import subprocess
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pytest
from lxml import etree  # type: ignore[import-untyped]

from maca.audits.schema import AuditDefinition
from maca.audits.tests.seed import FOOTNOTE as SEED_FOOTNOTE
from maca.audits.tests.seed import SEED_TOR, seed_tor_sections, seed_tor_title
from maca.common.tests.htmltree import Element

LIBRARY = Path(__file__).resolve().parents[1] / "library"
HSB_YAML = LIBRARY / "hsb.yaml"

TORBAY = "Torbay Safeguarding Children Partnership"
TORBAY_AGENCIES = {
    "CSC": "Children’s Social Care",
    "EDU": "Education",
    "YOT": "Youth Offending Team",
    "SCH": "Schools",
    "HEALTH": "Health",
    "SARC": "SARC",
    "POLICE": "Police",
    "VCS": "Voluntary Sector",
    "YDASW": "Young Devon/Adopt South West",
    "AFC": "Action for Children 0 – 19 partnership",
}

QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "\ufeff": " ", "\u00a0": " "})
BULLETS = re.compile(r"^\s*[•·▪◦]\s", re.MULTILINE)
PAGE_NUMBER = re.compile(r"Page \d+ of \d+")
FOOTNOTE_NUMBERS = re.compile(r"(?:\s\d{1,2}\.?)+$")


def normalise(text: str) -> str:
    """Text as readers extract it, made comparable: plain quotes, no bullet marks, runs of space made one."""
    return " ".join(BULLETS.sub(" ", text.translate(QUOTES)).split())


def seed_expectations() -> tuple[list[str], list[str]]:
    """What a rendering of the seed must say: the title then every heading and sentence of sections 1–7, in order
    (headings numbered as in the seed: "6a. Case Audit – where involved"), and the footnotes' texts in order."""
    footnotes = [normalise(match["text"]) for match in SEED_FOOTNOTE.finditer(SEED_TOR.read_text(encoding="utf-8"))]
    sentences = [seed_tor_title()]
    for section in seed_tor_sections():
        sentences.append(f"{section.number}. {section.heading}")
        sentences.extend(sentence for sentence in section.sentences if normalise(sentence) not in footnotes)
    return [normalise(sentence) for sentence in sentences], footnotes


def assert_in_order(text: str, sentences: Sequence[str], where: str) -> None:
    """Each sentence appears in `text` (both normalised), each after the one before."""
    haystack = normalise(text)
    position = 0
    for number, sentence in enumerate(sentences, start=1):
        wanted = normalise(sentence)
        found = haystack.find(wanted, position)
        if found < 0:
            anywhere = haystack.find(wanted)
            context = haystack[max(position - 80, 0) : position + 200]
            raise AssertionError(
                f"{where}: sentence {number} {'is out of order' if anywhere >= 0 else 'is missing'}: {wanted!r}\n"
                f"text after the previous sentence: ...{context!r}"
            )
        position = found + len(wanted)


def definition(**changes: Any) -> AuditDefinition:
    """A small definition with every section, footnotes in several sections, and both kinds of engagement."""
    data: dict[str, Any] = {
        "reference": "neglect-2024",
        "title": "Multi Agency Case Audit on Neglect",
        "short_title": "MACA on Neglect",
        "topic": "Neglect",
        "version_date": "2024-06-12",
        "headings": {"definitions": "What is neglect?", "purpose": "Purpose of the MACA on Neglect"},
        "background": (
            "A review in 2022 found that neglect was recognised late.[^Neglect review, 2022]\n\n"
            "This audit looks at whether that has changed."
        ),
        "definitions": (
            "Neglect is the persistent failure to meet a child’s basic needs.[^Working Together, 2023]\n\n"
            "It can show as:\n"
            "- Poor supervision\n"
            "- Missed health appointments[^NICE guideline NG76]"
        ),
        "purpose": "This audit will consider:\n- The quality of assessments\n- How agencies share information",
        "themes": [
            {"name": "Recognition", "objectives": ["Understand how early neglect is recognised.", "Explore drift."]},
            {"name": "Response", "objectives": ["Understand how plans change outcomes.[^Ofsted, 2014]"]},
        ],
        "identification": {
            "text": "- Cases will be identified by Children’s Social Care\n- The scope is 2022 to 2023",
            "identifying_agencies": [{"agency": "CSC"}],
            "target_cases": 8,
            "scope_start": "2022-01-01",
            "scope_end": "2023-12-31",
        },
        "engagement": {
            "text": "There should be contribution from the following partners:",
            "case_audit": [
                {"agency": "CSC", "services": ["MASH", "Early Help"]},
                {"agency": "SCH", "services_text": "DSLs and Pastoral Leads"},
                {"agency": "POLICE"},
                {"agency": "XYZ"},
            ],
            "wider_audit": {
                "framework": "Graded Care Profile 2",
                "participants": [{"agency": "HEALTH", "services": ["Health Visiting"]}],
            },
        },
        "timeline": [
            {"kind": "audit", "text": "Audit to take place in", "planned": "2024-09"},
            {"kind": "report", "text": "Report to the Business Group on", "planned": "2024-11-05"},
        ],
    }
    data.update(changes)
    return AuditDefinition.model_validate(data)


AGENCIES = {"CSC": "Children’s Social Care", "SCH": "Schools", "POLICE": "Police", "HEALTH": "Health"}


def png(width: int, height: int, rgb: tuple[int, int, int] = (0xD4, 0x35, 0x1C)) -> bytes:
    """A PNG of one colour, made here (no image library needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def require(tool: str, package: str) -> str:
    """The path of a reader the tests need; fails (never skips) when it is missing."""
    path = shutil.which(tool)
    if path is None:
        pytest.fail(
            f"`{tool}` is not installed: these tests open the rendered files in a real reader. "
            f"`make test` installs it (Debian package {package}, through scripts/system-deps).",
            pytrace=False,
        )
    return path


def run(command: Sequence[str], what: str) -> subprocess.CompletedProcess[bytes]:
    result = subprocess.run(command, capture_output=True, timeout=180, check=False)
    assert result.returncode == 0, f"{what} failed ({result.returncode}): {result.stderr.decode(errors='replace')}"
    return result


def libreoffice_convert(data: bytes, suffix: str, target: str, workdir: Path, profile: Path) -> bytes:
    """Open the file in LibreOffice (headless) and save it as `target` (e.g. "txt:Text", "pdf", "fodt")."""
    soffice = require("soffice", "libreoffice-writer-nogui")
    workdir.mkdir(parents=True, exist_ok=True)
    source = workdir / f"document.{suffix}"
    source.write_bytes(data)
    out = workdir / "out"
    run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            target,
            "--outdir",
            str(out),
            str(source),
        ],
        "LibreOffice",
    )
    converted = list(out.glob("document.*"))
    assert len(converted) == 1, f"LibreOffice wrote {converted} (it could not open the file?)"
    return converted[0].read_bytes()


def pdf_text(data: bytes, workdir: Path, *, layout: bool = False) -> str:
    """The PDF's text as pdftotext extracts it (pages separated by form feeds)."""
    pdftotext = require("pdftotext", "poppler-utils")
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / "document.pdf"
    path.write_bytes(data)
    options = ["-layout"] if layout else []
    return run([pdftotext, *options, "-enc", "UTF-8", str(path), "-"], "pdftotext").stdout.decode("utf-8")


def pdf_pages(data: bytes, workdir: Path) -> int:
    pdfinfo = require("pdfinfo", "poppler-utils")
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / "document.pdf"
    path.write_bytes(data)
    info = run([pdfinfo, str(path)], "pdfinfo").stdout.decode("utf-8")
    match = re.search(r"^Pages:\s+(\d+)$", info, re.MULTILINE)
    assert match, info
    return int(match.group(1))


def running_text(text: str, footnotes: Sequence[str], footer: Sequence[str], header: Sequence[str] = ()) -> str:
    """The running text of a PDF's pages (as pdftotext gives them), without what sits at the foot of each page.

    Each page is cut where its first footnote or footer line starts, so that a sentence broken across a page break
    reads whole. Fails unless every footnote is at the foot of a page, in order.
    """
    markers = [normalise(marker) for marker in (*footnotes, *footer)]
    bodies, feet = [], []
    for page in text.split("\f"):
        flat = PAGE_NUMBER.sub(" ", normalise(page))
        for line in header:
            flat = flat.replace(normalise(line), " ")
        cut = min((found for marker in markers if (found := flat.find(marker)) >= 0), default=len(flat))
        # The number in front of a footnote's text is furniture too.
        bodies.append(FOOTNOTE_NUMBERS.sub("", flat[:cut].rstrip()))
        feet.append(flat[cut:])
    foot = " ".join(feet)
    position = 0
    for number, footnote in enumerate(footnotes, start=1):
        found = foot.find(normalise(footnote), position)
        assert found >= 0, f"footnote {number} is not at the foot of a page (in order): {footnote!r}"
        position = found
    return normalise(" ".join(bodies))


def docx_part(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return etree.fromstring(package.read(name))


def html_running_text(root: Element) -> str:
    """The document's text as a reader reads it, without footnote calls, the footnote list and the footer."""
    skipped = {"tor-footnote-call", "tor-footnotes", "tor-footer", "tor-watermark"}

    def texts(element: Element) -> Iterable[str]:
        if element.classes & skipped or element.tag in {"style", "script", "head"}:
            return
        for child in element.children:
            if isinstance(child, str):
                yield child
            else:
                yield " " if child.tag in {"p", "li", "h1", "h2", "h3", "ul", "section", "header"} else ""
                yield from texts(child)

    return normalise("".join(texts(root)))
