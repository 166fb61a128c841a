"""The analysis as an XLSX workbook: an "About" sheet, then one sheet per section of the page with the same tables
(and the long form of the completeness tables), then the narrative. Numbers are numbers (shares formatted as
percentages), text is text: a cell whose text starts with "=" stays text, and the workbook holds no formula."""

import io
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from openpyxl import Workbook
from openpyxl.cell.cell import Cell as SheetCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from maca.common.spreadsheets import CellValue, new_cell

from .narrative import narrative
from .report import Analysis
from .sections import sections
from .tables import Cell, Table

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
SMALL_NUMBERS = (
    "These figures are about a small number of children and could identify them: apply disclosure control before "
    "publishing any of them."
)


def _cell(
    sheet: WriteOnlyWorksheet, value: CellValue, *, font: Font | None = None, number_format: str = ""
) -> SheetCell:
    cell = new_cell(sheet, value)  # text as text, never a formula, whatever it starts with
    if font is not None:
        cell.font = font
    if number_format:
        cell.number_format = number_format
    return cell


def _value(cell: Cell) -> Any:
    if cell.numeric:
        return cell.value
    return cell.text


def _write_table(sheet: WriteOnlyWorksheet, table: Table) -> None:
    if table.heading:
        sheet.append([_cell(sheet, table.heading, font=BOLD)])
    for line in table.intro:
        sheet.append([_cell(sheet, line)])
    sheet.append([_cell(sheet, table.caption, font=BOLD)])
    sheet.append([_cell(sheet, header, font=BOLD) for header in table.head])
    for row in table.rows:
        sheet.append([_cell(sheet, _value(cell), number_format="0%" if cell.share else "") for cell in row])
    sheet.append([])


def _sheet(book: Workbook, name: str, widths: tuple[int, ...] = (40, 30, 16, 16, 16, 16, 16, 16)) -> WriteOnlyWorksheet:
    sheet = book.create_sheet(name[:31])
    assert isinstance(sheet, WriteOnlyWorksheet)
    for index, width in enumerate(widths):
        # Write-only sheets have column dimensions, which openpyxl's type stubs leave out.
        sheet.column_dimensions[get_column_letter(index + 1)].width = width  # type: ignore[attr-defined]
    return sheet


def analysis_workbook(analysis: Analysis) -> bytes:
    """The workbook's bytes."""
    audit = analysis.data.audit
    book = Workbook(write_only=True)
    about = _sheet(book, "About", (30, 80))
    about.append([_cell(about, f"Analysis – {audit.title}", font=TITLE)])
    rows: list[tuple[str, CellValue]] = [
        ("Audit", audit.reference),
        ("Day of the audit", date_format(analysis.data.day, "j F Y")),
        ("Included cases", analysis.cohort.size),
        ("Submitted returns counted", len(analysis.data.returns)),
        ("Returns not yet submitted (not counted)", analysis.data.returns_pending),
        ("Computed", timezone.localtime().strftime("%d/%m/%Y %H:%M")),
        ("Small numbers", SMALL_NUMBERS),
    ]
    for label, value in rows:
        about.append([_cell(about, label, font=BOLD), _cell(about, value)])
    for section in sections(analysis):
        sheet = _sheet(book, section.sheet)
        sheet.append([_cell(sheet, section.title, font=TITLE)])
        for line in (*section.summary, *section.paragraphs):
            sheet.append([_cell(sheet, line)])
        sheet.append([])
        for table in section.tables:
            _write_table(sheet, table)
    sheet = _sheet(book, "Narrative", (30, 30, 14, 30, 100))
    sheet.append([_cell(sheet, header, font=BOLD) for header in ("Theme", "Kind", "Case", "Agency", "Text")])
    for item in narrative(analysis.data):
        values = (item.theme, item.kind_label, item.case, item.agency, item.text)
        sheet.append([_cell(sheet, value) for value in values])
    book.properties.title = f"Analysis – {audit.title}"[:255]
    book.properties.creator = "maca"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
