"""django-axes: five wrong passwords for one account from one address lock it (there) for fifteen minutes."""

import pytest
from django.test import Client
from django.urls import reverse

from maca.accounts.tests.factories import UserFactory, enrol_totp
from maca.accounts.tests.signing_in import post_login, signed_in_user_id

pytestmark = pytest.mark.django_db

WRONG = "a-wrong-password-2026"
LOCKED_OUT_TEMPLATE = "accounts/locked_out.html"


def _fail(client: Client, email: str, times: int) -> list[int]:
    return [post_login(client, email, WRONG).status_code for _ in range(times)]


def test_the_fifth_wrong_password_locks_the_account_and_the_right_one_is_refused() -> None:
    user = UserFactory()
    enrol_totp(user)
    client = Client()

    statuses = _fail(client, user.email, 5)
    response = post_login(client, user.email)

    assert statuses == [200, 200, 200, 200, 429]
    assert response.status_code != 302
    assert signed_in_user_id(client) is None
    assert reverse("mfa_authenticate") not in response.get("Location", "")


def test_the_lock_out_page_explains_what_happened() -> None:
    user = UserFactory()
    client = Client()
    _fail(client, user.email, 4)

    response = post_login(client, user.email, WRONG)

    assert response.status_code == 429
    assert LOCKED_OUT_TEMPLATE in [template.name for template in response.templates]
    html = response.content.decode()
    assert '<h1 class="govuk-heading-l">Too many attempts to log in</h1>' in html
    assert f'href="{reverse("account_reset_password")}"' in html


def test_after_five_wrong_passwords_even_the_right_one_gets_the_lock_out_page() -> None:
    user = UserFactory()
    enrol_totp(user)
    client = Client()
    _fail(client, user.email, 5)

    response = post_login(client, user.email)

    assert response.status_code == 429
    assert LOCKED_OUT_TEMPLATE in [template.name for template in response.templates]
    assert signed_in_user_id(client) is None


def test_the_lock_is_for_the_address_the_wrong_passwords_came_from() -> None:
    user = UserFactory()
    _fail(Client(REMOTE_ADDR="192.0.2.10"), user.email, 5)

    elsewhere = Client(REMOTE_ADDR="198.51.100.20")
    response = post_login(elsewhere, user.email)

    assert response.status_code == 302
    assert signed_in_user_id(elsewhere) == str(user.pk)


def test_the_lock_holds_for_a_new_browser_on_the_same_address() -> None:
    user = UserFactory()
    _fail(Client(), user.email, 5)

    fresh = Client()
    response = post_login(fresh, user.email)

    assert response.status_code != 302
    assert signed_in_user_id(fresh) is None


def test_another_account_can_still_sign_in_from_the_same_computer() -> None:
    locked = UserFactory()
    other = UserFactory()
    enrol_totp(other)
    client = Client()
    _fail(client, locked.email, 5)

    response = post_login(client, other.email)

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")


def test_four_wrong_passwords_do_not_lock_the_account() -> None:
    user = UserFactory()
    client = Client()

    statuses = _fail(client, user.email, 4)
    response = post_login(client, user.email)

    assert statuses == [200, 200, 200, 200]
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(user.pk)
