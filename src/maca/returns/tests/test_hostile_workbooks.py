"""Returns workbooks that are damaged, hostile or simply strange never crash the upload: `read_workbook` refuses them
with a `WorkbookError` naming the sheet, row and column (never another exception), the upload page answers 400 with
the problems, `maca import_returns` exits with a `CommandError`, and no return changes.

Hypothesis makes the files from the workbook maca builds (bytes changed, cut short or inserted; one part of the XLSX
package damaged; random values typed into every answer cell); a fixed set adds the known attacks.
"""

import datetime
import io
import tracemalloc
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from maca.audits.models import Audit
from maca.cases.importing import xlsx_cell
from maca.common.tests.hostile import (
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
from maca.returns.models import AgencyReturn, ReturnEvent
from maca.returns.tests.factories import make_return
from maca.returns.workbook import ReturnAnswers, WorkbookError, build_workbook, read, read_workbook
from maca.returns.workbook.layout import ANSWER_COLUMN, KEY_COLUMN
from maca.tests.cast import Cast

ClientFor = Callable[[str], Client]
SHEET = "NEG-02"
UPLOAD = "/audits/anytown-approved-2025/returns/workbook/AGA/upload/"


@dataclass
class Download:
    """The workbook of agency A's one return, as maca builds it, and the return."""

    audit: Audit
    agency_return: AgencyReturn
    content: bytes
    opened: Workbook | None = None

    def part(self, sheet: str) -> str:
        """The package part of a sheet: openpyxl numbers them in the workbook's order."""
        names = load_workbook(io.BytesIO(self.content), read_only=True).sheetnames
        return f"xl/worksheets/sheet{names.index(sheet) + 1}.xml"

    def xml(self, sheet: str) -> bytes:
        with zipfile.ZipFile(io.BytesIO(self.content)) as archive:
            return archive.read(self.part(sheet))

    def with_sheet(self, sheet: str, xml: bytes) -> bytes:
        return zip_replacing(self.content, {self.part(sheet): xml})

    def book(self) -> Workbook:
        """The workbook opened for editing, once for the test."""
        if self.opened is None:
            self.opened = load_workbook(io.BytesIO(self.content))
        return self.opened


@pytest.fixture
def download(cast: Cast) -> Download:
    agency_return = make_return(cast)
    assert cast.approved_audit is not None
    return Download(
        cast.approved_audit, agency_return, build_workbook(cast.approved_audit, cast.agency_a, [agency_return])
    )


@pytest.fixture
def nothing_saved(download: Download) -> Any:
    """After the test, the return is as it was: same version, no upload in its history, nothing logged as changed."""
    before = (download.agency_return.version, AccessLogEntry.objects.filter(action="changed").count())
    yield
    download.agency_return.refresh_from_db()
    assert (download.agency_return.version, AccessLogEntry.objects.filter(action="changed").count()) == before
    assert not download.agency_return.events.filter(action=ReturnEvent.Action.UPLOADED).exists()


@pytest.fixture
def cells_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading the workbook looks at no more than 100,000 cells (maca writes a few hundred): a sheet that claims a
    million rows and columns must not make the reader go through every empty cell it claims."""
    seen = 0

    def counted(cell: Any) -> Any:
        nonlocal seen
        seen += 1
        assert seen <= 100_000, "the reader went through the cells a sheet claims to have"
        return xlsx_cell(cell)

    monkeypatch.setattr(read, "xlsx_cell", counted)


def read_or_refuse(content: bytes, download: Download) -> list[ReturnAnswers] | WorkbookError:
    """The answers of a workbook, or the refusal, which must say what is wrong. Any other exception fails the test."""
    try:
        return read_workbook(content, download.audit, download.agency_return.agency)
    except WorkbookError as error:
        refusal = error
    assert refusal.problems
    assert all(str(problem).strip() for problem in refusal.problems)
    return refusal


def refused(content: bytes, download: Download) -> str:
    outcome = read_or_refuse(content, download)
    assert isinstance(outcome, WorkbookError), "the workbook was accepted"
    return str(outcome)


def answer_rows(content: bytes) -> list[int]:
    """The rows of the case sheet where answers are typed (a key in the hidden column A)."""
    sheet = load_workbook(io.BytesIO(content))[SHEET]
    return [row for row in range(1, sheet.max_row + 1) if sheet.cell(row=row, column=KEY_COLUMN).value]


def typed(content: bytes, answers: dict[int, Any]) -> bytes:
    """The workbook with values typed into answer cells, by row, as a person types them in Excel."""
    book = load_workbook(io.BytesIO(content))
    sheet = book[SHEET]
    for row, value in answers.items():
        sheet.cell(row=row, column=ANSWER_COLUMN).value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- Generated files -------------------------------------------------------------------------------------------


@FUZZ
@given(data=st.data())
def test_a_damaged_workbook_is_read_or_refused(download: Download, nothing_saved: None, data: st.DataObject) -> None:
    sheets = (download.part(SHEET), download.part("_maca"), "xl/workbook.xml", "xl/styles.xml")
    content = data.draw(
        st.one_of(mutations(download.content), part_mutations(download.content, (*sheets, *sheets[:2])))
    )
    read_or_refuse(content, download)


_texts = st.one_of(
    st.text(max_size=30),
    st.sampled_from(list(HOSTILE_TEXT.values())),
    st.sampled_from(["Yes", "Good", "Within days", "14/03/2025", "2025-02-30", "31/31/2025", "-1", "1e308", "NaN"]),
).map(lambda text: ILLEGAL_CHARACTERS_RE.sub("", text))
_cells = st.one_of(
    _texts,
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(min_value=datetime.date(1900, 3, 1)),
    st.datetimes(min_value=datetime.datetime(1900, 3, 1)),
    st.times(),
    st.booleans(),
    st.none(),
    st.sampled_from(["=1+1", '=IF(1=1,"Good","Inadequate")', "=NOW()"]),
)


@FUZZ
@given(data=st.data())
def test_random_answers_are_read_or_refused_by_sheet_row_and_column(
    download: Download, nothing_saved: None, data: st.DataObject
) -> None:
    rows = answer_rows(download.content)
    answers = data.draw(st.dictionaries(st.sampled_from(rows), _cells, min_size=1, max_size=6))
    # Loading the workbook takes longer than anything else here: it is loaded once, and its answers put back after.
    book = download.book()
    sheet = book[SHEET]
    before = {row: sheet.cell(row=row, column=ANSWER_COLUMN).value for row in answers}
    for row, value in answers.items():
        sheet.cell(row=row, column=ANSWER_COLUMN).value = value
    out = io.BytesIO()
    book.save(out)
    for row, value in before.items():
        sheet.cell(row=row, column=ANSWER_COLUMN).value = value
    outcome = read_or_refuse(out.getvalue(), download)
    if isinstance(outcome, WorkbookError):
        for problem in outcome.problems:
            assert (problem.sheet, problem.column) == (SHEET, "D")
            assert problem.row in answers


# --- The known attacks ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(HOSTILE_TEXT))
def test_hostile_text_in_every_answer_is_read_or_refused_by_its_row(
    download: Download, nothing_saved: None, kind: str
) -> None:
    text = ILLEGAL_CHARACTERS_RE.sub("", HOSTILE_TEXT[kind])
    rows = answer_rows(download.content)
    outcome = read_or_refuse(typed(download.content, dict.fromkeys(rows, text)), download)
    if isinstance(outcome, WorkbookError):
        assert {(problem.sheet, problem.column) for problem in outcome.problems} == {(SHEET, "D")}
        assert HUGE not in str(outcome)  # a message quotes a value cut short


def test_a_cell_longer_than_any_answer_is_refused_by_its_row_and_quoted_short(
    download: Download, nothing_saved: None
) -> None:
    rows = answer_rows(download.content)
    message = refused(typed(download.content, {rows[0]: HUGE}), download)
    assert message.startswith(f"Sheet {SHEET}, row {rows[0]}, column D: ")
    assert len(message) < 1000


def test_a_control_character_in_the_sheets_xml_is_refused(download: Download, nothing_saved: None) -> None:
    xml = download.xml(SHEET).replace(b"</t>", b"&#0;</t>", 1)
    assert refused(download.with_sheet(SHEET, xml), download) == (
        f"Sheet {SHEET}: this sheet is damaged and cannot be read. Download a new workbook and copy your answers "
        "into it, or save the workbook again in Excel."
    )


@pytest.mark.parametrize("sheet", [SHEET, "_maca"])
def test_a_sheet_that_claims_a_million_rows_and_columns_is_read_as_maca_wrote_it(
    download: Download, nothing_saved: None, cells_bounded: None, sheet: str
) -> None:
    xml = download.xml(sheet)
    start = xml.index(b"<dimension ref=")
    end = xml.index(b"/>", start) + 2
    claimed = download.with_sheet(sheet, xml[:start] + b'<dimension ref="A1:XFD1048576"/>' + xml[end:])
    outcome = read_or_refuse(claimed, download)
    assert not isinstance(outcome, WorkbookError)
    assert [answers.sheet for answers in outcome] == [SHEET]


@pytest.mark.parametrize("sheet", [SHEET, "_maca"])
@pytest.mark.parametrize("far", ["XFD1048576", "A999999999999"])
def test_a_cell_far_away_is_never_reached(
    download: Download, nothing_saved: None, cells_bounded: None, sheet: str, far: str
) -> None:
    row = far.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    cell = f'<row r="{row}"><c r="{far}" t="inlineStr"><is><t>far</t></is></c></row></sheetData>'
    content = download.with_sheet(sheet, download.xml(sheet).replace(b"</sheetData>", cell.encode()))
    # Only the rows and columns maca wrote are read: nothing is made of the empty rows and cells before it.
    outcome = read_or_refuse(content, download)
    assert not isinstance(outcome, WorkbookError)
    assert [answers.sheet for answers in outcome] == [SHEET]


def test_a_cell_added_to_the_hidden_sheet_breaks_its_signature(download: Download, nothing_saved: None) -> None:
    cell = '<row r="9999"><c r="A9999" t="inlineStr"><is><t>answer</t></is></c></row></sheetData>'
    content = download.with_sheet("_maca", download.xml("_maca").replace(b"</sheetData>", cell.encode()))
    assert "hidden cells have been changed" in refused(content, download)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda xml: xml[: len(xml) // 2], id="cut short"),
        pytest.param(lambda xml: xml.replace(b'r="D', b'r="ZZZZ', 1), id="a column beyond any spreadsheet's"),
        pytest.param(lambda xml: xml.replace(b'<row r="', b'<row r="x', 1), id="a row number that is no number"),
        pytest.param(lambda xml: xml.replace(b't="inlineStr"', b't="s"', 1), id="a shared string that is not there"),
        pytest.param(lambda xml: xml.replace(b't="inlineStr"', b't="n"', 1), id="text as a number"),
        pytest.param(lambda xml: xml.replace(b't="inlineStr"', b't="d"', 1), id="text as a date"),
        pytest.param(lambda xml: xml.replace(b' s="', b' s="9', 1), id="a style that is not there"),
    ],
)
@pytest.mark.parametrize("sheet", [SHEET, "_maca"])
def test_a_damaged_sheet_is_refused_or_read(
    download: Download, nothing_saved: None, damage: Callable[[bytes], bytes], sheet: str
) -> None:
    read_or_refuse(download.with_sheet(sheet, damage(download.xml(sheet))), download)


def test_a_sheet_cut_short_is_refused_by_its_name(download: Download, nothing_saved: None) -> None:
    xml = download.xml(SHEET)
    message = refused(download.with_sheet(SHEET, xml[: len(xml) // 2]), download)
    assert message.startswith(f"Sheet {SHEET}: this sheet is damaged and cannot be read.")


@pytest.mark.parametrize("part", ["sheet", "xl/styles.xml", "xl/workbook.xml", "[Content_Types].xml"])
@pytest.mark.parametrize("understate", [False, True], ids=["declared", "understated"])
def test_a_zip_bomb_is_refused(download: Download, nothing_saved: None, part: str, understate: bool) -> None:
    content = zip_bomb(download.content, download.part(SHEET) if part == "sheet" else part, understate=understate)
    assert len(content) < 1024 * 1024
    message = refused(content, download)
    assert "not the returns workbook" in message or "not the one from maca" in message


def test_an_understated_zip_bomb_is_refused_without_being_unpacked(download: Download, nothing_saved: None) -> None:
    content = zip_bomb(download.content, "xl/styles.xml", understate=True)
    tracemalloc.start()
    try:
        refused(content, download)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024 * 1024


def test_a_workbook_listing_thousands_of_sheets_is_refused_before_they_are_opened(
    download: Download, nothing_saved: None
) -> None:
    content = workbook_listing(download.content, 20_000)
    assert refused(content, download) == (
        "The workbook is far larger than a returns workbook once opened: it is not the one from maca."
    )


@pytest.mark.parametrize("sheet", [SHEET, "_maca"])
def test_an_xml_entity_bomb_is_refused(download: Download, nothing_saved: None, sheet: str) -> None:
    content = download.with_sheet(sheet, xml_entity_bomb())
    assert "not the returns workbook from maca" in refused(content, download)


# --- Through the page and the command ------------------------------------------------------------------------------


def hostile_files(download: Download) -> dict[str, bytes]:
    xml = download.xml(SHEET)
    return {
        "an understated zip bomb": zip_bomb(download.content, "xl/styles.xml", understate=True),
        "an entity bomb": download.with_sheet(SHEET, xml_entity_bomb()),
        "a sheet cut short": download.with_sheet(SHEET, xml[: len(xml) // 2]),
        "markup in an answer": typed(download.content, {answer_rows(download.content)[0]: HOSTILE_TEXT["markup"]}),
        "random bytes": b"PK\x03\x04" + bytes(range(256)) * 4,
    }


KINDS = ["an understated zip bomb", "an entity bomb", "a sheet cut short", "markup in an answer", "random bytes"]


@pytest.mark.parametrize("kind", KINDS)
def test_the_upload_page_answers_a_hostile_workbook_with_its_problems(
    client_for: ClientFor, download: Download, nothing_saved: None, kind: str
) -> None:
    content = hostile_files(download)[kind]
    response = client_for("agency_lead_a").post(UPLOAD, {"file": SimpleUploadedFile("returns.xlsx", content)})
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "<script>alert" not in page


@pytest.mark.parametrize("kind", KINDS)
def test_the_command_refuses_a_hostile_workbook_with_its_problems(
    download: Download, nothing_saved: None, tmp_path: Path, kind: str
) -> None:
    path = tmp_path / "returns.xlsx"
    path.write_bytes(hostile_files(download)[kind])
    with pytest.raises(CommandError) as raised:
        call_command("import_returns", "anytown-approved-2025", "AGA", str(path), "--as", "lead.a@example.org")
    assert str(raised.value).startswith(f"{path} was not imported:\n  ")
