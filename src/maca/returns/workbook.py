"""An agency's returns as an offline workbook (XLSX): downloaded pre-filled, completed by people who do not log in,
uploaded back all or nothing.

The workbook opens on an Instructions sheet. Then comes one sheet per case, named by its reference: the child's
profile at the top (read-only), then one row per question, theme by theme (with the theme's grade and the four
narrative boxes), the information-sharing events and the per-agency case fields. Only the answer cells are unlocked;
grades, yes/no/not known and choices are drop-down lists of the labels people read, mapped back to stored values on
upload. A hidden sheet holds the lists, and a very hidden sheet says which audit, agency, case and question each answer
cell belongs to, with a fingerprint of each answer as downloaded, all signed with the installation's secret key: an
edited or foreign workbook is refused.

Reading is all or nothing, like the case list import (`maca.cases.importing`, whose cell reader it shares): every
problem is named by sheet, row and column, and a formula is refused, never calculated. Each answer is checked by the
form the browser uses (`maca.returns.forms`), so the rules are the same. An upload never silently replaces an answer:
an answer changed both in maca and in the workbook since the download, or a change to a return that is submitted or
accepted, is a conflict, and conflicts refuse the whole upload; an answer changed only in maca is kept.
"""

import copy
import datetime
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from maca.accounts.models import User
from maca.audits.models import Audit
from maca.cases.codes import YesNoNotKnown
from maca.cases.criteria import age_on
from maca.cases.importing import FORMULA, MAX_BYTES, MAX_UNPACKED_BYTES, Cell, normal_text, xlsx_cell
from maca.cases.models import AgencyRecordNumber, Case
from maca.common.forms import format_date
from maca.common.richtext import plain_text
from maca.common.versioning import claim_version
from maca.partnerships.models import AccessAction, Agency
from maca.partnerships.services import access_log_record

from . import forms
from .content import NARRATIVE, PROFILE_TITLE, SHARING_TITLE, Section, per_agency_fields, sections, topic_text
from .models import EDITABLE, AgencyReturn, ReturnEvent, ReturnStatus
from .selectors import returns_visible_to
from .sharing import SHARING_EVENTS

FORMAT = "maca-returns-workbook/1"
INSTRUCTIONS = "Instructions"
LISTS = "_lists"
HIDDEN = "_maca"
KEY_COLUMN, ANSWER_COLUMN = 1, 4  # A (hidden): the row's key; D: the answer
LIST_KINDS = ("grade", "yes_no", "choice")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_SIGNER_SALT = "maca.returns.workbook"
_EXCEL_EPOCH = datetime.date(1899, 12, 30)

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_HEADING_FILL = PatternFill("solid", fgColor="DEE0E2")
_ANSWER_FILL = PatternFill("solid", fgColor="FFF7BF")
_LOCKED_FILL = PatternFill("solid", fgColor="F3F2F1")
_WRAP = Alignment(wrap_text=True, vertical="top")
_UNLOCKED = Protection(locked=False)
YES_NO = tuple((str(value), str(label)) for value, label in YesNoNotKnown.choices)


# --- Problems ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkbookProblem:
    """One thing wrong with an uploaded workbook: its sheet ("" for the whole file), its row (0 for the whole sheet)
    and column, as the spreadsheet shows them."""

    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if not self.sheet:
            return self.message
        if not self.row:
            return f"Sheet {self.sheet}: {self.message}"
        return f"Sheet {self.sheet}, row {self.row}, column {self.column}: {self.message}"


