"""Case lists that are damaged, hostile or simply strange never crash the import: `read_case_file` refuses them with
a `CaseFileError` naming what is wrong (never another exception), the upload page answers 400 with the problems,
`maca import_cases` exits with a `CommandError`, and no case is saved.

Hypothesis makes the files from a valid case list (bytes changed, cut short or inserted; one part of the XLSX
package damaged; random cells of every type a spreadsheet holds); a fixed set adds the known attacks.
"""

import datetime
import io
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from maca.audits.models import Audit
from maca.cases.importing import CaseFileError, CaseRow, archive_size, read_case_file
from maca.cases.models import Case
from maca.cases.tests.test_importing import GOOD, HEADER, csv_bytes, xlsx_bytes
from maca.common.tests.hostile import (
    BYTE_ORDER_MARKS,
    CSV_FIELD_LIMIT,
    ENCODINGS,
    FUZZ,
    HOSTILE_TEXT,
    HUGE,
    mutations,
    part_mutations,
    workbook_listing,
    xml_entity_bomb,
    zip_bomb,
    zip_replacing,
)
from maca.partnerships.models import AccessLogEntry
from maca.tests.cast import Cast

ClientFor = Callable[[str], Client]
URL = "/audits/anytown-approved-2025/cases/import/"
SHEET = "xl/worksheets/sheet1.xml"
VALID_CSV = csv_bytes([HEADER, *GOOD])
VALID_XLSX = xlsx_bytes([HEADER, *GOOD])


def approved(cast: Cast) -> Audit:
    assert cast.approved_audit is not None
    return cast.approved_audit


def read_or_refuse(content: bytes, filename: str, audit: Audit) -> list[CaseRow] | CaseFileError:
    """The rows of a case list, or the refusal, which must say what is wrong. Any other exception fails the test."""
    try:
        return read_case_file(content, filename, audit)
    except CaseFileError as error:
        refusal = error
    assert refusal.problems
    assert all(str(problem).strip() for problem in refusal.problems)
    return refusal


def refused(content: bytes, filename: str, audit: Audit) -> str:
    """The message of a case list that must be refused."""
    outcome = read_or_refuse(content, filename, audit)
    assert isinstance(outcome, CaseFileError), "the file was accepted"
    return str(outcome)


@pytest.fixture
def nothing_saved(cast: Cast) -> Any:
    """After the test, the approved audit still has its one case and nothing was logged as created."""
    before = (Case.objects.count(), AccessLogEntry.objects.filter(action="created").count())
    yield
    assert (Case.objects.count(), AccessLogEntry.objects.filter(action="created").count()) == before


# --- Generated files -------------------------------------------------------------------------------------------


@FUZZ
@given(content=mutations(VALID_CSV))
def test_a_damaged_csv_is_read_or_refused(cast: Cast, nothing_saved: None, content: bytes) -> None:
    read_or_refuse(content, "cases.csv", approved(cast))


@FUZZ
@given(
    content=st.one_of(
        mutations(VALID_XLSX),
        part_mutations(VALID_XLSX),
        part_mutations(VALID_XLSX, (SHEET, SHEET, SHEET, "xl/workbook.xml", "xl/styles.xml")),
    )
)
def test_a_damaged_xlsx_is_read_or_refused(cast: Cast, nothing_saved: None, content: bytes) -> None:
    read_or_refuse(content, "cases.xlsx", approved(cast))


# Text as a spreadsheet can hold it: any character XML allows, some of them long.
_texts = st.one_of(
    st.text(max_size=30),
    st.sampled_from(list(HOSTILE_TEXT.values())),
    st.sampled_from([*GOOD[0], *GOOD[1], "2012-04", "2025-02-30", "0000-00", "9999-12-31", "-1", "1e308", "NaN"]),
).map(lambda text: ILLEGAL_CHARACTERS_RE.sub("", text))

# A cell as a spreadsheet can hold it: text, numbers of any size, dates and times near the ends of what Excel
# allows, booleans and formulas.
_cells = st.one_of(
    _texts,
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(min_value=datetime.date(1900, 3, 1)),
    st.datetimes(min_value=datetime.datetime(1900, 3, 1)),
    st.times(),
    st.booleans(),
    st.none(),
    st.sampled_from(["=1+1", "=NOW()", '=HYPERLINK("http://example.invalid","x")', "=A1"]),
)
# A number shown as a date: a spreadsheet keeps a date as a number of days, which may be far beyond any date.
_dated_numbers = st.one_of(st.integers(-(10**12), 10**12), st.floats(allow_nan=True, allow_infinity=True))


