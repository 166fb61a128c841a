"""The demo partnership: the seed's agencies, groups and one person per role, loaded any number of times."""

from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from maca.accounts.models import User
from maca.partnerships import demo
from maca.partnerships.models import Agency, AgencyService, Membership, Partnership, Role


@pytest.mark.django_db
def test_the_demo_has_the_seed_partnership_and_one_person_per_role(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("load_demo")
    partnership = Partnership.objects.get(slug="torbay")
    assert partnership.name == "Torbay Safeguarding Children Partnership"
    assert partnership.agencies.count() == 10
    assert set(partnership.agencies.values_list("short_code", flat=True)) >= {"CSC", "EDU", "YOT", "HEALTH", "POLICE"}
    assert "MASH" in AgencyService.objects.filter(agency__short_code="CSC").values_list("name", flat=True)
    assert "Primary Care (GP)" in AgencyService.objects.filter(agency__short_code="HEALTH").values_list(
        "name", flat=True
    )
    assert set(partnership.governance_groups.values_list("short_name", flat=True)) == {"", "QAG", "DASVEG"}
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    assert all(user.is_demo and user.has_usable_password() for user in User.objects.all())
    assert User.objects.get(email="coordinator@demo.maca.invalid").check_password(demo.DEMO_PASSWORD)
    output = capsys.readouterr().out
    assert "coordinator@demo.maca.invalid" in output
    assert demo.DEMO_PASSWORD in output


@pytest.mark.django_db
def test_loading_again_changes_nothing() -> None:
    call_command("load_demo")
    counts = [model.objects.count() for model in (Partnership, Agency, AgencyService, Membership, User)]
    call_command("load_demo")
    call_command("load_demo", "--if-empty")
    assert [model.objects.count() for model in (Partnership, Agency, AgencyService, Membership, User)] == counts


@pytest.mark.django_db
def test_if_empty_leaves_a_real_installation_alone(capsys: pytest.CaptureFixture[str]) -> None:
    Partnership.objects.create(name="A real partnership", slug="real")
    call_command("load_demo", "--if-empty")
    assert not Partnership.objects.filter(slug="torbay").exists()
    assert "the demo was not loaded" in capsys.readouterr().out


@pytest.mark.django_db
@pytest.mark.parametrize("person", demo.PEOPLE, ids=lambda person: person.email_name)
def test_each_demo_person_logs_in_and_sees_what_their_role_may(settings: Any, person: demo.DemoPerson) -> None:
    settings.MACA_DEMO = True
    call_command("load_demo")
    client = Client()
    response = client.post("/accounts/login/", {"login": person.email, "password": demo.DEMO_PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    page = response.content.decode()
    assert "Two-factor authentication is switched off for the demo accounts" in page
    assert "Torbay Safeguarding Children Partnership" in page
    assert client.get("/p/torbay/agencies/").status_code == 200
    is_coordinator = person.role == Role.COORDINATOR
    assert client.get("/p/torbay/people/").status_code == (200 if is_coordinator else 403)
    assert client.get("/p/torbay/access-log/").status_code == (200 if is_coordinator else 403)


@pytest.mark.django_db
def test_outside_demo_mode_a_demo_person_must_set_up_a_second_factor(settings: Any) -> None:
    settings.MACA_DEMO = False
    call_command("load_demo")
    client = Client()
    response = client.post(
        "/accounts/login/", {"login": demo.PEOPLE[0].email, "password": demo.DEMO_PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/account/two-factor-required/"
