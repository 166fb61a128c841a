from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "maca.cases"
    label = "cases"
    verbose_name = "Cases"
