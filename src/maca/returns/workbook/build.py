"""Building the returns workbook that an agency downloads, pre-filled with its answers.

The workbook opens on an Instructions sheet. Then comes one sheet per case, named by its reference: the child's
profile at the top (read-only), then one row per question (see `layout`). Only the answer cells are unlocked; grades,
yes/no/not known and choices are drop-down lists of the labels people read. A hidden sheet holds the lists, and a very
hidden sheet says which audit, agency, case and question each answer cell belongs to, with a fingerprint of each
answer as downloaded, all signed with the installation's secret key (`signer`, `digest`), so that reading can refuse
an edited or foreign workbook.
"""

import datetime
import hashlib
import io
import json
from collections.abc import Sequence
from typing import Any

from django.core import signing
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from maca.accounts.models import User
from maca.audits.models import Audit
from maca.cases.criteria import age_on
from maca.cases.models import AgencyRecordNumber, Case
from maca.common.forms import format_date
from maca.common.scoping import require_perm
from maca.common.spreadsheets import new_row, put_at
from maca.partnerships.models import AccessAction, Agency
from maca.partnerships.services import access_log_record

from ..content import per_agency_fields, topic_text
from ..models import AgencyReturn, ReturnStatus
from ..selectors import returns_visible_to
from .layout import (
    ANSWER_COLUMN,
    FORMAT,
    HIDDEN,
    INSTRUCTIONS,
    LIST_KINDS,
    LISTS,
    Entry,
    Part,
    blank,
    cell_value,
    fingerprint,
    label_list,
    layout,
    scope_text,
    value_at,
)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_SIGNER_SALT = "maca.returns.workbook"  # fixed: another salt would refuse every workbook already downloaded
_EXCEL_EPOCH = datetime.date(1899, 12, 30)

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_HEADING_FILL = PatternFill("solid", fgColor="DEE0E2")
_ANSWER_FILL = PatternFill("solid", fgColor="FFF7BF")
_LOCKED_FILL = PatternFill("solid", fgColor="F3F2F1")
_WRAP = Alignment(wrap_text=True, vertical="top")
_UNLOCKED = Protection(locked=False)


def _sheet_names(references: Sequence[str]) -> list[str]:
    """A sheet name per case: its reference (Excel allows 31 characters, compared ignoring case), made unique."""
    taken = {INSTRUCTIONS.lower(), LISTS.lower(), HIDDEN.lower()}
    names = []
    for reference in references:
        name, number = reference[:31], 2
        while name.lower() in taken:
            suffix = f"~{number}"
            name, number = reference[: 31 - len(suffix)] + suffix, number + 1
        taken.add(name.lower())
        names.append(name)
    return names


def _profile(case: Case, audit: Audit, agency: Agency, record_number: str) -> list[tuple[str, str]]:
    """The child's profile as the case page shows it (no name, no date of birth)."""
    rows = [("Case reference", case.reference), ("Nominated by", str(case.nominated_by))]
    if record_number:
        rows.append((f"{agency}’s record number", record_number))
    rows += [
        (
            "Month and year of birth",
            f"{case.birth_month:%B %Y} (age {age_on(case.birth_month, case.concern_date)} when the concern was "
            "first recorded)",
        ),
        ("Gender", case.get_gender_display()),
        ("Ethnicity", f"{case.get_ethnicity_display()} ({case.ethnicity})" if case.ethnicity else "Not recorded"),
        ("Special educational needs", case.get_send_display()),
        ("Disability", case.get_disability_display()),
        ("Adverse childhood experiences", case.get_aces_display()),
        ("Concern first recorded", format_date(case.concern_date)),
    ]
    for case_field in audit.case_fields.all():
        if not case_field.per_agency:
            value = case.topic_values.get(case_field.key)
            rows.append((case_field.label, "Not recorded" if blank(value) else topic_text(case_field, value)))
    return rows


def _state(agency_return: AgencyReturn) -> str:
    if agency_return.status == ReturnStatus.RETURNED:
        return f"Returned for amendment: {agency_return.returned_reason} Change the answers in the yellow cells."
    if agency_return.is_editable:
        return f"{agency_return.get_status_display()}: type your answers in the yellow cells of column D."
    return (
        f"{agency_return.get_status_display()}: this return can no longer be changed, so its answers are shown in "
        "grey cells, for reference."
    )


