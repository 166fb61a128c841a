"""What each member of the cast may see, through the selectors and the one helper that fetches an object."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from maca.common.scoping import get_for_user
from maca.partnerships.models import Agency
from maca.partnerships.selectors import (
    access_log_visible_to,
    agencies_visible_to,
    partnerships_visible_to,
    people_visible_to,
)
from maca.tests.cast import Cast


def test_members_see_their_partnership_and_no_other(cast: Cast) -> None:
    for name in ("coordinator", "agency_lead_a", "auditor_a", "auditor_b", "governance_reader"):
        user = cast[name]
        assert user is not None
        assert list(partnerships_visible_to(user)) == [cast.partnership]
        assert set(agencies_visible_to(user)) == {cast.agency_a, cast.agency_b}
    outsider = cast["outsider"]
    assert outsider is not None
    assert list(partnerships_visible_to(outsider)) == [cast.other_partnership]
    assert list(partnerships_visible_to(AnonymousUser())) == []


def test_a_deactivated_person_sees_nothing(cast: Cast) -> None:
    cast.coordinator.is_active = False
    cast.coordinator.save()
    assert not partnerships_visible_to(cast.coordinator).exists()


def test_only_coordinators_see_people_and_the_access_log(cast: Cast) -> None:
    assert people_visible_to(cast.coordinator, cast.partnership).count() == 6
    auditor = cast["auditor_a"]
    assert auditor is not None
    assert not people_visible_to(auditor, cast.partnership).exists()
    outsider = cast["outsider"]
    assert outsider is not None
    assert not people_visible_to(outsider, cast.partnership).exists()
    assert not access_log_visible_to(auditor).exists()


def test_people_show_their_roles_in_this_partnership_only(cast: Cast) -> None:
    outsider = cast["outsider"]
    assert outsider is not None
    from maca.partnerships.tests.factories import MembershipFactory

    MembershipFactory.create(user=outsider, partnership=cast.partnership, role="governance_reader")
    person = people_visible_to(cast.coordinator, cast.partnership).get(pk=outsider.pk)
    assert [m.partnership_id for m in person.roles_here] == [cast.partnership.pk]  # type: ignore[attr-defined]


def test_get_for_user_answers_404_outside_reach_and_403_without_permission(cast: Cast) -> None:
    auditor, outsider = cast["auditor_a"], cast["outsider"]
    assert auditor is not None
    assert outsider is not None
    assert get_for_user(cast.coordinator, agencies_visible_to, perm="partnerships.change_agency", pk=cast.agency_a.pk)
    assert get_for_user(auditor, agencies_visible_to, pk=cast.agency_a.pk) == cast.agency_a
    with pytest.raises(PermissionDenied):
        get_for_user(auditor, agencies_visible_to, perm="partnerships.change_agency", pk=cast.agency_a.pk)
    with pytest.raises(Http404):
        get_for_user(outsider, agencies_visible_to, pk=cast.agency_a.pk)
    with pytest.raises(Http404):
        get_for_user(AnonymousUser(), agencies_visible_to, pk=cast.agency_a.pk)
    with pytest.raises(Http404):
        get_for_user(auditor, agencies_visible_to, pk="not a number")
    foreign = Agency.objects.get(partnership=cast.other_partnership)
    with pytest.raises(Http404):
        get_for_user(cast.coordinator, agencies_visible_to, perm="partnerships.change_agency", pk=foreign.pk)
