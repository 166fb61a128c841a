"""Reading case lists (CSV and XLSX), importing them all or nothing, and the case list template."""

import csv
import datetime
import io
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from maca.audits.models import Audit, CaseField
from maca.cases.importing import (
    MAX_ROWS,
    CaseFileError,
    CaseRow,
    RowProblem,
    case_template,
    import_cases,
    read_case_file,
    template_columns,
)
from maca.cases.models import AgencyRecordNumber, Case, Involvement
from maca.cases.services import CaseProfile, case_nominate
from maca.cases.tests.factories import open_for_cases
from maca.partnerships.models import AccessLogEntry
from maca.tests.cast import Cast

HEADER = [
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
    "neglect_type",
]
GOOD = [
    [
        "HSB-01",
        "AGA",
        "2012-04",
        "1",
        "White British",
        "sen support",
        "yes",
        "no",
        "2025-03-14",
        "AGB",
        "A-1",
        "Physical",
    ],
    ["HSB-02", "Agency A", "2010-11", "female", "MWBA", "", "", "not known", "2025-06-01", "", "", "emotional"],
]


def csv_bytes(rows: list[list[Any]], *, delimiter: str = ",", bom: bool = False) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue().encode("utf-8-sig" if bom else "utf-8")


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def the_audit(cast: Cast) -> Audit:
    """The cast's draft audit, approved: cases are nominated once the Terms of Reference is."""
    return open_for_cases(cast)


def problems_of(content: bytes, filename: str, audit: Audit) -> list[RowProblem]:
    with pytest.raises(CaseFileError) as raised:
        read_case_file(content, filename, audit)
    return raised.value.problems


def one_row(cast: Cast, **changes: str) -> list[RowProblem]:
    """The problems of a CSV whose only case is GOOD[0] with `changes`."""
    row = dict(zip(HEADER, GOOD[0], strict=True)) | changes
    return problems_of(csv_bytes([HEADER, list(row.values())]), "cases.csv", the_audit(cast))


# --- Good files -------------------------------------------------------------------------------------------------


def test_a_csv_case_list_is_imported_with_every_value_read(cast: Cast) -> None:
    audit = the_audit(cast)
    rows = read_case_file(csv_bytes([HEADER, *GOOD]), "cases.csv", audit)
    assert [(row.row, row.profile.reference, row.agency) for row in rows] == [
        (2, "HSB-01", cast.agency_a),
        (3, "HSB-02", cast.agency_a),
    ]
    cases = import_cases(actor=cast.coordinator, audit=audit, agency_scope=None, rows=rows)

    first, second = Case.objects.filter(audit=audit).order_by("reference")
    assert [first, second] == cases
    assert first.nominated_by == cast.agency_a
    assert first.nominated_by_user == cast.coordinator
    assert first.birth_month == datetime.date(2012, 4, 1)
    assert (first.gender, first.ethnicity, first.send, first.disability, first.aces) == (
        "male",
        "WBRI",
        "sen_support",
        "yes",
        "no",
    )
    assert first.concern_date == datetime.date(2025, 3, 14)
    assert first.topic_values == {"neglect_type": "physical"}
    assert {i.agency for i in Involvement.objects.filter(case=first)} == {cast.agency_a, cast.agency_b}
    assert AgencyRecordNumber.objects.get(case=first).number == "A-1"
    # Blanks take "not known" (and "not recorded" for ethnicity); the nominating agency is always involved.
    assert (second.gender, second.ethnicity, second.send, second.disability, second.aces) == (
        "female",
        "MWBA",
        "not_known",
        "not_known",
        "not_known",
    )
    assert second.topic_values == {"neglect_type": "emotional"}
    assert [i.agency for i in Involvement.objects.filter(case=second)] == [cast.agency_a]
    assert not AgencyRecordNumber.objects.filter(case=second).exists()
    assert AccessLogEntry.objects.filter(actor=cast.coordinator, action="created").count() == 2


