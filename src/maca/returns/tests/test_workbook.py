"""The offline workbook of an agency's returns: downloaded, filled in with openpyxl as a person fills it in Excel,
uploaded back. Every refusal leaves the returns as they were."""

import datetime
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from maca.accounts.models import User
from maca.audits.models import CaseField, Question, Theme
from maca.cases.importing import case_template
from maca.common.spreadsheets import put_at
from maca.common.tests.formulas import formulas_in_xml
from maca.partnerships.models import AccessAction, AccessLogEntry
from maca.returns.content import NARRATIVE
from maca.returns.models import AgencyReturn, ReturnEvent, ReturnStatus
from maca.returns.services import return_decide, return_save, return_submit
from maca.returns.tests.factories import involve_agency_b, make_included_case, make_return
from maca.returns.workbook import WorkbookError, build_workbook, import_workbook, read_workbook
from maca.tests.cast import CAST, Cast

ClientFor = Callable[[str], Client]


SHEET = "NEG-02"
RECOGNISED = ("Recognition", "Was neglect recognised early?")
RECOGNITION_GRADE = ("Recognition", "Your grade for this theme")
SPEED = ("Response", "How quickly did the agency respond?")
FIRST_SEEN = ("Response", "When did your agency first see the child?")
CONTACTS = ("Response", "How many times did your agency see the child?")
WENT_WELL = ("Response", "What went well")
SEEN_BY = ("The child as your agency sees it", "Services that saw the child")
PLAN_ENDED = "The child came off or stepped down from a child protection or child in need plan"
PLAN_STARTED = "The child was made subject to a child protection or child in need plan"
STRATEGY = "A strategy discussion or meeting was held about the child"


def _lead(cast: Cast) -> User:
    lead = cast["agency_lead_a"]
    assert lead is not None
    return lead


def _sharing(event: str, label: str) -> tuple[str, str, str]:
    return ("Information sharing", label, event)


HAPPENED = "Did it happen during the scope period?"
TOLD = "Was your agency told?"
TOLD_ON = "When was your agency told?"
TOLD_BY = "Who told your agency?"


def _widen(cast: Cast) -> None:
    """Give the approved audit a question of each remaining kind and a per-agency multiple choice."""
    assert cast.approved_audit is not None
    response = Theme.objects.get(audit=cast.approved_audit, name="Response")
    Question.objects.create(
        theme=response,
        position=2,
        key="first_seen",
        text="When did your agency first see the child?",
        answer_type="date",
        required=False,
    )
    Question.objects.create(
        theme=response,
        position=3,
        key="contacts",
        text="How many times did your agency see the child?",
        answer_type="number",
        required=False,
    )
    CaseField.objects.create(
        audit=cast.approved_audit,
        position=2,
        key="seen_by",
        label="Services that saw the child",
        field_type="multi_choice",
        choices=[
            {"value": "school_nurse", "label": "School nurse"},
            {"value": "gp", "label": "GP practice"},
            {"value": "health_visitor", "label": "Health visitor"},
        ],
        per_agency=True,
    )


def _url(name: str, code: str = "AGA") -> str:
    return reverse(f"returns:{name}", args=["anytown-approved-2025", code])


def _download(client: Client, code: str = "AGA") -> bytes:
    response = client.get(_url("workbook", code))
    assert response.status_code == 200, response.status_code
    assert isinstance(response, HttpResponse)
    return response.content


def _book(content: bytes) -> Workbook:
    return load_workbook(io.BytesIO(content))


def _row(sheet: Worksheet, place: tuple[str, ...]) -> int:
    """The row of an answer: by its section and question, and for information sharing by its event too."""
    section, label, *event = place
    within = not event
    for cells in sheet.iter_rows(min_row=1):
        row = cells[0].row
        assert row is not None
        if event and sheet.cell(row=row, column=3).value == event[0]:
            within = True
        is_answer = bool(sheet.cell(row=row, column=1).value)  # an answer row, not a heading
        if (
            within
            and is_answer
            and (sheet.cell(row=row, column=2).value, sheet.cell(row=row, column=3).value)
            == (
                section,
                label,
            )
        ):
            return row
    raise AssertionError(f"no row for {place}")