class WorkbookError(Exception):
    """A workbook that cannot be uploaded; `problems` says everything that is wrong, in the workbook's order."""

    def __init__(self, problems: Iterable[WorkbookProblem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


def _refused(message: str) -> WorkbookError:
    return WorkbookError([WorkbookProblem("", 0, "", message)])


# --- What a return asks, row by row -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One answer row of a case sheet: what it asks, where the return keeps the answer and how it is checked."""

    key: str  # stable, kept in the hidden sheet: q:<key>, theme:<id>:<part>, sharing:<event>:<part>, topic:<key>
    form: str  # the section whose form checks it: theme-<id>, sharing or profile
    field: str  # the field's name in that form
    path: tuple[str, ...]  # where the return keeps it: ("answers", key), ("judgements", id, part), ...
    section: str
    label: str
    kind: str  # grade, yes_no, choice, multi, number, date or text
    options: tuple[tuple[str, str], ...] = ()  # (stored value, label people read)
    guidance: str = ""
    group: str = ""  # a heading within the section (the information-sharing event)
    history_name: str = ""  # the name `services.return_save` gives the field in the return's history
    long: bool = False

    @property
    def name(self) -> str:
        """The row as a message names it."""
        return f"{self.group}: {self.label}" if self.group else self.label


@dataclass(frozen=True)
class Part:
    """A section of a case sheet: its title, a line about it and its rows."""

    title: str
    intro: str
    entries: tuple[Entry, ...]


def _labels(options: Sequence[tuple[str, str]]) -> str:
    return "; ".join(label for _, label in options)


def _scope(audit: Audit) -> str:
    if audit.scope_start and audit.scope_end:
        return f"from {format_date(audit.scope_start)} to {format_date(audit.scope_end)}"
    return ""


def _guidance(kind: str, options: Sequence[tuple[str, str]], audit: Audit, help_text: str = "") -> str:
    scope = _scope(audit)
    how = {
        "grade": f"Choose a grade from the list: {_labels(options)}.",
        "yes_no": "Choose Yes, No or Not known.",
        "choice": f"Choose one from the list: {_labels(options)}.",
        "multi": f"One or more of: {_labels(options)}. Separate them with semicolons (;).",
        "number": "A whole number, like 3.",
        "date": f"A date{' ' + scope if scope else ''}, typed like 14/03/2025 or 2025-03-14.",
    }.get(kind, "")
    return " ".join(part for part in (help_text.strip(), how) if part)


REQUIRED = "Needed before the return can be submitted."


def _theme_part(audit: Audit, section: Section) -> Part:
    """A theme's questions, then the grade for the theme and the four narrative boxes."""
    theme = section.theme
    assert theme is not None
    grades = tuple((grade, grade) for grade in audit.grading_scale)
    rows = []
    for question in section.questions:
        kind = question.answer_type
        options = {"grade": grades, "yes_no": YES_NO}.get(
            kind, tuple((str(choice["value"]), str(choice["label"])) for choice in question.choices)
        )
        guidance = _guidance(kind, options, audit, question.help_text)
        rows.append(
            Entry(
                key=f"q:{question.key}",
                form=section.key,
                field=f"q_{question.key}",
                path=("answers", question.key),
                section=theme.name,
                label=question.text,
                kind=kind,
                options=options,
                guidance=f"{guidance} {REQUIRED}".strip() if question.required else guidance,
                history_name=question.key,
                long=kind == "text",
            )
        )
    theme_id = str(theme.pk)
    rows.append(
        Entry(
            key=f"theme:{theme_id}:grade",
            form=section.key,
            field="grade",
            path=("judgements", theme_id, "grade"),
            section=theme.name,
            label="Your grade for this theme",
            kind="grade",
            options=grades,
            guidance=f"{_guidance('grade', grades, audit)} {REQUIRED}",
            history_name=f"{theme.name}: grade",
        )
    )
    for key, label in NARRATIVE:
        rows.append(
            Entry(
                key=f"theme:{theme_id}:{key}",
                form=section.key,
                field=key,
                path=("judgements", theme_id, key),
                section=theme.name,
                label=label,
                kind="text",
                guidance="Free text.",
                history_name=f"{theme.name}: {key}",
                long=True,
            )
        )
    intro = " ".join(plain_text(objective).replace("\n", " ") for objective in theme.objectives)
    return Part(theme.name, intro, tuple(rows))


def _sharing_part(audit: Audit) -> Part:
    """For each information-sharing event: did it happen, was the agency told, when and by whom."""
    asked = (
        ("happened", "Did it happen during the scope period?", "yes_no", "Choose Yes, No or Not known."),
        ("told", "Was your agency told?", "yes_no", "Only if it happened. Choose Yes, No or Not known."),
        (
            "told_on",
            "When was your agency told?",
            "date",
            f"Optional, only if it happened. {_guidance('date', (), audit)}",
        ),
        (
            "told_by",
            "Who told your agency?",
            "text",
            "Optional, only if it happened. A role and agency, never a name: for example, the child’s social worker.",
        ),
    )
    rows = [
        Entry(
            key=f"sharing:{event.key}:{part}",
            form="sharing",
            field=f"{event.key}_{part}",
            path=("sharing", event.key, part),
            section=SHARING_TITLE,
            label=label,
            kind=kind,
            options=YES_NO if kind == "yes_no" else (),
            guidance=guidance,
            group=event.text,
            history_name=f"{event.key} {part}",
        )
        for event in SHARING_EVENTS
        for part, label, kind, guidance in asked
    ]
    scope = _scope(audit)
    intro = f"Whether each event happened during the audit’s scope period{' (' + scope + ')' if scope else ''}, and "
    intro += "whether your agency was told."
    return Part(SHARING_TITLE, intro, tuple(rows))


def _profile_part(audit: Audit) -> Part:
    """The audit's per-agency case fields."""
    rows = []
    for case_field in per_agency_fields(audit):
        kind = {"multi_choice": "multi", "choice": "choice", "yes_no": "yes_no"}.get(case_field.field_type, "text")
        choices = tuple((str(choice["value"]), str(choice["label"])) for choice in case_field.choices)
        options = YES_NO if kind == "yes_no" else choices
        rows.append(
            Entry(
                key=f"topic:{case_field.key}",
                form="profile",
                field=f"topic_{case_field.key}",
                path=("topic_values", case_field.key),
                section=PROFILE_TITLE,
                label=case_field.label,
                kind=kind,
                options=options,
                guidance=f"{_guidance(kind, options, audit, case_field.help_text)} {REQUIRED}".strip(),
                history_name=case_field.key,
            )
        )
    return Part(PROFILE_TITLE, "Where this child sits, as your agency sees it.", tuple(rows))


def layout(audit: Audit) -> list[Part]:
    """The sections of a case sheet and their rows, in the order of the return's pages."""
    parts = []
    for section in sections(audit):
        if section.theme is not None:
            parts.append(_theme_part(audit, section))
        elif section.key == "sharing":
            parts.append(_sharing_part(audit))
        else:
            parts.append(_profile_part(audit))
    return parts


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == []


def _get(holder: Any, path: tuple[str, ...]) -> Any:
    """The value at `path` in a return (or in a dict shaped like one)."""
    head, *rest = path
    value = holder.get(head) if isinstance(holder, dict) else getattr(holder, head)
    for key in rest:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def fingerprint(value: Any) -> str:
    """A short digest of an answer as stored: equal answers (blank in any form, several choices in any order, line
    breaks of any kind) have equal fingerprints."""
    if _blank(value):
        value = None
    elif isinstance(value, list):
        value = sorted(str(item) for item in value)
    elif isinstance(value, str):
        value = value.replace("\r\n", "\n").replace("\r", "\n")  # as a spreadsheet may save line breaks
    text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def _shown(entry: Entry, value: Any) -> Any:
    """An answer as the answer cell shows it: labels for lists, a real date for a date."""
    if _blank(value):
        return None
    labels = dict(entry.options)
    if entry.kind in LIST_KINDS:
        return labels.get(str(value), str(value))
    if entry.kind == "multi":
        return "; ".join(labels.get(str(item), str(item)) for item in (value if isinstance(value, list) else [value]))
    if entry.kind == "date":
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError:
            return str(value)
    if entry.kind == "number" and isinstance(value, int):
        return value
    return str(value)


def _said(entry: Entry, value: Any) -> str:
    """An answer as a message quotes it."""
    shown = _shown(entry, value)
    if shown is None:
        return "nothing"
    text = format_date(shown) if isinstance(shown, datetime.date) else str(shown)
    return f"“{text if len(text) <= 80 else text[:79] + '…'}”"


# --- Building ---------------------------------------------------------------------------------------------------


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
            rows.append((case_field.label, "Not recorded" if _blank(value) else topic_text(case_field, value)))
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
                self.sheet.cell(row=row, column=column, value=label)
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
            error=f"Choose one of: {_labels(entry.options)}"[:255],
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
            error=f"The date should be {_scope(audit)}."[:255],
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
    sheet.append([None, f"Case {agency_return.case.reference}: {agency}’s return"])
    sheet.append([None, audit.title])
    sheet.append([None, _state(agency_return)])
    sheet["B1"].font = _TITLE
    sheet.append([])
    sheet.append([None, "The child", "Read only: change the profile in maca if it is wrong."])
    sheet.cell(row=sheet.max_row, column=2).font = _BOLD
    for label, text in profile:
        sheet.append([None, label, text])
    sheet.append([])
    sheet.append([None, "Section", "Question", "Your answer", "Guidance"])
    for cell in sheet[sheet.max_row][1:]:
        cell.font, cell.fill = _BOLD, _HEADING_FILL
    written = []
    for part in parts:
        if not part.entries:
            continue
        sheet.append([None, part.title, part.intro])
        heading = sheet.max_row
        for column in range(2, 6):
            sheet.cell(row=heading, column=column).fill = _HEADING_FILL
        sheet.cell(row=heading, column=2).font = _BOLD
        sheet.row_dimensions[heading].height = _height(part.intro)
        group = ""
        for entry in part.entries:
            if entry.group and entry.group != group:
                group = entry.group
                sheet.append([None, part.title, group])
                sheet.cell(row=sheet.max_row, column=3).font = _BOLD
                sheet.row_dimensions[sheet.max_row].height = _height(group)
            value = _shown(entry, _get(agency_return, entry.path))
            sheet.append([entry.key, part.title, entry.label, value, entry.guidance])
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
    scope = _scope(audit)
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
        sheet.append([line])
    sheet["A1"].font = _TITLE
    for row in sheet.iter_rows(min_row=1, max_row=len(lines)):
        if row[0].value in ("How to fill it in", "Uploading it"):
            row[0].font = _BOLD
    sheet.append(["Sheet", "Case", "State", "Can it be changed here?"])
    for cell in sheet[sheet.max_row]:
        cell.font, cell.fill = _BOLD, _HEADING_FILL
    for name, agency_return in zip(names, returns, strict=True):
        sheet.append(
            [
                name,
                agency_return.case.reference,
                agency_return.get_status_display(),
                "Yes" if agency_return.is_editable else "No",
            ]
        )
    for number, line in enumerate(lines, start=1):
        sheet.cell(row=number, column=1).alignment = _WRAP
        sheet.merge_cells(start_row=number, start_column=1, end_row=number, end_column=4)
        sheet.row_dimensions[number].height = _height(line, width=110)
    for letter, width in zip("ABCD", (30, 20, 26, 26), strict=True):
        sheet.column_dimensions[letter].width = width
    _protect(sheet)


def _signer() -> signing.Signer:
    return signing.Signer(salt=_SIGNER_SALT, algorithm="sha256")


def _digest(rows: Sequence[Sequence[str]]) -> str:
    return hashlib.sha256(json.dumps([list(row) for row in rows], ensure_ascii=False).encode()).hexdigest()


def _trimmed(row: Sequence[str]) -> list[str]:
    values = list(row)
    while values and values[-1] == "":
        values.pop()
    return values


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
            original = fingerprint(_get(agency_return, entry.path))
            signed.append(["answer", name, agency_return.case.reference, str(row), entry.key, original])
    _instructions(instructions, audit, agency, returns, names)
    book.move_sheet(lists.sheet, offset=len(book.sheetnames))
    _protect(lists.sheet)
    hidden = book.create_sheet(HIDDEN)
    for row_values in signed[:4]:
        hidden.append(row_values)
    hidden.append(["checksum", _signer().sign(_digest(signed))])
    for row_values in signed[4:]:
        hidden.append(row_values)
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
    """The workbook of these returns; each return's export is logged."""
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


# --- Reading ----------------------------------------------------------------------------------------------------

NOT_A_WORKBOOK = (
    "The file is not the returns workbook from maca: download {agency}’s workbook from the returns page, fill it in "
    "and upload that file (.xlsx)."
)
TAMPERED = (
    "The workbook’s hidden cells have been changed, so maca cannot tell which answer belongs to which case and "
    "question. Download a new workbook and copy your answers into it."
)
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_UK_DATE = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})")


