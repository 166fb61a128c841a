"""Reading an uploaded returns workbook, all or nothing, without saving anything.

Like the case list import (`maca.cases.importing`, whose cell reader it shares), every problem is named by sheet, row
and column, and a formula is refused, never calculated. The hidden sheet's signature, audit and agency are checked
first; then each case sheet's answers are mapped back from the labels people read to stored values and checked by
the form the browser uses for the section (`maca.returns.forms`), so the rules are the same. A damaged or hostile
file (a zip bomb, a sheet claiming a million rows) is refused with a message, never with the reader's own error, and
only the rows and columns maca wrote are read.
"""

import datetime
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core import signing
from django.utils.crypto import constant_time_compare
from openpyxl import load_workbook
from openpyxl.cell.read_only import EMPTY_CELL
from openpyxl.utils import get_column_letter

from maca.audits.models import Audit
from maca.cases.importing import (
    FORMULA,
    MAX_BYTES,
    MAX_SHEETS,
    MAX_UNPACKED_BYTES,
    Cell,
    archive_size,
    normal_text,
    sheet_rows,
    shown,
    xlsx_cell,
)
from maca.partnerships.models import Agency

from .. import forms
from ..content import Section, sections
from ..models import AgencyReturn
from .build import digest, signer
from .layout import (
    ANSWER_COLUMN,
    FORMAT,
    HIDDEN,
    INSTRUCTIONS,
    KEY_COLUMN,
    LIST_KINDS,
    LISTS,
    Entry,
    WorkbookError,
    WorkbookProblem,
    label_list,
    layout,
    value_at,
)

NOT_A_WORKBOOK = (
    "The file is not the returns workbook from maca: download {agency}’s workbook from the returns page, fill it in "
    "and upload that file (.xlsx)."
)
TAMPERED = (
    "The workbook’s hidden cells have been changed, so maca cannot tell which answer belongs to which case and "
    "question. Download a new workbook and copy your answers into it."
)
DAMAGED = (
    "this sheet is damaged and cannot be read. Download a new workbook and copy your answers into it, or save the "
    "workbook again in Excel."
)
HIDDEN_COLUMNS = 6  # the hidden sheet's rows: answer, sheet, case, row, key, fingerprint
HIDDEN_ROWS = 100_000  # a row per answer: a thousand returns of a hundred answers; a longer sheet is not maca's
SHEET_COLUMNS = 26  # a case sheet's columns are A to E: a formula is looked for a little further, no more
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


def _refused(message: str) -> WorkbookError:
    return WorkbookError([WorkbookProblem("", 0, "", message)])


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
    size = archive_size(data)
    if size is None:
        raise not_ours
    if size.unpacked > MAX_UNPACKED_BYTES or size.sheets > MAX_SHEETS:
        raise _refused("The workbook is far larger than a returns workbook once opened: it is not the one from maca.")
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise not_ours from error


def _text(cell: Cell) -> str:
    if isinstance(cell, datetime.date):
        return cell.isoformat()
    return cell or ""


def _trimmed(row: Sequence[str]) -> list[str]:
    values = list(row)
    while values and values[-1] == "":
        values.pop()
    return values


def _cells(
    sheet: Any, name: str, max_row: int, max_column: int
) -> tuple[dict[tuple[int, int], Cell], list[tuple[int, int]]]:
    """The non-blank cells of a sheet down to `max_row` and across to `max_column`, by (row, column), and where the
    formulas are. Whatever the sheet says its size is, nothing further is read: a few bytes can claim a million."""
    cells: dict[tuple[int, int], Cell] = {}
    formulas = []
    damaged = WorkbookError([WorkbookProblem(name, 0, "", DAMAGED)])
    for row_number, row in sheet_rows(sheet, damaged, max_row=max_row, max_column=max_column):
        for column, cell in enumerate(row, start=1):
            if cell is EMPTY_CELL:
                continue  # not in the file: the reader fills a row out to `max_column` with it
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
    cells, formulas = _cells(book[HIDDEN], HIDDEN, HIDDEN_ROWS, HIDDEN_COLUMNS)
    if formulas:
        raise _refused(TAMPERED)
    last = max((row for row, _ in cells), default=0)
    rows = [
        _trimmed([_text(cells.get((row, column), "")) for column in range(1, HIDDEN_COLUMNS + 1)])
        for row in range(1, last + 1)
    ]
    rows = [row for row in rows if row]
    checksum = next((row[1] for row in rows if row[0] == "checksum" and len(row) == 2), "")
    signed = [row for row in rows if row[0] != "checksum"]
    try:
        valid = constant_time_compare(signer().unsign(checksum), digest(signed))
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
            return {}, f"“{shown(str(cell))}” is not a date: type it like 14/03/2025 or 2025-03-14"
        return {f"{entry.field}_{name}": part for name, part in zip(("day", "month", "year"), parts, strict=True)}, ""
    text = _text(cell)
    if entry.kind in LIST_KINDS:
        value = _option(entry, text)
        if value is None:
            where = "on the audit’s grading scale" if entry.kind == "grade" else "one of the choices"
            return {}, f"“{shown(text)}” is not {where}: choose one of {label_list(entry.options)}"
        return {entry.field: value}, ""
    if entry.kind == "multi":
        chosen: list[str] = []
        for part in (part.strip() for part in text.split(";")):
            if not part:
                continue
            value = _option(entry, part)
            if value is None:
                return {}, (
                    f"“{shown(part)}” is not one of the choices: use {label_list(entry.options)}, separated by "
                    "semicolons"
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
    last = max((row for row, _, _ in plan.rows), default=0)
    cells, formulas = _cells(book[plan.name], plan.name, last, SHEET_COLUMNS)
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
                answers.values[entry.key] = value_at(cleaned, entry.path)
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
