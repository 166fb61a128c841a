"""The invitation link: a new person (no usable password yet) chooses one through allauth's reset-from-key pages."""

import pytest
from django.test import Client
from django.urls import reverse

from maca.accounts.models import User
from maca.accounts.tests.html_checks import main_content
from maca.accounts.tests.signing_in import post_login, signed_in_user_id
from maca.partnerships.services import set_password_url

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "chosen-by-the-new-starter-2026"


def _new_person() -> User:
    person = User.objects.create_user("nia.newstarter@example.org", full_name="Nia Newstarter")
    assert not person.has_usable_password()
    return person


def _open_link(client: Client, link: str) -> str:
    """Follows the link as a browser does; allauth moves the key out of the address first. Returns the form's URL."""
    response = client.get(link)
    assert response.status_code == 302, "allauth takes the key out of the address, so it cannot leak"
    return str(response["Location"])


def test_a_new_person_chooses_a_password_with_the_link_then_signs_in() -> None:
    person = _new_person()
    client = Client()
    form_url = _open_link(client, set_password_url(person, "http://testserver"))

    page = client.get(form_url)
    assert page.status_code == 200
    assert '<h1 class="govuk-heading-l">Choose a password</h1>' in main_content(page)
    assert person.email in main_content(page)

    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_from_key_done")
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    done = client.get(response["Location"])
    assert "Your password is saved" in main_content(done)
    assert f'href="{reverse("account_login")}"' in main_content(done)

    browser = Client()
    response = post_login(browser, person.email, NEW_PASSWORD)
    assert response.status_code == 302
    assert signed_in_user_id(browser) == str(person.pk)
    # Signed in, but with no second factor yet: everything leads to setting one up.
    assert browser.get(reverse("home"))["Location"] == reverse("accounts:second_factor_required")


def test_passwords_that_do_not_match_are_refused_with_the_error_summary() -> None:
    person = _new_person()
    client = Client()
    form_url = _open_link(client, set_password_url(person, "http://testserver"))

    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "-typo"})

    assert response.status_code == 200
    assert "govuk-error-summary" in main_content(response)
    assert '<a href="#id_password2">' in main_content(response)
    person.refresh_from_db()
    assert not person.has_usable_password()


def test_the_link_works_only_once() -> None:
    person = _new_person()
    link = set_password_url(person, "http://testserver")
    client = Client()
    form_url = _open_link(client, link)
    client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    again = Client().get(link)

    assert again.status_code == 200
    main = main_content(again)
    assert "This link does not work" in main
    assert "<form" not in main
    assert f'href="{reverse("account_reset_password")}"' in main


def test_a_made_up_link_does_not_work() -> None:
    person = _new_person()
    link = set_password_url(person, "http://testserver")
    tampered = link.rstrip("/")[:-3] + "abc/"

    response = Client().get(tampered)

    assert response.status_code == 200
    assert "This link does not work" in main_content(response)
