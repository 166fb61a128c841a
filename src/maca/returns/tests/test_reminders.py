"""Reminders about returns: to whoever holds a return not yet submitted, never about a submitted one."""

import datetime
from typing import Any

from django.core import mail

from maca.common.reminders import Outcome, reminders_due, reminders_send_due
from maca.partnerships.models import AccessAction, AccessLogEntry
from maca.returns.models import AgencyReturn, ReturnStatus
from maca.returns.tests.factories import make_return
from maca.returns.tests.test_workflow import ClientFor
from maca.tests.cast import Cast

DUE = datetime.date(2026, 5, 6)  # two weeks before the approved audit's day, 20 May 2026


def _sent_to(day: datetime.date) -> list[str]:
    results = reminders_due(day=day).results
    return sorted(
        r.reminder.recipient.email
        for r in results
        if r.outcome == Outcome.TO_SEND and r.reminder.key.startswith("return:")
    )


def test_reminders_go_to_whoever_holds_the_return(cast: Cast, django_capture_on_commit_callbacks: Any) -> None:
    agency_return = make_return(cast)
    assert _sent_to(DUE - datetime.timedelta(days=8)) == []
    # Not assigned: the agency's lead is reminded; once assigned, the auditor.
    assert _sent_to(DUE - datetime.timedelta(days=7)) == ["lead.a@example.org"]
    AgencyReturn.objects.filter(pk=agency_return.pk).update(assigned_to=cast["auditor_a"])
    assert _sent_to(DUE) == ["auditor.a@example.org"]
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send_due(day=DUE)
    about_returns = [message for message in mail.outbox if "return for case" in message.subject]
    assert [message.to for message in about_returns] == [["auditor.a@example.org"]]
    assert "is not submitted yet" in about_returns[0].body
    # Sent once per stage; never once submitted.
    assert _sent_to(DUE) == []
    AgencyReturn.objects.filter(pk=agency_return.pk).update(status=ReturnStatus.SUBMITTED)
    assert _sent_to(DUE + datetime.timedelta(days=7)) == []


def test_the_coordinator_sends_a_reminder_by_hand(
    client_for: ClientFor, cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    make_return(cast)
    url = "/audits/anytown-approved-2025/returns/NEG-02/AGA/remind/"
    coordinator = client_for("coordinator")
    assert "lead.a@example.org" in coordinator.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert coordinator.post(url).status_code == 302
    assert [message.to for message in mail.outbox] == [["lead.a@example.org"]]
    assert AccessLogEntry.objects.filter(action=AccessAction.CREATED, changes__has_key="reminder").count() == 1
    AgencyReturn.objects.filter(case__reference="NEG-02").update(status=ReturnStatus.ACCEPTED)
    response = coordinator.post(url, follow=True)
    assert "nobody needs reminding" in response.content.decode()
    assert len(mail.outbox) == 1