@st.composite
def workbooks(draw: st.DrawFn) -> bytes:
    """A workbook with the case list's header (perhaps altered) and random rows of random cells."""
    header: list[Any] = list(HEADER)
    if draw(st.booleans()):
        header[draw(st.integers(0, len(header) - 1))] = draw(_cells)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(header)
    for row in draw(st.lists(st.lists(_cells, max_size=len(HEADER) + 2), max_size=5)):
        sheet.append(row)
    for _ in range(draw(st.integers(0, 2))):
        place = draw(st.integers(2, 7)), draw(st.integers(1, len(HEADER)))
        cell = sheet.cell(row=place[0], column=place[1], value=draw(_dated_numbers))
        cell.number_format = draw(st.sampled_from(["yyyy-mm-dd", "hh:mm:ss", "yyyy-mm-dd hh:mm", "[h]:mm"]))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@FUZZ
@given(content=workbooks())
def test_an_xlsx_of_random_cells_is_read_or_refused(cast: Cast, nothing_saved: None, content: bytes) -> None:
    read_or_refuse(content, "cases.xlsx", approved(cast))


@FUZZ
@given(
    rows=st.lists(st.lists(st.text(max_size=40), max_size=len(HEADER) + 2), max_size=5),
    delimiter=st.sampled_from(",;\t|"),
)
def test_a_csv_of_random_text_is_read_or_refused(
    cast: Cast, nothing_saved: None, rows: list[list[str]], delimiter: str
) -> None:
    content = csv_bytes([HEADER, *rows], delimiter=delimiter)
    read_or_refuse(content, "cases.csv", approved(cast))


# --- The known attacks ---------------------------------------------------------------------------------------------


def with_cell(column: str, text: str) -> list[list[Any]]:
    """The header and the first good row, with one cell replaced."""
    row = list(GOOD[0])
    row[HEADER.index(column)] = text
    return [HEADER, row]


@pytest.mark.parametrize("kind", sorted(HOSTILE_TEXT))
@pytest.mark.parametrize(
    "column", ["reference", "nominated_by", "birth_month", "concern_date", "gender", "neglect_type"]
)
def test_hostile_text_in_a_csv_cell_is_refused_with_its_row_and_column(
    cast: Cast, nothing_saved: None, kind: str, column: str
) -> None:
    message = refused(csv_bytes(with_cell(column, HOSTILE_TEXT[kind])), "cases.csv", approved(cast))
    assert f"row 2, {column}: " in message


@pytest.mark.parametrize("kind", sorted(HOSTILE_TEXT))
@pytest.mark.parametrize("filename", ["cases.csv", "cases.xlsx"])
def test_hostile_text_in_a_free_text_cell_is_refused_or_kept_as_it_is(
    cast: Cast, nothing_saved: None, kind: str, filename: str
) -> None:
    audit = approved(cast)
    audit.case_fields.create(position=20, key="notes", label="Notes", field_type="text")
    text = HOSTILE_TEXT[kind] if filename.endswith(".csv") else ILLEGAL_CHARACTERS_RE.sub("", HOSTILE_TEXT[kind])
    for column in ("record_number", "notes"):
        rows = [[*HEADER, "notes"], [*GOOD[0], ""]]
        rows[1][rows[0].index(column)] = text
        content = csv_bytes(rows) if filename.endswith(".csv") else xlsx_bytes(rows)
        outcome = read_or_refuse(content, filename, audit)
        if isinstance(outcome, CaseFileError):
            assert [(p.row, p.column) for p in outcome.problems] == [(2, column)]
        else:
            (row,) = outcome
            kept = row.record_number if column == "record_number" else row.profile.topic_values["notes"]
            assert kept == text.strip()


def test_a_cell_longer_than_the_csv_modules_limit_is_refused_by_row_and_column(cast: Cast, nothing_saved: None) -> None:
    assert len(HUGE) > CSV_FIELD_LIMIT
    rows = [HEADER, GOOD[1], *with_cell("record_number", HUGE)[1:]]
    message = refused(csv_bytes(rows), "cases.csv", approved(cast))
    assert message.startswith("row 3, record_number: ")
    assert "characters" in message
    assert HUGE not in message  # the message quotes none of it


