"""Every allauth page maca uses is a GOV.UK page: status 200, one h1, GOV.UK markup, labels and ARIA references that
resolve, inline scripts with the request's CSP nonce; forms with errors start with the GOV.UK error summary."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from maca.accounts.models import User
from maca.accounts.tests.factories import TEST_PASSWORD, UserFactory, enrol_totp
from maca.accounts.tests.html_checks import ClientResponse, csp_problems, main_content, page_problems
from maca.accounts.tests.security_key import SoftwareSecurityKey, add_key
from maca.accounts.tests.signing_in import post_login, sign_in, wrong_totp_code
from maca.partnerships.services import set_password_url
from maca.tests.cast import Cast

NEW_PASSWORD = "a-fine-new-password-2026"


@dataclass
class Person:
    """Someone with an authenticator app, signed in (password and code) and just re-authenticated."""

    user: User
    secret: str
    client: Client


@pytest.fixture
def person(db: None) -> Person:
    user = UserFactory(email="pat.example@example.org", full_name="Pat Example")
    secret = enrol_totp(user)
    client = Client()
    sign_in(client, user, secret)
    response = client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    assert response.status_code == 302
    return Person(user, secret, client)


OpenPage = Callable[[Person], ClientResponse]


def _with_recovery_codes(person: Person) -> None:
    response = person.client.post(reverse("mfa_generate_recovery_codes"))
    assert response["Location"] == reverse("mfa_view_recovery_codes")


def _with_key(person: Person) -> Authenticator:
    return add_key(person.client, SoftwareSecurityKey(), "Blue key")


def _with_codes_and_key(person: Person) -> None:
    _with_recovery_codes(person)
    _with_key(person)


def _at_second_step(person: Person) -> Client:
    """A browser that has given the password and is asked for the code."""
    browser = Client()
    assert post_login(browser, person.user.email)["Location"] == reverse("mfa_authenticate")
    return browser


def _newcomer() -> Client:
    """Someone signed in without a second factor yet, who has just re-authenticated to set one up."""
    newcomer = UserFactory(email="noel.newcomer@example.org")
    browser = Client()
    post_login(browser, newcomer.email)
    browser.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    return browser


def _invitation_form() -> tuple[Client, str]:
    invited = User.objects.create_user("ivy.invited@example.org", full_name="Ivy Invited")
    browser = Client()
    response = browser.get(set_password_url(invited, "http://testserver"))
    return browser, str(response["Location"])


def _invitation_page(person: Person) -> ClientResponse:
    browser, url = _invitation_form()
    return browser.get(url)


def _password_reset_page(person: Person) -> ClientResponse:
    """A password reset link for someone who has a password: the same page, headed "Choose a new password"."""
    person.user.refresh_from_db()  # signing in changed last_login, which invalidates older links
    browser = Client()
    response = browser.get(set_password_url(person.user, "http://testserver"))
    page = browser.get(response["Location"])
    assert "Choose a new password" in main_content(page)
    return page


def _second_step_with_a_key(person: Person) -> ClientResponse:
    _with_key(person)
    return _at_second_step(person).get(reverse("mfa_authenticate"), secure=True)


def _key_page(name: str) -> OpenPage:
    def open_page(person: Person) -> ClientResponse:
        authenticator = _with_key(person)
        return person.client.get(reverse(name, kwargs={"pk": authenticator.pk}))

    return open_page


def _after(prepare: Callable[[Person], object], url_name: str, secure: bool = False) -> OpenPage:
    def open_page(person: Person) -> ClientResponse:
        prepare(person)
        return person.client.get(reverse(url_name), secure=secure)

    return open_page


def _get(url_name: str, secure: bool = False) -> OpenPage:
    return lambda person: person.client.get(reverse(url_name), secure=secure)


def _anonymous_get(url_name: str) -> OpenPage:
    return lambda person: Client().get(reverse(url_name))


PAGES: dict[str, OpenPage] = {
    # Before signing in (allauth sends signed-in people away from the sign-in page).
    "sign in": _anonymous_get("account_login"),
    "second step of signing in": lambda person: _at_second_step(person).get(reverse("mfa_authenticate")),
    "password reset request": _anonymous_get("account_reset_password"),
    "password reset request, signed in": _get("account_reset_password"),
    "password reset sent": _anonymous_get("account_reset_password_done"),
    "invitation: choose a password": _invitation_page,
    "password reset: choose a new password": _password_reset_page,
    "link that does not work": lambda person: Client().get("/accounts/password/reset/key/1-nope/"),
    "password saved": _anonymous_get("account_reset_password_from_key_done"),
    "signup closed": _anonymous_get("account_signup"),
    # Signed in with an authenticator app.
    "sign out": _get("account_logout"),
    "change password": _get("account_change_password"),
    "confirm it is you (password)": _get("account_reauthenticate"),
    "confirm it is you (code)": _get("mfa_reauthenticate"),
    "confirm it is you (security key)": _after(_with_key, "mfa_reauthenticate_webauthn", secure=True),
    "your account": _get("mfa_index"),
    "your account, with codes and a key": _after(_with_codes_and_key, "mfa_index"),
    "remove authenticator app": _get("mfa_deactivate_totp"),
    "recovery codes": _after(_with_recovery_codes, "mfa_view_recovery_codes"),
    "make new recovery codes": _get("mfa_generate_recovery_codes"),
    "make new recovery codes, replacing some": _after(_with_recovery_codes, "mfa_generate_recovery_codes"),
    "security keys, none yet": _get("mfa_list_webauthn"),
    "security keys": _after(_with_key, "mfa_list_webauthn"),
    "add a security key": _get("mfa_add_webauthn", secure=True),
    "rename a security key": _key_page("mfa_edit_webauthn"),
    "remove a security key": _key_page("mfa_remove_webauthn"),
    "second step of signing in, with a key": _second_step_with_a_key,
    # Signed in without a second factor yet: setting one up.
    "set up an authenticator app": lambda person: _newcomer().get(reverse("mfa_activate_totp")),
}


@pytest.mark.parametrize("page", PAGES)
def test_each_page_is_a_govuk_page(page: str, person: Person) -> None:
    response = PAGES[page](person)

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "govuk-" in main_content(response)
    assert page_problems(response) == []


@pytest.mark.parametrize("page", ["sign in", "add a security key", "second step of signing in, with a key"])
def test_inline_scripts_are_allowed_by_the_content_security_policy(page: str, person: Person) -> None:
    """base.html's GOV.UK start-up scripts and the security key pages' error handler carry the request's nonce; the
    Content-Security-Policy header must name that nonce, or browsers refuse to run them."""
    response = PAGES[page](person)

    assert response.status_code == 200
    assert csp_problems(response) == []


def _post_invitation_mismatch(person: Person) -> ClientResponse:
    browser, url = _invitation_form()
    return browser.post(url, {"password1": NEW_PASSWORD, "password2": "something-else-2026"})


def _post_key_rename_blank(person: Person) -> ClientResponse:
    authenticator = _with_key(person)
    return person.client.post(reverse("mfa_edit_webauthn", kwargs={"pk": authenticator.pk}), {"name": ""})


FORMS_WITH_ERRORS: dict[str, OpenPage] = {
    "sign in, wrong password": lambda person: post_login(Client(), person.user.email, "not-my-password"),
    "sign in, nothing entered": lambda person: Client().post(reverse("account_login"), {}),
    "second step, wrong code": lambda person: _at_second_step(person).post(
        reverse("mfa_authenticate"), {"code": wrong_totp_code(person.secret)}
    ),
    "password reset, not an e-mail address": lambda person: Client().post(
        reverse("account_reset_password"), {"email": "not an address"}
    ),
    "invitation, passwords differ": _post_invitation_mismatch,
    "change password, wrong current password": lambda person: person.client.post(
        reverse("account_change_password"),
        {"oldpassword": "not-my-password", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    ),
    "confirm it is you, wrong password": lambda person: person.client.post(
        reverse("account_reauthenticate"), {"password": "not-my-password"}
    ),
    "confirm it is you, wrong code": lambda person: person.client.post(
        reverse("mfa_reauthenticate"), {"code": wrong_totp_code(person.secret)}
    ),
    "set up an authenticator app, wrong code": lambda person: _newcomer().post(
        reverse("mfa_activate_totp"), {"code": "000000"}
    ),
    "rename a security key, no name": _post_key_rename_blank,
}


@pytest.mark.parametrize("form", FORMS_WITH_ERRORS)
def test_forms_with_errors_start_with_the_error_summary(form: str, person: Person) -> None:
    response = FORMS_WITH_ERRORS[form](person)

    assert response.status_code == 200
    main = main_content(response)
    assert 'class="govuk-error-summary"' in main
    assert main.index("govuk-error-summary") < main.index("<h1"), "the summary comes first, above the heading"
    assert "govuk-error-message" in main
    assert "<title>Error: " in response.content.decode()
    assert page_problems(response) == []


def test_your_account_shows_details_second_factors_and_roles(cast: Cast, client_for: Callable[[str], Client]) -> None:
    client = client_for("coordinator")

    main = main_content(client.get(reverse("mfa_index")))

    assert '<h1 class="govuk-heading-l">Your account</h1>' in main
    assert cast.coordinator.full_name in main
    assert cast.coordinator.email in main
    assert f'href="{reverse("account_change_password")}"' in main
    assert f'href="{reverse("mfa_deactivate_totp")}"' in main, "the app is set up, so it can be removed"
    assert f'href="{reverse("mfa_add_webauthn")}"' in main
    assert cast.partnership.name in main
    assert "Coordinator" in main


def test_the_header_links_to_your_account(client_for: Callable[[str], Client]) -> None:
    html = client_for("coordinator").get(reverse("home")).content.decode()

    assert f'href="{reverse("mfa_index")}"' in html


def test_people_cannot_add_their_own_sign_in_addresses(client_for: Callable[[str], Client], cast: Cast) -> None:
    client = client_for("auditor_a")
    response = client.get("/accounts/email/", follow=True)
    assert response.redirect_chain == [("/accounts/2fa/", 302)]
    assert "managed by your partnership’s coordinator" in response.content.decode()
    client.post("/accounts/email/", {"action_add": "", "email": "second@example.org"})
    assert not EmailAddress.objects.filter(email="second@example.org").exists()