def _fill(content: bytes, answers: dict[tuple[str, ...], Any], sheet_name: str = SHEET) -> bytes:
    """Type answers into the answer cells (column D), as a person does, and save the workbook."""
    book = _book(content)
    sheet = book[sheet_name]
    for place, value in answers.items():
        sheet.cell(row=_row(sheet, place), column=4, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(client: Client, content: bytes, name: str = "returns.xlsx") -> HttpResponse:
    response = client.post(_url("workbook_upload"), {"file": SimpleUploadedFile(name, content)})
    assert isinstance(response, HttpResponse)
    return response


def _refused(client: Client, content: bytes, name: str = "returns.xlsx") -> str:
    response = _upload(client, content, name)
    assert response.status_code == 400
    text = response.content.decode()
    assert "There is a problem" in text
    return text


def _untouched(agency_return: AgencyReturn, version: int = 1) -> None:
    agency_return.refresh_from_db()
    assert agency_return.version == version
    assert not agency_return.events.filter(action=ReturnEvent.Action.UPLOADED).exists()


def test_the_workbook_is_laid_out_for_someone_with_twenty_minutes(client_for: ClientFor, cast: Cast) -> None:
    agency_return = make_return(cast)
    response = client_for("agency_lead_a").get(_url("workbook"))
    assert response["Content-Disposition"] == 'attachment; filename="anytown-approved-2025-AGA-returns.xlsx"'
    assert response["Cache-Control"] == "no-store"
    book = _book(response.content)

    # Instructions first; a sheet per case; the lists hidden and the keys very hidden; nothing can be added.
    assert book.sheetnames == ["Instructions", SHEET, "_lists", "_maca"]
    assert [sheet.sheet_state for sheet in book.worksheets] == ["visible", "visible", "hidden", "veryHidden"]
    assert book.active is not None
    assert book.active.title == "Instructions"
    assert book.security is not None
    assert book.security.lockStructure
    instructions = "\n".join(str(row[0]) for row in book["Instructions"].iter_rows(values_only=True) if row[0])
    assert "separated by semicolons" in instructions
    assert "from 1 January 2025 to 31 December 2025" in instructions
    assert "formulas" in instructions

    # The case's profile at the top, read-only, with the agency's own record number.
    sheet = book[SHEET]
    profile = {row[1]: row[2] for row in sheet.iter_rows(max_row=20, values_only=True) if row[1]}
    assert profile["Case reference"] == SHEET
    assert profile["Agency A’s record number"] == "A-12345"
    assert profile["Month and year of birth"] == "March 2012 (age 13 when the concern was first recorded)"
    assert profile["Type of neglect"] == "Physical"

    # One row per question, theme by theme, with the theme's grade, the narrative, sharing: only answers unlocked.
    assert sheet.protection.sheet
    assert sheet.column_dimensions["A"].hidden
    row = _row(sheet, RECOGNISED)
    assert sheet.cell(row=row, column=1).value == "q:recognised"
    assert not sheet.cell(row=row, column=4).protection.locked
    assert sheet.cell(row=row, column=3).protection.locked
    assert (
        sheet.cell(row=row, column=5).value == "Choose Yes, No or Not known. Needed before the return can be submitted."
    )
    for place in (RECOGNITION_GRADE, WENT_WELL, _sharing(PLAN_ENDED, TOLD_ON)):
        assert not sheet.cell(row=_row(sheet, place), column=4).protection.locked
    assert sheet.cell(row=1, column=2).protection.locked

    # Drop-down lists of the labels people read.
    by_cell = {str(cell): v for v in sheet.data_validations.dataValidation for cell in v.sqref.ranges}

    def listed(place: tuple[str, ...]) -> list[str]:
        validation = by_cell[f"D{_row(sheet, place)}"]
        assert validation.type == "list"
        target = str(validation.formula1).split("!")[1].replace("$", "")
        return [str(cell.value) for (cell,) in book["_lists"][target]]

    assert listed(RECOGNITION_GRADE) == ["Outstanding", "Good", "Requires improvement", "Inadequate"]
    assert listed(RECOGNISED) == ["Yes", "No", "Not known"]
    assert listed(SPEED) == ["Within days", "Weeks"]
    assert by_cell[f"D{_row(sheet, _sharing(PLAN_ENDED, TOLD_ON))}"].type == "date"

    # The download is logged.
    assert AccessLogEntry.objects.filter(
        action=AccessAction.EXPORTED, object_id=str(agency_return.pk), actor_email="lead.a@example.org"
    ).exists()


def test_a_completed_workbook_is_saved_into_the_return(client_for: ClientFor, cast: Cast) -> None:
    _widen(cast)
    agency_return = make_return(cast)
    lead = client_for("agency_lead_a")
    filled = _fill(
        _download(lead),
        {
            RECOGNISED: "Yes",
            ("Recognition", "Grade the recognition of neglect"): "Good",
            RECOGNITION_GRADE: "requires improvement",  # typed rather than chosen: any case will do
            SPEED: "Within days",
            FIRST_SEEN: datetime.datetime(2025, 5, 6),  # a real Excel date
            CONTACTS: 4,
            WENT_WELL: "Early help was offered within a week.",
            _sharing(PLAN_ENDED, HAPPENED): "Yes",
            _sharing(PLAN_ENDED, TOLD): "Yes",
            _sharing(PLAN_ENDED, TOLD_ON): "14/03/2025",  # typed, the British way
            _sharing(PLAN_ENDED, TOLD_BY): "The child’s social worker",
            _sharing(PLAN_STARTED, HAPPENED): "No",
            _sharing(STRATEGY, HAPPENED): "Not known",
            SEEN_BY: "School nurse; GP practice",
        },
    )
    response = _upload(lead, filled)
    assert response.status_code == 302
    assert response["Location"] == "/audits/anytown-approved-2025/returns/"

    agency_return.refresh_from_db()
    recognition, reply = agency_return.audit.themes.order_by("position")
    assert agency_return.status == ReturnStatus.IN_PROGRESS
    assert agency_return.answers == {
        "recognised": "yes",
        "grade_recognition": "Good",
        "response_speed": "days",
        "first_seen": "2025-05-06",
        "contacts": 4,
    }
    assert agency_return.judgements[str(recognition.pk)]["grade"] == "Requires improvement"
    assert agency_return.judgements[str(reply.pk)]["went_well"] == "Early help was offered within a week."
    assert agency_return.sharing == {
        "plan_ended": {
            "happened": "yes",
            "told": "yes",
            "told_on": "2025-03-14",
            "told_by": "The child’s social worker",
        },
        "plan_started": {"happened": "no"},
        "strategy_discussion": {"happened": "not_known"},
    }
    assert agency_return.topic_values == {"seen_by": ["school_nurse", "gp"]}

    # Kept in the return's history and the access log, as the lead's.
    event = agency_return.events.get(action=ReturnEvent.Action.UPLOADED)
    assert event.actor == cast["agency_lead_a"]
    assert event.changes["recognised"] == [None, "yes"]
    assert event.changes["plan_ended told_on"] == [None, "2025-03-14"]
    assert "Recognition" in event.section
    assert AccessLogEntry.objects.filter(action=AccessAction.CHANGED, object_id=str(agency_return.pk)).exists()
    page = lead.get("/audits/anytown-approved-2025/returns/").content.decode()
    assert "1 return updated from the workbook (NEG-02)." in page

    # Downloaded again, it shows the answers as people read them; uploaded unchanged, it changes nothing.
    again = _download(lead)
    sheet = _book(again)[SHEET]
    assert sheet.cell(row=_row(sheet, RECOGNISED), column=4).value == "Yes"
    assert sheet.cell(row=_row(sheet, SEEN_BY), column=4).value == "School nurse; GP practice"
    assert sheet.cell(row=_row(sheet, FIRST_SEEN), column=4).value == datetime.datetime(2025, 5, 6)
    assert _upload(lead, again).status_code == 302
    assert "Nothing needed saving" in lead.get("/audits/anytown-approved-2025/returns/").content.decode()
    assert agency_return.events.filter(action=ReturnEvent.Action.UPLOADED).count() == 1


@pytest.mark.parametrize(
    ("answers", "wrong", "message"),
    [
        (
            {RECOGNITION_GRADE: "Excellent"},
            RECOGNITION_GRADE,
            "Your grade for this theme: “Excellent” is not on the audit’s grading scale: choose one of Outstanding; "
            "Good; Requires improvement; Inadequate",
        ),
        ({RECOGNISED: "Maybe"}, RECOGNISED, "“Maybe” is not one of the choices: choose one of Yes; No; Not known"),
        ({SPEED: "Months"}, SPEED, "“Months” is not one of the choices: choose one of Within days; Weeks"),
        (
            {_sharing(PLAN_ENDED, HAPPENED): "Yes", _sharing(PLAN_ENDED, TOLD_ON): "14/03/2024"},
            _sharing(PLAN_ENDED, TOLD_ON),
            "When was your agency told?: The date must be the same as or after 1 January 2025",
        ),
        (
            {FIRST_SEEN: datetime.datetime(2026, 1, 2)},
            FIRST_SEEN,
            "The date must be the same as or before 31 December 2025",
        ),
        ({FIRST_SEEN: "next week"}, FIRST_SEEN, "“next week” is not a date: type it like 14/03/2025 or 2025-03-14"),
        ({FIRST_SEEN: "31/02/2025"}, FIRST_SEEN, "The date must be a real date"),
        ({CONTACTS: "three"}, CONTACTS, "must be a whole number, like 3"),
        ({CONTACTS: 2.5}, CONTACTS, "must be a whole number, like 3"),
        (
            {SEEN_BY: "School nurse; Dentist"},
            SEEN_BY,
            "“Dentist” is not one of the choices: use School nurse; GP practice; Health visitor, separated by "
            "semicolons",
        ),
        (
            {_sharing(PLAN_STARTED, HAPPENED): "No", _sharing(PLAN_STARTED, TOLD): "Yes"},
            _sharing(PLAN_STARTED, TOLD),
            "Leave this empty, or answer Yes to whether it happened during the scope period",
        ),
    ],
)
def test_a_bad_answer_is_named_by_sheet_row_and_column_and_nothing_is_saved(
    client_for: ClientFor, cast: Cast, answers: dict[tuple[str, ...], Any], wrong: tuple[str, ...], message: str
) -> None:
    _widen(cast)
    agency_return = make_return(cast)
    lead = client_for("agency_lead_a")
    content = _download(lead)
    row = _row(_book(content)[SHEET], wrong)
    # A good answer alongside: it is not saved either.
    text = _refused(lead, _fill(content, {WENT_WELL: "A good answer.", **answers}))
    assert f"Sheet NEG-02, row {row}, column D: " in text
    assert message in text
    _untouched(agency_return)
    assert agency_return.judgements == {}


def test_every_problem_is_listed_at_once(cast: Cast) -> None:
    agency_return = make_return(cast)
    assert cast.approved_audit is not None
    content = build_workbook(cast.approved_audit, cast.agency_a, [agency_return])
    sheet = _book(content)[SHEET]
    bad = _fill(content, {RECOGNISED: "Maybe", SPEED: "Months", RECOGNITION_GRADE: "Excellent"})
    with pytest.raises(WorkbookError) as refused:
        read_workbook(bad, cast.approved_audit, cast.agency_a)
    assert [(p.sheet, p.row, p.column) for p in refused.value.problems] == [
        (SHEET, _row(sheet, place), "D") for place in (RECOGNISED, RECOGNITION_GRADE, SPEED)
    ]


def test_formulas_are_refused_never_calculated(client_for: ClientFor, cast: Cast) -> None:
    agency_return = make_return(cast)
    lead = client_for("agency_lead_a")
    content = _download(lead)
    book = _book(content)
    sheet = book[SHEET]
    answer, guidance = _row(sheet, RECOGNITION_GRADE), _row(sheet, RECOGNISED)
    sheet.cell(row=answer, column=4, value='=IF(1=1,"Good","Inadequate")')
    sheet.cell(row=guidance, column=5, value="=1+1")  # in a locked cell, after unprotecting the sheet
    out = io.BytesIO()
    book.save(out)
    text = _refused(lead, out.getvalue())
    assert f"Sheet NEG-02, row {answer}, column D: contains a formula; type the value itself" in text
    assert f"Sheet NEG-02, row {guidance}, column E: contains a formula; type the value itself" in text
    _untouched(agency_return)


def _type_text(content: bytes, answers: dict[tuple[str, ...], str]) -> bytes:
    """Type text into answer cells as Excel keeps text typed after an apostrophe: a text cell, whatever it begins
    with (typed without the apostrophe, "=…" is a formula, refused above)."""
    book = _book(content)
    sheet = book[SHEET]
    for place, text in answers.items():
        put_at(sheet, _row(sheet, place), 4, text)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _answer_cells(content: bytes, places: list[tuple[str, ...]]) -> dict[tuple[str, ...], tuple[Any, str]]:
    sheet = _book(content)[SHEET]
    cells = {place: sheet.cell(row=_row(sheet, place), column=4) for place in places}
    return {place: (cell.value, cell.data_type) for place, cell in cells.items()}


def test_text_that_begins_like_a_formula_goes_out_and_comes_back_exactly(client_for: ClientFor, cast: Cast) -> None:
    agency_return = make_return(cast)
    lead = client_for("agency_lead_a")
    narrative = {
        ("Recognition", "What went well"): '=HYPERLINK("http://evil.invalid","x")',
        ("Recognition", "What worried you"): "+1+1",
        WENT_WELL: "- early help was offered within a week",  # a list, as people type one
        ("Response", "What worried you"): "@SUM(A1)",
        ("Recognition", NARRATIVE[2][1]): "\t=1",
        ("Recognition", NARRATIVE[3][1]): "\r=1",
        _sharing(PLAN_ENDED, TOLD_BY): "-2+3",
    }
    typed = {**narrative, _sharing(PLAN_ENDED, HAPPENED): "Yes"}
    assert _upload(lead, _type_text(_download(lead), typed)).status_code == 302

    # Saved as typed: no apostrophe gained, no formula. White space around an answer is trimmed, as the browser's
    # form trims it, so the tab and the carriage return go and "=1" stays, as text.
    agency_return.refresh_from_db()
    recognition, reply = (str(theme.pk) for theme in agency_return.audit.themes.order_by("position"))
    assert agency_return.judgements[recognition] == {
        "went_well": '=HYPERLINK("http://evil.invalid","x")',
        "worried": "+1+1",
        "child_voice": "=1",
        "difference": "=1",
    }
    assert agency_return.judgements[reply]["went_well"] == "- early help was offered within a week"
    assert agency_return.judgements[reply]["worried"] == "@SUM(A1)"
    assert agency_return.sharing["plan_ended"] == {"happened": "yes", "told_by": "-2+3"}

    # Downloaded again, each is the same text in a text cell; uploaded unchanged, the workbook changes nothing.
    again = _download(lead)
    places = list(narrative)
    assert _answer_cells(again, places) == {place: (text.strip(), "s") for place, text in narrative.items()}
    assert formulas_in_xml(again) == []
    version = agency_return.version
    assert _upload(lead, again).status_code == 302
    assert "Nothing needed saving" in lead.get("/audits/anytown-approved-2025/returns/").content.decode()
    agency_return.refresh_from_db()
    assert agency_return.version == version
    assert agency_return.events.filter(action=ReturnEvent.Action.UPLOADED).count() == 1


def test_characters_a_workbook_cannot_hold_neither_break_the_download_nor_change_the_answer(
    client_for: ClientFor, cast: Cast
) -> None:
    # The browser's form keeps control characters pasted from a word processor; the workbook cannot hold them.
    agency_return = make_return(cast)
    _complete(cast, agency_return)
    agency_return.refresh_from_db()
    reply = str(agency_return.audit.themes.get(name="Response").pk)
    agency_return.judgements[reply]["went_well"] = "Seen at home\x0b twice\x07 in May."
    agency_return.save()
    lead = client_for("agency_lead_a")
    content = _download(lead)
    assert _answer_cells(content, [WENT_WELL]) == {WENT_WELL: ("Seen at home twice in May.", "s")}

    # The text as the workbook shows it is the answer as it was: not a change, and the answer keeps its characters.
    version = agency_return.version
    assert _upload(lead, content).status_code == 302
    assert "Nothing needed saving" in lead.get("/audits/anytown-approved-2025/returns/").content.decode()
    _untouched(agency_return, version)
    assert agency_return.judgements[reply]["went_well"] == "Seen at home\x0b twice\x07 in May."


def _tamper_hidden_key(book: Workbook) -> None:
    hidden = book["_maca"]
    for row in hidden.iter_rows():
        if row[0].value == "answer" and row[4].value == "q:recognised":
            row[4].value = "q:grade_recognition"


def _tamper_hidden_column(book: Workbook) -> None:
    sheet = book[SHEET]
    row = _row(sheet, RECOGNISED)
    sheet.cell(row=row, column=1, value="q:response_speed")


def _insert_a_row(book: Workbook) -> None:
    book[SHEET].insert_rows(_row(book[SHEET], RECOGNISED))


def _rename_the_sheet(book: Workbook) -> None:
    book[SHEET].title = "Child 2"


def _add_a_sheet(book: Workbook) -> None:
    book.copy_worksheet(book[SHEET]).title = "Second try"


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        (_tamper_hidden_key, "The workbook’s hidden cells have been changed"),
        (_tamper_hidden_column, "rows have been added, moved or deleted, or the hidden column A changed"),
        (_insert_a_row, "rows have been added, moved or deleted, or the hidden column A changed"),
        (_rename_the_sheet, "The sheet NEG-02 (case NEG-02) is missing: sheets must not be renamed or deleted."),
        (_add_a_sheet, "Sheet Second try: this sheet was added to the workbook"),
    ],
)
def test_an_edited_layout_or_hidden_cell_is_refused(
    client_for: ClientFor, cast: Cast, tamper: Callable[[Workbook], None], message: str
) -> None:
    agency_return = make_return(cast)
    lead = client_for("agency_lead_a")
    book = _book(_fill(_download(lead), {RECOGNISED: "Yes"}))
    tamper(book)
    out = io.BytesIO()
    book.save(out)
    assert message in _refused(lead, out.getvalue())
    _untouched(agency_return)


