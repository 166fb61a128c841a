"""The access log keeps which fields of a return a save changed, never the values: redact those logged before.

Until now every save of a return logged its old and new values, so the partnership's coordinator could read an
agency's draft in the access log. The entries that record a status change or an assignment keep their values.
"""

from django.db import migrations

NOT_LOGGED = "changed (the value is not logged)"
WORKFLOW_FIELDS = {"status", "assigned to"}


def redact(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    AccessLogEntry = apps.get_model("partnerships", "AccessLogEntry")
    kind = ContentType.objects.filter(app_label="returns", model="agencyreturn").first()
    if kind is None:
        return
    for entry in AccessLogEntry.objects.filter(content_type=kind, action__in=["changed", "created"]).iterator():
        redacted = {
            name: values if name in WORKFLOW_FIELDS else [None, NOT_LOGGED] for name, values in entry.changes.items()
        }
        if redacted != entry.changes:
            AccessLogEntry.objects.filter(pk=entry.pk).update(changes=redacted)


class Migration(migrations.Migration):
    # Before the access log becomes append-only at the database.
    run_before = [("partnerships", "0004_access_log_append_only")]
    dependencies = [
        ("returns", "0001_initial"),
        ("partnerships", "0003_partnership_disclosure_control"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(redact, migrations.RunPython.noop)]
