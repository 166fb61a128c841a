from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "maca.accounts"
    label = "accounts"
    verbose_name = "Accounts"
