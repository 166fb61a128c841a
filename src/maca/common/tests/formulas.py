"""Payloads that a spreadsheet program would run as formulas, and the checks that a file maca wrote holds none."""

import csv
import io
import zipfile
from xml.etree import ElementTree

from openpyxl import load_workbook

# Text beginning with each character a spreadsheet program takes as the start of a formula (OWASP, CSV injection).
PAYLOADS = (
    '=HYPERLINK("http://evil.invalid","x")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
)
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def formulas_in_xml(content: bytes) -> list[str]:
    """Every formula element in the sheets of an XLSX file, as "part!cell", read from the raw XML (not through
    openpyxl, which is what wrote it)."""
    found = []
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if not name.startswith("xl/worksheets/") or not name.endswith(".xml"):
                continue
            root = ElementTree.fromstring(archive.read(name))  # noqa: S314 (the file maca has just written)
            for cell in root.iter(f"{_MAIN}c"):
                if cell.find(f"{_MAIN}f") is not None:
                    found.append(f"{name}!{cell.get('r')}")
    return found


def xlsx_texts(content: bytes) -> dict[str, str]:
    """Every text cell of an XLSX file read back by openpyxl, as {"sheet!cell": text}; a formula cell fails."""
    book = load_workbook(io.BytesIO(content))
    texts = {}
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula: {cell.value!r}"
                if isinstance(cell.value, str):
                    texts[f"{sheet.title}!{cell.coordinate}"] = cell.value
    return texts


def csv_fields(content: bytes) -> list[str]:
    """Every field of a CSV file maca wrote (UTF-8 with a byte order mark), parsed by the csv module."""
    text = content.decode("utf-8-sig")
    return [field for row in csv.reader(io.StringIO(text, newline="")) for field in row]
