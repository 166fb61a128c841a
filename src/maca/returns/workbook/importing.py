"""Saving an uploaded returns workbook's answers into the agency's returns, all or nothing.

An upload never silently replaces an answer: an answer changed both in maca and in the workbook since the download,
or a change to a return that is submitted or accepted, is a conflict, and conflicts refuse the whole upload; an
answer changed only in maca is kept. Each return changed is saved with one history event ("Saved from a workbook")
and one access log entry, in the same transaction.
"""

import copy
import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from maca.accounts.models import User
from maca.audits.models import Audit
from maca.common.closure import refuse_if_closed
from maca.common.forms import format_date
from maca.common.scoping import require_perm
from maca.common.versioning import claim_version
from maca.partnerships.models import AccessAction, Agency
from maca.partnerships.services import access_log_record, fields_only

from ..models import EDITABLE, AgencyReturn, ReturnEvent, ReturnStatus
from .layout import Entry, WorkbookError, WorkbookProblem, blank, cell_value, fingerprint, layout, value_at
from .read import ReturnAnswers, read_workbook


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
    if path[0] == "sharing" and blank(value):
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
        history[entry.history_name] = [value_at(data, entry.path), value]
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
        changes=fields_only(history),
        agency=agency_return.agency,
    )


def _said(entry: Entry, value: Any) -> str:
    """An answer as a message quotes it."""
    shown = cell_value(entry, value)
    if shown is None:
        return "nothing"
    text = format_date(shown) if isinstance(shown, datetime.date) else str(shown)
    return f"“{text if len(text) <= 80 else text[:79] + '…'}”"


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
    was downloaded never replaces one changed in maca since. Only the agency's leads upload it."""
    require_perm(actor, "returns.upload_workbook", agency)
    refuse_if_closed(audit)
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
            entry, stored, original = by_key[key], value_at(current, by_key[key].path), answers.originals[key]
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
