from django.apps import AppConfig


class FindingsConfig(AppConfig):
    name = "maca.findings"
    label = "findings"
    verbose_name = "Moderation and findings"

    def ready(self) -> None:
        from maca.analysis.panel import register_moderated_grades

        from .selectors import moderated_grades

        # The analysis shows the agencies' grades beside the panel's.
        register_moderated_grades(moderated_grades)
