"""The access log is append-only at the database: an UPDATE or DELETE by the application fails, through the ORM and
through raw SQL alike, on SQLite and on PostgreSQL; the one route that may change it destroys the values its rows
hold and nothing else, and is recorded."""

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from maca.partnerships import append_only
from maca.partnerships.append_only import DESTROYED, access_log_destroy_values
from maca.partnerships.models import AccessAction, AccessLogEntry, AccessLogRedaction
from maca.partnerships.services import access_log_record
from maca.tests.cast import Cast

pytestmark = pytest.mark.django_db

TABLE = AccessLogEntry._meta.db_table


@pytest.fixture
def entry(cast: Cast) -> AccessLogEntry:
    """The triggers as the migration installs them (undone with the test's transaction), and one logged change."""
    append_only.install(connection)
    return access_log_record(
        actor=cast.coordinator,
        partnership=cast.partnership,
        action=AccessAction.CHANGED,
        obj=cast.agency_a,
        changes={"name": ["Agency A", "Agency A renamed"]},
    )


def _sql(statement: str, *params: str | int) -> Callable[[], object]:
    def run() -> None:
        with connection.cursor() as cursor:
            cursor.execute(statement, params)

    return run


def _refused(attempt: str, run: Callable[[], object]) -> None:
    """The attempt fails at the database, and its transaction (a savepoint) is rolled back."""
    with pytest.raises(IntegrityError, match=r"append-only|kept as it was recorded"), transaction.atomic():
        run()


def test_an_update_or_a_delete_by_the_application_fails(entry: AccessLogEntry) -> None:
    rows = AccessLogEntry.objects.filter(pk=entry.pk)
    _refused("ORM update", lambda: rows.update(changes={}))
    _refused("ORM update of who", lambda: rows.update(actor_email="someone.else@example.org"))
    _refused("ORM delete", lambda: rows.delete())
    _refused("saving the row", lambda: entry.save())
    _refused("SQL update", _sql(f"UPDATE {TABLE} SET object_repr = %s WHERE id = %s", "x", entry.pk))  # noqa: S608
    _refused("SQL delete", _sql(f"DELETE FROM {TABLE} WHERE id = %s", entry.pk))  # noqa: S608
    if connection.vendor == "postgresql":
        _sql("SET CONSTRAINTS ALL IMMEDIATE")()  # the row's deferred checks, which would stop a TRUNCATE first
        _refused("truncate", _sql(f"TRUNCATE {TABLE} CASCADE"))
    # A row replaced by one with its id: SQLite's INSERT OR REPLACE deletes without the delete trigger.
    columns = "id, at, partnership_id, actor_email, action, content_type_id, object_id, object_repr, changes"
    values = (entry.pk, "2026-01-01", entry.partnership_id, "x@example.org", "viewed", entry.content_type_id, "1", "x")
    replace = "INSERT OR REPLACE" if connection.vendor == "sqlite" else "INSERT"
    conflict = (
        "" if connection.vendor == "sqlite" else " ON CONFLICT (id) DO UPDATE SET actor_email = EXCLUDED.actor_email"
    )
    _refused(
        "insert over a row",
        _sql(f"{replace} INTO {TABLE} ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, '{{}}'){conflict}", *values),
    )
    entry.refresh_from_db()
    assert (entry.actor_email, entry.object_repr, entry.changes) == (
        "coordinator@example.org",
        "Agency A",
        {"name": ["Agency A", "Agency A renamed"]},
    )


def test_the_one_route_destroys_the_values_and_keeps_who_did_what_when(entry: AccessLogEntry) -> None:
    kept = [field.name for field in AccessLogEntry._meta.concrete_fields if field.name != "changes"]
    before = AccessLogEntry.objects.values_list(*kept).get(pk=entry.pk)
    redaction = access_log_destroy_values(AccessLogEntry.objects.filter(pk=entry.pk), reason="Retention: test")
    assert AccessLogEntry.objects.values_list(*kept).get(pk=entry.pk) == before
    assert AccessLogEntry.objects.get(pk=entry.pk).changes == {"name": [None, DESTROYED]}
    assert (redaction.reason, redaction.entries, redaction.is_open) == ("Retention: test", 1, False)
    # Once done, the log is closed again.
    _refused("update after a redaction", lambda: AccessLogEntry.objects.filter(pk=entry.pk).update(changes={}))


def test_a_redaction_is_kept_as_recorded_and_only_the_route_opens_one(entry: AccessLogEntry) -> None:
    redaction = access_log_destroy_values(AccessLogEntry.objects.filter(pk=entry.pk), reason="Retention: test")
    rows = AccessLogRedaction.objects.filter(pk=redaction.pk)
    _refused("reopen", lambda: rows.update(is_open=True))
    _refused("reword", lambda: rows.update(reason="Something else"))
    _refused("delete", lambda: rows.delete())
    assert AccessLogRedaction.objects.create(reason="by hand").is_open is False


def test_an_open_redaction_still_cannot_change_who_did_what_when(entry: AccessLogEntry) -> None:
    with transaction.atomic():
        AccessLogRedaction.objects.create(reason="by hand", is_open=True)
        rows = AccessLogEntry.objects.filter(pk=entry.pk)
        _refused("who", lambda: rows.update(actor_email="someone.else@example.org"))
        _refused("what", lambda: rows.update(object_repr="something else"))
        _refused("delete", lambda: rows.delete())
        assert rows.update(changes={"name": [None, DESTROYED]}) == 1


def test_a_person_or_agency_named_in_the_log_is_never_deleted(entry: AccessLogEntry, cast: Cast) -> None:
    with pytest.raises(ProtectedError), transaction.atomic():
        cast.coordinator.delete()
    assert AccessLogEntry.objects.filter(pk=entry.pk, actor=cast.coordinator).exists()


@pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="migrates a SQLite file")
def test_a_migrated_database_has_the_log_refuse_changes(tmp_path: Path) -> None:
    database = tmp_path / "migrated.sqlite3"
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "MACA_VAR_DIR": str(tmp_path)}
    maca = Path(sys.executable).parent / "maca"
    subprocess.run([str(maca), "migrate", "--no-input", "--verbosity", "0"], env=environment, check=True)
    with sqlite3.connect(database) as db:
        triggers = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        assert {"maca_access_log_no_update", "maca_access_log_no_delete"} <= triggers
        # sqlite3 leaves foreign keys unchecked, so one row of the log needs nothing else.
        content_type = db.execute("SELECT id FROM django_content_type LIMIT 1").fetchone()
        assert content_type is not None
        db.execute(
            f"INSERT INTO {TABLE} (at, partnership_id, actor_email, action, content_type_id, object_id, object_repr, "  # noqa: S608
            "changes) VALUES ('2026-01-01', 1, 'a@example.org', 'viewed', ?, '1', 'x', '{}')",
            content_type,
        )
        for statement in (f"UPDATE {TABLE} SET changes = '{{}}'", f"DELETE FROM {TABLE}"):  # noqa: S608
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                db.execute(statement)
