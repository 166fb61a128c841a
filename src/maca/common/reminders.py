"""Reminders by e-mail to the people who have not yet submitted something: sent once per stage, by a daily task.

Apps chase things (an agency return, a self-assessment) by registering a *source* in their AppConfig.ready::

    from maca.common import reminders

    class ReturnsConfig(AppConfig):
        def ready(self) -> None:
            from maca.returns.reminders import return_is_submitted, returns_due_for_reminders

            reminders.register_source("return", due=returns_due_for_reminders, is_submitted=return_is_submitted)

The contract for a source:

- `due(day)` yields a `Reminder` for each person to remind of each thing on `day` (a date in maca's time zone):
  the recipient, the partnership, the subject, the text (`body`, or `template` and `context`), the stage and a key;
  and, if it has them, the due date and a link (a path on the site), which the e-mail shows under the text.
  It only reads: the engine sends, records and skips. The engine calls it once a day (and for `maca reminders`),
  always with today's date except in a dry run, which may ask about another day.
- `key` names the thing being chased, stably across days: the source's prefix, a colon, an id ("return:42"). The
  same thing has the same key for every recipient.
- `stage` says which reminder this is. `reminder_stage(due_date, day)` gives the standard stages (7 days before, on
  the day, then weekly once overdue); a source may make its own `Stage`, with a code that stays the same for as long
  as that reminder is due. The engine sends each (key, recipient, stage) once, ever (one the mail server refused is
  tried again on later runs): yielding it again on later days is expected and harmless, and that is how a reminder
  missed on its day (the worker was down) still goes.
- `is_submitted(key)` answers whether the thing is done. The engine asks it just before sending each reminder,
  automatic or by hand, and sends nothing for a submitted thing; `due` should leave submitted things out as well
  (it is cheaper), but `is_submitted` is what guarantees it. Whether a thing is "submitted" is the source's call.
- The engine skips recipients whose account is inactive. Whether someone should be reminded at all (still a
  member, still the agency's lead) is the source's call.
- A source that raises is logged and skipped; the other sources still run, and `maca reminders` fails loudly.

The daily run is a background task (`daily_reminders`) on Django's tasks framework: with the database backend it
queues its own next run for 07:00 the next day, and `maca reminders` (which `make run` runs at start) sends what is
due now and makes sure exactly one daily run is queued. A coordinator's "send a reminder" calls
`reminder_send_now`; the caller writes the access log entry (see there).
"""

import logging
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks.base import Task
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max

from maca.common.mail import deliver
from maca.common.reminder_models import SentReminder

if TYPE_CHECKING:
    # Types only: maca.common sits below the apps and imports none of them when it runs.
    from maca.accounts.models import User
    from maca.partnerships.models import Partnership

logger = logging.getLogger("maca.reminders")

# When the daily run starts, in maca's time zone (settings.TIME_ZONE).
DAILY_AT = time(7, 0)
# A reminder whose sending began this long ago and never finished (its worker died) may be tried again.
STALE_SENDING = timedelta(hours=1)


# Stages -------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stage:
    """Which reminder of a thing this is. `code` is stored and must stay the same for as long as the stage lasts."""

    code: str
    label: str


# The stage of a reminder sent by hand: those are never held back by what was sent before.
BY_HAND = Stage("by-hand", "sent by hand")


def reminder_stage(due: date, today: date, *, before_days: int = 7, overdue_every_days: int = 7) -> Stage | None:
    """The reminder stage `today` is in, for something due on `due`; None before the first reminder.

    The stages begin `before_days` before the due date ("7 days before"), on the due date ("due today"), then every
    `overdue_every_days` after it ("7 days overdue", "14 days overdue", ...). A stage lasts until the next begins, so
    a reminder missed on its first day (the worker was down) goes on the next run, and someone added late gets the
    current stage's reminder. Codes carry the due date: when the date moves, reminders start again for the new one.
    """
    if before_days < 1 or overdue_every_days < 1:
        raise ValueError("before_days and overdue_every_days must be at least 1.")
    days_left = (due - today).days
    if days_left > before_days:
        return None
    if days_left > 0:
        return Stage(f"before-{before_days}:{due.isoformat()}", f"{before_days} days before")
    days_late = -days_left
    if days_late < overdue_every_days:
        return Stage(f"due:{due.isoformat()}", "due today")
    weeks = days_late // overdue_every_days * overdue_every_days
    return Stage(f"overdue-{weeks}:{due.isoformat()}", f"{weeks} days overdue")


def due_phrase(due: date, today: date) -> str:
    """When something is due, seen from `today`: "in 3 days", "tomorrow", "today", "1 day overdue", "9 days overdue"."""
    days_left = (due - today).days
    if days_left > 1:
        return f"in {days_left} days"
    if days_left == 1:
        return "tomorrow"
    if days_left == 0:
        return "today"
    return "1 day overdue" if days_left == -1 else f"{-days_left} days overdue"


