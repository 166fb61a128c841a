"""Reminders to write the returns not yet submitted: to the auditor a return is assigned to, or to the agency's
leads while nobody is. Automatic ones go 7 days before the due date, on it and weekly after it (see
`maca.common.reminders`); the coordinator or the audit lead sends one by hand from the progress matrix."""

import datetime
from collections.abc import Iterator

from django.urls import reverse

from maca.accounts.models import User
from maca.common.reminders import BY_HAND, Reminder, Stage, reminder_stage
from maca.partnerships.models import Membership, Role

from .deadlines import returns_due
from .models import EDITABLE, SUBMITTED, AgencyReturn

PREFIX = "return"


def key_of(agency_return: AgencyReturn) -> str:
    return f"{PREFIX}:{agency_return.pk}"


def holders(agency_return: AgencyReturn) -> list[User]:
    """Who must act for the return to be submitted: its auditor, or the agency's leads while it is not assigned."""
    if agency_return.assigned_to is not None and agency_return.assigned_to.is_active:
        return [agency_return.assigned_to]
    leads = Membership.objects.filter(agency=agency_return.agency, role=Role.AGENCY_LEAD, user__is_active=True)
    return list(User.objects.filter(memberships__in=leads).distinct().order_by("email"))


def reminder_for(agency_return: AgencyReturn, recipient: User, stage: Stage, due: datetime.date) -> Reminder:
    audit = agency_return.audit
    link = reverse(
        "returns:detail", args=[audit.reference, agency_return.case.reference, agency_return.agency.short_code]
    )
    return Reminder(
        key=key_of(agency_return),
        stage=stage,
        recipient=recipient,
        partnership=audit.partnership,
        subject=f"Reminder: {agency_return.agency}’s return for case {agency_return.case} ({audit.short_title})",
        body=(
            f"{agency_return.agency}’s return for case {agency_return.case} of {audit.title} is not submitted yet. "
            "Please complete and submit it, or tell your agency’s lead if someone else should."
        ),
        due=due,
        link=link,
    )


def returns_due_for_reminders(day: datetime.date) -> Iterator[Reminder]:
    """The reminders due on `day` for every return still being written."""
    open_returns = AgencyReturn.objects.filter(status__in=EDITABLE).select_related(
        "audit__partnership", "case", "agency", "assigned_to"
    )
    due_dates: dict[int, datetime.date] = {}
    for agency_return in open_returns:
        if agency_return.audit_id not in due_dates:
            due_dates[agency_return.audit_id] = returns_due(agency_return.audit)
        due = due_dates[agency_return.audit_id]
        stage = reminder_stage(due, day)
        if stage is None:
            continue
        for person in holders(agency_return):
            yield reminder_for(agency_return, person, stage, due)


def return_is_submitted(key: str) -> bool:
    """Submitted or accepted (a return that no longer exists needs no reminder either)."""
    pk = int(key.removeprefix(f"{PREFIX}:"))
    return not AgencyReturn.objects.filter(pk=pk).exclude(status__in=SUBMITTED).exists()


def by_hand(agency_return: AgencyReturn) -> list[Reminder]:
    """The reminders the coordinator's button sends now: one to each holder of the return."""
    due = returns_due(agency_return.audit)
    return [reminder_for(agency_return, person, BY_HAND, due) for person in holders(agency_return)]
