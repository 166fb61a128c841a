"""The reminder engine on a real database: each reminder once, never for what is submitted, never to inactive people."""

import socket
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks

from maca.common import reminders
from maca.common.models import SentReminder
from maca.common.reminders import (
    BY_HAND,
    Outcome,
    Reminder,
    ReminderNotSent,
    due_phrase,
    reminder_send_now,
    reminders_due,
    reminders_send_due,
)
from maca.common.tests.conftest import ThingSource, person
from maca.partnerships.models import AccessAction, AccessLogEntry
from maca.partnerships.services import access_log_record
from maca.tests.cast import Cast

DUE = date(2025, 5, 12)


def _outcomes(report: reminders.Report) -> list[tuple[str, str, Outcome]]:
    return [(result.reminder.key, result.reminder.recipient.email, result.outcome) for result in report.results]


def test_a_due_reminder_is_sent_once_per_stage(thing_source: ThingSource, cast: Cast) -> None:
    lead = person(cast, "agency_lead_a")
    thing_source.add(DUE, lead)

    assert reminders_send_due(day=DUE - timedelta(days=8)).results == []
    first = reminders_send_due(day=DUE - timedelta(days=7))
    assert _outcomes(first) == [("thing:1", "lead.a@example.org", Outcome.SENT)]
    assert [message.subject for message in mail.outbox] == ["Thing 1: 7 days before"]

    # The same stage, the same day or the days after: never again.
    for day in (DUE - timedelta(days=7), DUE - timedelta(days=3), DUE - timedelta(days=1)):
        assert _outcomes(reminders_send_due(day=day)) == [("thing:1", "lead.a@example.org", Outcome.ALREADY_SENT)]
    assert len(mail.outbox) == 1

    # The next stages, once each.
    for day in (DUE, DUE + timedelta(days=1), DUE + timedelta(days=7), DUE + timedelta(days=8)):
        reminders_send_due(day=day)
    assert [message.subject for message in mail.outbox] == [
        "Thing 1: 7 days before",
        "Thing 1: due today",
        "Thing 1: 7 days overdue",
    ]
    assert list(SentReminder.objects.order_by("id").values_list("key", "stage", "status", "by_hand")) == [
        ("thing:1", "before-7:2025-05-12", "sent", False),
        ("thing:1", "due:2025-05-12", "sent", False),
        ("thing:1", "overdue-7:2025-05-12", "sent", False),
    ]


def test_each_recipient_gets_their_own_reminder(thing_source: ThingSource, cast: Cast) -> None:
    thing_source.add(DUE, person(cast, "agency_lead_a"), person(cast, "auditor_a"))
    report = reminders_send_due(day=DUE)
    assert report.count(Outcome.SENT) == 2
    assert sorted(message.to[0] for message in mail.outbox) == ["auditor.a@example.org", "lead.a@example.org"]


def test_a_submitted_thing_is_never_reminded(thing_source: ThingSource, cast: Cast) -> None:
    lead = person(cast, "agency_lead_a")
    thing = thing_source.add(DUE, lead, submitted=True)
    for offset in (-7, 0, 7, 14):
        report = reminders_send_due(day=DUE + timedelta(days=offset))
        assert _outcomes(report) == [("thing:1", "lead.a@example.org", Outcome.SUBMITTED)]
    assert mail.outbox == []
    assert not SentReminder.objects.exists()

    # By hand neither.
    reminder = next(iter(thing_source.due(DUE)))
    with pytest.raises(ReminderNotSent) as refused:
        reminder_send_now(actor=cast.coordinator, reminder=reminder)
    assert refused.value.outcome == Outcome.SUBMITTED

    # Once it is reopened (no longer submitted), the current stage goes.
    thing.submitted = False
    assert reminders_send_due(day=DUE).count(Outcome.SENT) == 1


def test_an_inactive_person_is_never_reminded(thing_source: ThingSource, cast: Cast) -> None:
    lead = person(cast, "agency_lead_a")
    lead.is_active = False
    lead.save()
    thing_source.add(DUE, lead, person(cast, "auditor_a"))
    report = reminders_send_due(day=DUE)
    assert _outcomes(report) == [
        ("thing:1", "lead.a@example.org", Outcome.INACTIVE),
        ("thing:1", "auditor.a@example.org", Outcome.SENT),
    ]
    assert [message.to for message in mail.outbox] == [["auditor.a@example.org"]]
    with pytest.raises(ReminderNotSent, match="inactive"):
        reminder_send_now(actor=cast.coordinator, reminder=report.results[0].reminder)


