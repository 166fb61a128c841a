"""How django-allauth behaves in maca."""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from maca.common.mail import deliver


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Nobody signs themselves up: a coordinator adds people to the partnership."""
        return False

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """allauth's e-mails (password reset, security notices); a mail server's failure is logged, not shown."""
        deliver(lambda: super(AccountAdapter, self).send_mail(template_prefix, email, context), what=template_prefix)
