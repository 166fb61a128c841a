"""The daily retention purge, as a background task on Django's tasks framework, queued as the reminders are.

`daily_purge` queues tomorrow's run first (so that a failing purge does not end the chain), then purges what is
due today. `ensure_purge_scheduled` keeps exactly one run queued; `maca purge` calls it.
"""

from datetime import datetime

from django.utils import timezone
from django_tasks import task

from maca.common.reminders import ensure_queued_daily

from .purge import purge_due


@task()
def daily_purge() -> dict[str, int]:
    """The daily run, by the system: queue tomorrow's, then destroy the case-level data that is due today."""
    ensure_purge_scheduled()
    report = purge_due(today=timezone.localdate(), dry_run=False)
    return {"purged": len(report.audits), "held": len(report.held)}


def ensure_purge_scheduled(*, now: datetime | None = None) -> datetime | None:
    """Make sure exactly one daily purge is queued (removing any extra), and return when it will run; None when the
    task backend is not the database backend (nothing can be queued: run `maca purge` daily instead)."""
    return ensure_queued_daily(daily_purge, now=now)
