from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "maca.analysis"
    label = "analysis"
    verbose_name = "Analysis"
