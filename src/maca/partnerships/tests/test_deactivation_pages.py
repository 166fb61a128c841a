"""A coordinator switches off the account of someone who has left, in the browser: the pages, who may use them, and
what the person who left finds on their next request. (Every member of the cast on every URL: url_expectations.py.)"""

from collections.abc import Callable

import pytest
from django.conf import settings
from django.contrib.auth import load_backend
from django.test import Client

from maca.accounts.models import User
from maca.accounts.tests.factories import UserFactory, enrol_totp
from maca.accounts.tests.html_checks import page_problems
from maca.accounts.tests.signing_in import post_login, sign_in, signed_in_user_id
from maca.partnerships.models import AccessLogEntry, Membership, Role
from maca.partnerships.tests.factories import MembershipFactory
from maca.tests.cast import CAST, Cast

ClientFor = Callable[[str], Client]


def _member(cast: Cast, name: str) -> User:
    user = cast[name]
    assert user is not None
    return user


def _deactivate_url(person: User) -> str:
    return f"/p/anytown/people/{person.pk}/deactivate/"


def _reactivate_url(person: User) -> str:
    return f"/p/anytown/people/{person.pk}/reactivate/"


def _is_active(person: User) -> bool:
    person.refresh_from_db()
    return person.is_active


def _goes_to_log_in(client: Client, path: str = "/p/anytown/") -> bool:
    response = client.get(path)
    return response.status_code == 302 and response["Location"].startswith("/accounts/login/")


REFUSED = {"audit_lead": 403, "agency_lead_a": 403, "auditor_a": 403, "governance_reader": 403, "outsider": 404}


@pytest.mark.parametrize("member", [*REFUSED, "auditor_b", "anonymous"])
def test_only_the_coordinator_switches_accounts(client_for: ClientFor, cast: Cast, member: str) -> None:
    auditor = _member(cast, "auditor_b")
    client = client_for(member)
    expected = REFUSED.get(member, 403)
    logged = AccessLogEntry.objects.count()
    for url in (_deactivate_url(auditor), _reactivate_url(auditor)):
        for response in (client.get(url), client.post(url)):
            if member == "anonymous":
                assert response.status_code == 302
                assert response["Location"].startswith("/accounts/login/")
            else:
                assert response.status_code == expected, f"{member} {response.request['REQUEST_METHOD']} {url}"
    assert _is_active(auditor)
    assert AccessLogEntry.objects.count() == logged
    assert "Deactivate" not in client.get(f"/p/anytown/people/{auditor.pk}/").content.decode()


def test_the_coordinator_deactivates_someone_who_has_left(client_for: ClientFor, cast: Cast) -> None:
    client = client_for("coordinator")
    auditor = _member(cast, "auditor_a")
    person_page = client.get(f"/p/anytown/people/{auditor.pk}/").content.decode()
    assert f'href="{_deactivate_url(auditor)}"' in person_page
    page = client.get(_deactivate_url(auditor))
    assert page.status_code == 200
    assert page_problems(page) == []
    text = page.content.decode()
    assert "<title>Deactivate Ada Auditor" in text
    assert "Ada Auditor will no longer be able to sign in to maca, and any session they have open ends at once." in text
    assert "Their name stays on everything they did" in text
    assert "Their roles are kept, so that their account can be reactivated" in text
    assert 'name="csrfmiddlewaretoken"' in text
    response = client.post(_deactivate_url(auditor))
    assert response.status_code == 302
    assert response["Location"] == f"/p/anytown/people/{auditor.pk}/"
    person_page = client.get(response["Location"]).content.decode()
    assert "Ada Auditor’s account has been deactivated: they can no longer sign in." in person_page
    assert '<strong class="govuk-tag govuk-tag--grey">Deactivated</strong>' in person_page
    assert "Auditor" in person_page, "the roles are kept"
    assert f'href="{_reactivate_url(auditor)}"' in person_page
    people = client.get("/p/anytown/people/").content.decode()
    assert people.count("Deactivated</strong>") == 1
    assert not _is_active(auditor)


def test_the_page_needs_the_csrf_token(cast: Cast) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.coordinator)
    auditor = _member(cast, "auditor_a")
    assert client.post(_deactivate_url(auditor)).status_code == 403
    assert _is_active(auditor)


def test_an_open_session_ends_on_its_next_request_and_stays_ended(client_for: ClientFor, cast: Cast) -> None:
    auditor = _member(cast, "auditor_a")
    theirs = client_for("auditor_a")
    assert theirs.get("/p/anytown/").status_code == 200
    coordinator = client_for("coordinator")
    assert coordinator.post(_deactivate_url(auditor)).status_code == 302
    assert _goes_to_log_in(theirs)
    # Switched back on by mistake's correction, the account does not bring the ended session back to life.
    assert coordinator.post(_reactivate_url(auditor)).status_code == 302
    assert _is_active(auditor)
    assert _goes_to_log_in(theirs)