# Reminders and their sources ----------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Reminder:
    """One e-mail to one person about one thing, at one stage. See the module's docstring for the contract."""

    key: str
    stage: Stage
    recipient: "User"
    partnership: "Partnership"
    subject: str
    # The text: `body`, or a template rendered with `context` and recipient, partnership, stage, due, link and day.
    body: str = ""
    template: str = ""
    context: Mapping[str, Any] = field(default_factory=dict)
    # When the thing is due, shown under the text with how far off it is.
    due: date | None = None
    # Where to do it: a path on the site ("/p/anytown/..."), made absolute with MACA_BASE_URL.
    link: str = ""

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z][a-z0-9_-]*:\S+", self.key) or len(self.key) > 100:
            raise ValueError(
                f"A reminder's key is a prefix, a colon and an id, at most 100 characters (not {self.key!r})."
            )
        if not self.stage.code or len(self.stage.code) > 60:
            raise ValueError(f"Reminder {self.key}: a stage's code has 1 to 60 characters (not {self.stage.code!r}).")
        if bool(self.body) == bool(self.template):
            raise ValueError(f"Reminder {self.key}: give either a body or a template, not both or neither.")


@dataclass(frozen=True)
class ReminderSource:
    """What an app registers: its key prefix, the reminders due on a day, and whether a thing is submitted."""

    prefix: str
    due: Callable[[date], Iterable[Reminder]]
    is_submitted: Callable[[str], bool]


_sources: dict[str, ReminderSource] = {}


def register_source(
    prefix: str, *, due: Callable[[date], Iterable[Reminder]], is_submitted: Callable[[str], bool]
) -> ReminderSource:
    """Register a source of reminders whose keys start with `prefix` and a colon. Call it in AppConfig.ready.

    Registering the same functions again is harmless; another source with the same prefix is refused.
    """
    if not re.fullmatch(r"[a-z][a-z0-9_-]*", prefix):
        raise ValueError(f"A reminder source's prefix is lower-case letters, digits, - and _ (not {prefix!r}).")
    source = ReminderSource(prefix, due, is_submitted)
    if _sources.get(prefix, source) != source:
        raise ImproperlyConfigured(f"Another reminder source already uses the prefix {prefix!r}.")
    _sources[prefix] = source
    return source


def unregister_source(prefix: str) -> None:
    """Forget the source with this prefix, if there is one."""
    _sources.pop(prefix, None)


def registered_sources() -> list[ReminderSource]:
    """The registered sources, in order of prefix."""
    return [_sources[prefix] for prefix in sorted(_sources)]


def _source_for(key: str) -> ReminderSource:
    prefix = key.split(":", 1)[0]
    if prefix not in _sources:
        raise ValueError(f"No reminder source is registered for the key {key!r}.")
    return _sources[prefix]


# What happens to each reminder --------------------------------------------------------------------------------------


class Outcome(StrEnum):
    """What happened to a reminder in a run (in a dry run: what would), in the words `maca reminders` prints."""

    TO_SEND = "would send"
    SENT = "sent"
    FAILED = "not delivered"
    ALREADY_SENT = "already sent"
    INACTIVE = "skipped: account inactive"
    SUBMITTED = "skipped: already submitted"


@dataclass(frozen=True)
class Result:
    """One reminder of a run and what happened to it."""

    reminder: Reminder
    outcome: Outcome


@dataclass
class Report:
    """What a run did (or, in a dry run, would do) with each reminder due on `day`, and which sources failed."""

    day: date
    results: list[Result] = field(default_factory=list)
    failed_sources: list[str] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for result in self.results if result.outcome == outcome)

    def counts(self) -> dict[str, int]:
        """The number of reminders per outcome (only those that happened), and of failed sources."""
        counts = {outcome.name.lower(): self.count(outcome) for outcome in Outcome if self.count(outcome)}
        return {**counts, "failed_sources": len(self.failed_sources)}


class ReminderNotSent(Exception):
    """A reminder asked for by hand was not sent: `outcome` says why."""

    def __init__(self, reminder: Reminder, outcome: Outcome) -> None:
        self.reminder = reminder
        self.outcome = outcome
        super().__init__(f"The reminder {reminder.key} to {reminder.recipient.email} was not sent: {outcome}.")


def _once_lookup(reminder: Reminder) -> dict[str, Any]:
    return {"key": reminder.key, "recipient": reminder.recipient, "stage": reminder.stage.code, "by_hand": False}