def test_a_header_cell_longer_than_the_csv_modules_limit_is_refused(cast: Cast, nothing_saved: None) -> None:
    message = refused(csv_bytes([[*HEADER, HUGE], GOOD[0]]), "cases.csv", approved(cast))
    assert message.startswith("row 1, column M: ")
    assert HUGE not in message


# XML cannot hold control characters, so openpyxl cannot write them: those are put in the sheet's XML below.
_WRITABLE = sorted(kind for kind, text in HOSTILE_TEXT.items() if not ILLEGAL_CHARACTERS_RE.search(text))


@pytest.mark.parametrize("kind", _WRITABLE)
def test_hostile_text_in_an_xlsx_cell_is_refused_with_its_row_and_column(
    cast: Cast, nothing_saved: None, kind: str
) -> None:
    message = refused(xlsx_bytes(with_cell("reference", HOSTILE_TEXT[kind])), "cases.xlsx", approved(cast))
    assert "row 2, reference: " in message


def sheet_xml(rows: list[list[Any]]) -> bytes:
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes(rows))) as archive:
        return archive.read(SHEET)


def with_sheet(xml: bytes) -> bytes:
    return zip_replacing(VALID_XLSX, {SHEET: xml})


@pytest.mark.parametrize("character", ["&#0;", "&#27;", "\x01"])
def test_a_control_character_in_the_sheets_xml_is_refused(cast: Cast, nothing_saved: None, character: str) -> None:
    xml = sheet_xml([HEADER, *GOOD]).replace(b"<t>HSB-01</t>", f"<t>HSB{character}01</t>".encode())
    assert "not a readable XLSX workbook" in refused(with_sheet(xml), "cases.xlsx", approved(cast))


def test_a_direction_override_in_an_xlsx_cell_is_refused_by_its_row_and_column(cast: Cast, nothing_saved: None) -> None:
    content = xlsx_bytes(with_cell("record_number", "A-\u202e1-B"))
    assert refused(content, "cases.xlsx", approved(cast)) == (
        "row 2, record_number: contains a direction control (U+202E), which does not show on screen: type the value "
        "again without it"
    )


def test_a_sheet_that_claims_a_million_rows_and_columns_is_read_as_it_is(cast: Cast, nothing_saved: None) -> None:
    xml = sheet_xml([HEADER, *GOOD]).replace(b'<dimension ref="A1:L3"/>', b'<dimension ref="A1:XFD1048576"/>')
    rows = read_case_file(with_sheet(xml), "cases.xlsx", approved(cast))
    assert [row.profile.reference for row in rows] == ["HSB-01", "HSB-02"]


def test_a_cell_in_the_last_column_of_a_spreadsheet_is_refused_by_its_row(cast: Cast, nothing_saved: None) -> None:
    far = b'<c r="XFD3" t="inlineStr"><is><t>far away</t></is></c></row></sheetData>'
    xml = sheet_xml([HEADER, *GOOD]).replace(b"</row></sheetData>", far)
    assert refused(with_sheet(xml), "cases.xlsx", approved(cast)) == (
        "row 3: has cells as far as column XFD, far beyond the case list's columns: delete the columns after the "
        "last one you use (a case list has at most 100)"
    )


@pytest.mark.parametrize("last_row", ["1048576", "999999999999"])
def test_a_row_a_million_rows_down_is_refused(cast: Cast, nothing_saved: None, last_row: str) -> None:
    far = f'<row r="{last_row}"><c r="A{last_row}" t="inlineStr"><is><t>far</t></is></c></row></sheetData>'
    xml = sheet_xml([HEADER, *GOOD]).replace(b"</sheetData>", far.encode())
    assert refused(with_sheet(xml), "cases.xlsx", approved(cast)) == (
        "The file goes on past row 20,000: delete the rows below the cases (a case list has at most 2,000 cases)."
    )