def test_another_agencys_workbook_is_refused(client_for: ClientFor, cast: Cast) -> None:
    agency_return = make_return(cast)
    case = make_included_case(cast)
    involve_agency_b(cast, case)
    theirs = AgencyReturn.objects.get(case=case, agency=cast.agency_b)
    assert cast.approved_audit is not None
    content = _fill(build_workbook(cast.approved_audit, cast.agency_b, [theirs]), {RECOGNISED: "No"})
    text = _refused(client_for("agency_lead_a"), content)
    assert "The workbook is for the agency AGB, not Agency A (AGA)" in text
    _untouched(agency_return)
    theirs.refresh_from_db()
    assert theirs.answers == {}


def test_another_audits_workbook_is_refused(client_for: ClientFor, cast: Cast) -> None:
    agency_return = make_return(cast)
    assert cast.audit is not None
    text = _refused(client_for("agency_lead_a"), build_workbook(cast.audit, cast.agency_a, []))
    assert "The workbook is for the audit anytown-neglect-2026, not anytown-approved-2025" in text
    _untouched(agency_return)


def _zip_of_text() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "Not a workbook.")
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"%PDF-1.7\n%invented\n", "returns.pdf", "The file is not the returns workbook from maca"),
        (b"reference,answer\nNEG-02,yes\n", "returns.csv", "The file is not the returns workbook from maca"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "returns.xls", "The file is an old Excel (.xls) file"),
        (_zip_of_text(), "returns.xlsx", "The file is not the returns workbook from maca"),
        (b"PK\x03\x04broken", "returns.xlsx", "The file is not the returns workbook from maca"),
        (b"", "returns.xlsx", "The file is empty"),
    ],
)
def test_a_file_that_is_not_the_workbook_is_refused(
    client_for: ClientFor, cast: Cast, content: bytes, name: str, message: str
) -> None:
    agency_return = make_return(cast)
    assert message in _refused(client_for("agency_lead_a"), content, name)
    _untouched(agency_return)