@dataclass
class ReturnAnswers:
    """The answers of one return as a workbook gives them, checked; keyed by the rows' keys (see `Entry`)."""

    agency_return: AgencyReturn
    sheet: str
    rows: dict[str, int] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)
    originals: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class _SheetPlan:
    name: str
    case: str
    rows: list[tuple[int, str, str]]  # (row, key, fingerprint as downloaded)


def _open(data: bytes, agency: Agency) -> Any:
    if not data:
        raise _refused("The file is empty: choose the completed workbook.")
    if len(data) > MAX_BYTES:
        raise _refused(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB: it is not the returns workbook.")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _refused("The file is an old Excel (.xls) file: upload the .xlsx workbook downloaded from maca.")
    not_ours = _refused(NOT_A_WORKBOOK.format(agency=agency))
    if not data.startswith(b"PK\x03\x04"):
        raise not_ours
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError) as error:
        raise not_ours from error
    if unpacked > MAX_UNPACKED_BYTES:
        raise _refused("The workbook is far larger than a returns workbook once opened: it is not the one from maca.")
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise not_ours from error


def _text(cell: Cell) -> str:
    if isinstance(cell, datetime.date):
        return cell.isoformat()
    return cell or ""


def _cells(sheet: Any) -> tuple[dict[tuple[int, int], Cell], list[tuple[int, int]]]:
    """The non-blank cells of a sheet by (row, column), and where the formulas are."""
    cells: dict[tuple[int, int], Cell] = {}
    formulas = []
    for row_number, row in enumerate(sheet.iter_rows(min_row=1, min_col=1), start=1):
        for column, cell in enumerate(row, start=1):
            value = xlsx_cell(cell)
            if value is None:
                formulas.append((row_number, column))
            elif value != "":
                cells[(row_number, column)] = value
    return cells, formulas