def _protect(sheet: Worksheet) -> None:
    """Only unlocked cells can be changed; columns and rows may still be resized."""
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def _height(*texts: str, width: int = 55) -> float:
    """A row height that shows wrapped text whole (Excel does not size rows of a generated file itself)."""
    lines = max([1, *(sum(len(line) // width + 1 for line in text.split("\n")) for text in texts if text)])
    return min(15.0 * lines, 300.0)


class _Lists:
    """The hidden sheet of drop-down lists: one column per distinct list of labels."""

    def __init__(self, book: Workbook) -> None:
        self.sheet = book.create_sheet(LISTS)
        self.sheet.sheet_state = "hidden"
        self.columns: dict[tuple[str, ...], str] = {}

    def source(self, labels: tuple[str, ...]) -> str:
        if labels not in self.columns:
            column = len(self.columns) + 1
            for row, label in enumerate(labels, start=1):
                put_at(self.sheet, row, column, label)
            self.columns[labels] = get_column_letter(column)
        letter = self.columns[labels]
        return f"{quote_sheetname(LISTS)}!${letter}$1:${letter}${len(labels)}"


def _validation(entry: Entry, audit: Audit, lists: _Lists) -> DataValidation | None:
    """What Excel checks as people type: a list, a whole number, or a date in the audit's scope."""
    common: dict[str, Any] = {
        "allow_blank": True,
        "showErrorMessage": True,
        "showInputMessage": bool(entry.guidance),
        "promptTitle": "How to answer",
        "prompt": entry.guidance[:255],
    }
    if entry.kind in LIST_KINDS:
        labels = tuple(label for _, label in entry.options)
        return DataValidation(
            type="list",
            formula1=lists.source(labels),  # a formula in the file has no "="
            errorStyle="stop",
            errorTitle="Choose from the list",
            error=f"Choose one of: {label_list(entry.options)}"[:255],
            **common,
        )
    if entry.kind == "number":
        return DataValidation(
            type="whole",
            operator="between",
            formula1="0",
            formula2="100000",
            errorStyle="stop",
            errorTitle="A whole number",
            error="Type a whole number, like 3.",
            **common,
        )
    if entry.kind == "date" and audit.scope_start and audit.scope_end:
        return DataValidation(
            type="date",
            operator="between",
            formula1=str((audit.scope_start - _EXCEL_EPOCH).days),
            formula2=str((audit.scope_end - _EXCEL_EPOCH).days),
            errorStyle="warning",
            errorTitle="A date in the audit’s scope",
            error=f"The date should be {scope_text(audit)}."[:255],
            **common,
        )
    return None


def _case_sheet(
    book: Workbook,
    name: str,
    agency_return: AgencyReturn,
    parts: list[Part],
    profile: list[tuple[str, str]],
    lists: _Lists,
) -> list[tuple[int, Entry]]:
    """Write one case's sheet; the answer rows written, with their row numbers."""
    audit, agency = agency_return.audit, agency_return.agency
    sheet = book.create_sheet(name)
    editable = agency_return.is_editable
    sheet.append(new_row(sheet, [None, f"Case {agency_return.case.reference}: {agency}’s return"]))
    sheet.append(new_row(sheet, [None, audit.title]))
    sheet.append(new_row(sheet, [None, _state(agency_return)]))
    sheet["B1"].font = _TITLE
    sheet.append([])
    sheet.append(new_row(sheet, [None, "The child", "Read only: change the profile in maca if it is wrong."]))
    sheet.cell(row=sheet.max_row, column=2).font = _BOLD
    for label, text in profile:
        sheet.append(new_row(sheet, [None, label, text]))
    sheet.append([])
    sheet.append(new_row(sheet, [None, "Section", "Question", "Your answer", "Guidance"]))
    for cell in sheet[sheet.max_row][1:]:
        cell.font, cell.fill = _BOLD, _HEADING_FILL
    written = []
    for part in parts:
        if not part.entries:
            continue
        sheet.append(new_row(sheet, [None, part.title, part.intro]))
        heading = sheet.max_row
        for column in range(2, 6):
            sheet.cell(row=heading, column=column).fill = _HEADING_FILL
        sheet.cell(row=heading, column=2).font = _BOLD
        sheet.row_dimensions[heading].height = _height(part.intro)
        group = ""
        for entry in part.entries:
            if entry.group and entry.group != group:
                group = entry.group
                sheet.append(new_row(sheet, [None, part.title, group]))
                sheet.cell(row=sheet.max_row, column=3).font = _BOLD
                sheet.row_dimensions[sheet.max_row].height = _height(group)
            value = cell_value(entry, value_at(agency_return, entry.path))
            sheet.append(new_row(sheet, [entry.key, part.title, entry.label, value, entry.guidance]))
            row = sheet.max_row
            answer = sheet.cell(row=row, column=ANSWER_COLUMN)
            answer.number_format = "dd/mm/yyyy" if entry.kind == "date" else "0" if entry.kind == "number" else "@"
            answer.fill = _ANSWER_FILL if editable else _LOCKED_FILL
            if editable:
                answer.protection = _UNLOCKED
                validation = _validation(entry, audit, lists)
                if validation is not None:
                    sheet.add_data_validation(validation)
                    validation.add(answer)
            sheet.row_dimensions[row].height = 90.0 if entry.long else _height(entry.label, entry.guidance)
            written.append((row, entry))
    for row in sheet.iter_rows(min_row=2, min_col=2, max_col=5):
        for cell in row:
            cell.alignment = _WRAP
    for letter, width in zip("BCDE", (24, 60, 45, 55), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.column_dimensions["A"].hidden = True
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    if sheet.sheet_properties.pageSetUpPr is not None:
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
    _protect(sheet)
    return written


def _instructions(
    sheet: Worksheet, audit: Audit, agency: Agency, returns: Sequence[AgencyReturn], names: Sequence[str]
) -> None:
    scope = scope_text(audit)
    lines = [
        f"{agency}’s returns for {audit.title}",
        f"Downloaded from maca on {format_date(timezone.localdate())}.",
        "",
        "How to fill it in",
        "1. There is one sheet for each case, named by the case reference. At the top is the child’s profile; below "
        "it are the questions theme by theme, your grade and the narrative for each theme, information sharing"
        + (" and where the child sits as your agency sees it." if per_agency_fields(audit) else "."),
        "2. Type or choose your answers in the yellow cells of the “Your answer” column only: the other cells are "
        "locked. The Guidance column says what each answer takes.",
        "3. Grades, Yes / No / Not known and choices have a drop-down list: choose from it.",
        "4. Dates: type them like 14/03/2025 or 2025-03-14"
        + (f". They must be {scope} (the audit’s scope)." if scope else "."),
        "5. Where several choices are allowed, type their labels separated by semicolons, for example: First; Second.",
        "6. Type values, never formulas: a workbook with a formula is refused.",
        "7. Do not rename, add, move or delete sheets, rows or columns: maca uses them to know which answer is which, "
        "and refuses a workbook whose layout or hidden cells have changed.",
        "",
        "Uploading it",
        f"8. {agency}’s lead uploads the completed workbook in maca: Returns, then “Upload the workbook”.",
        "9. Everything is checked first. If anything is wrong, nothing is saved, and every problem is listed with its "
        "sheet, row and column: correct them and upload the same workbook again.",
        "10. Uploading saves your answers as a draft. Each return is then submitted in maca (check your answers, "
        "then submit).",
        "11. Returns already submitted or accepted cannot be changed here (their cells are grey). If someone changes "
        "an answer in maca after this workbook was downloaded, and the workbook changes the same answer, the upload "
        "is refused and shows both. Answers you leave as they were never replace what is in maca.",
        "",
        "This workbook holds case details of your agency’s audit. Keep it within your agency, store it securely, and "
        "delete it once it is uploaded.",
        "",
        f"The grading scale: {'; '.join(audit.grading_scale)}.",
        "",
    ]
    for line in lines:
        sheet.append(new_row(sheet, [line]))
    sheet["A1"].font = _TITLE
    for row in sheet.iter_rows(min_row=1, max_row=len(lines)):
        if row[0].value in ("How to fill it in", "Uploading it"):
            row[0].font = _BOLD
    sheet.append(new_row(sheet, ["Sheet", "Case", "State", "Can it be changed here?"]))
    for cell in sheet[sheet.max_row]:
        cell.font, cell.fill = _BOLD, _HEADING_FILL
    for name, agency_return in zip(names, returns, strict=True):
        sheet.append(
            new_row(
                sheet,
                [
                    name,
                    agency_return.case.reference,
                    agency_return.get_status_display(),
                    "Yes" if agency_return.is_editable else "No",
                ],
            )
        )
    for number, line in enumerate(lines, start=1):
        sheet.cell(row=number, column=1).alignment = _WRAP
        sheet.merge_cells(start_row=number, start_column=1, end_row=number, end_column=4)
        sheet.row_dimensions[number].height = _height(line, width=110)
    for letter, width in zip("ABCD", (30, 20, 26, 26), strict=True):
        sheet.column_dimensions[letter].width = width
    _protect(sheet)


def signer() -> signing.Signer:
    """Signs the hidden sheet's digest with the installation's secret key."""
    return signing.Signer(salt=_SIGNER_SALT, algorithm="sha256")


def digest(rows: Sequence[Sequence[str]]) -> str:
    """A digest of the hidden sheet's rows (all but the checksum), which `signer` signs."""
    return hashlib.sha256(json.dumps([list(row) for row in rows], ensure_ascii=False).encode()).hexdigest()


def build_workbook(audit: Audit, agency: Agency, returns: Sequence[AgencyReturn]) -> bytes:
    """The workbook of the agency's returns of the audit, pre-filled with their answers (see the module's
    docstring for its layout)."""
    returns = sorted(returns, key=lambda r: r.case.reference)
    parts = layout(audit)
    names = _sheet_names([r.case.reference for r in returns])
    record_numbers = dict(
        AgencyRecordNumber.objects.filter(case__in=[r.case for r in returns], agency=agency).values_list(
            "case_id", "number"
        )
    )
    book = Workbook()
    instructions = book.active
    assert instructions is not None
    instructions.title = INSTRUCTIONS
    lists = _Lists(book)
    signed: list[list[str]] = [
        ["maca returns workbook", FORMAT],
        ["audit", audit.reference],
        ["agency", agency.short_code],
        ["downloaded", timezone.now().isoformat(timespec="seconds")],
    ]
    for name, agency_return in zip(names, returns, strict=True):
        profile = _profile(agency_return.case, audit, agency, record_numbers.get(agency_return.case_id, ""))
        written = _case_sheet(book, name, agency_return, parts, profile, lists)
        for row, entry in written:
            original = fingerprint(value_at(agency_return, entry.path))
            signed.append(["answer", name, agency_return.case.reference, str(row), entry.key, original])
    _instructions(instructions, audit, agency, returns, names)
    book.move_sheet(lists.sheet, offset=len(book.sheetnames))
    _protect(lists.sheet)
    hidden = book.create_sheet(HIDDEN)
    for row_values in signed[:4]:
        hidden.append(new_row(hidden, row_values))
    hidden.append(new_row(hidden, ["checksum", signer().sign(digest(signed))]))
    for row_values in signed[4:]:
        hidden.append(new_row(hidden, row_values))
    hidden.sheet_state = "veryHidden"
    _protect(hidden)
    book.active = 0
    book.security = WorkbookProtection(lockStructure=True)
    book.properties.title = f"{agency}’s returns – {audit.title}"[:255]
    book.properties.creator = "maca"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def agency_returns(user: User, audit: Audit, agency: Agency) -> list[AgencyReturn]:
    """The returns of the agency in the audit that the user sees (all of them, for the agency's own people)."""
    return list(
        returns_visible_to(user)
        .filter(audit=audit, agency=agency)
        .select_related("case__nominated_by")
        .order_by("case__reference")
    )


@transaction.atomic
def export_workbook(*, actor: User, audit: Audit, agency: Agency, returns: Sequence[AgencyReturn]) -> bytes:
    """The workbook of these returns, for one of the agency's leads or auditors; each return's export is logged."""
    require_perm(actor, "returns.download_workbook", agency)
    for agency_return in returns:
        agency_return.audit = audit
        agency_return.agency = agency
    content = build_workbook(audit, agency, returns)
    for agency_return in returns:
        access_log_record(
            actor=actor,
            partnership=audit.partnership,
            action=AccessAction.EXPORTED,
            obj=agency_return,
            changes={"workbook": [None, "downloaded"]},
            agency=agency,
        )
    return content
