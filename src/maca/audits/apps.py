from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "maca.audits"
    label = "audits"
    verbose_name = "Audits"