def _may_retry(now: datetime) -> Q:
    """Records of automatic reminders that may be sent again: not delivered, or left half-sent by a dead worker."""
    return Q(status=SentReminder.Status.FAILED) | Q(status=SentReminder.Status.SENDING, at__lt=now - STALE_SENDING)


def _skip_reason(reminder: Reminder, source: ReminderSource, *, now: datetime) -> Outcome | None:
    if not reminder.recipient.is_active:
        return Outcome.INACTIVE
    if SentReminder.objects.filter(**_once_lookup(reminder)).exclude(_may_retry(now)).exists():
        return Outcome.ALREADY_SENT
    if source.is_submitted(reminder.key):
        return Outcome.SUBMITTED
    return None


def _due_from(source: ReminderSource, day: date) -> Iterator[Reminder]:
    """The source's reminders for `day`, each (key, recipient, stage) once, checked against the contract."""
    seen: set[tuple[str, int, str]] = set()
    for reminder in source.due(day):
        if not reminder.key.startswith(f"{source.prefix}:"):
            raise ValueError(f"The reminder source {source.prefix!r} yielded the key {reminder.key!r}.")
        once = (reminder.key, reminder.recipient.pk, reminder.stage.code)
        if once not in seen:
            seen.add(once)
            yield reminder


def _run(day: date, *, send: bool) -> Report:
    report = Report(day)
    for source in registered_sources():
        try:
            for reminder in _due_from(source, day):
                now = timezone.now()
                outcome = _skip_reason(reminder, source, now=now)
                if outcome is None:
                    outcome = _send_automatic(reminder, day=day, now=now) if send else Outcome.TO_SEND
                report.results.append(Result(reminder, outcome))
        except Exception:
            # One faulty source must not stop the others' reminders.
            logger.exception("The reminder source %r failed", source.prefix)
            report.failed_sources.append(source.prefix)
    return report


def reminders_due(*, day: date) -> Report:
    """What a run on `day` would do with each reminder, sending and recording nothing (`maca reminders --dry-run`)."""
    return _run(day, send=False)


def reminders_send_due(*, day: date) -> Report:
    """Send every reminder due on `day` that has not been sent, to active people, for things not yet submitted.

    Each (key, recipient, stage) goes once: a row in SentReminder, claimed under a unique constraint before the
    e-mail goes, so that two runs at once never both send it. A mail server failure is logged (maca.common.mail),
    recorded as "not delivered", and the reminder is tried again on the next run while its stage lasts.
    """
    return _run(day, send=True)


# Sending ------------------------------------------------------------------------------------------------------------


def _absolute(link: str) -> str:
    if not link or re.match(r"https?://", link):
        return link
    return settings.MACA_BASE_URL + ("" if link.startswith("/") else "/") + link


def _message(reminder: Reminder, *, day: date, actor: "User | None") -> EmailMessage:
    """The e-mail: the source's text, framed by common/email/reminder.txt (greeting, due date, link, why)."""
    context: dict[str, Any] = {
        "recipient": reminder.recipient,
        "partnership": reminder.partnership,
        "stage": reminder.stage,
        "due": reminder.due,
        "due_phrase": due_phrase(reminder.due, day) if reminder.due else "",
        "link": _absolute(reminder.link),
        "day": day,
    }
    text = render_to_string(reminder.template, {**reminder.context, **context}) if reminder.template else reminder.body
    body = render_to_string("common/email/reminder.txt", {**context, "text": text.strip(), "actor": actor}).strip()
    # Automatic reminders say so (RFC 3834), so that out-of-office replies are not sent back to maca.
    headers = {} if actor is not None else {"Auto-Submitted": "auto-generated"}
    return EmailMessage(reminder.subject, body + "\n", None, [reminder.recipient.email], headers=headers)


def _what(reminder: Reminder) -> str:
    return f"the reminder {reminder.key} ({reminder.stage.code}) to user {reminder.recipient.pk}"


def _deliver_and_record(record_pk: int, message: EmailMessage, what: str) -> bool:
    """Send the message and record whether it went; whatever else goes wrong, the record never stays "sending"."""
    delivered = False
    try:
        delivered = deliver(message.send, what=what)
    finally:
        status = SentReminder.Status.SENT if delivered else SentReminder.Status.FAILED
        SentReminder.objects.filter(pk=record_pk).update(status=status, at=timezone.now())
    return delivered


def _claim(reminder: Reminder, *, now: datetime) -> SentReminder | None:
    """Take the right to send this automatic reminder, or None if it was sent or another run is sending it."""
    try:
        with transaction.atomic():
            return SentReminder.objects.create(
                **_once_lookup(reminder),
                partnership=reminder.partnership,
                subject=reminder.subject[:200],
                status=SentReminder.Status.SENDING,
                at=now,
            )
    except IntegrityError:
        pass
    # Recorded already: take it over only if it may be sent again. One UPDATE, so only one run can win it.
    lookup = _once_lookup(reminder)
    taken = SentReminder.objects.filter(_may_retry(now), **lookup).update(status=SentReminder.Status.SENDING, at=now)
    return SentReminder.objects.get(**lookup) if taken else None


