"""Switching a person's account off and on (person_deactivate, person_reactivate, and removing a last role): who may,
what happens to their sessions, what the access log keeps, and that a refusal changes nothing."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client

from maca.accounts.models import User
from maca.accounts.tests.factories import UserFactory
from maca.partnerships import services
from maca.partnerships.models import AccessAction, AccessLogEntry, Membership, Role
from maca.partnerships.tests.factories import MembershipFactory
from maca.tests.cast import Cast


def _member(cast: Cast, name: str) -> User:
    user = cast[name]
    assert user is not None
    return user


def _signed_in_sessions(person: User) -> int:
    return sum(session.get_decoded().get(SESSION_KEY) == str(person.pk) for session in Session.objects.all())


def _sign_in(person: User) -> Client:
    client = Client()
    client.force_login(person)
    return client


def _state(person: User) -> tuple[bool, int, int, int]:
    """What a refusal must leave as it was: the account, its roles, its sessions and the access log."""
    person.refresh_from_db()
    return person.is_active, person.memberships.count(), _signed_in_sessions(person), AccessLogEntry.objects.count()


def test_deactivating_switches_the_account_off_keeps_the_roles_and_logs_who_and_whom(cast: Cast) -> None:
    auditor = _member(cast, "auditor_a")
    services.person_deactivate(actor=cast.coordinator, partnership=cast.partnership, person=auditor)
    auditor.refresh_from_db()
    assert not auditor.is_active
    assert [str(membership) for membership in auditor.memberships.all()] == ["Auditor (Agency A)"]
    entry = AccessLogEntry.objects.get(content_type__model="user", object_id=str(auditor.pk))
    assert (entry.partnership, entry.actor, entry.actor_email) == (
        cast.partnership,
        cast.coordinator,
        "coordinator@example.org",
    )
    assert entry.action == AccessAction.CHANGED
    assert entry.object_repr == "Ada Auditor"
    # Who switched off whose account, and nothing else about them: not even their e-mail address.
    assert entry.changes == {"account": ["active", "deactivated"]}


def test_every_session_of_the_person_ends_and_nobody_elses(cast: Cast) -> None:
    auditor = _member(cast, "auditor_a")
    for person in (auditor, auditor, cast.coordinator, _member(cast, "auditor_b")):
        _sign_in(person)
    assert (_signed_in_sessions(auditor), Session.objects.count()) == (2, 4)
    services.person_deactivate(actor=cast.coordinator, partnership=cast.partnership, person=auditor)
    assert _signed_in_sessions(auditor) == 0
    assert _signed_in_sessions(cast.coordinator) == 1
    assert _signed_in_sessions(_member(cast, "auditor_b")) == 1


def test_reactivating_switches_it_back_on_with_the_roles_it_kept(cast: Cast) -> None:
    auditor = _member(cast, "auditor_a")
    services.person_deactivate(actor=cast.coordinator, partnership=cast.partnership, person=auditor)
    services.person_reactivate(actor=cast.coordinator, partnership=cast.partnership, person=auditor)
    auditor.refresh_from_db()
    assert auditor.is_active
    assert auditor.memberships.count() == 1
    changes = AccessLogEntry.objects.filter(content_type__model="user").order_by("id").values_list("changes", flat=True)
    assert list(changes) == [{"account": ["active", "deactivated"]}, {"account": ["deactivated", "active"]}]


def test_a_coordinator_cannot_deactivate_themselves(cast: Cast) -> None:
    MembershipFactory.create(user=_member(cast, "audit_lead"), partnership=cast.partnership, role=Role.COORDINATOR)
    before = _state(cast.coordinator)
    with pytest.raises(ValidationError, match="You cannot deactivate your own account"):
        services.person_deactivate(actor=cast.coordinator, partnership=cast.partnership, person=cast.coordinator)
    assert _state(cast.coordinator) == before


def test_an_account_used_in_another_partnership_is_not_for_one_coordinator_to_switch(cast: Cast) -> None:
    auditor = _member(cast, "auditor_a")
    MembershipFactory.create(user=auditor, partnership=cast.other_partnership, role=Role.GOVERNANCE_READER)
    _sign_in(auditor)
    before = _state(auditor)
    with pytest.raises(ValidationError, match="also holds a role in another partnership") as refused:
        services.person_deactivate(actor=cast.coordinator, partnership=cast.partnership, person=auditor)
    assert "Remove their roles here instead" in refused.value.messages[0]
    assert "Elsewhere" not in refused.value.messages[0], "the other partnership is not named"
    assert _state(auditor) == before
    # A coordinator of both partnerships answers for the whole account.
    MembershipFactory.create(user=cast.coordinator, partnership=cast.other_partnership, role=Role.COORDINATOR)
    services.person_deactivate(actor=cast.coordinator, partnership=cast.partnership, person=auditor)
    auditor.refresh_from_db()
    assert not auditor.is_active


def test_nor_to_switch_back_on(cast: Cast) -> None:
    auditor = _member(cast, "auditor_a")
    services.person_deactivate(actor=cast.coordinator, partnership=cast.partnership, person=auditor)
    MembershipFactory.create(user=auditor, partnership=cast.other_partnership, role=Role.GOVERNANCE_READER)
    before = _state(auditor)
    with pytest.raises(ValidationError, match=re.escape("Ask a maca administrator to reactivate the account.")):
        services.person_reactivate(actor=cast.coordinator, partnership=cast.partnership, person=auditor)
    assert _state(auditor) == before


def test_a_person_without_a_role_here_is_not_this_partnerships_to_switch(cast: Cast) -> None:
    stranger = UserFactory.create(email="stranger@example.org", full_name="Sam Stranger")
    with pytest.raises(ValidationError, match="Sam Stranger holds no role in Anytown"):
        services.person_deactivate(actor=cast.coordinator, partnership=cast.partnership, person=stranger)
    stranger.refresh_from_db()
    assert stranger.is_active


def test_only_a_superuser_switches_a_superusers_account(cast: Cast) -> None:
    administrator = UserFactory.create(email="admin@example.org", full_name="Ann Admin", is_superuser=True)
    MembershipFactory.create(user=administrator, partnership=cast.partnership, role=Role.AUDIT_LEAD)
    with pytest.raises(ValidationError, match="only another administrator can deactivate their account"):
        services.person_deactivate(actor=cast.coordinator, partnership=cast.partnership, person=administrator)
    administrator.refresh_from_db()
    assert administrator.is_active


def test_a_superuser_may_switch_anyone_but_never_the_last_active_coordinator(cast: Cast) -> None:
    administrator = UserFactory.create(email="admin@example.org", full_name="Ann Admin", is_superuser=True)
    auditor = _member(cast, "auditor_a")
    MembershipFactory.create(user=auditor, partnership=cast.other_partnership, role=Role.GOVERNANCE_READER)
    services.person_deactivate(actor=administrator, partnership=cast.partnership, person=auditor)
    auditor.refresh_from_db()
    assert not auditor.is_active
    before = _state(cast.coordinator)
    with pytest.raises(ValidationError, match="Cora Coordinator is the last active coordinator of Anytown"):
        services.person_deactivate(actor=administrator, partnership=cast.partnership, person=cast.coordinator)
    assert _state(cast.coordinator) == before
    # A second coordinator whose account is off does not count: the partnership needs one who can sign in.
    second = UserFactory.create(email="second@example.org", full_name="Cleo Coordinator", is_active=False)
    MembershipFactory.create(user=second, partnership=cast.partnership, role=Role.COORDINATOR)
    with pytest.raises(ValidationError, match="last active coordinator"):
        services.person_deactivate(actor=administrator, partnership=cast.partnership, person=cast.coordinator)
    services.person_reactivate(actor=administrator, partnership=cast.partnership, person=second)
    services.person_deactivate(actor=administrator, partnership=cast.partnership, person=cast.coordinator)
    cast.coordinator.refresh_from_db()
    assert not cast.coordinator.is_active


def test_switching_twice_is_refused(cast: Cast) -> None:
    auditor = _member(cast, "auditor_a")
    with pytest.raises(ValidationError, match=re.escape("Ada Auditor’s account is already active.")):
        services.person_reactivate(actor=cast.coordinator, partnership=cast.partnership, person=auditor)
    services.person_deactivate(actor=cast.coordinator, partnership=cast.partnership, person=auditor)
    logged = AccessLogEntry.objects.count()
    with pytest.raises(ValidationError, match=re.escape("Ada Auditor’s account is already deactivated.")):
        services.person_deactivate(actor=cast.coordinator, partnership=cast.partnership, person=auditor)
    assert AccessLogEntry.objects.count() == logged


def test_removing_a_last_role_can_switch_the_account_off_in_the_same_transaction(cast: Cast) -> None:
    auditor = _member(cast, "auditor_b")
    _sign_in(auditor)
    services.membership_remove(actor=cast.coordinator, membership=auditor.memberships.get(), deactivate_account=True)
    auditor.refresh_from_db()
    assert (auditor.is_active, auditor.memberships.count(), _signed_in_sessions(auditor)) == (False, 0, 0)
    logged = AccessLogEntry.objects.order_by("id").values_list("action", "content_type__model")
    assert list(logged)[-2:] == [(AccessAction.CHANGED, "user"), (AccessAction.REMOVED, "membership")]


def test_a_refused_deactivation_keeps_the_role_too(cast: Cast) -> None:
    auditor = _member(cast, "auditor_b")
    MembershipFactory.create(user=auditor, partnership=cast.other_partnership, role=Role.GOVERNANCE_READER)
    _sign_in(auditor)
    before = _state(auditor)
    membership = auditor.memberships.get(partnership=cast.partnership)
    with pytest.raises(ValidationError, match="also holds a role in another partnership"):
        services.membership_remove(actor=cast.coordinator, membership=membership, deactivate_account=True)
    assert _state(auditor) == before
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_the_last_active_coordinator_cannot_remove_their_own_role(cast: Cast) -> None:
    second = UserFactory.create(email="second@example.org", full_name="Cleo Coordinator", is_active=False)
    MembershipFactory.create(user=second, partnership=cast.partnership, role=Role.COORDINATOR)
    membership = cast.coordinator.memberships.get()
    with pytest.raises(ValidationError, match="the other coordinators’ accounts are deactivated"):
        services.membership_remove(actor=cast.coordinator, membership=membership)
    assert Membership.objects.filter(pk=membership.pk).exists()