def _plan(book: Any, audit: Audit, agency: Agency) -> list[_SheetPlan]:
    """What the hidden sheet says, once its signature, its audit and its agency are checked."""
    if HIDDEN not in book.sheetnames:
        raise _refused(NOT_A_WORKBOOK.format(agency=agency))
    cells, formulas = _cells(book[HIDDEN])
    if formulas:
        raise _refused(TAMPERED)
    last = max((row for row, _ in cells), default=0)
    rows = [_trimmed([_text(cells.get((row, column), "")) for column in range(1, 7)]) for row in range(1, last + 1)]
    rows = [row for row in rows if row]
    checksum = next((row[1] for row in rows if row[0] == "checksum" and len(row) == 2), "")
    signed = [row for row in rows if row[0] != "checksum"]
    try:
        valid = constant_time_compare(_signer().unsign(checksum), _digest(signed))
    except signing.BadSignature:
        valid = False
    if not valid:
        raise _refused(TAMPERED)
    meta = {row[0]: row[1] for row in signed if len(row) == 2}
    if meta.get("maca returns workbook") != FORMAT:
        raise _refused("The workbook was made by another version of maca: download a new workbook.")
    if meta.get("audit") != audit.reference:
        raise _refused(
            f"The workbook is for the audit {meta.get('audit')}, not {audit.reference} ({audit.title}): upload it "
            "to its own audit, or download this audit’s workbook."
        )
    if meta.get("agency") != agency.short_code:
        raise _refused(
            f"The workbook is for the agency {meta.get('agency')}, not {agency} ({agency.short_code}): upload it "
            f"as that agency, or download {agency}’s workbook."
        )
    plans: dict[str, _SheetPlan] = {}
    for row in signed:
        if row[0] == "answer" and len(row) == 6:
            name, case, number, key, original = row[1:]
            plan = plans.setdefault(name, _SheetPlan(name, case, []))
            plan.rows.append((int(number), key, original))
    return list(plans.values())