def test_a_csv_of_a_million_blank_lines_is_refused(cast: Cast, nothing_saved: None) -> None:
    content = VALID_CSV + b"\n" * 1_000_000
    assert "goes on past row 20,000" in refused(content, "cases.csv", approved(cast))


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda xml: xml[: len(xml) // 2], id="cut short"),
        pytest.param(lambda xml: xml.replace(b'r="A2"', b'r="ZZZZ2"'), id="a column beyond any spreadsheet's"),
        pytest.param(lambda xml: xml.replace(b'r="B2"', b'r="B0"'), id="row zero"),
        pytest.param(lambda xml: xml.replace(b'<row r="2">', b'<row r="two">'), id="a row number that is no number"),
        pytest.param(lambda xml: xml.replace(b't="inlineStr"', b't="s"', 1), id="a shared string that is not there"),
        pytest.param(lambda xml: xml.replace(b't="inlineStr"', b't="n"', 1), id="text as a number"),
        pytest.param(lambda xml: xml.replace(b't="inlineStr"', b't="d"', 1), id="text as a date"),
        pytest.param(lambda xml: xml.replace(b't="inlineStr"', b't="b"', 1), id="text as a boolean"),
        pytest.param(lambda xml: xml.replace(b't="inlineStr"', b's="999"', 1), id="a style that is not there"),
    ],
)
def test_a_damaged_sheet_is_refused_or_read(cast: Cast, nothing_saved: None, damage: Callable[[bytes], bytes]) -> None:
    read_or_refuse(with_sheet(damage(sheet_xml([HEADER, *GOOD]))), "cases.xlsx", approved(cast))


def test_a_long_text_in_a_topic_field_is_refused_as_the_browsers_form_refuses_it(
    cast: Cast, nothing_saved: None
) -> None:
    audit = approved(cast)
    audit.case_fields.create(position=20, key="notes", label="Notes", field_type="text")
    rows = [[*HEADER, "notes"], [*GOOD[0], "n" * 501]]
    assert "row 2, notes: must be at most 500 characters" in refused(xlsx_bytes(rows), "cases.xlsx", audit)
    (row,) = read_case_file(xlsx_bytes([[*HEADER, "notes"], [*GOOD[0], "n" * 500]]), "cases.xlsx", audit)
    assert row.profile.topic_values["notes"] == "n" * 500


@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
def test_a_csv_in_another_encoding_is_refused_with_what_to_do(cast: Cast, nothing_saved: None, encoding: str) -> None:
    content = ENCODINGS[encoding](VALID_CSV.decode("utf-8"))
    message = refused(content, "cases.csv", approved(cast))
    assert "UTF-8" in message


@pytest.mark.parametrize("marks", sorted(BYTE_ORDER_MARKS))
def test_a_csv_with_byte_order_marks_is_read(cast: Cast, nothing_saved: None, marks: str) -> None:
    content = BYTE_ORDER_MARKS[marks](VALID_CSV.decode("utf-8"))
    rows = read_case_file(content, "cases.csv", approved(cast))
    assert [row.profile.reference for row in rows] == ["HSB-01", "HSB-02"]


def test_a_null_byte_in_a_csv_is_refused_by_its_row_and_column(cast: Cast, nothing_saved: None) -> None:
    problems = read_or_refuse(VALID_CSV.replace(b"HSB-02", b"HSB\x00-02"), "cases.csv", approved(cast))
    assert isinstance(problems, CaseFileError)
    assert [str(problem) for problem in problems.problems] == [
        "row 3, reference: contains a control character (U+0000), which does not show on screen: type the value "
        "again without it"
    ]


def test_a_utf16_csv_without_its_byte_order_mark_is_refused_as_utf16(cast: Cast, nothing_saved: None) -> None:
    message = refused(VALID_CSV.decode().encode("utf-16-le"), "cases.csv", approved(cast))
    assert message == "The file is not UTF-8 text (it looks like UTF-16): save it as “CSV UTF-8” or as .xlsx."


@pytest.mark.parametrize("part", [SHEET, "xl/styles.xml", "xl/workbook.xml", "[Content_Types].xml"])
@pytest.mark.parametrize("understate", [False, True], ids=["declared", "understated"])
def test_an_xlsx_zip_bomb_is_refused(cast: Cast, nothing_saved: None, part: str, understate: bool) -> None:
    content = zip_bomb(VALID_XLSX, part, understate=understate)
    assert len(content) < 1024 * 1024  # a small file that would unpack to hundreds of megabytes
    message = refused(content, "cases.xlsx", approved(cast))
    assert "XLSX" in message or "workbook" in message


@pytest.mark.parametrize("part", ["xl/styles.xml", "[Content_Types].xml"])
def test_an_understated_zip_bomb_is_refused_without_being_unpacked(cast: Cast, nothing_saved: None, part: str) -> None:
    # openpyxl reads these parts whole: unless the archive is checked first, zipfile unpacks all 200 MB at once.
    content = zip_bomb(VALID_XLSX, part, understate=True)
    tracemalloc.start()
    try:
        message = refused(content, "cases.xlsx", approved(cast))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert message == "The file is not a readable XLSX workbook: save it again as .xlsx or as CSV."
    assert peak < 20 * 1024 * 1024