def test_another_spreadsheet_is_refused(client_for: ClientFor, cast: Cast) -> None:
    agency_return = make_return(cast)
    assert cast.approved_audit is not None
    text = _refused(client_for("agency_lead_a"), case_template(cast.approved_audit, "xlsx"))
    assert "The file is not the returns workbook from maca: download Agency A’s workbook" in text
    _untouched(agency_return)


def _complete(cast: Cast, agency_return: AgencyReturn) -> None:
    """Answer everything in the browser, as the agency lead."""
    lead = cast["agency_lead_a"]
    assert lead is not None
    recognition, reply = agency_return.audit.themes.order_by("position")
    return_save(
        actor=lead,
        agency_return=agency_return,
        loaded_version=agency_return.version,
        section="Recognition",
        answers={"recognised": "yes", "grade_recognition": "Good"},
        judgement=(str(recognition.pk), {"grade": "Good"}),
    )
    return_save(
        actor=lead,
        agency_return=agency_return,
        loaded_version=agency_return.version,
        section="Response",
        answers={"response_speed": "weeks"},
        judgement=(str(reply.pk), {"grade": "Inadequate"}),
    )
    return_save(
        actor=lead,
        agency_return=agency_return,
        loaded_version=agency_return.version,
        section="Information sharing",
        sharing={key: {"happened": "no"} for key in ("plan_ended", "plan_started", "strategy_discussion")},
    )


