"""`maca reminders`: sends what is due now and queues the daily run once; --dry-run only lists."""

import re
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from maca.common import reminders
from maca.common.models import SentReminder
from maca.common.reminders import Reminder
from maca.common.tests.conftest import ThingSource, person
from maca.tests.cast import Cast


def _reminders(*args: str) -> str:
    out = StringIO()
    call_command("reminders", *args, stdout=out)
    return out.getvalue()


def _queued_daily_runs() -> int:
    return DBTaskResult.objects.filter(
        task_path="maca.common.reminders.daily_reminders", status=TaskResultStatus.READY
    ).count()


def test_the_command_sends_what_is_due_and_queues_the_daily_run_once(thing_source: ThingSource, cast: Cast) -> None:
    today = timezone.localdate()
    thing_source.add(today, person(cast, "agency_lead_a"))
    thing_source.add(today - timedelta(days=7), person(cast, "auditor_b"), submitted=True)

    first = _reminders()
    assert first.splitlines()[:3] == [
        "sent\tthing:1\tdue today\tlead.a@example.org\tThing 1: due today",
        "skipped: already submitted\tthing:2\t7 days overdue\tauditor.b@example.org\tThing 2: 7 days overdue",
        "1 sent, 0 not delivered, 1 skipped.",
    ]
    assert first.splitlines()[3].startswith("The daily reminders run next at 07:00 on ")
    assert len(mail.outbox) == 1
    assert _queued_daily_runs() == 1

    second = _reminders()
    assert second.splitlines()[0] == "already sent\tthing:1\tdue today\tlead.a@example.org\tThing 1: due today"
    assert "0 sent, 0 not delivered, 2 skipped." in second
    assert len(mail.outbox) == 1
    assert _queued_daily_runs() == 1


def test_the_dry_run_lists_and_does_nothing(thing_source: ThingSource, cast: Cast) -> None:
    today = timezone.localdate()
    thing_source.add(today + timedelta(days=3), person(cast, "agency_lead_a"))

    out = _reminders("--dry-run")
    assert out.splitlines() == [
        "would send\tthing:1\t7 days before\tlead.a@example.org\tThing 1: 7 days before",
        f"Dry run for {format_date(today, 'l j F Y')}: 1 to send, 0 skipped. Nothing was sent, recorded or queued.",
    ]
    assert mail.outbox == []
    assert not SentReminder.objects.exists()
    assert _queued_daily_runs() == 0

    # Another day: what would go then.
    later = today + timedelta(days=10)
    out = _reminders("--dry-run", "--date", later.isoformat())
    assert out.splitlines()[0] == "would send\tthing:1\t7 days overdue\tlead.a@example.org\tThing 1: 7 days overdue"


def test_nothing_due(thing_source: ThingSource) -> None:
    out = _reminders("--dry-run")
    assert out.splitlines()[0] == f"No reminders are due on {format_date(timezone.localdate(), 'l j F Y')}."


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--date", "2025-05-12"), "--date only goes with --dry-run"),
        (("--dry-run", "--date", "12/05/2025"), "--date must be a date such as 2025-05-12 (not '12/05/2025')"),
    ],
)
def test_wrong_options_are_refused(args: tuple[str, ...], message: str) -> None:
    with pytest.raises(CommandError, match=re.escape(message)):
        _reminders(*args)


def test_a_failing_source_fails_the_command_after_the_others_are_sent(thing_source: ThingSource, cast: Cast) -> None:
    thing_source.add(timezone.localdate(), person(cast, "agency_lead_a"))

    def broken(day: Any) -> list[Reminder]:
        raise RuntimeError("broken")

    reminders.register_source("broken", due=broken, is_submitted=lambda key: False)
    with pytest.raises(CommandError, match=re.escape("These reminder sources failed (see the log above): broken.")):
        _reminders()
    assert len(mail.outbox) == 1
    assert _queued_daily_runs() == 1


@pytest.mark.django_db
def test_with_another_backend_the_command_says_to_run_it_daily(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reminders, "_sources", {})
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    out = _reminders()
    assert "no daily run is queued: run `maca reminders` every day." in out
