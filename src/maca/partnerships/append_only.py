"""The access log as evidence: append-only at the database, whatever the application does.

Triggers on the log's table refuse every DELETE, and every UPDATE but one: rewriting the `changes` of rows while a
redaction is open. A redaction is opened only by `access_log_destroy_values`, the one route that may change the log,
inside its own transaction, to destroy the values the log holds once the data they describe is destroyed (the
retention purge); who did what, to what and when is never changed. A redaction is recorded (`AccessLogRedaction`)
with its reason and the number of rows it redacted.

The triggers are installed by a migration (`partnerships.0004`) on SQLite and on PostgreSQL alike, so that neither
the ORM, nor raw SQL through the application's connection, nor a bug can rewrite history. A later migration that
alters the log's tables runs `uninstall` before and `install` after (SQLite rebuilds a table it alters, which a
trigger naming it would stop, and leaves it without its triggers), as `partnerships.0006` does; a test migrates a
new database and checks that the log refuses changes. SQLite's INSERT OR REPLACE, which deletes without firing the
delete trigger, is refused too; and the redactions themselves can only ever be closed, never reopened, reworded or
deleted. What they cannot stop on
their own is someone who uses the application's own database credentials to open a redaction by hand; in
production the log's table and the redactions table can be owned by a separate role, with the application's role
granted only INSERT and SELECT on the log (see docs/security.md).
"""

from typing import Any

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import QuerySet

from .models import AccessLogEntry, AccessLogRedaction

LOG = AccessLogEntry._meta.db_table
REDACTIONS = AccessLogRedaction._meta.db_table
MESSAGE = "The access log is append-only: its rows cannot be changed or deleted."
DESTROYED = "destroyed"

REDACTION_MESSAGE = "A redaction of the access log is kept as it was recorded: it can only be closed."


def _changed(columns: tuple[str, ...], compare: str) -> str:
    return " OR ".join(f"NEW.{column} {compare} OLD.{column}" for column in columns)


