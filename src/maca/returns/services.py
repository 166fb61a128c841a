"""Writes to agency returns: each change is logged, and kept in the return's history, in the same transaction.

A return moves: not started → in progress (first save) → submitted (by its auditor or the agency lead) → accepted by
the agency lead, or returned for amendment with a reason (and then in progress again); the audit lead may re-open an
accepted return. Only a return that is not started, in progress or returned can be changed.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from maca.accounts.models import User
from maca.audits.models import Audit
from maca.cases.models import Case, Decision
from maca.common.closure import refuse_if_closed
from maca.common.mail import send_message
from maca.common.reminders import ReminderNotSent, reminder_send_now
from maca.common.scoping import require_perm
from maca.common.versioning import claim_version
from maca.partnerships.models import AccessAction, Membership, Role
from maca.partnerships.services import access_log_record, fields_only

from .content import missing
from .models import EDITABLE, AgencyReturn, ReturnEvent, ReturnStatus
from .reminders import by_hand


def _mail(subject: str, body: str, to: list[str], what: str) -> None:
    """E-mail once the change is saved (never for a change rolled back)."""
    transaction.on_commit(lambda: send_message(subject, body, to, what=what))


def _log(actor: User, agency_return: AgencyReturn, action: AccessAction, changes: dict[str, Any]) -> None:
    access_log_record(
        actor=actor,
        partnership=agency_return.audit.partnership,
        action=action,
        obj=agency_return,
        changes=changes,
        agency=agency_return.agency,
    )


def sync_case_returns(case: Case) -> None:
    """Give every agency whose involvement is confirmed a return for the case once it is included; remove the
    returns nobody has started of agencies no longer involved (or of a case no longer included).

    Refuses (ValidationError) a change that would remove a return with answers in it.
    """
    confirmed = set()
    if case.decision == Decision.INCLUDED:
        confirmed = set(case.involvements.filter(confirmed_at__isnull=False).values_list("agency_id", flat=True))
    existing = {r.agency_id: r for r in AgencyReturn.objects.filter(case=case).select_related("agency")}
    for agency_id, agency_return in existing.items():
        if agency_id in confirmed:
            continue
        if agency_return.has_content or agency_return.status != ReturnStatus.NOT_STARTED:
            raise ValidationError(
                f"{agency_return.agency} has started its return for {case}: the return would be lost. "
                "Ask the audit lead to decide what happens to it first."
            )
        agency_return.delete()
    AgencyReturn.objects.bulk_create(
        AgencyReturn(audit=case.audit, case=case, agency_id=agency_id) for agency_id in confirmed - set(existing)
    )


def _claim_editable(agency_return: AgencyReturn, loaded_version: int) -> None:
    claim_version(agency_return, loaded_version)
    if agency_return.status not in EDITABLE:
        raise ValidationError(
            f"The return is {agency_return.get_status_display().lower()}: it cannot be changed any more."
        )


def _diff(before: dict[str, Any], after: dict[str, Any], prefix: str = "") -> dict[str, list[Any]]:
    changes = {}
    for key in sorted({*before, *after}):
        old, new = before.get(key), after.get(key)
        if old in ("", None, []) and new in ("", None, []):
            continue
        if old != new:
            changes[f"{prefix}{key}"] = [old, new]
    return changes


@transaction.atomic
def return_save(
    *,
    actor: User,
    agency_return: AgencyReturn,
    loaded_version: int,
    section: str,
    answers: dict[str, Any] | None = None,
    judgement: tuple[str, dict[str, Any]] | None = None,
    sharing: dict[str, dict[str, Any]] | None = None,
    topic_values: dict[str, Any] | None = None,
) -> dict[str, list[Any]]:
    """Save one page of a draft return; the fields that changed are kept in its history and logged."""
    require_perm(actor, "returns.edit_return", agency_return)
    refuse_if_closed(agency_return.audit)
    _claim_editable(agency_return, loaded_version)
    changes: dict[str, list[Any]] = {}
    if answers is not None:
        changes |= _diff({k: agency_return.answers.get(k) for k in answers}, answers)
        agency_return.answers = {**agency_return.answers, **answers}
    if judgement is not None:
        theme_id, values = judgement
        changes |= _diff(agency_return.judgements.get(theme_id, {}), values, f"{section}: ")
        agency_return.judgements = {**agency_return.judgements, theme_id: values}
    if sharing is not None:
        for key, values in sharing.items():
            changes |= _diff(agency_return.sharing.get(key, {}), values, f"{key} ")
        agency_return.sharing = {**agency_return.sharing, **sharing}
    if topic_values is not None:
        changes |= _diff({k: agency_return.topic_values.get(k) for k in topic_values}, topic_values)
        agency_return.topic_values = {**agency_return.topic_values, **topic_values}
    if agency_return.status == ReturnStatus.NOT_STARTED:
        agency_return.status = ReturnStatus.IN_PROGRESS
        agency_return.started_at = timezone.now()
    agency_return.save()
    if changes:
        ReturnEvent.objects.create(
            agency_return=agency_return, actor=actor, action=ReturnEvent.Action.SAVED, section=section, changes=changes
        )
        _log(actor, agency_return, AccessAction.CHANGED, fields_only(changes))
    return changes


def _event(agency_return: AgencyReturn, actor: User, action: str, reason: str = "", **extra: Any) -> None:
    ReturnEvent.objects.create(agency_return=agency_return, actor=actor, action=action, reason=reason, **extra)


@transaction.atomic
def return_submit(*, actor: User, agency_return: AgencyReturn, loaded_version: int) -> AgencyReturn:
    """Submit the return to the agency lead; refused while anything required is unanswered."""
    require_perm(actor, "returns.edit_return", agency_return)
    refuse_if_closed(agency_return.audit)
    _claim_editable(agency_return, loaded_version)
    problems = missing(agency_return, agency_return.audit)
    if problems:
        raise ValidationError([problem.message for problem in problems])
    before = agency_return.status
    agency_return.status = ReturnStatus.SUBMITTED
    agency_return.submitted_at, agency_return.submitted_by = timezone.now(), actor
    agency_return.save()
    _event(agency_return, actor, ReturnEvent.Action.SUBMITTED)
    _log(actor, agency_return, AccessAction.CHANGED, {"status": [before, agency_return.status]})
    for lead in _agency_people(agency_return, Role.AGENCY_LEAD):
        _mail(
            f"A return to review: {agency_return.case} ({agency_return.audit.short_title})",
            f"{actor.get_full_name() or actor.email} has submitted {agency_return.agency}’s return for case "
            f"{agency_return.case} of {agency_return.audit.title}. Please read it, then accept it or return it "
            "for amendment.",
            [lead.email],
            "a submitted return",
        )
    return agency_return


def _agency_people(agency_return: AgencyReturn, *roles: Role) -> list[User]:
    memberships = Membership.objects.filter(agency=agency_return.agency, role__in=roles, user__is_active=True)
    return list(User.objects.filter(memberships__in=memberships).distinct().order_by("email"))


def assignable_people(agency_return: AgencyReturn) -> Any:
    """The agency's auditors and leads, who may be given its return."""
    memberships = Membership.objects.filter(
        agency=agency_return.agency, role__in=(Role.AUDITOR, Role.AGENCY_LEAD), user__is_active=True
    )
    return User.objects.filter(memberships__in=memberships).distinct().order_by("email")


