"""The spreadsheet helpers: real XLSX files written by openpyxl and read back, real CSV parsed by the csv module."""

import datetime
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from maca.common.spreadsheets import (
    FORMULA_LEADS,
    CellValue,
    csv_field,
    csv_file,
    new_cell,
    new_row,
    put_at,
    text_of_csv_field,
    xlsx_text,
)

from .formulas import PAYLOADS, csv_fields, formulas_in_xml, xlsx_texts

# Text a spreadsheet program would otherwise read as a formula or as an error value.
TEXTS = (*PAYLOADS, "=1+1", "=", "#N/A", "#DIV/0!", "-", "'=1", "''", "'", "a\r\nb", "-5", "+44 1234 567890")


def _saved(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_text_is_a_text_cell_whatever_it_begins_with() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row, text in enumerate(TEXTS, start=1):
        put_at(sheet, row, 1, text)  # a cell at its place
    appended = book.create_sheet("Appended")
    for text in TEXTS:
        appended.append(new_row(appended, [None, text]))  # a whole row appended
    streamed = Workbook(write_only=True)
    write_only = streamed.create_sheet("Streamed")
    assert isinstance(write_only, WriteOnlyWorksheet)
    for text in TEXTS:
        write_only.append([new_cell(write_only, text)])  # a write-only sheet, as a large export writes

    for content in (_saved(book), _saved(streamed)):
        assert formulas_in_xml(content) == []
        texts = xlsx_texts(content)
        for text in TEXTS:
            assert text in texts.values(), text


def test_numbers_dates_and_booleans_stay_cells_of_their_own_type() -> None:
    values: list[CellValue] = [3, -2, 0.25, True, datetime.date(2025, 3, 14), datetime.datetime(2025, 3, 14, 9, 30)]
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(new_row(sheet, values))
    read = load_workbook(io.BytesIO(_saved(book))).active
    assert read is not None
    (cells,) = read.iter_rows()
    assert [cell.value for cell in cells] == [
        3,
        -2,
        0.25,
        True,
        datetime.datetime(2025, 3, 14),  # a date cell reads back as a date and time
        datetime.datetime(2025, 3, 14, 9, 30),
    ]
    assert [cell.data_type for cell in cells] == ["n", "n", "n", "b", "d", "d"]


def test_characters_a_workbook_cannot_hold_are_left_out_instead_of_refusing_the_file() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    put_at(sheet, 1, 1, "A bell\x07 rang\x0b, a form feed\x0c and \ufffe\uffff, then a tab\tand lines\r\n.")
    texts = xlsx_texts(_saved(book))
    assert texts == {"Sheet!A1": "A bell rang, a form feed and , then a tab\tand lines\r\n."}


def test_a_merged_cell_is_refused_by_name() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.merge_cells("A1:B1")
    with pytest.raises(ValueError, match="B1 is merged"):
        put_at(sheet, 1, 2, "text")


def test_a_csv_field_never_begins_a_formula_and_reads_back_exactly() -> None:
    rows: list[list[CellValue]] = [[text, 3, datetime.date(2025, 3, 14), None, False] for text in TEXTS]
    fields = csv_fields(csv_file(rows))
    assert len(fields) == 5 * len(TEXTS)
    for number, text in enumerate(TEXTS):
        written, three, day, nothing, no = fields[5 * number : 5 * number + 5]
        assert not written.startswith(FORMULA_LEADS), written
        assert text_of_csv_field(written) == text
        assert (three, day, nothing, no) == ("3", "2025-03-14", "", "no")
    # The documented prefix: one apostrophe, and only where the text would begin a formula.
    assert csv_field('=HYPERLINK("http://evil.invalid","x")') == '\'=HYPERLINK("http://evil.invalid","x")'
    assert csv_field("\t=1") == "'\t=1"
    assert csv_field("It went well.") == "It went well."
    assert csv_field("'quoted'") == "'quoted'"
    # Text that itself begins with apostrophes before a formula gains one more, so reading it back keeps them.
    assert csv_field("'=1") == "''=1"
    assert text_of_csv_field("''=1") == "'=1"
    # A field maca did not quote is read as it is.
    assert text_of_csv_field("'quoted'") == "'quoted'"
    assert csv_field(-5) == "-5"  # a number is a number, not text that begins with "-"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("=+-@\t\r'ab 1\n"), max_size=8) | st.text())
def test_any_text_goes_into_csv_inert_and_comes_back_exactly(text: str) -> None:
    written = csv_field(text)
    assert not written.startswith(FORMULA_LEADS)
    assert text_of_csv_field(written) == text
    (field,) = csv_fields(csv_file([[text]]))
    assert text_of_csv_field(field) == text


@settings(max_examples=40, deadline=None)
@given(st.text(min_size=1))
def test_any_text_goes_into_a_workbook_as_text_and_comes_back_as_it_holds_it(text: str) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    put_at(sheet, 1, 1, text)
    content = _saved(book)
    assert formulas_in_xml(content) == []
    assert xlsx_texts(content).get("Sheet!A1", "") == xlsx_text(text)