def _sqlite(kept: tuple[str, ...]) -> list[str]:
    return [
        *(
            f"DROP TRIGGER IF EXISTS {name}"
            for name in (
                "maca_access_log_no_delete",
                "maca_access_log_no_update",
                "maca_access_log_no_replace",
                "maca_access_log_redaction_no_delete",
                "maca_access_log_redaction_no_update",
            )
        ),
        f"""CREATE TRIGGER maca_access_log_no_delete BEFORE DELETE ON {LOG}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
        f"""CREATE TRIGGER maca_access_log_no_update BEFORE UPDATE ON {LOG}
    WHEN NOT EXISTS (SELECT 1 FROM {REDACTIONS} WHERE is_open) OR {_changed(kept, "IS NOT")}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",  # noqa: S608 (names from the models, no input)
        # INSERT OR REPLACE deletes the row it replaces without firing the delete trigger.
        f"""CREATE TRIGGER maca_access_log_no_replace BEFORE INSERT ON {LOG}
    WHEN EXISTS (SELECT 1 FROM {LOG} WHERE id = NEW.id)
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",  # noqa: S608 (names from the models, no input)
        f"""CREATE TRIGGER maca_access_log_redaction_no_delete BEFORE DELETE ON {REDACTIONS}
    BEGIN SELECT RAISE(ABORT, '{REDACTION_MESSAGE}'); END""",
        f"""CREATE TRIGGER maca_access_log_redaction_no_update BEFORE UPDATE ON {REDACTIONS}
    WHEN NOT (OLD.is_open AND NOT NEW.is_open) OR {_changed(("id", "at", "reason"), "IS NOT")}
    BEGIN SELECT RAISE(ABORT, '{REDACTION_MESSAGE}'); END""",
    ]


def _postgresql(kept: tuple[str, ...]) -> list[str]:
    return [
        f"""CREATE OR REPLACE FUNCTION maca_access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE'
            AND EXISTS (SELECT 1 FROM {REDACTIONS} WHERE is_open)
            AND ({", ".join(f"NEW.{c}" for c in kept)}) IS NOT DISTINCT FROM ({", ".join(f"OLD.{c}" for c in kept)})
        THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
    END $$""",  # noqa: S608 (names from the models, no input)
        f"""CREATE OR REPLACE FUNCTION maca_access_log_redaction_closes_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND OLD.is_open AND NOT NEW.is_open
            AND (NEW.id, NEW.at, NEW.reason) IS NOT DISTINCT FROM (OLD.id, OLD.at, OLD.reason)
        THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION '{REDACTION_MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
    END $$""",
        *(
            statement
            for table, function, prefix in (
                (LOG, "maca_access_log_append_only", "maca_access_log"),
                (REDACTIONS, "maca_access_log_redaction_closes_only", "maca_access_log_redaction"),
            )
            for statement in (
                f"DROP TRIGGER IF EXISTS {prefix}_append_only ON {table}",
                f"""CREATE TRIGGER {prefix}_append_only BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION {function}()""",
                f"DROP TRIGGER IF EXISTS {prefix}_no_truncate ON {table}",
                f"""CREATE TRIGGER {prefix}_no_truncate BEFORE TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION {function}()""",
            )
        ),
    ]


_UNINSTALL = {
    "sqlite": _sqlite(())[:5],
    "postgresql": [
        *(
            f"DROP TRIGGER IF EXISTS {prefix}_{kind} ON {table}"
            for table, prefix in ((LOG, "maca_access_log"), (REDACTIONS, "maca_access_log_redaction"))
            for kind in ("append_only", "no_truncate")
        ),
        "DROP FUNCTION IF EXISTS maca_access_log_append_only()",
        "DROP FUNCTION IF EXISTS maca_access_log_redaction_closes_only()",
    ],
}


def install(connection: BaseDatabaseWrapper, log_model: Any = AccessLogEntry) -> None:
    """Make the access log append-only on this database (SQLite or PostgreSQL); running it again changes nothing.

    `log_model`: the log's model as a migration sees it (its columns then), so that each migration installs triggers
    for the table as it is at that point."""
    kept = tuple(field.column for field in log_model._meta.concrete_fields if field.name != "changes")
    build = {"sqlite": _sqlite, "postgresql": _postgresql}.get(connection.vendor)
    if build is None:
        raise NotImplementedError(
            f"maca keeps its access log append-only on SQLite and PostgreSQL, not {connection.vendor}."
        )
    with connection.cursor() as cursor:
        for statement in build(kept):
            cursor.execute(statement)


def uninstall(connection: BaseDatabaseWrapper) -> None:
    """Take the triggers away (for migrating backwards only)."""
    with connection.cursor() as cursor:
        for statement in _UNINSTALL.get(connection.vendor, []):
            cursor.execute(statement)


def destroyed_values(changes: dict[str, object] | None) -> dict[str, list[object]]:
    """A row's changes with every field it names kept and every value destroyed."""
    return {name: [None, DESTROYED] for name in changes or {}}


def holds_values(changes: dict[str, object] | None) -> bool:
    """Whether a row's changes still hold any value (what `access_log_destroy_values` would change)."""
    return destroyed_values(changes) != (changes or {})


@transaction.atomic
def access_log_destroy_values(entries: QuerySet[AccessLogEntry], *, reason: str) -> AccessLogRedaction:
    """Destroy the values the given log rows hold: every field they name stays, with its value replaced by
    "destroyed"; who did what, to what and when stays as it was. The only route that may change the access log,
    recorded with its reason."""
    redaction = AccessLogRedaction.objects.create(reason=reason[:300], is_open=True)
    # Read whole before writing: SQLite does not isolate a query being iterated from writes to its table.
    for pk, changes in list(entries.values_list("pk", "changes")):
        if holds_values(changes):
            AccessLogEntry.objects.filter(pk=pk).update(changes=destroyed_values(changes))
            redaction.entries += 1
    redaction.is_open = False
    redaction.save(update_fields=["entries", "is_open"])
    return redaction
