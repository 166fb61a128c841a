"""A mail server that is down never breaks what a person was doing; errors are shown as GOV.UK pages."""

import socket
from collections.abc import Callable

import pytest
from django.template.loader import render_to_string
from django.test import Client

from maca.accounts.models import User
from maca.partnerships.models import Membership
from maca.tests.cast import Cast


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def mail_server_down(settings):  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = _closed_port()
    settings.EMAIL_TIMEOUT = 5


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("mail_server_down")
def test_adding_a_person_works_when_the_mail_server_is_down(
    client_for: Callable[[str], Client], cast: Cast, caplog: pytest.LogCaptureFixture
) -> None:
    response = client_for("coordinator").post(
        "/p/anytown/people/new/",
        {"full_name": "Dee Downtime", "email": "dee@example.org", "role": "coordinator"},
    )
    assert response.status_code == 302
    assert Membership.objects.filter(user__email="dee@example.org").exists()
    assert "Could not send an invitation" in caplog.text


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("mail_server_down")
def test_asking_for_a_password_reset_works_when_the_mail_server_is_down(
    cast: Cast, caplog: pytest.LogCaptureFixture
) -> None:
    response = Client().post("/accounts/password/reset/", {"email": "coordinator@example.org"})
    assert response.status_code == 302
    assert "Could not send account/email/password_reset_key" in caplog.text
    assert User.objects.filter(email="coordinator@example.org").exists()


def test_not_found_and_forbidden_are_gov_uk_pages(client_for: Callable[[str], Client], cast: Cast) -> None:
    not_found = client_for("auditor_a").get("/p/elsewhere/")
    assert not_found.status_code == 404
    assert '<h1 class="govuk-heading-l">Page not found</h1>' in not_found.content.decode()
    forbidden = client_for("auditor_a").get("/p/anytown/people/")
    assert forbidden.status_code == 403
    assert '<h1 class="govuk-heading-l">You cannot do this</h1>' in forbidden.content.decode()


def test_an_expired_form_is_explained(cast: Cast) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.coordinator)
    response = client.post("/p/anytown/agencies/new/", {"name": "X", "short_code": "X", "agency_type": "other"})
    assert response.status_code == 403
    assert "Your page had expired" in response.content.decode()
    assert "Nothing was saved" in response.content.decode()


def test_the_server_error_page_stands_alone() -> None:
    page = render_to_string("500.html")
    assert "Sorry, there is a problem with the service" in page
    assert "{%" not in page