def test_a_csv_with_a_byte_order_mark_and_semicolons_columns_in_any_order_and_any_case(cast: Cast) -> None:
    header = ["  Concern_Date ", "REFERENCE", "Nominated_By", "birth_month", "Gender"]
    content = csv_bytes([header, ["2025-03-14", "HSB-07", "agency a", "2011-01", "Not known"]], delimiter=";", bom=True)
    assert content.startswith(b"\xef\xbb\xbf")
    (row,) = read_case_file(content, "cases.csv", the_audit(cast))
    assert row.profile.reference == "HSB-07"
    assert row.profile.concern_date == datetime.date(2025, 3, 14)
    assert row.profile.birth_month == datetime.date(2011, 1, 1)
    assert row.profile.gender == "not_known"
    assert row.agency == cast.agency_a


def test_an_xlsx_case_list_with_date_and_number_cells(cast: Cast) -> None:
    audit = the_audit(cast)
    content = xlsx_bytes(
        [
            ["reference", "nominated_by", "birth_month", "gender", "concern_date", "neglect_type"],
            ["HSB-01", "AGA", datetime.date(2012, 4, 17), 2, datetime.datetime(2025, 3, 14, 9, 30), "emotional"],
            [],
            ["HSB-02", "AGA", "2013-09", 9, "2025-05-02", ""],
        ]
    )
    rows = read_case_file(content, "cases.xlsx", audit)
    assert [row.row for row in rows] == [2, 4]  # the blank row 3 is skipped, and rows keep their numbers
    first, second = rows
    assert first.profile.birth_month == datetime.date(2012, 4, 1)  # the day is never kept
    assert first.profile.concern_date == datetime.date(2025, 3, 14)
    assert first.profile.gender == "female"
    assert second.profile.gender == "other"
    assert second.profile.topic_values == {}
    import_cases(actor=cast.coordinator, audit=audit, agency_scope=None, rows=rows)
    assert list(Case.objects.filter(audit=audit).values_list("reference", flat=True)) == ["HSB-01", "HSB-02"]


def test_topic_fields_of_every_type(cast: Cast) -> None:
    audit = the_audit(cast)
    CaseField.objects.create(
        audit=audit,
        position=10,
        key="signs",
        label="Signs",
        field_type="multi_choice",
        choices=[{"value": "hunger", "label": "Hunger"}, {"value": "hygiene", "label": "Poor hygiene"}],
    )
    CaseField.objects.create(audit=audit, position=11, key="known_to_csc", label="Known", field_type="yes_no")
    CaseField.objects.create(audit=audit, position=12, key="notes", label="Notes", field_type="text")
    header = ["reference", "nominated_by", "birth_month", "concern_date", "signs", "known_to_csc", "notes"]
    content = csv_bytes(
        [
            header,
            ["HSB-01", "AGA", "2012-04", "2025-03-14", "hunger; Poor Hygiene", "Yes", "Seen at school"],
            ["HSB-02", "AGA", "2012-04", "2025-03-14", "hunger;thirst", "perhaps", ""],
        ]
    )
    problems = problems_of(content, "cases.csv", audit)
    assert [(p.row, p.column) for p in problems] == [(3, "signs"), (3, "known_to_csc")]
    assert "thirst is not one of" in problems[0].message

    (row,) = read_case_file(csv_bytes([header, *list(csv.reader(io.StringIO(content.decode())))[1:2]]), "c.csv", audit)
    assert row.profile.topic_values == {
        "signs": ["hunger", "hygiene"],
        "known_to_csc": "yes",
        "notes": "Seen at school",
    }
    (case,) = import_cases(actor=cast.coordinator, audit=audit, agency_scope=None, rows=[row])
    assert case.topic_values == {"signs": ["hunger", "hygiene"], "known_to_csc": "yes", "notes": "Seen at school"}


