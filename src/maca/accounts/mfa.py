"""Whether a person has, or must have, a second factor."""

from allauth.mfa.models import Authenticator
from django.conf import settings

from maca.accounts.models import User

SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def has_second_factor(user: User) -> bool:
    """The person has enrolled an authenticator app or a security key."""
    return bool(Authenticator.objects.filter(user=user, type__in=SECOND_FACTORS).exists())


def second_factor_waived(user: User) -> bool:
    """Only in demo mode, and only for the accounts the demo loader made; nothing else can waive it."""
    return bool(settings.MACA_DEMO and user.is_demo)


def second_factor_required(user: User) -> bool:
    """Every account must enrol a second factor before it sees anything: every role can reach sensitive data."""
    return not second_factor_waived(user) and not has_second_factor(user)
