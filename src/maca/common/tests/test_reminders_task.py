"""The daily reminder task on the real queue: enqueued in the database, run by the real `db_worker` command."""

import logging
import signal
from collections.abc import Iterator
from datetime import time, timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from maca.common.models import SentReminder
from maca.common.reminders import daily_reminders, ensure_daily_scheduled, next_daily_run
from maca.common.tests.conftest import ThingSource, person
from maca.tests.cast import Cast

TASK_PATH = "maca.common.reminders.daily_reminders"


@pytest.fixture
def worker_leaves_no_trace() -> Iterator[None]:
    """The worker takes over Ctrl-C and sets its loggers' levels: give the test process its own back afterwards."""
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    loggers = {name: logging.getLogger(name).level for name in ("django_tasks", "django_tasks_db")}
    yield
    for number, handler in handlers.items():
        signal.signal(number, handler)
    for name, level in loggers.items():
        logging.getLogger(name).setLevel(level)


def _run_worker() -> None:
    """The worker as `make run` starts it, but processing what is ready and then exiting."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def _queued() -> list[DBTaskResult[Any, Any]]:
    return list(DBTaskResult.objects.filter(task_path=TASK_PATH, status=TaskResultStatus.READY))


# Committed for real, as the worker commits its own work (and closes connections that are inside a transaction).
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("worker_leaves_no_trace")
def test_the_worker_runs_the_daily_task_which_sends_and_queues_tomorrows_run(
    thing_source: ThingSource, cast: Cast
) -> None:
    today = timezone.localdate()
    thing_source.add(today + timedelta(days=7), person(cast, "agency_lead_a"))
    thing_source.add(today, person(cast, "auditor_b"), submitted=True)

    result = daily_reminders.enqueue()
    assert result.status == TaskResultStatus.READY
    assert mail.outbox == []  # queued, not run: the worker runs it

    _run_worker()

    row = DBTaskResult.objects.get(id=result.id)
    assert row.status == TaskResultStatus.SUCCESSFUL, row.traceback
    assert row.return_value == {"sent": 1, "submitted": 1, "failed_sources": 0}
    assert [message.to for message in mail.outbox] == [["lead.a@example.org"]]
    assert SentReminder.objects.get().status == SentReminder.Status.SENT
    # It queued its next run, for 07:00 tomorrow (the worker leaves that one for then).
    [next_run] = _queued()
    assert timezone.localtime(next_run.run_after).time() == time(7, 0)
    assert timezone.now() < next_run.run_after <= timezone.now() + timedelta(days=1)

    # Run again (say a second worker picked up a duplicate): nothing more is sent.
    again = daily_reminders.enqueue()
    _run_worker()
    counts = DBTaskResult.objects.get(id=again.id).return_value
    assert counts == {"already_sent": 1, "submitted": 1, "failed_sources": 0}
    assert len(mail.outbox) == 1
    assert len(_queued()) == 1


@pytest.mark.django_db
def test_the_daily_run_is_queued_exactly_once() -> None:
    now = timezone.now()
    first = ensure_daily_scheduled(now=now)
    assert first == next_daily_run(now)
    assert ensure_daily_scheduled(now=now) == first
    assert len(_queued()) == 1

    # Two runs queued at once (two `maca reminders` racing): the extra one goes.
    daily_reminders.using(run_after=first + timedelta(days=1)).enqueue()
    assert len(_queued()) == 2
    assert ensure_daily_scheduled(now=now) == first
    assert [task.run_after for task in _queued()] == [first]


@pytest.mark.django_db
def test_a_daily_run_whose_time_passed_with_no_worker_runs_as_soon_as_one_does() -> None:
    now = timezone.now()
    daily_reminders.using(run_after=now - timedelta(days=3)).enqueue()
    assert ensure_daily_scheduled(now=now) == now
    assert len(_queued()) == 1


@pytest.mark.django_db
def test_with_the_immediate_backend_the_task_runs_at_once_and_nothing_is_queued(
    thing_source: ThingSource, cast: Cast, settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    thing_source.add(timezone.localdate(), person(cast, "agency_lead_a"))
    result = daily_reminders.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == {"sent": 1, "failed_sources": 0}
    assert len(mail.outbox) == 1
    assert ensure_daily_scheduled() is None
    assert not DBTaskResult.objects.exists()
