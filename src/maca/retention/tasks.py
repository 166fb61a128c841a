"""The daily retention purge, as a background task on Django's tasks framework, queued as the reminders are.

`daily_purge` queues tomorrow's run first (so that a failing purge does not end the chain), then purges what is
due today. `ensure_purge_scheduled` keeps exactly one run queued; `maca purge` calls it.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max

from maca.common.reminders import next_daily_run

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
    backend = daily_purge.get_backend()
    if not isinstance(backend, DatabaseBackend):
        return None
    now = now or timezone.now()
    with transaction.atomic():
        queued = list(
            DBTaskResult.objects.select_for_update()
            .filter(task_path=daily_purge.module_path, backend_name=backend.alias, status=TaskResultStatus.READY)
            .order_by("run_after", "enqueued_at")
        )
        if not queued:
            run_after = next_daily_run(now)
            daily_purge.using(run_after=run_after).enqueue()
            return run_after
        DBTaskResult.objects.filter(pk__in=[extra.pk for extra in queued[1:]]).delete()
        run_after = queued[0].run_after
        # Queued without a time means "as soon as possible"; a time that has passed means when a worker next runs.
        return now if run_after == get_date_max() else max(run_after, now)