@transaction.atomic
def return_assign(*, actor: User, agency_return: AgencyReturn, auditor: User) -> AgencyReturn:
    """The agency lead gives the return to one of the agency's auditors (or leads), who is told by e-mail."""
    require_perm(actor, "returns.assign_return", agency_return)
    refuse_if_closed(agency_return.audit)
    if not agency_return.is_editable:
        raise ValidationError(f"The return is {agency_return.get_status_display().lower()}: it is not to be written.")
    if not assignable_people(agency_return).filter(pk=auditor.pk).exists():
        raise ValidationError({"auditor": f"Choose an auditor or lead of {agency_return.agency}."})
    before = agency_return.assigned_to.email if agency_return.assigned_to else None
    agency_return.assigned_to = auditor
    agency_return.save(update_fields=["assigned_to"])
    _event(agency_return, actor, ReturnEvent.Action.ASSIGNED, changes={"assigned to": [before, auditor.email]})
    _log(actor, agency_return, AccessAction.CHANGED, {"assigned to": [before, auditor.email]})
    _mail(
        f"A return to complete: {agency_return.case} ({agency_return.audit.short_title})",
        f"You have been asked to complete {agency_return.agency}’s return for case {agency_return.case} of "
        f"{agency_return.audit.title}. Sign in to maca to start it.",
        [auditor.email],
        "an assigned return",
    )
    return agency_return


