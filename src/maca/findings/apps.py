from django.apps import AppConfig


class FindingsConfig(AppConfig):
    name = "maca.findings"
    label = "findings"
    verbose_name = "Moderation and findings"