def test_a_return_submitted_since_the_download_is_never_changed(client_for: ClientFor, cast: Cast) -> None:
    agency_return = make_return(cast)
    lead = client_for("agency_lead_a")
    content = _download(lead)
    _complete(cast, agency_return)
    agency_return = return_submit(actor=_lead(cast), agency_return=agency_return, loaded_version=agency_return.version)
    version = agency_return.version
    row = _row(_book(content)[SHEET], RECOGNISED)

    text = _refused(lead, _fill(content, {RECOGNISED: "No", SPEED: "Within days"}))
    assert (
        f"Sheet NEG-02, row {row}, column D: Was neglect recognised early?: case NEG-02’s return is submitted, so the "
        "workbook cannot change it. maca has “Yes”, the workbook says “No”: return it for amendment in maca first"
    ) in text
    agency_return.refresh_from_db()
    assert agency_return.answers["recognised"] == "yes"
    assert agency_return.answers["response_speed"] == "weeks"
    _untouched(agency_return, version)

    # Accepted: the same, with the way to re-open it.
    return_decide(actor=_lead(cast), agency_return=agency_return, accept=True)
    assert "ask the audit lead to re-open it first" in _refused(lead, _fill(content, {RECOGNISED: "No"}))

    # An answer equal to what is stored is no conflict; the workbook left as it was downloaded changes nothing.
    assert _upload(lead, _fill(content, {RECOGNISED: "Yes"})).status_code == 302
    assert _upload(lead, content).status_code == 302
    agency_return.refresh_from_db()
    assert agency_return.status == ReturnStatus.ACCEPTED
    assert agency_return.answers["recognised"] == "yes"

    # Downloaded now, its answers are there to read, in locked cells.
    sheet = _book(_download(lead))[SHEET]
    answer = sheet.cell(row=_row(sheet, RECOGNISED), column=4)
    assert (answer.value, answer.protection.locked) == ("Yes", True)
    assert "Accepted: this return can no longer be changed" in str(sheet["B3"].value)


