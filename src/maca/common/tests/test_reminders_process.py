"""`maca reminders` and `maca db_worker` as `make run` runs them: real processes on a migrated database of their own."""

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

MACA = shutil.which("maca", path=str(Path(sys.executable).parent))


def _maca(*args: str, tmp_path: Path, **env: str) -> str:
    assert MACA is not None, "the maca console script is not installed in this environment"
    environment = {
        **os.environ,
        "MACA_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'maca.sqlite3'}",
        **env,
    }
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run([MACA, *args], capture_output=True, text=True, env=environment, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _queued_daily_runs(tmp_path: Path) -> list[str]:
    with sqlite3.connect(tmp_path / "maca.sqlite3") as db:
        rows = db.execute(
            "SELECT run_after FROM django_tasks_database_dbtaskresult WHERE task_path = ? AND status = 'READY'",
            ["maca.common.reminders.daily_reminders"],
        ).fetchall()
    return [row[0] for row in rows]


def test_the_migrated_database_queues_one_daily_run_and_the_worker_starts(tmp_path: Path) -> None:
    _maca("migrate", "--no-input", "-v", "0", tmp_path=tmp_path)

    first = _maca("reminders", tmp_path=tmp_path)
    assert "0 sent, 0 not delivered, 0 skipped." in first
    assert "The daily reminders run next at 07:00 on " in first
    assert len(_queued_daily_runs(tmp_path)) == 1
    _maca("reminders", tmp_path=tmp_path)
    [run_after] = _queued_daily_runs(tmp_path)

    # The worker starts, finds nothing due before tomorrow morning, and leaves the daily run queued.
    _maca("db_worker", "--batch", "--no-startup-delay", tmp_path=tmp_path)
    assert _queued_daily_runs(tmp_path) == [run_after]

    immediate = _maca(
        "reminders", tmp_path=tmp_path, MACA_TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend"
    )
    assert "no daily run is queued: run `maca reminders` every day." in immediate
