"""Reads of partnership data, each starting from what the user may see."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, QuerySet

from maca.accounts.models import User
from maca.partnerships.models import (
    AccessLogEntry,
    Agency,
    AgencyService,
    GovernanceGroup,
    Membership,
    Partnership,
    Role,
)

AnyUser = User | AnonymousUser


def _member_partnership_ids(user: AnyUser, role: Role | None = None) -> QuerySet[Membership, int]:
    if not user.is_authenticated or not user.is_active:
        return Membership.objects.none().values_list("partnership_id", flat=True)
    memberships = Membership.objects.filter(user=user)
    if role is not None:
        memberships = memberships.filter(role=role)
    return memberships.values_list("partnership_id", flat=True)


def partnerships_visible_to(user: AnyUser) -> QuerySet[Partnership]:
    """The partnerships in which the user holds any role."""
    return Partnership.objects.filter(pk__in=_member_partnership_ids(user))


def partnerships_coordinated_by(user: AnyUser) -> QuerySet[Partnership]:
    """The partnerships in which the user is a coordinator."""
    return Partnership.objects.filter(pk__in=_member_partnership_ids(user, Role.COORDINATOR))


def agencies_visible_to(user: AnyUser) -> QuerySet[Agency]:
    """The agencies of the user's partnerships (the partnership's directory is known to all its members)."""
    return Agency.objects.filter(partnership__in=partnerships_visible_to(user)).select_related("partnership")


def agency_services_visible_to(user: AnyUser) -> QuerySet[AgencyService]:
    """The services of the agencies the user may see."""
    return AgencyService.objects.filter(agency__in=agencies_visible_to(user)).select_related("agency__partnership")


def governance_groups_visible_to(user: AnyUser) -> QuerySet[GovernanceGroup]:
    """The governance groups of the user's partnerships."""
    return GovernanceGroup.objects.filter(partnership__in=partnerships_visible_to(user)).select_related("partnership")


def people_visible_to(user: AnyUser, partnership: Partnership) -> QuerySet[User]:
    """The people of a partnership, for its coordinators only, each with their roles in that partnership alone."""
    if not partnerships_coordinated_by(user).filter(pk=partnership.pk).exists():
        return User.objects.none()
    roles = Membership.objects.filter(partnership=partnership).select_related("agency", "governance_group")
    return (
        User.objects.filter(memberships__partnership=partnership)
        .distinct()
        .prefetch_related(Prefetch("memberships", queryset=roles, to_attr="roles_here"))
    )


def memberships_visible_to(user: AnyUser, partnership: Partnership) -> QuerySet[Membership]:
    """The roles held in a partnership, for its coordinators only (never a role the person holds elsewhere)."""
    if not partnerships_coordinated_by(user).filter(pk=partnership.pk).exists():
        return Membership.objects.none()
    return Membership.objects.filter(partnership=partnership).select_related("user", "agency", "governance_group")


def access_log_visible_to(user: AnyUser) -> QuerySet[AccessLogEntry]:
    """The access log of the partnerships the user coordinates."""
    return AccessLogEntry.objects.filter(partnership__in=partnerships_coordinated_by(user)).select_related(
        "agency", "content_type"
    )


def memberships_of(user: AnyUser, partnership: Partnership) -> QuerySet[Membership]:
    """The user's own roles in a partnership."""
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(user=user, partnership=partnership).select_related("agency", "governance_group")


def roles_of(user: AnyUser, partnership: Partnership) -> set[str]:
    """The names of the roles the user holds in a partnership."""
    return set(memberships_of(user, partnership).values_list("role", flat=True))
