"""Every write service of partnerships refuses, by itself, whoever its page refuses: only the partnership's
coordinator changes the partnership, its agencies, groups and people; nothing is saved or logged when refused."""

import re
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from maca.accounts.models import User
from maca.partnerships import services
from maca.partnerships.models import AccessLogEntry, Membership, Role
from maca.tests.cast import Cast

pytestmark = pytest.mark.django_db

NOT_THE_COORDINATOR = ("audit_lead", "agency_lead_a", "auditor_a", "auditor_b", "governance_reader", "outsider")

Call = Callable[[Cast, User], object]
CALLS: dict[str, Call] = {
    "agency_create": lambda cast, actor: services.agency_create(
        actor=actor, partnership=cast.partnership, name="Police", short_code="POL", agency_type="police"
    ),
    "agency_update": lambda cast, actor: services.agency_update(
        actor=actor, agency=cast.agency_a, loaded_version=cast.agency_a.version, name="Renamed"
    ),
    "agency_service_create": lambda cast, actor: services.agency_service_create(
        actor=actor, agency=cast.agency_a, name="Team A2"
    ),
    "agency_service_update": lambda cast, actor: services.agency_service_update(
        actor=actor, service=cast.agency_a.services.get(), loaded_version=1, name="Renamed"
    ),
    "governance_group_create": lambda cast, actor: services.governance_group_create(
        actor=actor, partnership=cast.partnership, name="Another group", short_name="AG"
    ),
    "governance_group_update": lambda cast, actor: services.governance_group_update(
        actor=actor, group=cast.group, loaded_version=cast.group.version, name="Renamed", short_name=""
    ),
    "partnership_set_logo": lambda cast, actor: services.partnership_set_logo(
        actor=actor, partnership=cast.partnership, upload=SimpleUploadedFile("logo.png", b"x"), content_type="image/png"
    ),
    "partnership_set_disclosure": lambda cast, actor: services.partnership_set_disclosure(
        actor=actor, partnership=cast.partnership, threshold=2, wording="fewer than {limit}"
    ),
    "membership_add": lambda cast, actor: services.membership_add(
        actor=actor, partnership=cast.partnership, person=actor, role=Role.COORDINATOR
    ),
    "membership_remove": lambda cast, actor: services.membership_remove(
        actor=actor, membership=Membership.objects.get(user__email="auditor.b@example.org")
    ),
    "person_deactivate": lambda cast, actor: services.person_deactivate(
        actor=actor, partnership=cast.partnership, person=_person(cast, "auditor_b")
    ),
    "person_reactivate": lambda cast, actor: services.person_reactivate(
        actor=actor, partnership=cast.partnership, person=_person(cast, "auditor_b")
    ),
    "person_add": lambda cast, actor: services.person_add(
        actor=actor,
        partnership=cast.partnership,
        email="new.person@example.org",
        full_name="New Person",
        role=Role.COORDINATOR,
        base_url="https://maca.example.org",
    ),
}
REFUSED_SERVICES = {f"maca.partnerships.services.{name}" for name in CALLS}


def _person(cast: Cast, name: str) -> User:
    user = cast[name]
    assert user is not None
    return user


@pytest.mark.parametrize("service", sorted(CALLS))
def test_only_an_active_coordinator_of_the_partnership_is_let_through(cast: Cast, service: str) -> None:
    logged, people, memberships = AccessLogEntry.objects.count(), User.objects.count(), Membership.objects.count()
    for name in NOT_THE_COORDINATOR:
        with pytest.raises(PermissionDenied, match=re.escape(_person(cast, name).email)):
            CALLS[service](cast, _person(cast, name))
    cast.coordinator.is_active = False
    cast.coordinator.save()
    with pytest.raises(PermissionDenied):
        CALLS[service](cast, cast.coordinator)
    assert (AccessLogEntry.objects.count(), User.objects.count(), Membership.objects.count()) == (
        logged,
        people,
        memberships,
    )
    assert list(User.objects.filter(is_active=False)) == [cast.coordinator]
    assert not cast.partnership.logo
    assert cast.partnership.agencies.count() == 2
