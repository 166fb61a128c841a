"""The partnership services: each change is made whole or not at all, and is in the access log with who and what."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from maca.accounts.models import User
from maca.common.versioning import ChangedSinceLoaded
from maca.partnerships import services
from maca.partnerships.models import AccessAction, AccessLogEntry, Agency, AgencyType, Membership, Role
from maca.tests.cast import Cast


def test_agency_create_is_logged_with_its_fields(cast: Cast) -> None:
    agency = services.agency_create(
        actor=cast.coordinator,
        partnership=cast.partnership,
        name="Police",
        short_code="pol",
        agency_type=AgencyType.POLICE,
    )
    assert agency.short_code == "POL"
    entry = AccessLogEntry.objects.get(object_id=str(agency.pk), content_type__model="agency")
    assert entry.action == AccessAction.CREATED
    assert entry.actor == cast.coordinator
    assert entry.actor_email == "coordinator@example.org"
    assert entry.partnership == cast.partnership
    assert entry.changes == {"name": [None, "Police"], "short_code": [None, "POL"], "agency_type": [None, "police"]}


def test_agency_update_records_only_what_changed(cast: Cast) -> None:
    services.agency_update(
        actor=cast.coordinator, agency=cast.agency_a, loaded_version=1, name="Agency A renamed", short_code="AGA"
    )
    cast.agency_a.refresh_from_db()
    assert cast.agency_a.name == "Agency A renamed"
    assert cast.agency_a.version == 2
    entry = AccessLogEntry.objects.get(action=AccessAction.CHANGED, object_id=str(cast.agency_a.pk))
    assert entry.changes == {"name": ["Agency A", "Agency A renamed"]}


def test_a_stale_edit_is_refused_and_changes_nothing(cast: Cast) -> None:
    services.agency_update(actor=cast.coordinator, agency=cast.agency_a, loaded_version=1, name="First editor")
    stale = Agency.objects.get(pk=cast.agency_a.pk)
    stale.version = 1  # the second editor loaded the page before the first one saved
    with pytest.raises(ChangedSinceLoaded):
        services.agency_update(actor=cast.coordinator, agency=stale, loaded_version=1, name="Second editor")
    assert Agency.objects.get(pk=cast.agency_a.pk).name == "First editor"
    assert AccessLogEntry.objects.filter(action=AccessAction.CHANGED, content_type__model="agency").count() == 1


def test_an_invalid_change_saves_nothing_and_logs_nothing(cast: Cast) -> None:
    logged = AccessLogEntry.objects.count()
    with pytest.raises(ValidationError) as error:
        services.agency_update(actor=cast.coordinator, agency=cast.agency_a, loaded_version=1, short_code="bad code!")
    assert "short_code" in error.value.message_dict
    assert Agency.objects.get(pk=cast.agency_a.pk).short_code == "AGA"
    assert AccessLogEntry.objects.count() == logged


def test_the_log_names_the_agency_the_actor_acts_for(cast: Cast) -> None:
    lead = cast["agency_lead_a"]
    assert lead is not None
    entry = services.access_log_record(
        actor=lead, partnership=cast.partnership, action=AccessAction.VIEWED, obj=cast.agency_a
    )
    assert entry.agency == cast.agency_a
    entry = services.access_log_record(
        actor=cast.coordinator, partnership=cast.partnership, action=AccessAction.VIEWED, obj=cast.agency_a
    )
    assert entry.agency is None


def test_agency_roles_need_an_agency_of_the_partnership(cast: Cast) -> None:
    reader = cast["governance_reader"]
    assert reader is not None
    with pytest.raises(ValidationError) as error:
        services.membership_add(actor=cast.coordinator, partnership=cast.partnership, person=reader, role=Role.AUDITOR)
    assert error.value.message_dict == {"agency": ["Choose the agency this auditor acts for."]}
    foreign_agency = Agency.objects.get(partnership=cast.other_partnership)
    with pytest.raises(ValidationError) as error:
        services.membership_add(
            actor=cast.coordinator,
            partnership=cast.partnership,
            person=reader,
            role=Role.AUDITOR,
            agency=foreign_agency,
        )
    assert error.value.message_dict == {"agency": ["Choose an agency of this partnership."]}
    assert Membership.objects.filter(user=reader).count() == 1


def test_the_same_role_cannot_be_given_twice(cast: Cast) -> None:
    auditor = cast["auditor_a"]
    assert auditor is not None
    with pytest.raises(ValidationError):
        services.membership_add(
            actor=cast.coordinator,
            partnership=cast.partnership,
            person=auditor,
            role=Role.AUDITOR,
            agency=cast.agency_a,
        )


def test_the_last_coordinator_cannot_be_removed(cast: Cast) -> None:
    membership = Membership.objects.get(user=cast.coordinator, partnership=cast.partnership)
    with pytest.raises(ValidationError, match="at least one coordinator"):
        services.membership_remove(actor=cast.coordinator, membership=membership)
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_removing_a_role_is_logged(cast: Cast) -> None:
    auditor = cast["auditor_b"]
    assert auditor is not None
    membership = auditor.memberships.get()
    services.membership_remove(actor=cast.coordinator, membership=membership)
    assert not auditor.memberships.exists()
    entry = AccessLogEntry.objects.get(action=AccessAction.REMOVED)
    assert entry.changes == {"person": ["auditor.b@example.org", None], "role": ["Auditor (Agency B)", None]}


@pytest.mark.django_db(transaction=True)
def test_adding_a_person_creates_the_account_and_sends_the_invitation(cast: Cast) -> None:
    membership = services.person_add(
        actor=cast.coordinator,
        partnership=cast.partnership,
        email="New.Person@Example.org",
        full_name="Nia Newcomer",
        role=Role.AUDITOR,
        agency=cast.agency_b,
        base_url="https://maca.example.org/",
    )
    person = membership.user
    assert person.email == "new.person@example.org"
    assert not person.has_usable_password()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.person@example.org"]
    assert "Anytown Safeguarding Children Partnership" in message.subject
    assert "https://maca.example.org/accounts/password/reset/key/" in message.body
    assert "Auditor (Agency B)" in message.body


@pytest.mark.django_db(transaction=True)
def test_a_person_with_an_account_elsewhere_keeps_it(cast: Cast) -> None:
    outsider = cast["outsider"]
    assert outsider is not None
    services.person_add(
        actor=cast.coordinator,
        partnership=cast.partnership,
        email="outsider@example.org",
        full_name="Otto Again",
        role=Role.GOVERNANCE_READER,
        base_url="https://maca.example.org",
    )
    assert User.objects.filter(email="outsider@example.org").count() == 1
    assert outsider.memberships.count() == 2
    assert "reset/key" not in mail.outbox[0].body
    assert "https://maca.example.org/accounts/login/" in mail.outbox[0].body


@pytest.mark.django_db(transaction=True)
def test_a_refused_person_gets_no_account_and_no_mail(cast: Cast) -> None:
    with pytest.raises(ValidationError):
        services.person_add(
            actor=cast.coordinator,
            partnership=cast.partnership,
            email="lead@example.org",
            full_name="Lacking Agency",
            role=Role.AGENCY_LEAD,
            base_url="https://maca.example.org",
        )
    assert not User.objects.filter(email="lead@example.org").exists()
    assert mail.outbox == []
