from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "maca.retention"
    label = "retention"
    verbose_name = "Retention: closing audits and destroying their case-level data"

    def ready(self) -> None:
        from maca.common.closure import register_closed_check, register_destroyed_check

        from .selectors import audit_destroyed, audit_is_closed

        register_closed_check(audit_is_closed)
        register_destroyed_check(audit_destroyed)
