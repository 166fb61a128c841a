"""Signing in through the real pages, as a browser would: e-mail and password, then the code from the app."""

import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.test import Client
from django.urls import reverse

from maca.accounts.models import User
from maca.accounts.tests.factories import TEST_PASSWORD
from maca.accounts.tests.html_checks import ClientResponse


def totp_code(secret: str) -> str:
    """The code an authenticator app shows now for this secret.

    allauth accepts only the current 30-second step, so a code about to expire is not handed out: wait for the next.
    """
    period = mfa_settings.TOTP_PERIOD
    left = period - time.time() % period
    if left < 2:
        time.sleep(left + 0.1)
    counters = list(yield_hotp_counters_from_time())
    current = counters[len(counters) // 2]
    return format_hotp_value(hotp_value(secret, current))


def wrong_totp_code(secret: str) -> str:
    """A well-formed code that is not the current one."""
    right = totp_code(secret)
    return f"{(int(right) + 1) % 1_000_000:06d}"


def post_login(client: Client, email: str, password: str = TEST_PASSWORD) -> ClientResponse:
    return client.post(reverse("account_login"), {"login": email, "password": password})


def sign_in(client: Client, user: User, secret: str | None = None) -> None:
    """Sign in with e-mail and password, then (for someone with an authenticator app) the current code."""
    response = post_login(client, user.email)
    assert response.status_code == 302, response
    if secret is None:
        assert response["Location"] != reverse("mfa_authenticate")
        return
    assert response["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302, response
    assert response["Location"] == reverse("home")


def signed_in_user_id(client: Client) -> str | None:
    """The id of the person the client is signed in as (None when nobody is)."""
    return client.session.get("_auth_user_id")