@transaction.atomic
def return_decide(*, actor: User, agency_return: AgencyReturn, accept: bool, reason: str = "") -> AgencyReturn:
    """The agency lead accepts a submitted return (it is then read-only), or returns it for amendment."""
    require_perm(actor, "returns.decide_return", agency_return)
    refuse_if_closed(agency_return.audit)
    agency_return = AgencyReturn.objects.select_for_update().get(pk=agency_return.pk)
    if agency_return.status != ReturnStatus.SUBMITTED:
        raise ValidationError(f"The return is {agency_return.get_status_display().lower()}, not submitted.")
    if not accept and not reason.strip():
        raise ValidationError({"reason": "Say what needs to change before the return can be accepted."})
    before = agency_return.status
    agency_return.status = ReturnStatus.ACCEPTED if accept else ReturnStatus.RETURNED
    agency_return.decided_at, agency_return.decided_by = timezone.now(), actor
    agency_return.returned_reason = "" if accept else reason.strip()
    agency_return.version += 1
    agency_return.save()
    action = ReturnEvent.Action.ACCEPTED if accept else ReturnEvent.Action.RETURNED
    _event(agency_return, actor, action, agency_return.returned_reason)
    _log(actor, agency_return, AccessAction.CHANGED, {"status": [before, agency_return.status]})
    if not accept and agency_return.submitted_by:
        _mail(
            f"Your return needs amending: {agency_return.case} ({agency_return.audit.short_title})",
            f"{agency_return.agency}’s return for case {agency_return.case} was returned: {reason.strip()}",
            [agency_return.submitted_by.email],
            "a returned return",
        )
    return agency_return


@transaction.atomic
def return_reopen(*, actor: User, agency_return: AgencyReturn, reason: str) -> AgencyReturn:
    """The audit lead re-opens an accepted or submitted return, with the reason, so that the agency can change it."""
    require_perm(actor, "returns.reopen_return", agency_return)
    refuse_if_closed(agency_return.audit)
    agency_return = AgencyReturn.objects.select_for_update().get(pk=agency_return.pk)
    if agency_return.status not in (ReturnStatus.SUBMITTED, ReturnStatus.ACCEPTED):
        raise ValidationError("Only a submitted or accepted return can be re-opened.")
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for re-opening the return."})
    before = agency_return.status
    agency_return.status = ReturnStatus.RETURNED
    agency_return.returned_reason = reason.strip()
    agency_return.version += 1
    agency_return.save()
    _event(agency_return, actor, ReturnEvent.Action.REOPENED, reason.strip())
    _log(actor, agency_return, AccessAction.CHANGED, {"status": [before, agency_return.status]})
    return agency_return


@transaction.atomic
def moderation_open(*, actor: User, audit: Audit) -> Audit:
    """Open moderation: the panel now reads every submitted return of the audit."""
    require_perm(actor, "returns.open_moderation", audit)
    refuse_if_closed(audit)
    if audit.moderation_opened_at is not None:
        raise ValidationError("Moderation is already open.")
    audit.moderation_opened_at = timezone.now()
    audit.save(update_fields=["moderation_opened_at"])
    access_log_record(
        actor=actor,
        partnership=audit.partnership,
        action=AccessAction.CHANGED,
        obj=audit,
        changes={"moderation opened": [None, audit.moderation_opened_at.isoformat()]},
    )
    return audit


@transaction.atomic
def return_remind(*, actor: User, agency_return: AgencyReturn) -> list[str]:
    """Send a reminder now to each person who holds a return not yet submitted; the addresses reminded."""
    require_perm(actor, "returns.remind_return", agency_return)
    refuse_if_closed(agency_return.audit)
    if agency_return.status not in EDITABLE:
        raise ValidationError(f"The return is {agency_return.get_status_display().lower()}: nobody needs reminding.")
    to_send = by_hand(agency_return)
    if not to_send:
        raise ValidationError(f"{agency_return.agency} has no lead or auditor with an account to remind.")
    sent = []
    for reminder in to_send:
        try:
            record = reminder_send_now(actor=actor, reminder=reminder)
        except ReminderNotSent:
            continue
        access_log_record(
            actor=actor,
            partnership=agency_return.audit.partnership,
            action=AccessAction.CREATED,
            obj=record,
            changes={"reminder": [None, f"{reminder.recipient.email}: {reminder.subject}"]},
        )
        sent.append(reminder.recipient.email)
    return sent
