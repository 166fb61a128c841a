"""Signing in: e-mail address and password, then the code from the authenticator app (or a recovery code)."""

import pytest
from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.test import Client
from django.urls import reverse

from maca.accounts.models import User
from maca.accounts.tests.factories import TEST_PASSWORD, UserFactory, enrol_totp
from maca.accounts.tests.html_checks import main_content
from maca.accounts.tests.signing_in import post_login, signed_in_user_id, totp_code, wrong_totp_code

pytestmark = pytest.mark.django_db


def test_a_person_with_an_authenticator_app_signs_in_with_password_then_code() -> None:
    user = UserFactory(email="ada.example@example.org")
    secret = enrol_totp(user)
    client = Client()

    response = post_login(client, user.email)

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert signed_in_user_id(client) is None, "the password alone must not sign anyone in"
    page = client.get(reverse("mfa_authenticate"))
    assert page.status_code == 200
    assert "Enter your security code" in main_content(page)

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert signed_in_user_id(client) == str(user.pk)
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert "Welcome" in main_content(home)


def test_a_wrong_code_is_refused_with_a_clear_message() -> None:
    user = UserFactory()
    secret = enrol_totp(user)
    client = Client()
    post_login(client, user.email)

    response = client.post(reverse("mfa_authenticate"), {"code": wrong_totp_code(secret)})

    assert response.status_code == 200
    assert signed_in_user_id(client) is None
    main = main_content(response)
    message = str(get_mfa_adapter().error_messages["incorrect_code"])
    assert 'class="govuk-error-summary"' in main
    assert f'<a href="#id_code">{message}</a>' in main, "the error summary links to the code field"
    assert 'class="govuk-error-message"' in main
    assert "<title>Error: " in response.content.decode()
    assert client.get(reverse("home"))["Location"].startswith(reverse("account_login"))

    # The right code still works afterwards.
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response["Location"] == reverse("home")
    assert signed_in_user_id(client) == str(user.pk)


def test_a_recovery_code_works_once_instead_of_the_app() -> None:
    user = UserFactory()
    enrol_totp(user)
    recovery_code = RecoveryCodes.activate(user).get_unused_codes()[0]

    first = Client()
    post_login(first, user.email)
    response = first.post(reverse("mfa_authenticate"), {"code": recovery_code})
    assert response["Location"] == reverse("home")
    assert signed_in_user_id(first) == str(user.pk)

    second = Client()
    post_login(second, user.email)
    response = second.post(reverse("mfa_authenticate"), {"code": recovery_code})
    assert response.status_code == 200
    assert "govuk-error-summary" in main_content(response)
    assert signed_in_user_id(second) is None


def test_a_wrong_password_is_refused_with_a_clear_message() -> None:
    user = UserFactory()
    enrol_totp(user)
    client = Client()

    response = post_login(client, user.email, "not-the-right-password")

    assert response.status_code == 200
    assert signed_in_user_id(client) is None
    main = main_content(response)
    assert 'class="govuk-error-summary"' in main
    assert str(get_account_adapter().error_messages["email_password_mismatch"]) in main
    assert reverse("mfa_authenticate") not in main


def test_the_sign_in_page_offers_a_password_reset_and_no_sign_up() -> None:
    response = Client().get(reverse("account_login"))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="govuk-heading-l">Sign in</h1>' in html
    assert f'<a class="govuk-link" href="{reverse("account_reset_password")}">Forgot your password?</a>' in html
    assert "sign up" not in html.lower()
    assert reverse("account_signup") not in html


def test_nobody_can_sign_themselves_up() -> None:
    client = Client()
    people_before = User.objects.count()

    page = client.get(reverse("account_signup"))
    response = client.post(
        reverse("account_signup"),
        {"email": "self.starter@example.org", "password1": TEST_PASSWORD, "password2": TEST_PASSWORD},
    )

    assert page.status_code == 200
    assert "You cannot create an account yourself" in main_content(page)
    assert "You cannot create an account yourself" in main_content(response)
    assert User.objects.count() == people_before
    assert not User.objects.filter(email="self.starter@example.org").exists()
    assert signed_in_user_id(client) is None


def test_signing_out_asks_first_then_ends_the_session() -> None:
    user = UserFactory()
    client = Client()
    client.force_login(user)

    page = client.get(reverse("account_logout"))
    assert page.status_code == 200
    assert "Are you sure you want to sign out" in main_content(page)
    assert signed_in_user_id(client) == str(user.pk), "opening the page must not sign out"

    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    assert signed_in_user_id(client) is None