def test_a_workbook_listing_thousands_of_sheets_is_refused_before_they_are_opened(
    cast: Cast, nothing_saved: None
) -> None:
    content = workbook_listing(VALID_XLSX, 20_000)
    size = archive_size(content)
    assert size is not None
    assert size.sheets == 20_000  # counted exactly, though the list runs across many pieces as it is unpacked
    assert len(content) < 200_000
    message = refused(content, "cases.xlsx", approved(cast))
    assert message == "The workbook has 20,000 sheets: save the case list on its own, as in the template."


@pytest.mark.parametrize("part", [SHEET, "xl/styles.xml", "xl/workbook.xml", "[Content_Types].xml"])
def test_an_xlsx_with_an_xml_entity_bomb_is_refused(cast: Cast, nothing_saved: None, part: str) -> None:
    content = zip_replacing(VALID_XLSX, {part: xml_entity_bomb()})
    assert "workbook" in refused(content, "cases.xlsx", approved(cast))


def test_markup_is_kept_as_text_never_run(cast: Cast, nothing_saved: None) -> None:
    audit = approved(cast)
    audit.case_fields.create(position=20, key="notes", label="Notes", field_type="text")
    markup = HOSTILE_TEXT["markup"]
    (row,) = read_case_file(csv_bytes([[*HEADER, "notes"], [*GOOD[0], markup]]), "cases.csv", audit)
    assert row.profile.topic_values["notes"] == markup


@pytest.mark.parametrize("formula", ["=1+1", "+1+1", "-1+A1", "@SUM(A1)", '=HYPERLINK("http://example.invalid")'])
def test_a_formula_is_refused_never_calculated(cast: Cast, nothing_saved: None, formula: str) -> None:
    csv_message = refused(csv_bytes(with_cell("record_number", formula)), "cases.csv", approved(cast))
    assert csv_message == "row 2, record_number: contains a formula; type the value itself"
    xlsx_message = refused(xlsx_bytes(with_cell("record_number", formula)), "cases.xlsx", approved(cast))
    assert "row 2, record_number: contains a formula" in xlsx_message


# --- Through the page and the command ------------------------------------------------------------------------------


def hostile_files() -> dict[str, tuple[str, bytes]]:
    """A few of the known attacks, as files to upload: (file name, content)."""
    return {
        "a huge cell": ("cases.csv", csv_bytes(with_cell("record_number", HUGE))),
        "UTF-16": ("cases.csv", ENCODINGS["UTF-16 with its byte order mark"](VALID_CSV.decode())),
        "an understated zip bomb": ("cases.xlsx", zip_bomb(VALID_XLSX, SHEET, understate=True)),
        "an entity bomb": ("cases.xlsx", zip_replacing(VALID_XLSX, {SHEET: xml_entity_bomb()})),
        "a truncated workbook": ("cases.xlsx", VALID_XLSX[: len(VALID_XLSX) // 2]),
        "markup in the reference": ("cases.csv", csv_bytes(with_cell("reference", HOSTILE_TEXT["markup"]))),
    }


@pytest.mark.parametrize("kind", sorted(hostile_files()))
def test_the_upload_page_answers_a_hostile_file_with_its_problems(
    client_for: ClientFor, cast: Cast, nothing_saved: None, kind: str
) -> None:
    name, content = hostile_files()[kind]
    response = client_for("agency_lead_a").post(URL, {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "<script>alert" not in page  # markup is shown as text, escaped


@pytest.mark.parametrize("kind", sorted(hostile_files()))
def test_the_command_refuses_a_hostile_file_with_its_problems(
    cast: Cast, nothing_saved: None, tmp_path: Path, kind: str
) -> None:
    name, content = hostile_files()[kind]
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError) as raised:
        call_command("import_cases", "anytown-approved-2025", str(path), "--as", "coordinator@example.org")
    assert str(raised.value).startswith(f"{path} was not imported:\n  ")


def test_the_upload_page_refuses_a_file_larger_than_a_case_list_can_be(
    client_for: ClientFor, cast: Cast, nothing_saved: None
) -> None:
    content = VALID_CSV + b"," * (5 * 1024 * 1024)
    response = client_for("agency_lead_a").post(URL, {"file": SimpleUploadedFile("cases.csv", content)})
    assert response.status_code == 400
    assert "The file is larger than 5 MB: split the case list." in response.content.decode()
