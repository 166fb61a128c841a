from django.apps import AppConfig


class OutputsConfig(AppConfig):
    name = "maca.outputs"
    label = "outputs"
    verbose_name = "Outputs: the report and the learning briefing"