# --- Bad values, each named by row and column --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("reference", "", "is required"),
        ("reference", "HSB 01", "HSB 01 is not a reference"),
        ("nominated_by", "", "is required"),
        ("nominated_by", "Agency Z", "Agency Z is not an identifying agency of this audit"),
        (
            "nominated_by",
            "AGB",
            "AGB is not an identifying agency of this audit",
        ),  # in the partnership, not identifying
        ("birth_month", "2012/04", "2012/04 is not a month and year of birth written YYYY-MM"),
        ("birth_month", "2012-13", "2012-13 is not a month and year"),
        ("birth_month", "", "is required"),
        ("birth_month", "2025-04", "the month of birth is after the date of the concern"),
        ("concern_date", "14/03/2025", "14/03/2025 is not a date that exists"),
        ("concern_date", "2025-02-30", "2025-02-30 is not a date that exists"),
        ("concern_date", "", "is required"),
        ("gender", "3", "3 is not one of: male, female, other, not known"),
        ("ethnicity", "ZZZZ", "ZZZZ is not a DfE ethnicity code"),
        ("send", "lots", "lots is not one of: none, sen support, ehcp, not known"),
        ("disability", "maybe", "maybe is not one of: yes, no, not known"),
        ("aces", "sometimes", "sometimes is not one of: yes, no, not known"),
        ("involved", "AGB; Agency X", "Agency X is not an agency of the partnership"),  # X is another partnership's
        ("record_number", "9" * 61, "must be at most 60 characters"),
        ("neglect_type", "spiritual", "spiritual is not one of: physical (Physical), emotional (Emotional)"),
    ],
)
def test_each_bad_value_is_named_by_row_and_column(cast: Cast, column: str, value: str, message: str) -> None:
    (problem,) = one_row(cast, **{column: value})
    assert (problem.row, problem.column) == (2, column)
    assert message in problem.message
    assert str(problem) == f"row 2, {column}: {problem.message}"


@pytest.mark.parametrize(
    ("column", "value", "read"),
    [
        ("gender", "2", "female"),
        ("gender", "0", "not_known"),
        ("gender", "Not Known", "not_known"),
        ("ethnicity", "bafr", "BAFR"),
        ("ethnicity", "any other white background", "WOTH"),
        ("send", "EHCP", "ehcp"),
        ("send", "none", "none"),
        ("aces", "NOT KNOWN", "not_known"),
    ],
)
def test_codes_and_labels_in_any_case(cast: Cast, column: str, value: str, read: str) -> None:
    row = dict(zip(HEADER, GOOD[0], strict=True)) | {column: value}
    (case_row,) = read_case_file(csv_bytes([HEADER, list(row.values())]), "c.csv", the_audit(cast))
    assert getattr(case_row.profile, column) == read


def test_header_problems_unknown_and_missing_columns(cast: Cast) -> None:
    content = csv_bytes(
        [["reference", "birth_month", "Favourite colour", "concern_date"], ["HSB-01", "2012-04", "", ""]]
    )
    problems = problems_of(content, "cases.csv", the_audit(cast))
    assert [(p.row, p.column) for p in problems] == [
        (1, "favourite colour"),
        (1, "nominated_by"),
        (2, "concern_date"),
    ]
    assert "is not a column of this audit's case list" in problems[0].message
    assert "neglect_type" in problems[0].message  # the audit's own columns are listed
    assert problems[1].message == "is required: add a column named nominated_by"


def test_a_case_list_of_good_rows_without_a_required_column_names_the_column(cast: Cast) -> None:
    # Every row is right as far as it goes: only the header is wrong, and that is all that is said.
    content = csv_bytes([["reference", "birth_month", "concern_date"], ["HSB-01", "2012-04", "2025-03-14"]])
    problems = problems_of(content, "cases.csv", the_audit(cast))
    assert [(p.row, p.column, p.message) for p in problems] == [
        (1, "nominated_by", "is required: add a column named nominated_by")
    ]


def test_a_column_given_twice_and_a_value_without_a_column(cast: Cast) -> None:
    content = csv_bytes(
        [
            ["reference", "nominated_by", "birth_month", "concern_date", "Reference"],
            ["HSB-01", "AGA", "2012-04", "2025-03-14", "HSB-02", "extra"],
        ]
    )
    problems = problems_of(content, "cases.csv", the_audit(cast))
    assert [(p.row, p.column, p.message) for p in problems] == [
        (1, "reference", "is given twice"),
        (2, "column E", "has a value but no column name"),
        (2, "column F", "has a value but no column name"),
    ]


