from django.apps import AppConfig


class SelfAssessmentConfig(AppConfig):
    name = "maca.selfassessment"
    label = "selfassessment"
    verbose_name = "Wider partnership self-assessment"
