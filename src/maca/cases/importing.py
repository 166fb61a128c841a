"""Case lists in and out: a CSV or XLSX file of cases → checked rows → cases, and the blank template to fill in.

Reading is all-or-nothing and every problem names its place as a spreadsheet shows it: the row (the header is row 1)
and the column. Nothing in a file is ever evaluated: a formula is refused, never calculated. A file that is damaged,
in another format or built to exhaust the server (a zip bomb, a cell of millions of characters, a sheet claiming a
million columns) is refused with a message saying so, never with an error of the library that reads it.
"""

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from maca.accounts.models import User
from maca.audits.models import Audit, CaseField
from maca.audits.schema import CaseFieldType
from maca.common.characters import unshowable_character
from maca.common.spreadsheets import csv_file, new_row, put_at
from maca.partnerships.models import Agency

from .codes import (
    ETHNICITIES,
    GENDER_CODES,
    SEND_CODES,
    Gender,
    SpecialNeeds,
    YesNoNotKnown,
    read_choice,
    read_ethnicity,
)
from .models import Case, case_reference_validator
from .services import CaseProfile, case_nominate, identifying_agencies, require_nominations_open

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000
MAX_COLUMNS = 100  # far more than the standard columns and any audit's case fields
MAX_SHEET_ROWS = 10 * MAX_ROWS  # room for blank rows between the cases, not for a sheet of a million rows
MAX_CELL_CHARACTERS = 2000  # the longest value of a case list is a case field's text, of at most 500 characters
TEXT_FIELD_CHARACTERS = 500  # as the browser's form takes it (maca.cases.forms)

# The csv module refuses a field longer than 131,072 characters with its own error. A case list is at most MAX_BYTES,
# so no field can be longer than that: allow it, and refuse a long cell below by its row and column.
csv.field_size_limit(max(csv.field_size_limit(), MAX_BYTES))

STANDARD_COLUMNS = (
    "reference",
    "nominated_by",
    "birth_month",
    "gender",
    "ethnicity",
    "send",
    "disability",
    "aces",
    "concern_date",
    "involved",
    "record_number",
)
REQUIRED_COLUMNS = ("reference", "nominated_by", "birth_month", "concern_date")
FORMULA = "contains a formula; type the value itself"
_GENDER_CODES = {code: str(value) for code, value in GENDER_CODES.items()}
_SEND_CODES = {code: str(value) for code, value in SEND_CODES.items()}


@dataclass(frozen=True)
class RowProblem:
    """One thing wrong with a case list: its row as a spreadsheet shows it (the header is row 1; 0 is the whole
    file) and its column (blank: the whole row)."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if not self.row:
            return self.message
        return f"row {self.row}, {self.column}: {self.message}" if self.column else f"row {self.row}: {self.message}"


class CaseFileError(Exception):
    """A case list that cannot be imported; `problems` says everything that is wrong, in file order."""

    def __init__(self, problems: Iterable[RowProblem]) -> None:
        self.problems = sorted(problems, key=lambda p: p.row)
        super().__init__("\n".join(str(problem) for problem in self.problems))


@dataclass(frozen=True)
class CaseRow:
    """A checked row of a case list: a case ready to nominate."""

    row: int
    agency: Agency
    profile: CaseProfile
    involved: tuple[Agency, ...] = ()
    record_number: str = ""


Cell = str | datetime.date | None
"""A cell as read: text, a date (a spreadsheet's date cell), or None for a formula (refused when read)."""


def _refused(message: str) -> CaseFileError:
    return CaseFileError([RowProblem(0, "", message)])


def shown(text: str, limit: int = 60) -> str:
    """A value as a message quotes it: a long one cut short, so that a message never repeats a whole cell."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def cell_problem(text: str) -> str | None:
    """What makes a cell's text unreadable as a value (a length no value has, a character that does not show on
    screen), or None."""
    if len(text) > MAX_CELL_CHARACTERS:
        return f"is {len(text):,} characters long, far longer than any value of a case list: shorten it"
    unshowable = unshowable_character(text)
    if unshowable:
        return f"contains {unshowable}, which does not show on screen: type the value again without it"
    return None


# --- Reading the file -------------------------------------------------------------------------------------------


_PLAIN_NUMBER = re.compile(r"[+-]?\d+([.,]\d+)?")
_PLAIN_DATE = re.compile(r"[+-]?\d{4}-\d{2}(-\d{2})?")


def _is_formula_text(text: str) -> bool:
    """Text a spreadsheet would take as a formula when the file is opened (CSV injection)."""
    return text[:1] in ("=", "+", "-", "@") and not _PLAIN_NUMBER.fullmatch(text) and not _PLAIN_DATE.fullmatch(text)


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def xlsx_cell(cell: Any) -> Cell:
    """A cell of a worksheet read in read-only mode: never a formula's result (formulas are not evaluated)."""
    if getattr(cell, "data_type", None) == "f":
        return None
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return _number_text(value)
    return str(value).strip()


MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_PARTS = 10_000  # a workbook has a few parts, and one a sheet
MAX_SHEETS = 2_000  # a returns workbook has a sheet a case; openpyxl takes a moment over each sheet listed
UNREADABLE_XLSX = "The file is not a readable XLSX workbook: save it again as .xlsx or as CSV."


@dataclass(frozen=True)
class ArchiveSize:
    """What a zip archive (an XLSX file) holds: the bytes it unpacks to and the sheets its workbook lists."""

    unpacked: int
    sheets: int


# A sheet as the workbook's part lists it (<sheet .../>, perhaps with a prefix), not <sheetData> or <sheetView>.
_SHEET_ELEMENT = re.compile(rb"<(?:[\w.-]+:)?sheet[\s/>]")


def archive_size(content: bytes, limit: int = MAX_UNPACKED_BYTES) -> ArchiveSize | None:
    """What a zip archive unpacks to, found by unpacking it a piece at a time (more than `limit` as soon as it says
    it would be), and how many sheets it lists; None when it is not a readable archive (or has more than
    `MAX_PARTS` parts).

    The sizes an archive declares are not trusted: a part that unpacks to more than its declared size is cut there,
    fails its checksum and makes the archive unreadable. Once an archive has passed, reading any of its parts whole
    (as openpyxl does) cannot take more memory than `limit`; and a reader can refuse a workbook listing thousands of
    sheets from a few bytes before opening each of them. Never raises.
    """
    sheets = 0
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts = archive.infolist()
            declared = sum(part.file_size for part in parts)
            if len(parts) > MAX_PARTS:
                return None
            if declared > limit:
                return ArchiveSize(declared, 0)
            for part in parts:
                overlap = b""  # an element begun at the end of the last piece and not yet counted
                with archive.open(part) as data:
                    while chunk := data.read(64 * 1024):
                        piece = overlap + chunk
                        sheets += len(_SHEET_ELEMENT.findall(piece))
                        begun = piece.rfind(b"<", len(piece) - 32)
                        tail = piece[begun:] if begun >= 0 else b""
                        overlap = b"" if _SHEET_ELEMENT.match(tail) else tail
    except Exception:  # zipfile, zlib, bz2 and lzma each fail in their own way on a damaged archive
        return None
    return ArchiveSize(declared, sheets)


def _check_unpacked_size(content: bytes) -> None:
    """An XLSX file is a zip archive: refuse one that cannot be unpacked or would unpack to far more than any case
    list needs."""
    size = archive_size(content)
    if size is None:
        raise _refused(UNREADABLE_XLSX)
    if size.unpacked > MAX_UNPACKED_BYTES:
        raise _refused("The workbook is far larger than a case list once opened: save the case list on its own.")
    if size.sheets > MAX_SHEETS:
        raise _refused(f"The workbook has {size.sheets:,} sheets: save the case list on its own, as in the template.")