def test_every_problem_of_every_row_is_collected(cast: Cast) -> None:
    content = csv_bytes(
        [
            HEADER,
            GOOD[0],
            ["HSB-02", "AGZ", "2012-4x", "", "", "", "", "", "2025-03-14", "", "", ""],
            [],
            ["HSB-03", "AGA", "2012-04", "7", "", "", "", "", "2025-13-01", "", "", "physical"],
        ]
    )
    problems = problems_of(content, "cases.csv", the_audit(cast))
    assert [(p.row, p.column) for p in problems] == [
        (3, "nominated_by"),
        (3, "birth_month"),
        (5, "concern_date"),
        (5, "gender"),
    ]
    assert str(CaseFileError(problems)).splitlines()[0].startswith("row 3, ")


def test_duplicate_references_in_the_file_any_case(cast: Cast) -> None:
    content = csv_bytes([HEADER, GOOD[0], GOOD[1], ["hsb-01", *GOOD[1][1:]]])
    (problem,) = problems_of(content, "cases.csv", the_audit(cast))
    assert (problem.row, problem.column, problem.message) == (4, "reference", "hsb-01 is also on row 2")


def test_the_same_file_twice_imports_nothing_the_second_time(cast: Cast) -> None:
    audit = the_audit(cast)
    content = csv_bytes([HEADER, *GOOD])
    import_cases(actor=cast.coordinator, audit=audit, agency_scope=None, rows=read_case_file(content, "c.csv", audit))
    assert Case.objects.filter(audit=audit).count() == 2
    problems = problems_of(content, "c.csv", audit)
    assert [str(p) for p in problems] == [
        "row 2, reference: HSB-01 already exists in this audit",
        "row 3, reference: HSB-02 already exists in this audit",
    ]
    assert Case.objects.filter(audit=audit).count() == 2


def test_nothing_is_saved_when_a_row_fails_at_import(cast: Cast) -> None:
    """A case nominated between reading and importing: the other rows are not saved either."""
    audit = the_audit(cast)
    rows = read_case_file(csv_bytes([HEADER, *GOOD]), "c.csv", audit)
    case_nominate(actor=cast.coordinator, audit=audit, agency=cast.agency_a, profile=rows[1].profile)
    with pytest.raises(CaseFileError) as raised:
        import_cases(actor=cast.coordinator, audit=audit, agency_scope=None, rows=rows)
    (problem,) = raised.value.problems
    assert (problem.row, problem.column) == (3, "reference")
    assert "already exists" in problem.message
    assert list(Case.objects.filter(audit=audit).values_list("reference", flat=True)) == ["HSB-02"]
    assert not Involvement.objects.filter(case__reference="HSB-01").exists()
    assert not AgencyRecordNumber.objects.filter(case__audit__reference="anytown-neglect-2026").exists()


def test_a_topic_value_refused_at_import_is_named_by_its_column(cast: Cast) -> None:
    audit = the_audit(cast)
    profile = CaseProfile(
        reference="HSB-09",
        birth_month=datetime.date(2012, 4, 1),
        gender="male",
        ethnicity="",
        send="none",
        disability="no",
        aces="no",
        concern_date=datetime.date(2025, 1, 1),
        topic_values={"neglect_type": "spiritual"},
    )
    good = read_case_file(csv_bytes([HEADER, GOOD[0]]), "c.csv", audit)
    with pytest.raises(CaseFileError) as raised:
        import_cases(
            actor=cast.coordinator, audit=audit, agency_scope=None, rows=[*good, CaseRow(7, cast.agency_a, profile)]
        )
    assert [(p.row, p.column) for p in raised.value.problems] == [(7, "neglect_type")]
    assert not Case.objects.filter(audit=audit).exists()


def test_an_agency_lead_imports_only_their_own_agencys_cases(cast: Cast) -> None:
    audit = the_audit(cast)
    rows = read_case_file(csv_bytes([HEADER, *GOOD]), "c.csv", audit)
    lead = cast["agency_lead_a"]
    assert lead is not None
    with pytest.raises(CaseFileError) as raised:
        import_cases(actor=lead, audit=audit, agency_scope=cast.agency_b, rows=rows)
    assert [(p.row, p.column) for p in raised.value.problems] == [(2, "nominated_by"), (3, "nominated_by")]
    assert raised.value.problems[0].message == "is Agency A, but this import is for Agency B's cases only"
    assert not Case.objects.filter(audit=audit).exists()

    assert len(import_cases(actor=lead, audit=audit, agency_scope=cast.agency_a, rows=rows)) == 2