def _send_automatic(reminder: Reminder, *, day: date, now: datetime) -> Outcome:
    message = _message(reminder, day=day, actor=None)  # rendered first: a template error claims nothing
    record = _claim(reminder, now=now)
    if record is None:
        return Outcome.ALREADY_SENT
    return Outcome.SENT if _deliver_and_record(record.pk, message, _what(reminder)) else Outcome.FAILED


def reminder_send_now(*, actor: "User", reminder: Reminder) -> SentReminder:
    """Send one reminder now, by hand (a coordinator's "send a reminder"), whatever its stage and what went before.

    Refused with ReminderNotSent when the recipient's account is inactive or the thing is already submitted (its
    source says so; the key's source must be registered). The e-mail goes when the current transaction commits (at
    once outside one), and the returned record's status then says whether it was delivered.

    Not written to the access log here: maca.common sits below maca.partnerships and does not import it. The caller,
    a service of the app that owns the thing, logs it in the same transaction, with the record as the object::

        @transaction.atomic
        def agency_return_remind(*, actor: User, agency_return: AgencyReturn, recipient: User) -> SentReminder:
            sent = reminder_send_now(actor=actor, reminder=...)
            access_log_record(actor=actor, partnership=sent.partnership, action=AccessAction.CREATED, obj=sent)
            return sent
    """
    if not reminder.recipient.is_active:
        raise ReminderNotSent(reminder, Outcome.INACTIVE)
    if _source_for(reminder.key).is_submitted(reminder.key):
        raise ReminderNotSent(reminder, Outcome.SUBMITTED)
    message = _message(reminder, day=timezone.localdate(), actor=actor)
    record = SentReminder.objects.create(
        key=reminder.key,
        stage=reminder.stage.code,
        recipient=reminder.recipient,
        partnership=reminder.partnership,
        subject=reminder.subject[:200],
        status=SentReminder.Status.SENDING,
        by_hand=True,
        sent_by=actor,
    )
    transaction.on_commit(partial(_deliver_and_record, record.pk, message, _what(reminder)))
    return record


# The daily task -----------------------------------------------------------------------------------------------------


def next_daily_run(now: datetime) -> datetime:
    """The first DAILY_AT (in maca's time zone) after `now`."""
    zone = timezone.get_current_timezone()
    local = timezone.localtime(now, zone)
    today_at = datetime.combine(local.date(), DAILY_AT, tzinfo=zone)
    return today_at if today_at > local else datetime.combine(local.date() + timedelta(days=1), DAILY_AT, tzinfo=zone)


@task()
def daily_reminders() -> dict[str, int]:
    """The daily run: queue tomorrow's run first (so that a failure today does not end the chain), then send."""
    ensure_daily_scheduled()
    return reminders_send_due(day=timezone.localdate()).counts()


def ensure_daily_scheduled(*, now: datetime | None = None) -> datetime | None:
    """Make sure exactly one daily run is queued (removing any extra), and return when it will run.

    Only the database backend can be asked what is queued: with another backend nothing is queued and None is
    returned; run `maca reminders` every day instead (from cron, say).
    """
    return ensure_queued_daily(daily_reminders, now=now)


def ensure_queued_daily(daily: Task[..., Any], *, now: datetime | None = None) -> datetime | None:
    """Make sure exactly one run of a daily task is queued (removing any extra), at the next daily time if none was,
    and return when it will run; None when the task backend is not the database backend, which alone can be asked
    what is queued (the task's command must then be run every day, from cron say). Shared by every daily task."""
    backend = daily.get_backend()
    if not isinstance(backend, DatabaseBackend):
        return None
    now = now or timezone.now()
    with transaction.atomic():
        queued = list(
            DBTaskResult.objects.select_for_update()
            .filter(task_path=daily.module_path, backend_name=backend.alias, status=TaskResultStatus.READY)
            .order_by("run_after", "enqueued_at")
        )
        if not queued:
            run_after = next_daily_run(now)
            daily.using(run_after=run_after).enqueue()
            return run_after
        DBTaskResult.objects.filter(pk__in=[extra.pk for extra in queued[1:]]).delete()
        # A run queued without a time is stored as running "at the end of time", which means as soon as possible; one
        # whose time has passed (no worker was running then) runs as soon as a worker does.
        run_after = queued[0].run_after
        return now if run_after == get_date_max() else max(run_after, now)