def test_an_answer_changed_in_maca_and_in_the_workbook_is_a_conflict(client_for: ClientFor, cast: Cast) -> None:
    agency_return = make_return(cast)
    lead = client_for("agency_lead_a")
    content = _download(lead)
    lead_user = cast["agency_lead_a"]
    assert lead_user is not None
    return_save(
        actor=lead_user,
        agency_return=agency_return,
        loaded_version=1,
        section="Recognition",
        answers={"recognised": "yes"},
    )
    text = _refused(lead, _fill(content, {RECOGNISED: "No", SPEED: "Weeks"}))
    assert (
        "Was neglect recognised early?: this answer to case NEG-02 was changed in maca after the workbook was "
        "downloaded. maca has “Yes”, the workbook says “No”"
    ) in text
    _untouched(agency_return, version=2)
    assert agency_return.answers == {"recognised": "yes"}

    # Typing maca's answer settles it.
    assert _upload(lead, _fill(content, {RECOGNISED: "Yes", SPEED: "Weeks"})).status_code == 302
    agency_return.refresh_from_db()
    assert agency_return.answers == {"recognised": "yes", "response_speed": "weeks"}


def test_an_answer_changed_only_in_maca_is_kept(client_for: ClientFor, cast: Cast) -> None:
    agency_return = make_return(cast)
    lead = client_for("agency_lead_a")
    content = _download(lead)
    lead_user = cast["agency_lead_a"]
    assert lead_user is not None
    return_save(
        actor=lead_user,
        agency_return=agency_return,
        loaded_version=1,
        section="Recognition",
        answers={"recognised": "no"},
    )
    assert _upload(lead, _fill(content, {SPEED: "Within days"})).status_code == 302
    agency_return.refresh_from_db()
    assert agency_return.answers == {"recognised": "no", "response_speed": "days"}
    page = lead.get("/audits/anytown-approved-2025/returns/").content.decode()
    assert (
        "Where an answer changed in maca after the download and the workbook left it as it was, maca’s answer was "
        "kept: NEG-02: Was neglect recognised early?"
    ) in page