# --- Formulas ---------------------------------------------------------------------------------------------------


def test_an_xlsx_formula_is_refused_and_never_evaluated(cast: Cast) -> None:
    audit = the_audit(cast)
    content = xlsx_bytes(
        [
            ["reference", "nominated_by", "birth_month", "gender", "concern_date"],
            ['=CONCATENATE("HSB-","01")', "AGA", "2012-04", "=1+1", "2025-03-14"],
            ["HSB-02", "AGA", "2012-04", "male", "2025-03-14"],
        ]
    )
    problems = problems_of(content, "cases.xlsx", audit)
    assert [str(p) for p in problems] == [
        "row 2, reference: contains a formula; type the value itself",
        "row 2, gender: contains a formula; type the value itself",
    ]
    assert not Case.objects.filter(audit__reference="anytown-neglect-2026").exists()


@pytest.mark.parametrize(
    ("column", "value"),
    [("gender", "=1+1"), ("record_number", "@SUM(A1)"), ("record_number", "+cmd|' /C calc'!A0"), ("ethnicity", "-2+3")],
)
def test_a_csv_formula_is_refused(cast: Cast, column: str, value: str) -> None:
    (problem,) = one_row(cast, **{column: value})
    assert str(problem) == f"row 2, {column}: contains a formula; type the value itself"


def test_a_plain_number_starting_with_a_sign_is_not_a_formula(cast: Cast) -> None:
    row = dict(zip(HEADER, GOOD[0], strict=True)) | {"record_number": "-5"}
    (case_row,) = read_case_file(csv_bytes([HEADER, list(row.values())]), "c.csv", the_audit(cast))
    assert case_row.record_number == "-5"


# --- Files that are refused -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"", "cases.csv", "The file is empty."),
        (b"  \r\n", "cases.csv", "The file is empty."),
        (b"%PDF-1.4 ...", "cases.pdf", "cases.pdf is neither a CSV nor an XLSX file"),
        (b"reference,nominated_by\n", "cases.xlsx", "cases.xlsx is not a readable XLSX workbook"),
        (b"PK\x03\x04 not really a zip", "cases.xlsx", "The file is not a readable XLSX workbook"),
        (b"\xd0\xcf\x11\xe0 old excel", "cases.xls", "cases.xls is an old Excel (.xls) file"),
        ("reference\nHSB-01\n".encode("utf-16"), "cases.csv", "The file is not UTF-8 text"),
        (b",,,\nHSB-01,AGA,2012-04,2025-03-14\n", "cases.csv", "The file has no header row"),
        (b"reference,nominated_by,birth_month,concern_date\n", "cases.csv", "There are no cases in the file"),
    ],
)
def test_files_that_are_refused(cast: Cast, content: bytes, filename: str, message: str) -> None:
    problems = problems_of(content, filename, the_audit(cast))
    assert len(problems) == 1
    assert problems[0].message.startswith(message)


def test_an_xlsx_without_a_header_row(cast: Cast) -> None:
    content = xlsx_bytes([[], ["HSB-01", "AGA", "2012-04", "2025-03-14"]])
    (problem,) = problems_of(content, "cases.xlsx", the_audit(cast))
    assert problem.message.startswith("The file has no header row")


def test_a_file_over_5_mb_is_refused(cast: Cast) -> None:
    content = csv_bytes([HEADER]) + b"x" * (5 * 1024 * 1024)
    (problem,) = problems_of(content, "cases.csv", the_audit(cast))
    assert str(problem) == "The file is larger than 5 MB: split the case list."