def _typed_date(text: str) -> tuple[str, str, str] | None:
    """(day, month, year) of a date typed as YYYY-MM-DD or DD/MM/YYYY; the form checks that it exists."""
    if match := _ISO_DATE.fullmatch(text):
        return match[3], match[2], match[1]
    if match := _UK_DATE.fullmatch(text):
        return match[1], match[2], match[3]
    return None


def _option(entry: Entry, text: str) -> str | None:
    wanted = normal_text(text)
    for value, label in entry.options:
        if wanted in (normal_text(value), normal_text(label)):
            return value
    return None


def _form_data(entry: Entry, cell: Cell) -> tuple[dict[str, Any], str]:
    """The form data that an answer cell gives its field, or why it cannot be read."""
    if cell == "" or cell is None:
        return {}, ""
    if entry.kind == "date":
        parts = (str(cell.day), str(cell.month), str(cell.year)) if isinstance(cell, datetime.date) else None
        parts = parts or _typed_date(str(cell))
        if parts is None:
            return {}, f"“{cell}” is not a date: type it like 14/03/2025 or 2025-03-14"
        return {f"{entry.field}_{name}": part for name, part in zip(("day", "month", "year"), parts, strict=True)}, ""
    text = _text(cell)
    if entry.kind in LIST_KINDS:
        value = _option(entry, text)
        if value is None:
            where = "on the audit’s grading scale" if entry.kind == "grade" else "one of the choices"
            return {}, f"“{text}” is not {where}: choose one of {_labels(entry.options)}"
        return {entry.field: value}, ""
    if entry.kind == "multi":
        chosen: list[str] = []
        for part in (part.strip() for part in text.split(";")):
            if not part:
                continue
            value = _option(entry, part)
            if value is None:
                return {}, (
                    f"“{part}” is not one of the choices: use {_labels(entry.options)}, separated by semicolons"
                )
            if value not in chosen:
                chosen.append(value)
        return {entry.field: chosen}, ""
    return {entry.field: text}, ""


