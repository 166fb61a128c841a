"""The access log keeps which statements of a self-assessment a save changed, never the ratings, evidence or file
names given: redact those logged before.

Until now every save logged its old and new values and the names of the evidence files, so the partnership's
coordinator could read an agency's draft in the access log. The entries that record a change of state (submitted,
returned with the coordinator's reason) keep their values.
"""

from django.db import migrations

NOT_LOGGED = "changed (the value is not logged)"
WORKFLOW_FIELDS = {"state", "reason"}


def redact(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    AccessLogEntry = apps.get_model("partnerships", "AccessLogEntry")
    kind = ContentType.objects.filter(app_label="selfassessment", model="selfassessment").first()
    if kind is None:
        return
    for entry in AccessLogEntry.objects.filter(content_type=kind).iterator():
        if entry.action == "viewed":
            # A view of an evidence file named the file: keep that a file was viewed, not its name.
            viewed = entry.changes.get("viewed", [None, ""])[1] or ""
            redacted = {"viewed": [None, "evidence file"]} if viewed.startswith("evidence file ") else entry.changes
        else:
            redacted = {
                name: values if name in WORKFLOW_FIELDS else [None, NOT_LOGGED]
                for name, values in entry.changes.items()
            }
        if redacted != entry.changes:
            AccessLogEntry.objects.filter(pk=entry.pk).update(changes=redacted)


class Migration(migrations.Migration):
    # Before the access log becomes append-only at the database.
    run_before = [("partnerships", "0004_access_log_append_only")]
    dependencies = [
        ("selfassessment", "0001_initial"),
        ("partnerships", "0003_partnership_disclosure_control"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(redact, migrations.RunPython.noop)]
