"""Security keys and passkeys (WebAuthn), with a software key that signs for real: add, sign in, rename, remove."""

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from maca.accounts.models import User
from maca.accounts.tests.factories import TEST_PASSWORD, UserFactory, enrol_totp
from maca.accounts.tests.html_checks import main_content
from maca.accounts.tests.security_key import SoftwareSecurityKey, add_key, js_data
from maca.accounts.tests.signing_in import post_login, sign_in, signed_in_user_id

pytestmark = pytest.mark.django_db


def _reauthenticate(client: Client) -> None:
    response = client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    assert response.status_code == 302


def _person_with_app_and_key() -> tuple[User, SoftwareSecurityKey, Client]:
    user = UserFactory()
    secret = enrol_totp(user)
    client = Client()
    sign_in(client, user, secret)
    _reauthenticate(client)
    key = SoftwareSecurityKey()
    add_key(client, key, "Blue key")
    return user, key, client


def test_a_person_adds_a_security_key_and_signs_in_with_it() -> None:
    user, key, client = _person_with_app_and_key()

    listing = client.get(reverse("mfa_list_webauthn"))
    assert "Blue key" in main_content(listing)

    browser = Client()
    post_login(browser, user.email)
    page = browser.get(reverse("mfa_authenticate"), secure=True)
    assert 'id="mfa_webauthn_authenticate"' in main_content(page), "someone with a key is offered it"
    credential = key.sign_in(js_data(page)["request_options"])
    response = browser.post(reverse("mfa_authenticate"), {"credential": credential}, secure=True)

    assert (response.status_code, response["Location"]) == (302, reverse("home"))
    assert signed_in_user_id(browser) == str(user.pk)


def test_a_key_that_is_not_registered_does_not_sign_in() -> None:
    user, key, _ = _person_with_app_and_key()
    browser = Client()
    post_login(browser, user.email)
    page = browser.get(reverse("mfa_authenticate"), secure=True)
    stranger = SoftwareSecurityKey()
    stranger.credential_id = key.credential_id  # same id, different private key: the signature cannot verify

    response = browser.post(
        reverse("mfa_authenticate"), {"credential": stranger.sign_in(js_data(page)["request_options"])}, secure=True
    )

    assert response.status_code == 200
    assert signed_in_user_id(browser) is None


def test_people_without_a_key_are_not_offered_one_at_sign_in() -> None:
    user = UserFactory()
    enrol_totp(user)
    browser = Client()
    post_login(browser, user.email)

    page = browser.get(reverse("mfa_authenticate"))

    assert page.status_code == 200
    assert "mfa_webauthn_authenticate" not in page.content.decode()
    assert "webauthn.js" not in page.content.decode()


def test_a_key_is_renamed_then_removed() -> None:
    user, _, client = _person_with_app_and_key()
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.WEBAUTHN)
    edit = reverse("mfa_edit_webauthn", kwargs={"pk": authenticator.pk})
    remove = reverse("mfa_remove_webauthn", kwargs={"pk": authenticator.pk})

    assert client.get(edit).status_code == 200
    response = client.post(edit, {"name": "Key on my keyring"})
    assert (response.status_code, response["Location"]) == (302, reverse("mfa_list_webauthn"))
    assert "Key on my keyring" in main_content(client.get(reverse("mfa_list_webauthn")))

    assert "Key on my keyring" in main_content(client.get(remove))
    response = client.post(remove)
    assert (response.status_code, response["Location"]) == (302, reverse("mfa_list_webauthn"))
    assert not Authenticator.objects.filter(pk=authenticator.pk).exists()
    assert "You have not added a security key" in main_content(client.get(reverse("mfa_list_webauthn")))


def test_a_security_key_alone_is_enough_to_open_maca() -> None:
    person = UserFactory()
    client = Client()
    post_login(client, person.email)
    assert client.get(reverse("home"))["Location"] == reverse("accounts:second_factor_required")
    _reauthenticate(client)

    add_key(client, SoftwareSecurityKey(), "Laptop passkey")

    assert client.get(reverse("home")).status_code == 200