def _section_form(
    section: Section, audit: Audit, agency_return: AgencyReturn, data: dict[str, Any]
) -> forms.ReturnForm:
    """The form the browser uses for the section, bound to the workbook's answers."""
    data = {"version": agency_return.version, **data}
    if section.theme is not None:
        return forms.ThemeForm(data, audit=audit, theme=section.theme, agency_return=agency_return)
    if section.key == "sharing":
        return forms.SharingForm(data, audit=audit, agency_return=agency_return)
    return forms.ProfileForm(data, audit=audit, agency_return=agency_return)


def _cleaned(section: Section, form: forms.ReturnForm) -> dict[str, Any]:
    """A valid section form's answers, shaped like the return keeps them."""
    if isinstance(form, forms.ThemeForm):
        return {
            "answers": form.answers(),
            "judgements": {str(section.theme.pk if section.theme else ""): form.judgement()},
        }
    if isinstance(form, forms.SharingForm):
        return {"sharing": form.sharing()}
    assert isinstance(form, forms.ProfileForm)
    return {"topic_values": form.topic_values()}


def _read_sheet(
    book: Any,
    plan: _SheetPlan,
    agency_return: AgencyReturn,
    audit: Audit,
    by_key: dict[str, Entry],
    by_form: dict[str, Section],
) -> tuple[ReturnAnswers, list[WorkbookProblem]]:
    """The answers of one case sheet, each checked by the browser's form for its section."""
    problems: list[WorkbookProblem] = []
    answers = ReturnAnswers(agency_return, plan.name)
    cells, formulas = _cells(book[plan.name])
    problems += [WorkbookProblem(plan.name, row, get_column_letter(column), FORMULA) for row, column in formulas]
    moved = [row for row, key, _ in plan.rows if cells.get((row, KEY_COLUMN)) != key]
    if moved:
        problems.append(
            WorkbookProblem(
                plan.name,
                moved[0],
                "A",
                "rows have been added, moved or deleted, or the hidden column A changed, so maca cannot tell which "
                "answer is which. Download a new workbook and copy your answers into it.",
            )
        )
        return answers, problems
    data: dict[str, dict[str, Any]] = {}
    entries: dict[tuple[str, str], tuple[int, Entry]] = {}
    for row, key, original in plan.rows:
        entry = by_key[key]
        if (row, ANSWER_COLUMN) in formulas:
            continue
        given, message = _form_data(entry, cells.get((row, ANSWER_COLUMN), ""))
        if message:
            problems.append(WorkbookProblem(plan.name, row, "D", f"{entry.name}: {message}"))
            continue
        data.setdefault(entry.form, {}).update(given)
        entries[(entry.form, entry.field)] = (row, entry)
        answers.rows[key], answers.originals[key] = row, original
    for form_key in dict.fromkeys(entry.form for _, entry in entries.values()):
        section = by_form[form_key]
        form = _section_form(section, audit, agency_return, data.get(form_key, {}))
        if not form.is_valid():
            for name, messages in form.errors.items():
                placed = entries.get((form_key, name))
                for error in messages:
                    if placed is None:
                        problems.append(WorkbookProblem(plan.name, 0, "", str(error)))
                    else:
                        problems.append(WorkbookProblem(plan.name, placed[0], "D", f"{placed[1].name}: {error}"))
            continue
        cleaned = _cleaned(section, form)
        for (key_form, _), (_, entry) in entries.items():
            if key_form == form_key and entry.key in answers.rows:
                answers.values[entry.key] = _get(cleaned, entry.path)
    problems.sort(key=lambda problem: (problem.row, problem.column))
    return answers, problems


