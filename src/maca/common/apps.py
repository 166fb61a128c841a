from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "maca.common"
    label = "common"
    verbose_name = "Common"