def test_more_than_2000_rows_are_refused(cast: Cast) -> None:
    rows = [[f"HSB-{n}", "AGA", "2012-04", "2025-03-14"] for n in range(MAX_ROWS + 1)]
    header = ["reference", "nominated_by", "birth_month", "concern_date"]
    (problem,) = problems_of(csv_bytes([header, *rows]), "cases.csv", the_audit(cast))
    assert str(problem) == "The file has more than 2,000 cases: split the case list."
    assert len(read_case_file(csv_bytes([header, *rows[:MAX_ROWS]]), "cases.csv", the_audit(cast))) == MAX_ROWS


# --- The template -----------------------------------------------------------------------------------------------


def test_the_csv_template_is_the_header_row_that_reading_accepts(cast: Cast) -> None:
    audit = the_audit(cast)
    content = case_template(audit, "csv")
    (header,) = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert header == [*HEADER] == template_columns(audit)
    filled = content + csv_bytes([GOOD[0]])
    (row,) = read_case_file(filled, "template.csv", audit)
    assert row.profile.reference == "HSB-01"


def test_the_xlsx_template_round_trip(cast: Cast) -> None:
    audit = the_audit(cast)
    workbook = load_workbook(io.BytesIO(case_template(audit, "xlsx")))
    cases, instructions = workbook.worksheets[0], workbook["Instructions"]
    assert [cell.value for cell in cases[1]] == HEADER

    listed = {row[0]: row for row in instructions.iter_rows(min_row=2, values_only=True) if row[0]}
    assert set(HEADER) <= set(listed)
    assert listed["reference"][1] == "yes"
    assert listed["gender"][1] == "no"
    assert "Agency A (AGA)" in str(listed["nominated_by"][3])
    assert "WBRI (White British)" in str(listed["ethnicity"][3])
    assert "0 (not known)" in str(listed["gender"][3])
    assert "physical (Physical)" in str(listed["neglect_type"][3])

    validations = {str(v.sqref): v for v in cases.data_validations.dataValidation}
    gender_column = "D"
    assert f"{gender_column}2:{gender_column}2001" in validations
    lists = workbook["Lists"]
    gender_list = validations[f"{gender_column}2:{gender_column}2001"].formula1
    assert gender_list is not None
    column = gender_list.split("!")[1].split("$")[1]
    assert [lists[f"{column}{n}"].value for n in range(2, 6)] == ["male", "female", "other", "not known"]
    assert {"B2:B2001", "E2:E2001", "L2:L2001"} <= set(validations)  # nominated_by, ethnicity, neglect_type
    assert "A2:A2001" not in validations  # the reference is free text

    # Fill in the template with values from its own drop-down lists, and import it.
    def offered(letter: str) -> list[Any]:
        formula = validations[f"{letter}2:{letter}2001"].formula1
        assert formula is not None
        source = formula.split("!")[1].replace("$", "").split(":")
        return [cell.value for (cell,) in lists[f"{source[0]}:{source[1]}"]]

    cases.append(
        [
            "HSB-01",
            offered("B")[0],
            datetime.date(2012, 4, 1),
            offered("D")[1],
            offered("E")[3],
            offered("F")[2],
            offered("G")[0],
            offered("H")[1],
            datetime.date(2025, 3, 14),
            "AGB",
            "",
            offered("L")[1],
        ]
    )
    out = io.BytesIO()
    workbook.save(out)
    (row,) = read_case_file(out.getvalue(), "template.xlsx", audit)
    (case,) = import_cases(actor=cast.coordinator, audit=audit, agency_scope=None, rows=[row])
    assert case.nominated_by == cast.agency_a
    assert (case.gender, case.ethnicity, case.send, case.disability, case.aces) == (
        "female",
        "WOTH",
        "ehcp",
        "yes",
        "no",
    )
    assert case.topic_values == {"neglect_type": "emotional"}


def test_a_workbook_that_would_unpack_to_far_more_than_a_case_list_is_refused(cast: Cast) -> None:
    """A small file that unzips to a huge one is refused before it is opened."""
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))
    content = buffer.getvalue()
    assert len(content) < 1024 * 1024
    (problem,) = problems_of(content, "cases.xlsx", the_audit(cast))
    assert problem.message.startswith("The workbook is far larger than a case list once opened")