def test_a_session_that_outlives_the_deactivation_lets_nobody_in(cast: Cast) -> None:
    """Should a session escape being ended (begun as the account is switched off), the account being off is enough."""
    person = UserFactory.create(email="pat@example.org", full_name="Pat Practitioner")
    secret = enrol_totp(person)
    MembershipFactory.create(user=person, partnership=cast.partnership, role=Role.AUDITOR, agency=cast.agency_a)
    theirs = Client()
    sign_in(theirs, person, secret)
    assert theirs.get("/p/anytown/").status_code == 200
    User.objects.filter(pk=person.pk).update(is_active=False)  # switched off, its sessions left as they are
    assert _goes_to_log_in(theirs)
    assert theirs.get(f"/audits/{cast.approved_audit.reference}/").status_code == 302  # type: ignore[union-attr]


def test_no_authentication_backend_hands_a_session_to_a_switched_off_account(cast: Cast) -> None:
    """Each backend that turns a session back into a person (axes and rules do not) refuses an inactive account."""
    auditor = _member(cast, "auditor_a")
    User.objects.filter(pk=auditor.pk).update(is_active=False)
    restorers = [load_backend(path) for path in settings.AUTHENTICATION_BACKENDS]
    restorers = [backend for backend in restorers if hasattr(backend, "get_user")]
    assert restorers, "some backend restores sessions"
    assert [backend.get_user(auditor.pk) for backend in restorers] == [None] * len(restorers)


def test_a_deactivated_person_cannot_sign_in(client_for: ClientFor, cast: Cast) -> None:
    auditor = _member(cast, "auditor_a")
    assert client_for("coordinator").post(_deactivate_url(auditor)).status_code == 302
    client = Client()
    response = post_login(client, auditor.email)
    assert signed_in_user_id(client) is None
    assert response.status_code == 302
    assert "Your account is switched off" in client.get(response["Location"]).content.decode()
    assert _goes_to_log_in(client)


def test_their_name_stays_on_what_they_did(client_for: ClientFor, cast: Cast) -> None:
    lead = _member(cast, "audit_lead")
    client = client_for("coordinator")
    assert client.post(_deactivate_url(lead)).status_code == 302
    audit = client.get(f"/audits/{cast.approved_audit.reference}/").content.decode()  # type: ignore[union-attr]
    assert "by Ali Lead" in audit, "the Terms of Reference they approved"
    log = client.get("/p/anytown/access-log/?person=audit.lead").content.decode()
    assert "audit.lead@example.org" in log, "what they did, in the access log"
    assert "Ali Lead" in client.get("/p/anytown/people/").content.decode()


def test_the_access_log_says_who_deactivated_whom(client_for: ClientFor, cast: Cast) -> None:
    client = client_for("coordinator")
    auditor = _member(cast, "auditor_a")
    assert client.post(_deactivate_url(auditor)).status_code == 302
    log = client.get("/p/anytown/access-log/?action=changed&person=coordinator").content.decode()
    body = log[log.index('<tbody class="govuk-table__body">') :]
    rows = [row for row in body.split('<tr class="govuk-table__row">') if "Ada Auditor" in row]
    assert len(rows) == 1
    assert "coordinator@example.org" in rows[0]
    assert "account: active → deactivated" in rows[0]
    assert "auditor.a@example.org" not in body


def test_a_coordinator_is_not_offered_and_cannot_deactivate_themselves(client_for: ClientFor, cast: Cast) -> None:
    client = client_for("coordinator")
    own_page = client.get(f"/p/anytown/people/{cast.coordinator.pk}/").content.decode()
    assert _deactivate_url(cast.coordinator) not in own_page
    response = client.post(_deactivate_url(cast.coordinator))
    assert response.status_code == 400
    assert page_problems(response) == []
    text = response.content.decode()
    assert "<title>Error: Deactivate Cora Coordinator" in text
    assert "There is a problem" in text
    assert "You cannot deactivate your own account. Ask another coordinator of Anytown" in text
    assert _is_active(cast.coordinator)


