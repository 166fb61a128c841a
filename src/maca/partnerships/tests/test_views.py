"""The partnership pages as people use them. Who may open each page at all is in maca/tests/url_expectations.py."""

from collections.abc import Callable

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from maca.partnerships import services
from maca.partnerships.models import AccessAction, AccessLogEntry, Agency, GovernanceGroup, Membership, Role
from maca.partnerships.tests.factories import AgencyFactory, MembershipFactory
from maca.tests.cast import Cast

ClientFor = Callable[[str], Client]


def test_home_lists_the_partnerships_and_roles(client_for: ClientFor, cast: Cast) -> None:
    page = client_for("agency_lead_a").get("/").content.decode()
    assert "Anytown Safeguarding Children Partnership" in page
    assert "Agency lead (Agency A)" in page
    assert "Elsewhere" not in page


def test_navigation_follows_the_role(client_for: ClientFor, cast: Cast) -> None:
    coordinator_page = client_for("coordinator").get("/p/anytown/").content.decode()
    auditor_page = client_for("auditor_a").get("/p/anytown/").content.decode()
    for page in (coordinator_page, auditor_page):
        assert 'href="/p/anytown/agencies/"' in page
        assert "Anytown Safeguarding Children Partnership" in page
    assert 'href="/p/anytown/people/"' in coordinator_page
    assert 'href="/p/anytown/access-log/"' in coordinator_page
    assert 'href="/p/anytown/people/"' not in auditor_page
    assert 'href="/p/anytown/access-log/"' not in auditor_page


def test_only_the_coordinator_is_offered_changes(client_for: ClientFor, cast: Cast) -> None:
    assert "Add an agency" in client_for("coordinator").get("/p/anytown/agencies/").content.decode()
    assert "Add an agency" not in client_for("auditor_a").get("/p/anytown/agencies/").content.decode()
    assert "/change/" not in client_for("auditor_a").get("/p/anytown/agencies/AGA/").content.decode()


