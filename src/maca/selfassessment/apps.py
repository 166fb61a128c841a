from django.apps import AppConfig


class SelfAssessmentConfig(AppConfig):
    name = "maca.selfassessment"
    label = "selfassessment"
    verbose_name = "Wider partnership self-assessment"

    def ready(self) -> None:
        from maca.common import reminders

        from .reminders import PREFIX, self_assessment_is_submitted, self_assessments_due_for_reminders

        reminders.register_source(
            PREFIX, due=self_assessments_due_for_reminders, is_submitted=self_assessment_is_submitted
        )
