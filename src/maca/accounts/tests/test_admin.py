"""The Django admin is for superusers only, and they reach it through the ordinary sign-in with its second factor."""

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from maca.accounts.models import User
from maca.accounts.tests.factories import UserFactory, enrol_totp
from maca.accounts.tests.signing_in import sign_in
from maca.partnerships.models import AccessAction, AccessLogEntry
from maca.partnerships.services import access_log_record
from maca.partnerships.tests.factories import AgencyServiceFactory, GovernanceGroupFactory, MembershipFactory

pytestmark = pytest.mark.django_db

ADMIN = "/admin/"
A_MODEL_PAGE = "/admin/mfa/authenticator/"


@pytest.mark.parametrize("is_staff", [False, True])
def test_a_signed_in_person_who_is_not_a_superuser_does_not_get_the_admin(is_staff: bool) -> None:
    user = UserFactory(is_staff=is_staff, is_superuser=False)
    secret = enrol_totp(user)
    client = Client()
    sign_in(client, user, secret)

    response = client.get(ADMIN, follow=True)

    assert response.redirect_chain[0] == (f"/admin/login/?next={ADMIN}", 302)
    html = response.content.decode()
    assert "not authorized to access this page" in html
    assert "Site administration" not in html
    assert client.get(A_MODEL_PAGE).status_code == 302


def test_a_superuser_with_a_second_factor_gets_the_admin() -> None:
    user = UserFactory(is_staff=True, is_superuser=True)
    secret = enrol_totp(user)
    client = Client()
    sign_in(client, user, secret)

    response = client.get(ADMIN)

    assert response.status_code == 200
    assert "Site administration" in response.content.decode()
    assert client.get(A_MODEL_PAGE).status_code == 200


def test_a_superuser_without_a_second_factor_is_sent_to_set_one_up() -> None:
    user = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(user)

    response = client.get(ADMIN)

    assert (response.status_code, response["Location"]) == (302, reverse("accounts:second_factor_required"))


def test_signing_in_to_the_admin_goes_through_the_ordinary_sign_in() -> None:
    response = Client().get(ADMIN, follow=True)

    final_url = response.redirect_chain[-1][0]
    assert final_url.startswith(reverse("account_login"))
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-l">Sign in</h1>' in response.content.decode()


def test_every_admin_page_of_maca_opens_for_a_superuser() -> None:
    """Each registered model's list, add and change pages work with maca's e-mail user model."""

    user = UserFactory(is_staff=True, is_superuser=True)
    secret = enrol_totp(user)
    membership = MembershipFactory(user=user)
    service = AgencyServiceFactory(agency__partnership=membership.partnership)
    GovernanceGroupFactory(partnership=membership.partnership)
    access_log_record(actor=user, partnership=membership.partnership, action=AccessAction.VIEWED, obj=service)
    client = Client()
    sign_in(client, user, secret)
    for model in admin.site._registry:
        if model._meta.app_label not in {"accounts", "partnerships"}:
            continue
        info = (model._meta.app_label, model._meta.model_name)
        assert client.get(reverse("admin:{}_{}_changelist".format(*info))).status_code == 200, info
        add = client.get(reverse("admin:{}_{}_add".format(*info)))
        assert add.status_code == (403 if model is AccessLogEntry else 200), info
        obj = model._default_manager.first()
        assert obj is not None, info
        assert client.get(reverse("admin:{}_{}_change".format(*info), args=[obj.pk])).status_code == 200, info
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "made.in.admin@example.org",
            "full_name": "Made In Admin",
            "password1": "x-long-pass-2026!",
            "password2": "x-long-pass-2026!",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(email="made.in.admin@example.org").check_password("x-long-pass-2026!")