def sheet_rows(
    sheet: Any, unreadable: Exception, *, max_row: int | None = None, max_column: int | None = None
) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number, cells) of a worksheet opened read-only, raising `unreadable` for a damaged sheet (its XML, its
    zip entry, a cell beyond any spreadsheet's) rather than the reader's own error.

    The size the sheet declares is not trusted: a small file can claim a million rows and columns, and the reader
    would make every empty cell of them. Without `max_column`, a row is as long as its last cell and a missing row
    is empty; with it, every row has `max_column` cells. Rows after `max_row` are not read.
    """
    if max_row is not None and max_row < 1:
        return  # openpyxl takes a maximum of 0 as none at all
    sheet.reset_dimensions()
    rows = sheet.iter_rows(max_row=max_row, max_col=max_column)
    number = 0
    while True:
        try:
            cells = next(rows)
        except StopIteration:
            return
        except Exception as error:  # a damaged sheet fails in the XML parser, zipfile, zlib or openpyxl itself
            raise unreadable from error
        number += 1
        yield number, cells


def _too_wide(columns: int) -> str:
    return (
        f"has cells as far as column {get_column_letter(min(columns, 18_278))}, far beyond the case list's columns: "
        f"delete the columns after the last one you use (a case list has at most {MAX_COLUMNS})"
    )


def _xlsx_rows(content: bytes) -> Iterator[list[Cell]]:
    _check_unpacked_size(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise _refused(UNREADABLE_XLSX) from error
    try:
        if not workbook.worksheets:
            raise _refused("The workbook has no sheets.")
        for number, row in sheet_rows(workbook.worksheets[0], _refused(UNREADABLE_XLSX)):
            if len(row) > MAX_COLUMNS:
                # Checked before reading the cells: a row can reach column XFD, 16,384 cells, from a few bytes.
                raise CaseFileError([RowProblem(number, "", _too_wide(len(row)))])
            cells = [xlsx_cell(cell) for cell in row]
            while cells and cells[-1] == "":
                cells.pop()  # a cell formatted but empty at a row's end is not part of it
            yield cells
    finally:
        workbook.close()


def _csv_rows(content: bytes) -> Iterator[list[Cell]]:
    try:
        # Some programs write the byte order mark twice.
        text = content.decode("utf-8-sig").lstrip("\ufeff")
    except UnicodeDecodeError as error:
        raise _refused("The file is not UTF-8 text: save it as “CSV UTF-8” or as .xlsx.") from error
    if text.count("\x00") * 4 > len(text):
        # UTF-16 text without its byte order mark reads as UTF-8 with a null byte between letters.
        raise _refused("The file is not UTF-8 text (it looks like UTF-16): save it as “CSV UTF-8” or as .xlsx.")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    number = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise CaseFileError([RowProblem(number + 1, "", f"cannot be read as CSV ({error})")]) from error
        number += 1
        if len(row) > MAX_COLUMNS:
            raise CaseFileError([RowProblem(number, "", _too_wide(len(row)))])
        yield [value.strip() for value in row]


def _rows(content: bytes, filename: str) -> Iterator[list[Cell]]:
    name = filename.lower()
    if content.startswith(b"PK\x03\x04"):
        return _xlsx_rows(content)
    if name.endswith((".xlsx", ".xlsm")):
        raise _refused(f"{shown(filename)} is not a readable XLSX workbook: save it again as .xlsx or as CSV.")
    if name.endswith(".xls") or content.startswith(b"\xd0\xcf\x11\xe0"):
        raise _refused(f"{shown(filename)} is an old Excel (.xls) file: save it as .xlsx or as CSV.")
    if name.endswith((".csv", ".txt")):
        return _csv_rows(content)
    raise _refused(f"{shown(filename)} is neither a CSV nor an XLSX file: upload the case list as .csv or .xlsx.")


def _is_blank(cells: Sequence[Cell]) -> bool:
    return all(cell == "" for cell in cells)


# --- Reading each value -----------------------------------------------------------------------------------------


def _month(value: Cell) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value.replace(day=1)
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", value or "")
    if match and 1 <= int(match[2]) <= 12 and int(match[1]) >= 1900:
        return datetime.date(int(match[1]), int(match[2]), 1)
    return None


def _day(value: Cell) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value or ""):
        return None
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


def normal_text(text: str) -> str:
    """Text as compared when matching names and labels: case, underscores and spacing ignored."""
    return " ".join(text.strip().lower().replace("_", " ").split())


def _agency_index(agencies: Iterable[Agency]) -> dict[str, Agency]:
    index: dict[str, Agency] = {}
    for agency in agencies:
        index[normal_text(agency.name)] = agency
        index[normal_text(agency.short_code)] = agency
    return index


def _choice_index(case_field: CaseField) -> dict[str, str]:
    index: dict[str, str] = {}
    for choice in case_field.choices:
        index[normal_text(str(choice["label"]))] = str(choice["value"])
        index[normal_text(str(choice["value"]))] = str(choice["value"])
    return index


def _choice_labels(case_field: CaseField) -> str:
    return ", ".join(f"{choice['value']} ({choice['label']})" for choice in case_field.choices)


def _text(value: Cell) -> str:
    return value.isoformat() if isinstance(value, datetime.date) else (value or "")


class _RowReader:
    """Checks one row against the audit, collecting every problem."""

    def __init__(self, audit: Audit) -> None:
        self.audit = audit
        identifying = identifying_agencies(audit)
        self.identifying = _agency_index(identifying)
        self.identifying_names = ", ".join(dict.fromkeys(f"{a.name} ({a.short_code})" for a in identifying))
        self.partnership_agencies = _agency_index(Agency.objects.filter(partnership=audit.partnership))
        self.fields = {f.key.lower(): f for f in CaseField.objects.filter(audit=audit)}
        self.choices = {key: _choice_index(f) for key, f in self.fields.items()}
        self.existing = {ref.lower() for ref in Case.objects.filter(audit=audit).values_list("reference", flat=True)}
        self.seen: dict[str, int] = {}
        self.problems: list[RowProblem] = []

    def problem(self, row: int, column: str, message: str) -> None:
        self.problems.append(RowProblem(row, column, message))

    def read(self, row: int, values: dict[str, Cell]) -> CaseRow | None:
        """The case of the row, or None when something is wrong (the problems are recorded)."""
        before = len(self.problems)
        for column, value in values.items():
            if value is None or (isinstance(value, str) and _is_formula_text(value)):
                self.problem(row, column, FORMULA)
            elif isinstance(value, str) and (unreadable := cell_problem(value)):
                self.problem(row, column, unreadable)
        if len(self.problems) > before:
            return None
        text = {column: _text(value) for column, value in values.items()}

        reference = text.get("reference", "")
        if "reference" in values:
            if not reference:
                self.problem(row, "reference", "is required: give the case's reference, for example HSB-01")
            else:
                self._check_reference(row, reference)

        agency = None
        if "nominated_by" in values:
            if not text["nominated_by"]:
                self.problem(row, "nominated_by", f"is required: one of {self.identifying_names}")
            else:
                agency = self.identifying.get(normal_text(text["nominated_by"]))
                if agency is None:
                    self.problem(
                        row,
                        "nominated_by",
                        f"{shown(text['nominated_by'])} is not an identifying agency of this audit "
                        f"(they are: {self.identifying_names})",
                    )

        birth_month = concern_date = None
        if "birth_month" in values:
            birth_month = _month(values["birth_month"])
            if birth_month is None:
                given = shown(text["birth_month"])
                self.problem(
                    row,
                    "birth_month",
                    (f"{given} is not" if given else "is required:")
                    + " a month and year of birth written YYYY-MM, for example 2012-04",
                )
        if "concern_date" in values:
            concern_date = _day(values["concern_date"])
            if concern_date is None:
                given = shown(text["concern_date"])
                self.problem(
                    row,
                    "concern_date",
                    (f"{given} is not" if given else "is required:")
                    + " a date that exists, written YYYY-MM-DD, for example 2025-03-14",
                )
        if birth_month and concern_date and birth_month > concern_date:
            self.problem(row, "birth_month", "the month of birth is after the date of the concern")

        gender = self._coded(
            row, text, "gender", Gender, _GENDER_CODES, "male, female, other, not known (or 1, 2, 9, 0)"
        )
        send = self._coded(
            row, text, "send", SpecialNeeds, _SEND_CODES, "none, sen support, ehcp, not known (or N, K, E)"
        )
        disability = self._coded(row, text, "disability", YesNoNotKnown, None, "yes, no, not known")
        aces = self._coded(row, text, "aces", YesNoNotKnown, None, "yes, no, not known")
        ethnicity = read_ethnicity(text.get("ethnicity", ""))
        if ethnicity is None:
            self.problem(
                row, "ethnicity", f"{shown(text['ethnicity'])} is not a DfE ethnicity code or label (for example WBRI)"
            )

        involved: list[Agency] = []
        for name in (part.strip() for part in text.get("involved", "").split(";")):
            if not name:
                continue
            other = self.partnership_agencies.get(normal_text(name))
            if other is None:
                self.problem(row, "involved", f"{shown(name)} is not an agency of the partnership")
            elif other not in involved:
                involved.append(other)

        record_number = text.get("record_number", "")
        if len(record_number) > 60:
            self.problem(row, "record_number", "must be at most 60 characters")

        topic_values = self._topic_values(row, text)

        if len(self.problems) > before or None in (agency, birth_month, concern_date, ethnicity):
            # A required column missing from the header (reported with the header) leaves its value unread.
            return None
        assert agency is not None
        assert birth_month is not None
        assert concern_date is not None
        assert ethnicity is not None
        profile = CaseProfile(
            reference=reference,
            birth_month=birth_month,
            gender=gender,
            ethnicity=ethnicity,
            send=send,
            disability=disability,
            aces=aces,
            concern_date=concern_date,
            topic_values=topic_values,
        )
        return CaseRow(row, agency, profile, tuple(involved), record_number)

    def _check_reference(self, row: int, reference: str) -> None:
        try:
            case_reference_validator(reference)
        except ValidationError:
            self.problem(
                row,
                "reference",
                f"{shown(reference)} is not a reference: use letters, digits and hyphens, for example HSB-01",
            )
            return
        key = reference.lower()
        if key in self.existing:
            self.problem(row, "reference", f"{reference} already exists in this audit")
        elif key in self.seen:
            self.problem(row, "reference", f"{reference} is also on row {self.seen[key]}")
        else:
            self.seen[key] = row

    def _coded(
        self,
        row: int,
        text: dict[str, str],
        column: str,
        choices: type[Gender] | type[SpecialNeeds] | type[YesNoNotKnown],
        codes: dict[str, str] | None,
        allowed: str,
    ) -> str:
        given = text.get(column, "")
        if not given:
            return str(choices.NOT_KNOWN.value)
        value = read_choice(given, choices, codes)
        if value is None:
            self.problem(row, column, f"{shown(given)} is not one of: {allowed}")
            return ""
        return value

    def _topic_values(self, row: int, text: dict[str, str]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for column, given in text.items():
            case_field = self.fields.get(column)
            if case_field is None or column in STANDARD_COLUMNS or not given:
                continue
            if case_field.field_type == CaseFieldType.TEXT:
                if len(given) > TEXT_FIELD_CHARACTERS:
                    self.problem(row, column, f"must be at most {TEXT_FIELD_CHARACTERS} characters")
                values[case_field.key] = given
            elif case_field.field_type == CaseFieldType.YES_NO:
                value = read_choice(given, YesNoNotKnown)
                if value is None:
                    self.problem(row, column, f"{shown(given)} is not one of: yes, no, not known")
                values[case_field.key] = value
            elif case_field.field_type == CaseFieldType.MULTI_CHOICE:
                chosen: list[str] = []
                for part in (p.strip() for p in given.split(";")):
                    if not part:
                        continue
                    value = self.choices[column].get(normal_text(part))
                    if value is None:
                        self.problem(row, column, f"{shown(part)} is not one of: {_choice_labels(case_field)}")
                    elif value not in chosen:
                        chosen.append(value)
                values[case_field.key] = chosen
            else:
                value = self.choices[column].get(normal_text(given))
                if value is None:
                    self.problem(row, column, f"{shown(given)} is not one of: {_choice_labels(case_field)}")
                values[case_field.key] = value
        return values


def _header(cells: Sequence[Cell], reader: _RowReader) -> tuple[dict[int, str], list[RowProblem]]:
    """The columns by position, and what is wrong with the header row."""
    columns: dict[int, str] = {}
    problems: list[RowProblem] = []
    known = [*STANDARD_COLUMNS, *(key for key in reader.fields if key not in STANDARD_COLUMNS)]
    for position, cell in enumerate(cells):
        letter = f"column {get_column_letter(position + 1)}"
        if cell is None or (isinstance(cell, str) and _is_formula_text(cell)):
            problems.append(RowProblem(1, letter, FORMULA))
            continue
        name = _text(cell).strip().lower()
        if not name:
            continue
        if unreadable := cell_problem(name):
            problems.append(RowProblem(1, letter, unreadable))
        elif name not in known:
            problems.append(
                RowProblem(1, shown(name), f"is not a column of this audit's case list (they are: {', '.join(known)})")
            )
        elif name in columns.values():
            problems.append(RowProblem(1, name, "is given twice"))
        else:
            columns[position] = name
    for name in REQUIRED_COLUMNS:
        if name not in columns.values():
            problems.append(RowProblem(1, name, f"is required: add a column named {name}"))
    return columns, problems


def check_file_size(size: int) -> None:
    """Refuse (`CaseFileError`) a case list of more than `MAX_BYTES`: a page checks it before reading the file."""
    if size > MAX_BYTES:
        raise _refused(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB: split the case list.")


def read_case_file(content: bytes, filename: str, audit: Audit) -> list[CaseRow]:
    """The cases of a case list (CSV or XLSX) for the audit, all checked; `CaseFileError` names every problem."""
    check_file_size(len(content))
    if not content.strip():
        raise _refused("The file is empty.")
    rows = _rows(content, filename)
    first = next(rows, None)
    if first is None:
        raise _refused("The file is empty.")
    if _is_blank(first):
        raise _refused("The file has no header row: its first row must name the columns, for example reference.")
    reader = _RowReader(audit)
    columns, problems = _header(first, reader)
    reader.problems.extend(problems)
    cases: list[CaseRow] = []
    count = 0
    for number, cells in enumerate(rows, start=2):
        if number > MAX_SHEET_ROWS:
            # Even blank, a million rows take time to go through.
            raise _refused(
                f"The file goes on past row {MAX_SHEET_ROWS:,}: delete the rows below the cases (a case list has at "
                f"most {MAX_ROWS:,} cases)."
            )
        if _is_blank(cells):
            continue
        count += 1
        if count > MAX_ROWS:
            raise _refused(f"The file has more than {MAX_ROWS:,} cases: split the case list.")
        values: dict[str, Cell] = dict.fromkeys(columns.values(), "")
        for position, cell in enumerate(cells):
            if position in columns:
                values[columns[position]] = cell
            elif cell != "":
                reader.problem(number, f"column {get_column_letter(position + 1)}", "has a value but no column name")
        case_row = reader.read(number, values)
        if case_row is not None:
            cases.append(case_row)
    if not count and not reader.problems:
        reader.problem(2, "", "There are no cases in the file: add one row per case under the header row.")
    if reader.problems:
        raise CaseFileError(reader.problems)
    return cases


# --- Importing --------------------------------------------------------------------------------------------------


def _column_for(key: str) -> str:
    return "" if key == "__all__" else key


@transaction.atomic
def import_cases(*, actor: User, audit: Audit, agency_scope: Agency | None, rows: Iterable[CaseRow]) -> list[Case]:
    """Nominate every row's case, or none: `CaseFileError` names every row that cannot be.

    With `agency_scope` (an agency lead importing), every row must be nominated by that agency. The actor must be
    one who nominates the audit's cases, once its Terms of Reference is approved, and each row's agency one they
    nominate for (the same rules as one nomination).
    """
    try:
        require_nominations_open(actor, audit)
    except ValidationError as error:
        raise CaseFileError([RowProblem(0, "", message) for message in error.messages]) from error
    problems: list[RowProblem] = []
    cases: list[Case] = []
    for row in rows:
        if agency_scope is not None and row.agency != agency_scope:
            problems.append(
                RowProblem(
                    row.row,
                    "nominated_by",
                    f"is {row.agency}, but this import is for {agency_scope}'s cases only",
                )
            )
            continue
        try:
            case = case_nominate(
                actor=actor,
                audit=audit,
                agency=row.agency,
                profile=row.profile,
                involved=row.involved,
                record_number=row.record_number,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for key, messages in error.message_dict.items():
                    problems.extend(RowProblem(row.row, _column_for(key), message) for message in messages)
            else:
                problems.extend(RowProblem(row.row, "", message) for message in error.messages)
            continue
        cases.append(case)
    if problems:
        raise CaseFileError(problems)
    return cases


# --- The template -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Column:
    name: str
    required: bool
    takes: str
    allowed: list[str]  # the values a drop-down offers (empty: none)
    allowed_text: str  # the allowed values in words, for the instructions


def _template_columns(audit: Audit) -> list[_Column]:
    agencies = list(dict.fromkeys(identifying_agencies(audit)))
    partnership_agencies = list(Agency.objects.filter(partnership=audit.partnership))
    yes_no = ["yes", "no", "not known"]
    columns = [
        _Column(
            "reference",
            True,
            "The case's reference: letters, digits and hyphens, unique in the audit.",
            [],
            "for example HSB-01",
        ),
        _Column(
            "nominated_by",
            True,
            "The identifying agency nominating the case, by name or short code.",
            [a.name for a in agencies],
            "; ".join(f"{a.name} ({a.short_code})" for a in agencies),
        ),
        _Column(
            "birth_month", True, "The month and year of birth, YYYY-MM (never the day).", [], "for example 2012-04"
        ),
        _Column(
            "gender",
            False,
            "Blank means not known.",
            ["male", "female", "other", "not known"],
            "male, female, other, not known; census codes 1 (male), 2 (female), 9 (other), 0 (not known)",
        ),
        _Column(
            "ethnicity",
            False,
            "A DfE main ethnicity code or its label. Blank means not recorded.",
            list(ETHNICITIES.values()),
            "; ".join(f"{code} ({label})" for code, label in ETHNICITIES.items()),
        ),
        _Column(
            "send",
            False,
            "Special educational needs provision. Blank means not known.",
            ["none", "sen support", "ehcp", "not known"],
            "none, sen support, ehcp (education, health and care plan), not known; codes N, K, E",
        ),
        _Column("disability", False, "Blank means not known.", yes_no, "yes, no, not known"),
        _Column("aces", False, "Adverse childhood experiences. Blank means not known.", yes_no, "yes, no, not known"),
        _Column(
            "concern_date", True, "The date the concern was first recorded, YYYY-MM-DD.", [], "for example 2025-03-14"
        ),
        _Column(
            "involved",
            False,
            "Other agencies involved with the child, by name or short code, separated by ;",
            [],
            "; ".join(f"{a.name} ({a.short_code})" for a in partnership_agencies),
        ),
        _Column(
            "record_number",
            False,
            "The nominating agency's own record number (seen by that agency alone).",
            [],
            "any text up to 60 characters",
        ),
    ]
    for case_field in CaseField.objects.filter(audit=audit):
        if case_field.key.lower() in STANDARD_COLUMNS:
            continue
        labels = [str(choice["label"]) for choice in case_field.choices]
        kind = case_field.field_type
        if kind == CaseFieldType.CHOICE:
            columns.append(
                _Column(
                    case_field.key,
                    False,
                    f"{case_field.label}: one choice, by value or label.",
                    labels,
                    _choice_labels(case_field),
                )
            )
        elif kind == CaseFieldType.MULTI_CHOICE:
            columns.append(
                _Column(
                    case_field.key,
                    False,
                    f"{case_field.label}: one or more choices, by value or label, separated by ;",
                    [],
                    _choice_labels(case_field),
                )
            )
        elif kind == CaseFieldType.YES_NO:
            columns.append(_Column(case_field.key, False, f"{case_field.label}.", yes_no, "yes, no, not known"))
        else:
            columns.append(_Column(case_field.key, False, f"{case_field.label}: text.", [], "any text"))
    return columns


def template_columns(audit: Audit) -> list[str]:
    """The columns of the audit's case list, in the template's order."""
    return [column.name for column in _template_columns(audit)]


def case_template(audit: Audit, fmt: Literal["csv", "xlsx"]) -> bytes:
    """A blank case list for the audit: its header row, and for XLSX the instructions and drop-down lists."""
    columns = _template_columns(audit)
    if fmt == "csv":
        return csv_file([[column.name for column in columns]])

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Cases"
    sheet.append(new_row(sheet, [column.name for column in columns]))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"

    instructions = workbook.create_sheet("Instructions")
    instructions.append(new_row(instructions, ["Column", "Required", "What it takes", "Allowed values"]))
    for cell in instructions[1]:
        cell.font = Font(bold=True)
    for column in columns:
        # The coordinator's words (labels, choices) are text, never a formula, whatever they begin with.
        instructions.append(
            new_row(instructions, [column.name, "yes" if column.required else "no", column.takes, column.allowed_text])
        )
    instructions.append([])
    instructions.append(["One row per case, from row 2 of the Cases sheet. Type values: formulas are refused."])
    instructions.append([f"At most {MAX_ROWS:,} cases and 5 MB in one file. Nothing is imported if any row is wrong."])
    for letter, width in zip("ABCD", (18, 10, 70, 90), strict=True):
        instructions.column_dimensions[letter].width = width

    lists = workbook.create_sheet("Lists")
    lists.sheet_state = "hidden"
    list_column = 0
    for position, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = max(14, len(column.name) + 2)
        if not column.allowed:
            continue
        list_column += 1
        letter = get_column_letter(list_column)
        put_at(lists, 1, list_column, column.name)
        for offset, value in enumerate(column.allowed, start=2):
            put_at(lists, offset, list_column, value)
        source = f"{quote_sheetname('Lists')}!${letter}$2:${letter}${len(column.allowed) + 1}"
        validation = DataValidation(
            type="list",
            formula1=f"={source}",
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning",
            errorTitle=column.name[:32],
            error=f"Choose from the list (see the Instructions sheet): {column.allowed_text}"[:255],
        )
        sheet.add_data_validation(validation)
        target = get_column_letter(position)
        validation.add(f"{target}2:{target}{MAX_ROWS + 1}")
    out_bytes = io.BytesIO()
    workbook.save(out_bytes)
    return out_bytes.getvalue()