def read_workbook(data: bytes, audit: Audit, agency: Agency) -> list[ReturnAnswers]:
    """The answers of each of the agency's returns that an uploaded workbook gives, each checked by the browser's
    forms. `WorkbookError` lists every problem by sheet, row and column; nothing is read from a formula."""
    book = _open(data, agency)
    try:
        plans = _plan(book, audit, agency)
        by_key = {entry.key: entry for part in layout(audit) for entry in part.entries}
        by_form = {section.key: section for section in sections(audit)}
        if any(key not in by_key for plan in plans for _, key, _ in plan.rows):
            raise _refused(
                "The audit’s questions have changed since this workbook was downloaded: download a new workbook and "
                "copy your answers into it."
            )
        found = {
            r.case.reference: r
            for r in AgencyReturn.objects.filter(
                audit=audit, agency=agency, case__reference__in=[plan.case for plan in plans]
            ).select_related("case", "audit__partnership", "agency")
        }
        problems: list[WorkbookProblem] = []
        known = {plan.name for plan in plans} | {INSTRUCTIONS, LISTS, HIDDEN}
        added = (
            "this sheet was added to the workbook: maca reads only the case sheets it made. Move its answers into "
            "the case’s own sheet, then delete it."
        )
        problems += [WorkbookProblem(name, 0, "", added) for name in book.sheetnames if name not in known]
        result = []
        for plan in plans:
            if plan.name not in book.sheetnames:
                message = (
                    f"The sheet {plan.name} (case {plan.case}) is missing: sheets must not be renamed or deleted. "
                    "Put it back, or download a new workbook."
                )
                problems.append(WorkbookProblem("", 0, "", message))
                continue
            agency_return = found.get(plan.case)
            if agency_return is None:
                message = f"case {plan.case} no longer has a return of {agency} in this audit: download a new workbook."
                problems.append(WorkbookProblem(plan.name, 0, "", message))
                continue
            answers, sheet_problems = _read_sheet(book, plan, agency_return, audit, by_key, by_form)
            problems += sheet_problems
            result.append(answers)
    finally:
        book.close()
    if problems:
        raise WorkbookError(problems)
    return result


# --- Importing --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkbookImport:
    """What an upload did: the returns it changed, those it left as they were, and the answers changed in maca since
    the download that the workbook left alone (so maca's were kept)."""

    updated: list[AgencyReturn]
    unchanged: list[AgencyReturn]
    kept: list[str]


