"""Everyone must enrol a second factor before they can open anything; only demo accounts in demo mode are spared."""

import re
from collections.abc import Callable

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from maca.accounts.models import User
from maca.accounts.tests.factories import TEST_PASSWORD, UserFactory, enrol_totp
from maca.accounts.tests.html_checks import main_content
from maca.accounts.tests.signing_in import post_login, sign_in, totp_code, wrong_totp_code
from maca.partnerships.models import Role
from maca.partnerships.tests.factories import MembershipFactory
from maca.tests.cast import Cast

pytestmark = pytest.mark.django_db

DEMO_BANNER = "Two-factor authentication is switched off for the demo accounts"
SET_UP = reverse("accounts:second_factor_required")


def _coordinator_without_second_factor(cast: Cast) -> User:
    person = UserFactory(email="new.coordinator@example.org", full_name="Nico Newcomer")
    MembershipFactory(user=person, partnership=cast.partnership, role=Role.COORDINATOR)
    return person


def _secret_shown_on(page_html: str) -> str:
    """The key the activation page shows for people who cannot scan the QR code (grouped in fours for reading)."""
    match = re.search(r'id="authenticator-secret">([A-Z2-7 ]+)<', page_html)
    assert match, "the activation page does not show the secret"
    return match.group(1).replace(" ", "")


def _reauthenticate_then_open(client: Client, url: str) -> None:
    """allauth asks for the password again before any change to how one signs in; give it and come back."""
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    response = client.post(response["Location"], {"password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == url


def test_without_a_second_factor_every_page_leads_to_setting_one_up(cast: Cast) -> None:
    person = _coordinator_without_second_factor(cast)
    client = Client()

    response = post_login(client, person.email)

    assert response.status_code == 302, "no code is asked of someone without an authenticator"
    slug = cast.partnership.slug
    for url in [
        reverse("home"),
        reverse("partnerships:detail", args=[slug]),
        reverse("partnerships:person_list", args=[slug]),
        reverse("mfa_index"),
        reverse("account_change_password"),
        "/admin/",
    ]:
        response = client.get(url)
        assert (response.status_code, response.get("Location")) == (302, SET_UP), url
    page = client.get(SET_UP)
    assert page.status_code == 200
    assert f'href="{reverse("mfa_activate_totp")}"' in main_content(page)
    # The accessibility statement stays open: its contact is for people who cannot get on.
    assert client.get(reverse("accessibility")).status_code == 200
    assert f'href="{reverse("mfa_add_webauthn")}"' in main_content(page)


@pytest.mark.django_db(transaction=True)
def test_activating_an_authenticator_app_opens_maca(cast: Cast) -> None:
    """Transactional, as in production: allauth's message and e-mail wait for the commit."""
    person = _coordinator_without_second_factor(cast)
    client = Client()
    post_login(client, person.email)
    activate = reverse("mfa_activate_totp")
    _reauthenticate_then_open(client, activate)

    page = client.get(activate)

    assert page.status_code == 200
    html = page.content.decode()
    assert '<img src="data:image/svg+xml;base64,' in html, "the QR code is an image the CSP allows (img-src data:)"
    secret = _secret_shown_on(html)

    response = client.post(activate, {"code": totp_code(secret)})

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    assert [message.to for message in mail.outbox] == [[person.email]], "allauth tells the person by e-mail"
    assert Authenticator.objects.filter(user=person, type=Authenticator.Type.TOTP).exists()
    codes = client.get(response["Location"])
    assert codes.status_code == 200
    assert "Your authenticator app is set up" in main_content(codes)
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("partnerships:detail", args=[cast.partnership.slug])).status_code == 200

    # From now on, signing in asks for a code from the app.
    again = Client()
    assert post_login(again, person.email)["Location"] == reverse("mfa_authenticate")


def test_a_wrong_code_does_not_activate_the_app(cast: Cast) -> None:
    person = _coordinator_without_second_factor(cast)
    client = Client()
    post_login(client, person.email)
    activate = reverse("mfa_activate_totp")
    _reauthenticate_then_open(client, activate)
    secret = _secret_shown_on(client.get(activate).content.decode())

    response = client.post(activate, {"code": wrong_totp_code(secret)})

    assert response.status_code == 200
    assert "govuk-error-summary" in main_content(response)
    assert '<a href="#id_code">' in main_content(response)
    assert not Authenticator.objects.filter(user=person).exists()
    assert client.get(reverse("home"))["Location"] == SET_UP


def test_the_set_up_page_sends_people_who_have_a_second_factor_home() -> None:
    user = UserFactory()
    secret = enrol_totp(user)
    client = Client()
    sign_in(client, user, secret)

    response = client.get(SET_UP)

    assert (response.status_code, response["Location"]) == (302, reverse("home"))


def test_a_demo_account_in_demo_mode_needs_no_second_factor(settings: Settings) -> None:
    settings.MACA_DEMO = True
    user = UserFactory(is_demo=True)
    client = Client()

    response = post_login(client, user.email)

    assert (response.status_code, response["Location"]) == (302, reverse("home"))
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert DEMO_BANNER in home.content.decode()


def test_an_ordinary_account_in_demo_mode_still_needs_a_second_factor(settings: Settings) -> None:
    settings.MACA_DEMO = True
    user = UserFactory(is_demo=False)
    client = Client()
    post_login(client, user.email)

    response = client.get(reverse("home"))

    assert (response.status_code, response["Location"]) == (302, SET_UP)
    assert DEMO_BANNER in client.get(SET_UP).content.decode(), "the banner is about demo mode, shown to all"


def test_a_demo_account_outside_demo_mode_still_needs_a_second_factor(settings: Settings) -> None:
    settings.MACA_DEMO = False
    user = UserFactory(is_demo=True)
    client = Client()
    post_login(client, user.email)

    response = client.get(reverse("home"))

    assert (response.status_code, response["Location"]) == (302, SET_UP)
    assert DEMO_BANNER not in client.get(SET_UP).content.decode()


def test_there_is_no_demo_banner_outside_demo_mode(settings: Settings) -> None:
    settings.MACA_DEMO = False
    user = UserFactory()
    secret = enrol_totp(user)
    client = Client()
    sign_in(client, user, secret)

    for url in [reverse("home"), reverse("mfa_index"), reverse("account_login")]:
        response = Client().get(url) if url == reverse("account_login") else client.get(url)
        assert response.status_code == 200, url
        assert DEMO_BANNER not in response.content.decode(), url


def test_a_person_without_a_second_factor_can_still_sign_out(cast: Cast) -> None:
    person = _coordinator_without_second_factor(cast)
    client = Client()
    post_login(client, person.email)

    assert client.get(reverse("account_logout")).status_code == 200
    response = client.post(reverse("account_logout"))

    assert response["Location"] == reverse("account_login")
    assert client.get(reverse("home"))["Location"].startswith(reverse("account_login"))


def test_people_with_a_second_factor_open_pages_as_usual(cast: Cast, client_for: Callable[[str], Client]) -> None:
    """The middleware stops only those without a second factor: the cast all have an authenticator app."""
    client = client_for("coordinator")

    for url in [reverse("home"), reverse("partnerships:detail", args=[cast.partnership.slug]), reverse("mfa_index")]:
        assert client.get(url).status_code == 200, url
