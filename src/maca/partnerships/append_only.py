"""The access log as evidence: append-only at the database, whatever the application does.

Triggers on the log's table refuse every DELETE, and every UPDATE but one: rewriting the `changes` of rows while a
redaction is open. A redaction is opened only by `access_log_destroy_values`, the one route that may change the log,
inside its own transaction, to destroy the values the log holds once the data they describe is destroyed (the
retention purge); who did what, to what and when is never changed. A redaction is recorded (`AccessLogRedaction`)
with its reason and the number of rows it redacted.

The triggers are installed by a migration (`partnerships.0004`) on SQLite and on PostgreSQL alike, so that neither
the ORM, nor raw SQL through the application's connection, nor a bug can rewrite history. A later migration that
alters the log's table runs `install` again after it (on SQLite, altering a table rebuilds it without its
triggers); a test migrates a new database and checks that the log refuses changes. What they cannot stop on
their own is someone who uses the application's own database credentials to open a redaction by hand; in
production the log's table and the redactions table can be owned by a separate role, with the application's role
granted only INSERT and SELECT on the log (see docs/security.md).
"""

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import QuerySet

from .models import AccessLogEntry, AccessLogRedaction

LOG = AccessLogEntry._meta.db_table
REDACTIONS = AccessLogRedaction._meta.db_table
MESSAGE = "The access log is append-only: its rows cannot be changed or deleted."
# Everything of a row but its `changes`: what no redaction may touch.
KEPT = tuple(field.column for field in AccessLogEntry._meta.concrete_fields if field.name != "changes")
DESTROYED = "destroyed"

_SQLITE = [
    "DROP TRIGGER IF EXISTS maca_access_log_no_delete",
    "DROP TRIGGER IF EXISTS maca_access_log_no_update",
    f"""CREATE TRIGGER maca_access_log_no_delete BEFORE DELETE ON {LOG}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER maca_access_log_no_update BEFORE UPDATE ON {LOG}
    WHEN NOT EXISTS (SELECT 1 FROM {REDACTIONS} WHERE is_open)
    {"".join(f" OR NEW.{column} IS NOT OLD.{column}" for column in KEPT)}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",  # noqa: S608 (names from the models, no input)
]
_POSTGRESQL = [
    f"""CREATE OR REPLACE FUNCTION maca_access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE'
            AND EXISTS (SELECT 1 FROM {REDACTIONS} WHERE is_open)
            AND ({", ".join(f"NEW.{c}" for c in KEPT)}) IS NOT DISTINCT FROM ({", ".join(f"OLD.{c}" for c in KEPT)})
        THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
    END $$""",  # noqa: S608 (names from the models, no input)
    f"DROP TRIGGER IF EXISTS maca_access_log_append_only ON {LOG}",
    f"""CREATE TRIGGER maca_access_log_append_only BEFORE UPDATE OR DELETE ON {LOG}
    FOR EACH ROW EXECUTE FUNCTION maca_access_log_append_only()""",
    f"DROP TRIGGER IF EXISTS maca_access_log_no_truncate ON {LOG}",
    f"""CREATE TRIGGER maca_access_log_no_truncate BEFORE TRUNCATE ON {LOG}
    FOR EACH STATEMENT EXECUTE FUNCTION maca_access_log_append_only()""",
]
_UNINSTALL = {
    "sqlite": ["DROP TRIGGER IF EXISTS maca_access_log_no_delete", "DROP TRIGGER IF EXISTS maca_access_log_no_update"],
    "postgresql": [
        f"DROP TRIGGER IF EXISTS maca_access_log_append_only ON {LOG}",
        f"DROP TRIGGER IF EXISTS maca_access_log_no_truncate ON {LOG}",
        "DROP FUNCTION IF EXISTS maca_access_log_append_only()",
    ],
}


def install(connection: BaseDatabaseWrapper) -> None:
    """Make the access log append-only on this database (SQLite or PostgreSQL); running it again changes nothing."""
    statements = {"sqlite": _SQLITE, "postgresql": _POSTGRESQL}.get(connection.vendor)
    if statements is None:
        raise NotImplementedError(
            f"maca keeps its access log append-only on SQLite and PostgreSQL, not {connection.vendor}."
        )
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def uninstall(connection: BaseDatabaseWrapper) -> None:
    """Take the triggers away (for migrating backwards only)."""
    with connection.cursor() as cursor:
        for statement in _UNINSTALL.get(connection.vendor, []):
            cursor.execute(statement)


@transaction.atomic
def access_log_destroy_values(entries: QuerySet[AccessLogEntry], *, reason: str) -> AccessLogRedaction:
    """Destroy the values the given log rows hold: every field they name stays, with its value replaced by
    "destroyed"; who did what, to what and when stays as it was. The only route that may change the access log,
    recorded with its reason."""
    redaction = AccessLogRedaction.objects.create(reason=reason[:300])
    for pk, changes in entries.values_list("pk", "changes").iterator():
        destroyed = {name: [None, DESTROYED] for name in changes or {}}
        if destroyed != changes:
            AccessLogEntry.objects.filter(pk=pk).update(changes=destroyed)
            redaction.entries += 1
    redaction.is_open = False
    redaction.save(update_fields=["entries", "is_open"])
    return redaction
