"""The spreadsheets maca writes, XLSX and CSV, hold people's text as text: never as a formula.

A spreadsheet program runs a formula it finds in a file. In an XLSX file a formula is a cell of its own kind, and
openpyxl makes one of any text that begins with "=". In a CSV file there are no kinds: Excel and LibreOffice take text
beginning with "=", "+", "-", "@", a tab or a carriage return as a formula when they open it ("CSV injection" in
OWASP's words; ASVS 1.2.10). A narrative typed as `=HYPERLINK("http://…","Open")` would then be a live link, in a
file about a child's case. Every XLSX and CSV file maca writes goes through these helpers:

- XLSX: `put` puts a value in a cell (`put_at`: the cell at a row and column), `new_cell` makes one for
  `sheet.append` (write-only sheets too), `new_row` makes a whole row of them. Text is a text cell whatever it begins
  with; a number, a date or a boolean is a cell of its own type, as before.
- CSV: `csv_field` makes formula-leading text inert with a leading apostrophe, as OWASP advises, and
  `text_of_csv_field` takes it off again, so that an importer reading a file maca wrote gets the text back exactly;
  `csv_file` writes whole rows.
"""

import csv
import datetime
import io
import re
from collections.abc import Iterable

from openpyxl.cell.cell import Cell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

CellValue = str | int | float | datetime.date | None
"""What maca puts in a cell: text, a number (or a boolean), a date or a date and time, or nothing."""

FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
"""What text begins with for a spreadsheet program to take it as a formula when it opens a CSV file."""

QUOTE = "'"

# What XML 1.0, and so an XLSX file, cannot hold: the control characters but tab, line feed and carriage return;
# lone surrogates; and U+FFFE and U+FFFF.
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xlsx_text(text: str) -> str:
    """The text as an XLSX cell holds it: without the characters XML 1.0 refuses (a vertical tab pasted from a word
    processor, say), which show nothing, and for which openpyxl would refuse to write the whole file."""
    return _NOT_IN_XML.sub("", text)


def put(cell: Cell, value: CellValue) -> Cell:
    """Put `value` in `cell`, and return the cell. Text is always a text cell, never a formula or an error value,
    whatever it begins with; a number, a boolean, a date or a date and time is a cell of its own type."""
    if isinstance(value, str):
        cell.value = xlsx_text(value)
        # openpyxl has just made text beginning with "=" a formula, and "#N/A" and the like an error: it is text.
        cell.data_type = "s"
    else:
        cell.value = value
    return cell


def put_at(sheet: Worksheet, row: int, column: int, value: CellValue) -> Cell:
    """Put `value` in the cell of `sheet` at `row` and `column`, as `put` puts it, and return the cell."""
    cell = sheet.cell(row=row, column=column)
    if not isinstance(cell, Cell):
        raise ValueError(f"{cell.coordinate} is merged into the cell before it: put the value in that one")
    return put(cell, value)


def new_cell(sheet: Worksheet | WriteOnlyWorksheet, value: CellValue) -> Cell:
    """A cell of `sheet` holding `value` as `put` puts it, to place with `sheet.append` (in a write-only sheet too,
    where it is the only way to give a cell a style)."""
    return put(Cell(sheet, row=1, column=1), value)


def new_row(sheet: Worksheet | WriteOnlyWorksheet, values: Iterable[CellValue]) -> list[Cell]:
    """The cells of a row for `sheet.append`, each holding its value as `put` puts it."""
    return [new_cell(sheet, value) for value in values]


def _starts_a_formula(text: str) -> bool:
    # Apostrophes already in front are looked through, so that text which itself begins with one gains another and
    # `text_of_csv_field` can tell maca's apostrophe from the author's.
    return text.lstrip(QUOTE).startswith(FORMULA_LEADS)


def csv_field(value: CellValue) -> str:
    """A value as a CSV field that no spreadsheet program runs: text that would begin a formula gets a leading
    apostrophe (see `text_of_csv_field`); a date is written as YYYY-MM-DD, a boolean as yes or no, nothing as an
    empty field, a number as itself."""
    if value is None:
        return ""
    if isinstance(value, str):
        return QUOTE + value if _starts_a_formula(value) else value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def text_of_csv_field(field: str) -> str:
    """The text that `csv_field` wrote as `field`, exactly: its leading apostrophe taken off where `csv_field` put
    one. Any other field is returned as it is, so an importer may read every CSV field through it."""
    if field.startswith(QUOTE) and _starts_a_formula(field[1:]):
        return field[1:]
    return field


def csv_file(rows: Iterable[Iterable[CellValue]]) -> bytes:
    """Rows as a CSV file no spreadsheet program runs a formula from (`csv_field`), in UTF-8 with the byte order
    mark by which Excel knows it is UTF-8."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([csv_field(value) for value in row])
    return out.getvalue().encode("utf-8-sig")
