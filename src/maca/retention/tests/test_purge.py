"""The purge's schedule: nothing is destroyed before its day, under a legal hold or in a dry run (which reports
the same as the real run); `maca purge` says what it destroyed, one line per audit, and queues the daily purge once."""

import datetime
import io
from pathlib import Path

import pytest
from django.conf import LazySettings
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from maca.cases.models import Case
from maca.cases.services import case_update, case_withdraw
from maca.cases.tests.factories import make_case, profile
from maca.partnerships.append_only import holds_values
from maca.partnerships.models import AccessLogEntry
from maca.retention.models import AuditClosure
from maca.retention.purge import audit_purge, purge_due
from maca.retention.services import audit_close, legal_hold_lift, legal_hold_place
from maca.retention.tasks import daily_purge, ensure_purge_scheduled
from maca.retention.tests.test_purge_leaves_no_trace import MARK, database, media, plant
from maca.returns.models import AgencyReturn
from maca.tests.cast import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def closure(cast: Cast, settings: LazySettings, tmp_path: Path) -> AuditClosure:
    settings.MEDIA_ROOT = tmp_path / "media"
    scene = plant(cast)
    return audit_close(actor=cast.coordinator, audit=scene["audit"])


def _purge(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("purge", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_nothing_is_destroyed_before_the_retention_period_runs_out(closure: AuditClosure) -> None:
    report = purge_due(today=closure.destroy_on - datetime.timedelta(days=1), dry_run=False)
    assert report.audits == []
    assert MARK in database()
    with pytest.raises(ValidationError, match="kept until"):
        audit_purge(audit=closure.audit, today=closure.destroy_on - datetime.timedelta(days=1), dry_run=False)


def test_nothing_is_destroyed_while_a_legal_hold_is_in_force(
    cast: Cast, closure: AuditClosure, settings: LazySettings
) -> None:
    legal_hold_place(actor=cast.coordinator, audit=closure.audit, reason="The police asked us to keep the records.")
    later = closure.destroy_on + datetime.timedelta(days=400)
    report = purge_due(today=later, dry_run=False)
    assert (report.audits, report.held) == ([], [closure.audit.reference])
    assert MARK in database()
    assert MARK in media(Path(settings.MEDIA_ROOT))
    assert Case.objects.filter(audit=closure.audit).count() == 2
    with pytest.raises(ValidationError, match="legal hold"):
        audit_purge(audit=closure.audit, today=later, dry_run=False)
    placed = AccessLogEntry.objects.get(changes__has_key="legal hold placed")
    assert (placed.actor, placed.changes) == (
        cast.coordinator,
        {"legal hold placed": [None, "The police asked us to keep the records."]},
    )

    legal_hold_lift(actor=cast.coordinator, audit=closure.audit, reason="The investigation has closed.")
    assert AccessLogEntry.objects.filter(changes__has_key="legal hold lifted", actor=cast.coordinator).exists()
    [purged] = purge_due(today=later, dry_run=False).audits
    assert purged.counts["cases"] == 2
    assert MARK not in database()


def test_a_dry_run_destroys_nothing_and_reports_what_the_real_run_does(
    closure: AuditClosure, settings: LazySettings
) -> None:
    before = database()
    dry = purge_due(today=closure.destroy_on, dry_run=True)
    assert database() == before
    assert MARK in media(Path(settings.MEDIA_ROOT))
    closure.refresh_from_db()
    assert closure.purged_at is None
    real = purge_due(today=closure.destroy_on, dry_run=False)
    assert dry.audits == real.audits
    assert dry.audits[0].counts["returns"] == 1
    assert not AgencyReturn.objects.filter(audit=closure.audit).exists()
    # Once purged, an audit is never purged again.
    assert purge_due(today=closure.destroy_on, dry_run=False).audits == []


def _queued() -> int:
    return DBTaskResult.objects.filter(task_path=daily_purge.module_path, status=TaskResultStatus.READY).count()


def test_the_command_says_what_it_would_destroy_then_destroys_it_and_queues_the_daily_purge_once(
    closure: AuditClosure,
) -> None:
    AuditClosure.objects.filter(pk=closure.pk).update(destroy_on=timezone.localdate() - datetime.timedelta(days=1))
    closure.refresh_from_db()
    reference = closure.audit.reference
    out, err = _purge("--dry-run")
    lines = out.splitlines()
    dry_line = lines[0]
    assert lines[0].startswith(f"would destroy\t{reference} (due {closure.destroy_on.isoformat()}): 2 cases, ")
    assert "1 returns" in lines[0]
    assert "1 evidence files" in lines[0]
    assert lines[-1] == "Dry run: nothing was destroyed or queued."
    assert f"Counting the case-level data of {reference} (1 of 1)…" in err
    assert _queued() == 0
    assert MARK in database()

    out, err = _purge()
    lines = out.splitlines()
    assert lines[0] == dry_line.replace("would destroy", "destroyed", 1)
    assert lines[-1].startswith("The daily purge runs next at 07:00 on ")
    assert f"Destroying the case-level data of {reference} (1 of 1)…" in err
    assert MARK not in database()
    assert _queued() == 1

    out, _ = _purge()
    assert out.splitlines()[0] == f"No audit’s case-level data is due for destruction on {timezone.localdate()}."
    assert _queued() == 1
    assert ensure_purge_scheduled() is not None
    assert _queued() == 1


def test_the_command_refuses_a_bad_date_and_a_real_run_ahead_of_the_calendar(closure: AuditClosure) -> None:
    with pytest.raises(CommandError, match="--date must be a date such as"):
        _purge("--date", "next year")
    with pytest.raises(CommandError, match="only a dry run may look ahead"):
        _purge("--date", closure.destroy_on.isoformat())
    out, _ = _purge("--dry-run", "--date", closure.destroy_on.isoformat())
    assert out.startswith(f"would destroy\t{closure.audit.reference}")
    assert MARK in database()


def test_the_daily_task_purges_what_is_due_and_queues_the_next_run(closure: AuditClosure) -> None:
    AuditClosure.objects.filter(pk=closure.pk).update(destroy_on=timezone.localdate())
    result = daily_purge.call()
    assert result == {"purged": 1, "held": 0}
    assert _queued() == 1
    assert MARK not in database()


def test_the_log_of_a_case_withdrawn_before_closure_loses_its_values_too(
    cast: Cast, settings: LazySettings, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    audit = plant(cast)["audit"]
    lead_a = cast["agency_lead_a"]
    assert lead_a is not None
    withdrawn = make_case(audit, cast.agency_a, lead_a, reference="NEG-07")
    case_update(actor=lead_a, case=withdrawn, profile=profile("NEG-07", ethnicity="WIRI"))
    case_withdraw(actor=lead_a, case=Case.objects.get(pk=withdrawn.pk))
    about_it = AccessLogEntry.objects.filter(object_id=str(withdrawn.pk), content_type__model="case")
    assert {"ethnicity": ["WBRI", "WIRI"]} in [entry.changes for entry in about_it]
    closure = audit_close(actor=cast.coordinator, audit=audit)
    purge_due(today=closure.destroy_on, dry_run=False)
    after = list(about_it.all())
    assert len(after) == 3  # nominated, changed, withdrawn: who did what, when, stays
    assert not [entry.changes for entry in after if holds_values(entry.changes)]