def test_adding_an_agency_with_mistakes_names_each_field_and_saves_nothing(client_for: ClientFor, cast: Cast) -> None:
    client = client_for("coordinator")
    logged = AccessLogEntry.objects.count()
    response = client.post("/p/anytown/agencies/new/", {"name": "", "short_code": "AGB", "agency_type": "nonsense"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert 'href="#id_name"' in page
    assert "Another agency in this partnership already has the code AGB." in page
    assert "Enter the name of the agency" in page
    assert "Select the type of agency" in page
    assert Agency.objects.filter(partnership=cast.partnership).count() == 2
    assert AccessLogEntry.objects.count() == logged


def test_adding_an_agency(client_for: ClientFor, cast: Cast) -> None:
    client = client_for("coordinator")
    response = client.post("/p/anytown/agencies/new/", {"name": "Police", "short_code": "pol", "agency_type": "police"})
    assert response.status_code == 302
    assert response["Location"] == "/p/anytown/agencies/POL/"
    page = client.get(response["Location"]).content.decode()
    assert "Police has been added." in page
    assert AccessLogEntry.objects.get(content_type__model="agency").action == AccessAction.CREATED


def test_two_editors_of_one_agency(client_for: ClientFor, cast: Cast) -> None:
    first, second = client_for("coordinator"), client_for("coordinator")
    assert 'name="version" value="1"' in first.get("/p/anytown/agencies/AGA/change/").content.decode()
    assert 'name="version" value="1"' in second.get("/p/anytown/agencies/AGA/change/").content.decode()
    data = {"short_code": "AGA", "agency_type": "other", "version": "1"}
    assert first.post("/p/anytown/agencies/AGA/change/", {**data, "name": "First"}).status_code == 302
    response = second.post("/p/anytown/agencies/AGA/change/", {**data, "name": "Second"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else changed this agency after you opened this page" in page
    assert 'value="First"' in page
    assert 'name="version" value="2"' in page
    assert Agency.objects.get(pk=cast.agency_a.pk).name == "First"


def test_services_and_groups_can_be_added_and_renamed(client_for: ClientFor, cast: Cast) -> None:
    client = client_for("coordinator")
    assert client.post("/p/anytown/agencies/AGA/services/new/", {"name": "MASH"}).status_code == 302
    response = client.post("/p/anytown/agencies/AGA/services/new/", {"name": "mash"})
    assert response.status_code == 400
    assert "Agency A already has a service called mash." in response.content.decode()
    service = cast.agency_a.services.get(name="MASH")
    url = f"/p/anytown/agencies/AGA/services/{service.pk}/change/"
    assert client.post(url, {"name": "Early Help", "version": "1"}).status_code == 302
    assert client.post("/p/anytown/governance-groups/new/", {"name": "DASVEG", "short_name": ""}).status_code == 302
    group = GovernanceGroup.objects.get(name="DASVEG")
    url = f"/p/anytown/governance-groups/{group.pk}/change/"
    data = {"name": "Domestic Abuse and Sexual Violence Executive Group", "short_name": "DASVEG", "version": "1"}
    assert client.post(url, data).status_code == 302
    group.refresh_from_db()
    assert (group.name, group.short_name, group.version) == (data["name"], "DASVEG", 2)


@pytest.mark.django_db(transaction=True)
def test_adding_a_person(client_for: ClientFor, cast: Cast) -> None:
    client = client_for("coordinator")
    response = client.post(
        "/p/anytown/people/new/",
        {"full_name": "Pat Practitioner", "email": "pat@example.org", "role": "auditor", "agency": ""},
    )
    assert response.status_code == 400
    assert "Choose the agency this auditor acts for." in response.content.decode()
    assert mail.outbox == []
    response = client.post(
        "/p/anytown/people/new/",
        {"full_name": "Pat Practitioner", "email": "pat@example.org", "role": "auditor", "agency": cast.agency_b.pk},
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Pat Practitioner has been added" in page
    assert "Agency B" in page
    assert mail.outbox[0].to == ["pat@example.org"]
    assert "http://testserver/accounts/password/reset/key/" in mail.outbox[0].body
    response = client.post(
        "/p/anytown/people/new/",
        {"full_name": "Pat Again", "email": "PAT@example.org", "role": "coordinator"},
    )
    assert "This person is already in the partnership." in response.content.decode()


def test_giving_and_removing_roles(client_for: ClientFor, cast: Cast) -> None:
    client = client_for("coordinator")
    auditor = cast["auditor_a"]
    assert auditor is not None
    url = f"/p/anytown/people/{auditor.pk}/roles/new/"
    response = client.post(url, {"role": "panel_member", "agency": cast.agency_a.pk})
    assert response.status_code == 302
    membership = Membership.objects.get(user=auditor, role=Role.PANEL_MEMBER)
    page = client.get(f"/p/anytown/people/{auditor.pk}/").content.decode()
    assert "Panel member" in page
    remove_url = f"/p/anytown/people/{auditor.pk}/roles/{membership.pk}/remove/"
    assert "Remove the role Panel member (Agency A)" in client.get(remove_url).content.decode()
    assert client.post(remove_url).status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_removing_the_last_coordinator_is_explained(client_for: ClientFor, cast: Cast) -> None:
    client = client_for("coordinator")
    membership = cast.coordinator.memberships.get()
    response = client.post(f"/p/anytown/people/{cast.coordinator.pk}/roles/{membership.pk}/remove/")
    assert response.status_code == 400
    assert "A partnership must keep at least one coordinator." in response.content.decode()


def test_a_person_of_another_partnership_is_not_found(client_for: ClientFor, cast: Cast) -> None:
    outsider = cast["outsider"]
    assert outsider is not None
    assert client_for("coordinator").get(f"/p/anytown/people/{outsider.pk}/").status_code == 404
    membership = outsider.memberships.get()
    url = f"/p/anytown/people/{outsider.pk}/roles/{membership.pk}/remove/"
    assert client_for("coordinator").post(url).status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_the_access_log_shows_this_partnership_only_and_filters(client_for: ClientFor, cast: Cast) -> None:
    services.agency_update(actor=cast.coordinator, agency=cast.agency_a, loaded_version=1, name="Renamed")
    outsider = cast["outsider"]
    assert outsider is not None
    foreign = Agency.objects.get(partnership=cast.other_partnership)
    services.agency_update(actor=outsider, agency=foreign, loaded_version=1, name="Foreign rename")
    client = client_for("coordinator")
    page = client.get("/p/anytown/access-log/").content.decode()
    assert "coordinator@example.org" in page
    assert "Agency A → Renamed" in page
    assert "Foreign rename" not in page
    assert "No entries match the filter" in client.get("/p/anytown/access-log/?action=exported").content.decode()
    assert "Renamed" in client.get("/p/anytown/access-log/?person=coordinator").content.decode()


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url",
    ["/", "/p/anytown/", "/p/anytown/agencies/", "/p/anytown/people/", "/p/anytown/access-log/"],
)
def test_list_pages_make_as_many_queries_for_many_rows_as_for_few(client_for: ClientFor, cast: Cast, url: str) -> None:
    client = client_for("coordinator")
    services.agency_update(actor=cast.coordinator, agency=cast.agency_b, loaded_version=1, name="One entry")
    few = _queries(client, url)
    for n in range(15):
        agency = AgencyFactory.create(partnership=cast.partnership)
        MembershipFactory.create(partnership=cast.partnership, role=Role.AUDITOR, agency=agency)
        services.agency_update(actor=cast.coordinator, agency=agency, loaded_version=1, name=f"Renamed {n}")
    assert _queries(client, url) == few
    assert few <= 15


def test_a_role_held_in_another_partnership_is_out_of_reach(client_for: ClientFor, cast: Cast) -> None:
    """A person in two partnerships: one partnership's coordinator sees and removes only the roles held there."""
    auditor = cast["auditor_a"]
    assert auditor is not None
    elsewhere = MembershipFactory.create(user=auditor, partnership=cast.other_partnership, role=Role.GOVERNANCE_READER)
    client = client_for("coordinator")
    url = f"/p/anytown/people/{auditor.pk}/roles/{elsewhere.pk}/remove/"
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert Membership.objects.filter(pk=elsewhere.pk).exists()
    page = client.get(f"/p/anytown/people/{auditor.pk}/").content.decode()
    assert "Governance reader" not in page