def test_the_e_mail(thing_source: ThingSource, cast: Cast, settings: Any) -> None:
    settings.MACA_BASE_URL = "https://maca.example.org"
    settings.DEFAULT_FROM_EMAIL = "maca <maca@example.org>"
    thing_source.add(DUE, person(cast, "agency_lead_a"))
    reminders_send_due(day=DUE + timedelta(days=9))
    [message] = mail.outbox
    assert message.subject == "Thing 1: 7 days overdue"
    assert message.from_email == "maca <maca@example.org>"
    assert message.to == ["lead.a@example.org"]
    assert message.extra_headers == {"Auto-Submitted": "auto-generated"}
    assert message.body == (
        "Dear Lee Lead,\n"
        "\n"
        "Please submit thing 1.\n"
        "\n"
        "Due: Monday 12 May 2025 (9 days overdue).\n"
        "\n"
        "https://maca.example.org/things/1/\n"
        "\n"
        "maca sends reminders like this one until it is submitted.\n"
        "You receive them as a member of Anytown Safeguarding Children Partnership.\n"
    )


@pytest.fixture
def reminder_template(settings: Any, tmp_path: Path) -> str:
    (tmp_path / "thing_reminder.txt").write_text(
        "{% autoescape off %}{{ recipient.full_name }}, thing {{ number }} for {{ partnership.name }} is "
        "{{ stage.label }} ({{ due_phrase }}): {{ link }}{% endautoescape %}\n"
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    return "thing_reminder.txt"


def test_a_source_may_give_a_template_and_context(
    thing_source: ThingSource,
    cast: Cast,
    reminder_template: str,
    settings: Any,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    settings.MACA_BASE_URL = "http://127.0.0.1:8000"
    thing = thing_source.add(DUE)
    reminder = Reminder(
        key=thing.key,
        stage=BY_HAND,
        recipient=person(cast, "auditor_b"),
        partnership=cast.partnership,
        subject="Thing 1",
        template=reminder_template,
        context={"number": 1},
        due=timezone.localdate() + timedelta(days=2),
        link="/things/1/",
    )
    with django_capture_on_commit_callbacks(execute=True):
        reminder_send_now(actor=cast.coordinator, reminder=reminder)
    [message] = mail.outbox
    assert message.body.startswith(
        "Dear Bo Auditor,\n\nBo Auditor, thing 1 for Anytown Safeguarding Children Partnership is sent by hand "
        "(in 2 days): http://127.0.0.1:8000/things/1/\n"
    )


@pytest.mark.parametrize(
    ("key", "stage", "message"),
    [
        ("42", BY_HAND, "a prefix, a colon and an id"),
        ("thing:", BY_HAND, "a prefix, a colon and an id"),
        ("Thing:1", BY_HAND, "a prefix, a colon and an id"),
        ("thing:" + "9" * 95, BY_HAND, "at most 100 characters"),
        ("thing:1", reminders.Stage("", "nothing"), "a stage's code has 1 to 60 characters"),
        ("thing:1", reminders.Stage("x" * 61, "long"), "a stage's code has 1 to 60 characters"),
    ],
)
def test_a_reminder_s_key_and_stage_fit_the_record(cast: Cast, key: str, stage: reminders.Stage, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Reminder(key=key, stage=stage, recipient=cast.coordinator, partnership=cast.partnership, subject="s", body="b")


def test_a_reminder_needs_exactly_one_of_body_and_template(cast: Cast) -> None:
    for text in ({}, {"body": "b", "template": "t.txt"}):
        with pytest.raises(ValueError, match="either a body or a template"):
            Reminder(
                key="thing:1",
                stage=BY_HAND,
                recipient=cast.coordinator,
                partnership=cast.partnership,
                subject="s",
                **text,  # type: ignore[arg-type]
            )


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_reminder_the_mail_server_refused_goes_on_the_next_run(
    thing_source: ThingSource, cast: Cast, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    thing_source.add(DUE, person(cast, "agency_lead_a"))
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = _closed_port()
    settings.EMAIL_TIMEOUT = 5
    assert reminders_send_due(day=DUE).count(Outcome.FAILED) == 1
    assert "Could not send the reminder thing:1 (due:2025-05-12)" in caplog.text
    assert SentReminder.objects.get().status == SentReminder.Status.FAILED

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert reminders_send_due(day=DUE + timedelta(days=1)).count(Outcome.SENT) == 1
    assert SentReminder.objects.get().status == SentReminder.Status.SENT
    assert len(mail.outbox) == 1


def test_two_runs_at_once_send_once(thing_source: ThingSource, cast: Cast) -> None:
    lead = person(cast, "agency_lead_a")
    thing_source.add(DUE, lead)
    # Another worker has just claimed this reminder and is sending it.
    SentReminder.objects.create(
        key="thing:1", stage="due:2025-05-12", recipient=lead, partnership=cast.partnership, subject="Thing 1"
    )
    assert _outcomes(reminders_send_due(day=DUE)) == [("thing:1", "lead.a@example.org", Outcome.ALREADY_SENT)]
    assert mail.outbox == []
    # The database refuses a second record of the same automatic reminder, whoever writes it.
    with pytest.raises(IntegrityError), transaction.atomic():
        SentReminder.objects.create(
            key="thing:1", stage="due:2025-05-12", recipient=lead, partnership=cast.partnership, subject="Again"
        )


def test_a_run_that_loses_the_race_to_another_sends_nothing(thing_source: ThingSource, cast: Cast) -> None:
    lead = person(cast, "agency_lead_a")
    thing_source.add(DUE, lead)
    answer = thing_source.is_submitted

    def another_worker_claims_it_meanwhile(key: str) -> bool:
        # Between this run's "not sent yet" and its claim, another worker claims the same reminder.
        SentReminder.objects.create(
            key=key, stage="due:2025-05-12", recipient=lead, partnership=cast.partnership, subject="Thing 1"
        )
        return answer(key)

    reminders.unregister_source("thing")
    reminders.register_source("thing", due=thing_source.due, is_submitted=another_worker_claims_it_meanwhile)
    assert _outcomes(reminders_send_due(day=DUE)) == [("thing:1", "lead.a@example.org", Outcome.ALREADY_SENT)]
    assert mail.outbox == []
    assert SentReminder.objects.get().status == SentReminder.Status.SENDING  # the other worker's, untouched


def test_a_reminder_left_half_sent_by_a_dead_worker_goes_after_an_hour(thing_source: ThingSource, cast: Cast) -> None:
    lead = person(cast, "agency_lead_a")
    thing_source.add(DUE, lead)
    SentReminder.objects.create(
        key="thing:1",
        stage="due:2025-05-12",
        recipient=lead,
        partnership=cast.partnership,
        subject="Thing 1",
        at=timezone.now() - timedelta(minutes=61),
    )
    assert reminders_send_due(day=DUE).count(Outcome.SENT) == 1
    assert SentReminder.objects.get().status == SentReminder.Status.SENT


def test_a_failing_source_does_not_stop_the_others(
    thing_source: ThingSource, cast: Cast, caplog: pytest.LogCaptureFixture
) -> None:
    thing_source.add(DUE, person(cast, "agency_lead_a"))

    def broken(day: date) -> Iterator[Reminder]:
        raise RuntimeError("the returns table is gone")

    def wrong_key(day: date) -> Iterator[Reminder]:
        yield Reminder(
            key="thing:1",
            stage=BY_HAND,
            recipient=cast.coordinator,
            partnership=cast.partnership,
            subject="s",
            body="b",
        )

    reminders.register_source("aardvark", due=broken, is_submitted=lambda key: False)
    reminders.register_source("zebra", due=wrong_key, is_submitted=lambda key: False)
    report = reminders_send_due(day=DUE)
    assert report.failed_sources == ["aardvark", "zebra"]
    assert report.count(Outcome.SENT) == 1
    assert "The reminder source 'aardvark' failed" in caplog.text
    assert "The reminder source 'zebra' yielded the key 'thing:1'" in caplog.text


def test_a_dry_run_sends_and_records_nothing(thing_source: ThingSource, cast: Cast) -> None:
    thing_source.add(DUE, person(cast, "agency_lead_a"), person(cast, "auditor_a"))
    thing_source.add(DUE, person(cast, "auditor_b"), submitted=True)
    reminders_send_due(day=DUE - timedelta(days=7))
    report = reminders_due(day=DUE)
    assert _outcomes(report) == [
        ("thing:1", "lead.a@example.org", Outcome.TO_SEND),
        ("thing:1", "auditor.a@example.org", Outcome.TO_SEND),
        ("thing:2", "auditor.b@example.org", Outcome.SUBMITTED),
    ]
    assert _outcomes(reminders_due(day=DUE - timedelta(days=6)))[:2] == [
        ("thing:1", "lead.a@example.org", Outcome.ALREADY_SENT),
        ("thing:1", "auditor.a@example.org", Outcome.ALREADY_SENT),
    ]
    assert len(mail.outbox) == 2
    assert SentReminder.objects.count() == 2


def test_a_reminder_sent_by_hand(
    thing_source: ThingSource,
    cast: Cast,
    settings: Any,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    settings.MACA_BASE_URL = "http://localhost"
    lead = person(cast, "agency_lead_a")
    thing_source.add(DUE, lead)
    reminders_send_due(day=DUE)
    reminder = next(iter(thing_source.due(DUE)))

    for _ in range(2):  # by hand, as often as the coordinator asks, whatever went automatically before
        with django_capture_on_commit_callbacks(execute=True):
            sent = reminder_send_now(actor=cast.coordinator, reminder=reminder)
        sent.refresh_from_db()
        assert (sent.by_hand, sent.sent_by, sent.status) == (True, cast.coordinator, SentReminder.Status.SENT)
    assert len(mail.outbox) == 3
    by_hand = mail.outbox[-1]
    phrase = due_phrase(DUE, timezone.localdate())
    assert by_hand.body == (
        "Dear Lee Lead,\n"
        "\n"
        "Please submit thing 1.\n"
        "\n"
        f"Due: Monday 12 May 2025 ({phrase}).\n"
        "\n"
        "http://localhost/things/1/\n"
        "\n"
        "Cora Coordinator (coordinator@example.org) asked maca to send you this reminder.\n"
        "You receive it as a member of Anytown Safeguarding Children Partnership.\n"
    )
    assert "Auto-Submitted" not in by_hand.extra_headers


def test_the_caller_logs_a_reminder_sent_by_hand_in_the_access_log(thing_source: ThingSource, cast: Cast) -> None:
    """The pattern reminder_send_now documents for the app that owns the thing."""
    thing_source.add(DUE, person(cast, "agency_lead_a"))
    reminder = next(iter(thing_source.due(DUE)))
    with transaction.atomic():
        sent = reminder_send_now(actor=cast.coordinator, reminder=reminder)
        access_log_record(actor=cast.coordinator, partnership=sent.partnership, action=AccessAction.CREATED, obj=sent)
    entry = AccessLogEntry.objects.get(content_type=ContentType.objects.get_for_model(SentReminder))
    assert (entry.actor, entry.object_id, entry.object_repr) == (
        cast.coordinator,
        str(sent.pk),
        "Reminder thing:1 (due:2025-05-12): Thing 1: due today",
    )


def test_a_reminder_by_hand_needs_a_registered_source(thing_source: ThingSource, cast: Cast) -> None:
    reminder = Reminder(
        key="unknown:1", stage=BY_HAND, recipient=cast.coordinator, partnership=cast.partnership, subject="s", body="b"
    )
    with pytest.raises(ValueError, match="No reminder source is registered for the key 'unknown:1'"):
        reminder_send_now(actor=cast.coordinator, reminder=reminder)


def test_registering_sources(thing_source: ThingSource) -> None:
    assert thing_source.registered is not None
    # The same functions again (AppConfig.ready run twice): harmless.
    again = reminders.register_source("thing", due=thing_source.due, is_submitted=thing_source.is_submitted)
    assert reminders.registered_sources() == [again]
    with pytest.raises(ImproperlyConfigured, match="already uses the prefix 'thing'"):
        reminders.register_source("thing", due=lambda day: [], is_submitted=lambda key: False)
    with pytest.raises(ValueError, match="lower-case letters"):
        reminders.register_source("Thing:", due=lambda day: [], is_submitted=lambda key: False)
    reminders.unregister_source("thing")
    assert reminders.registered_sources() == []