def test_import_workbook_reports_what_it_did(cast: Cast) -> None:
    agency_return = make_return(cast)
    other = make_return(cast, "NEG-03")
    lead = cast["agency_lead_a"]
    assert lead is not None
    assert cast.approved_audit is not None
    content = build_workbook(cast.approved_audit, cast.agency_a, [agency_return, other])
    assert _book(content).sheetnames == ["Instructions", "NEG-02", "NEG-03", "_lists", "_maca"]
    result = import_workbook(
        actor=lead, audit=cast.approved_audit, agency=cast.agency_a, data=_fill(content, {RECOGNISED: "Not known"})
    )
    assert [r.case.reference for r in result.updated] == ["NEG-02"]
    assert [r.case.reference for r in result.unchanged] == ["NEG-03"]
    assert result.kept == []
    agency_return.refresh_from_db()
    assert agency_return.answers == {"recognised": "not_known"}


def test_a_long_case_reference_makes_a_sheet_name_excel_accepts(cast: Cast) -> None:
    reference = "NEG-" + "0123456789" * 3 + "ABCDEF"  # 40 characters; Excel's sheet names take 31
    agency_return = make_return(cast, reference)
    lead = cast["agency_lead_a"]
    assert lead is not None
    assert cast.approved_audit is not None
    content = build_workbook(cast.approved_audit, cast.agency_a, [agency_return])
    assert _book(content).sheetnames[1] == reference[:31]
    result = import_workbook(
        actor=lead,
        audit=cast.approved_audit,
        agency=cast.agency_a,
        data=_fill(content, {RECOGNISED: "No"}, sheet_name=reference[:31]),
    )
    assert [r.case.reference for r in result.updated] == [reference]


def test_a_returned_return_says_why_on_its_sheet(cast: Cast) -> None:
    agency_return = make_return(cast)
    _complete(cast, agency_return)
    return_submit(actor=_lead(cast), agency_return=agency_return, loaded_version=agency_return.version)
    return_decide(actor=_lead(cast), agency_return=agency_return, accept=False, reason="Add what the child said.")
    agency_return.refresh_from_db()
    assert cast.approved_audit is not None
    sheet = _book(build_workbook(cast.approved_audit, cast.agency_a, [agency_return]))[SHEET]
    assert (
        sheet["B3"].value == "Returned for amendment: Add what the child said. Change the answers in the yellow cells."
    )
    assert not sheet.cell(row=_row(sheet, RECOGNISED), column=4).protection.locked


# --- Who may download and upload ----------------------------------------------------------------------------------

LOGIN = "/accounts/login/"
DOWNLOAD = {
    "coordinator": 403,  # sees the returns' states, never a draft's answers
    "audit_lead": 403,
    "agency_lead_a": 200,
    "auditor_a": 200,
    "auditor_b": 404,  # another agency: does not learn agency A's returns exist
    "governance_reader": 403,
    "outsider": 404,
    "anonymous": LOGIN,
}
UPLOAD = {**DOWNLOAD, "auditor_a": 403}  # an auditor changes only the returns given to them


def _outcome(response: Any) -> int | str:
    if response.status_code == 302:
        return str(response["Location"]).split("?")[0]
    return int(response.status_code)


@pytest.mark.parametrize("member", CAST)
def test_who_downloads_the_workbook(client_for: ClientFor, cast: Cast, member: str) -> None:
    make_return(cast)
    assert _outcome(client_for(member).get(_url("workbook"))) == DOWNLOAD[member]
    posted = client_for(member).post(_url("workbook"))
    assert _outcome(posted) == (LOGIN if member == "anonymous" else 405)  # downloads only


@pytest.mark.parametrize("member", CAST)
def test_who_uploads_the_workbook(client_for: ClientFor, cast: Cast, member: str) -> None:
    agency_return = make_return(cast)
    assert cast.approved_audit is not None
    content = _fill(build_workbook(cast.approved_audit, cast.agency_a, [agency_return]), {RECOGNISED: "Yes"})
    client = client_for(member)
    assert _outcome(client.get(_url("workbook_upload"))) == UPLOAD[member]
    response = client.post(_url("workbook_upload"), {"file": SimpleUploadedFile("returns.xlsx", content)})
    agency_return.refresh_from_db()
    if member == "agency_lead_a":
        assert response.status_code == 302
        assert agency_return.answers == {"recognised": "yes"}
    else:
        assert _outcome(response) == UPLOAD[member]
        assert agency_return.answers == {}


def test_the_upload_page_explains_the_workbook(client_for: ClientFor, cast: Cast) -> None:
    make_return(cast)
    page = client_for("agency_lead_a").get(_url("workbook_upload")).content.decode()
    assert "<title>Upload Agency A’s completed workbook" in page
    assert f'href="{_url("workbook")}"' in page
    assert 'enctype="multipart/form-data"' in page
    refused = client_for("agency_lead_a").post(_url("workbook_upload"), {})
    assert refused.status_code == 400
    assert "Choose the completed workbook" in refused.content.decode()