def test_the_last_active_coordinator_is_kept_and_the_page_says_why(client_for: ClientFor, cast: Cast) -> None:
    second = UserFactory.create(email="second@example.org", full_name="Cleo Coordinator", is_active=False)
    MembershipFactory.create(user=second, partnership=cast.partnership, role=Role.COORDINATOR)
    client = client_for("coordinator")
    membership = cast.coordinator.memberships.get()
    response = client.post(f"/p/anytown/people/{cast.coordinator.pk}/roles/{membership.pk}/remove/")
    assert response.status_code == 400
    assert "A partnership must keep at least one active coordinator" in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_someone_with_a_role_elsewhere_is_refused_with_the_reason(client_for: ClientFor, cast: Cast) -> None:
    auditor = _member(cast, "auditor_a")
    MembershipFactory.create(user=auditor, partnership=cast.other_partnership, role=Role.GOVERNANCE_READER)
    response = client_for("coordinator").post(_deactivate_url(auditor))
    assert response.status_code == 400
    assert "Ada Auditor also holds a role in another partnership" in response.content.decode()
    assert _is_active(auditor)


def test_the_coordinator_reactivates_an_account_deactivated_by_mistake(client_for: ClientFor, cast: Cast) -> None:
    client = client_for("coordinator")
    auditor = _member(cast, "auditor_a")
    assert client.post(_deactivate_url(auditor)).status_code == 302
    page = client.get(_reactivate_url(auditor))
    assert page_problems(page) == []
    assert "Ada Auditor will be able to sign in to maca again" in page.content.decode()
    assert "Auditor (Agency A)" in page.content.decode()
    response = client.post(_reactivate_url(auditor))
    assert response["Location"] == f"/p/anytown/people/{auditor.pk}/"
    person_page = client.get(response["Location"]).content.decode()
    assert "Ada Auditor’s account has been reactivated: they can sign in again." in person_page
    assert "Deactivated</strong>" not in person_page
    assert _is_active(auditor)
    assert "already active" in client.post(_reactivate_url(auditor)).content.decode()


def _remove_url(person: User, membership: Membership) -> str:
    return f"/p/anytown/people/{person.pk}/roles/{membership.pk}/remove/"


def test_removing_a_last_role_offers_deactivation(client_for: ClientFor, cast: Cast) -> None:
    client = client_for("coordinator")
    auditor = _member(cast, "auditor_b")
    page = client.get(_remove_url(auditor, auditor.memberships.get()))
    assert page_problems(page) == []
    text = page.content.decode()
    assert "This is Bo Auditor’s last role in Anytown Safeguarding Children Partnership." in text
    assert 'type="checkbox" name="deactivate"' in text
    assert "Also deactivate their account" in text
    # Someone with another role here stays one of the partnership's people: nothing to offer.
    panel = MembershipFactory.create(
        user=auditor, partnership=cast.partnership, role=Role.PANEL_MEMBER, agency=cast.agency_b
    )
    text = client.get(_remove_url(auditor, panel)).content.decode()
    assert "last role" not in text
    assert 'name="deactivate"' not in text


def test_removing_a_last_role_and_deactivating(client_for: ClientFor, cast: Cast) -> None:
    client = client_for("coordinator")
    auditor = _member(cast, "auditor_b")
    theirs = client_for("auditor_b")
    response = client.post(_remove_url(auditor, auditor.memberships.get()), {"deactivate": "on"})
    assert response.status_code == 302
    assert response["Location"] == "/p/anytown/people/"
    assert "Their account has been deactivated." in client.get(response["Location"]).content.decode()
    assert not _is_active(auditor)
    assert not auditor.memberships.exists()
    assert _goes_to_log_in(theirs, "/")


def test_removing_a_last_role_without_deactivating_says_the_account_is_still_active(
    client_for: ClientFor, cast: Cast
) -> None:
    client = client_for("coordinator")
    auditor = _member(cast, "auditor_b")
    response = client.post(_remove_url(auditor, auditor.memberships.get()))
    assert response["Location"] == "/p/anytown/people/"
    text = client.get(response["Location"]).content.decode()
    assert "Bo Auditor is no longer Auditor (Agency B). They hold no role in Anytown" in text
    assert "Their account is still active." in text
    assert _is_active(auditor)


def test_a_refused_deactivation_with_a_last_role_removes_nothing(client_for: ClientFor, cast: Cast) -> None:
    auditor = _member(cast, "auditor_b")
    MembershipFactory.create(user=auditor, partnership=cast.other_partnership, role=Role.GOVERNANCE_READER)
    membership = auditor.memberships.get(partnership=cast.partnership)
    response = client_for("coordinator").post(_remove_url(auditor, membership), {"deactivate": "on"})
    assert response.status_code == 400
    assert "also holds a role in another partnership" in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert _is_active(auditor)


def test_every_member_of_the_cast_is_covered() -> None:
    assert set(REFUSED) | {"auditor_b", "anonymous", "coordinator"} == set(CAST)