def _put(target: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    """Set the value at `path`; a blank information-sharing part is left out, as the browser's form leaves it."""
    *parents, last = path
    holder = target
    for key in parents:
        holder = holder.setdefault(key, {})
    if path[0] == "sharing" and _blank(value):
        holder.pop(last, None)
    else:
        holder[last] = value


def _save(actor: User, agency_return: AgencyReturn, changed: list[tuple[Entry, Any]]) -> None:
    """Save the changed answers of one return, as `services.return_save` saves a page, with its history."""
    claim_version(agency_return, agency_return.version)
    data = {
        name: copy.deepcopy(getattr(agency_return, name))
        for name in ("answers", "judgements", "sharing", "topic_values")
    }
    history: dict[str, list[Any]] = {}
    for entry, value in changed:
        history[entry.history_name] = [_get(data, entry.path), value]
        _put(data, entry.path, value)
    for name, value in data.items():
        setattr(agency_return, name, value)
    if agency_return.status == ReturnStatus.NOT_STARTED:
        agency_return.status = ReturnStatus.IN_PROGRESS
        agency_return.started_at = timezone.now()
    agency_return.save()
    titles = ", ".join(dict.fromkeys(entry.section for entry, _ in changed))
    ReturnEvent.objects.create(
        agency_return=agency_return,
        actor=actor,
        action=ReturnEvent.Action.UPLOADED,
        section=titles[:200],
        changes=history,
    )
    access_log_record(
        actor=actor,
        partnership=agency_return.audit.partnership,
        action=AccessAction.CHANGED,
        obj=agency_return,
        changes=history,
        agency=agency_return.agency,
    )


def _conflict(answers: ReturnAnswers, entry: Entry, stored: Any, given: Any, status: str) -> WorkbookProblem:
    case = answers.agency_return.case.reference
    if status not in EDITABLE:
        how = (
            "return it for amendment in maca first"
            if status == ReturnStatus.SUBMITTED
            else "ask the audit lead to re-open it first"
        )
        message = (
            f"{entry.name}: case {case}’s return is {ReturnStatus(status).label.lower()}, so the workbook cannot "
            f"change it. maca has {_said(entry, stored)}, the workbook says {_said(entry, given)}: {how}, or put "
            f"back {_said(entry, stored)}."
        )
    else:
        message = (
            f"{entry.name}: this answer to case {case} was changed in maca after the workbook was downloaded. maca "
            f"has {_said(entry, stored)}, the workbook says {_said(entry, given)}: type maca’s answer to keep it, or "
            "change the answer in maca first to keep the workbook’s."
        )
    return WorkbookProblem(answers.sheet, answers.rows[entry.key], "D", message)


@transaction.atomic
def import_workbook(*, actor: User, audit: Audit, agency: Agency, data: bytes) -> WorkbookImport:
    """Save an uploaded workbook's answers into the agency's returns, all or nothing (`WorkbookError` lists every
    problem and every conflict). Answers equal to what is stored change nothing; an answer the workbook leaves as it
    was downloaded never replaces one changed in maca since."""
    parsed = read_workbook(data, audit, agency)
    by_key = {entry.key: entry for part in layout(audit) for entry in part.entries}
    locked = {
        r.pk: r
        for r in AgencyReturn.objects.select_for_update()
        .filter(pk__in=[answers.agency_return.pk for answers in parsed])
        .order_by("pk")
    }
    conflicts: list[WorkbookProblem] = []
    kept: list[str] = []
    plans: list[tuple[AgencyReturn, list[tuple[Entry, Any]]]] = []
    for answers in parsed:
        current = locked[answers.agency_return.pk]
        current.case, current.audit, current.agency = answers.agency_return.case, audit, agency
        changed = []
        for key, given in answers.values.items():
            entry, stored, original = by_key[key], _get(current, by_key[key].path), answers.originals[key]
            if fingerprint(given) == fingerprint(stored):
                continue
            if fingerprint(given) == original:
                kept.append(f"{current.case.reference}: {entry.name}")
            elif current.status not in EDITABLE or fingerprint(stored) != original:
                conflicts.append(_conflict(answers, entry, stored, given, current.status))
            else:
                changed.append((entry, given))
        plans.append((current, changed))
    if conflicts:
        raise WorkbookError(conflicts)
    updated, unchanged = [], []
    for current, changed in plans:
        if changed:
            _save(actor, current, changed)
            updated.append(current)
        else:
            unchanged.append(current)
    return WorkbookImport(updated, unchanged, kept)