def test_an_agency_without_returns_has_no_workbook(client_for: ClientFor, cast: Cast) -> None:
    response = client_for("agency_lead_a").get(_url("workbook"))
    assert _outcome(response) == "/audits/anytown-approved-2025/returns/"
    assert not AccessLogEntry.objects.filter(action=AccessAction.EXPORTED).exists()
    assert client_for("agency_lead_a").get(_url("workbook", "NOPE")).status_code == 404


# --- The command line ---------------------------------------------------------------------------------------------


def test_the_workbook_goes_out_and_comes_back_by_the_command_line(cast: Cast, tmp_path: Path) -> None:
    agency_return = make_return(cast)
    file = tmp_path / "aga.xlsx"
    out = io.StringIO()
    call_command(
        "export_returns", "anytown-approved-2025", "aga", str(file), as_email="auditor.a@example.org", stdout=out
    )
    assert "Wrote Agency A’s workbook of 1 return" in out.getvalue()
    assert AccessLogEntry.objects.filter(action=AccessAction.EXPORTED, actor_email="auditor.a@example.org").exists()

    file.write_bytes(_fill(file.read_bytes(), {RECOGNISED: "No"}))
    with pytest.raises(CommandError, match=re.escape("auditor.a@example.org is not a lead of Agency A")):
        call_command("import_returns", "anytown-approved-2025", "AGA", str(file), as_email="auditor.a@example.org")
    with pytest.raises(CommandError, match="Say who is importing with --as EMAIL"):
        call_command("import_returns", "anytown-approved-2025", "AGA", str(file))
    out = io.StringIO()
    call_command("import_returns", "anytown-approved-2025", "AGA", str(file), as_email="lead.a@example.org", stdout=out)
    assert "Updated 1 of Agency A’s returns in anytown-approved-2025 (NEG-02)" in out.getvalue()
    agency_return.refresh_from_db()
    assert agency_return.answers == {"recognised": "no"}


def test_the_command_line_lists_every_problem(cast: Cast, tmp_path: Path) -> None:
    agency_return = make_return(cast)
    assert cast.approved_audit is not None
    content = build_workbook(cast.approved_audit, cast.agency_a, [agency_return])
    row = _row(_book(content)[SHEET], RECOGNISED)
    file = tmp_path / "aga.xlsx"
    file.write_bytes(_fill(content, {RECOGNISED: "Perhaps", SPEED: "Months"}))
    with pytest.raises(CommandError) as refused:
        call_command("import_returns", "anytown-approved-2025", "AGA", str(file), as_email="lead.a@example.org")
    assert f"Sheet NEG-02, row {row}, column D: Was neglect recognised early?: “Perhaps”" in str(refused.value)
    assert "“Months” is not one of the choices" in str(refused.value)
    with pytest.raises(CommandError, match="There is no agency 'XYZ'"):
        call_command("export_returns", "anytown-approved-2025", "XYZ", str(file), as_email="lead.a@example.org")
    with pytest.raises(CommandError, match=re.escape("outsider@example.org is not a lead or auditor of Agency A")):
        call_command("export_returns", "anytown-approved-2025", "AGA", str(file), as_email="outsider@example.org")
    _untouched(agency_return)


def test_the_commands_say_what_they_are_doing_on_stderr_unless_quiet(cast: Cast, tmp_path: Path) -> None:
    make_return(cast)
    file = tmp_path / "aga.xlsx"
    export = ("export_returns", "anytown-approved-2025", "AGA", str(file))
    out, err = io.StringIO(), io.StringIO()
    call_command(*export, as_email="lead.a@example.org", stdout=out, stderr=err)
    assert err.getvalue().splitlines() == [
        "Building Agency A’s workbook of 1 return, a sheet for each…",
        f"Writing {file}…",
    ]
    assert out.getvalue() == f"Wrote Agency A’s workbook of 1 return to {file}.\n"

    file.write_bytes(_fill(file.read_bytes(), {RECOGNISED: "No"}))
    out, err = io.StringIO(), io.StringIO()
    call_command("import_returns", *export[1:], as_email="lead.a@example.org", stdout=out, stderr=err)
    assert err.getvalue().splitlines() == [
        f"Reading {file}…",
        "Checking every sheet against Agency A’s returns in anytown-approved-2025, then saving the answers…",
    ]
    assert out.getvalue() == "Updated 1 of Agency A’s returns in anytown-approved-2025 (NEG-02); 0 had no changes.\n"

    for command in (export, ("import_returns", *export[1:])):
        out, err = io.StringIO(), io.StringIO()
        call_command(*command, as_email="lead.a@example.org", verbosity=0, stdout=out, stderr=err)
        assert err.getvalue() == ""
        assert out.getvalue().startswith(("Wrote Agency A’s workbook", "Updated 0 of Agency A’s returns"))
