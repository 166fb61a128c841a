"""Reads of cases, each starting from what the user may see.

- The partnership's coordinators and the audit's lead see every case of the audit.
- An agency's leads and auditors see the cases their agency nominated, and the profiles of the cases it is
  involved in.
- Nobody else sees any case (governance readers and action owners see no case-level data).
- An agency's own record number for a case is seen by that agency alone.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from maca.accounts.models import User
from maca.partnerships.models import Membership, Role

from .models import AgencyRecordNumber, Case

AnyUser = User | AnonymousUser

CASE_ROLES = (Role.AGENCY_LEAD, Role.AUDITOR)


def agencies_acting_for(user: AnyUser) -> QuerySet[Membership, int]:
    """The agencies whose cases the user works on (as their lead or an auditor)."""
    if not user.is_authenticated:
        return Membership.objects.none().values_list("agency_id", flat=True)
    return Membership.objects.filter(user=user, role__in=CASE_ROLES, agency__isnull=False).values_list(
        "agency_id", flat=True
    )


def cases_visible_to(user: AnyUser) -> QuerySet[Case]:
    """The cases the user may see."""
    if not user.is_authenticated or not user.is_active:
        return Case.objects.none()
    coordinates = Membership.objects.filter(user=user, role=Role.COORDINATOR).values("partnership_id")
    agencies = agencies_acting_for(user)
    return (
        Case.objects.filter(
            Q(audit__partnership__in=coordinates)
            | Q(audit__lead=user)
            | Q(nominated_by__in=agencies)
            | Q(involvements__agency__in=agencies)
        )
        .distinct()
        .select_related("audit__partnership", "nominated_by")
    )


def record_numbers_visible_to(user: AnyUser, case: Case) -> QuerySet[AgencyRecordNumber]:
    """The record numbers of a case that the user's own agencies keep."""
    return AgencyRecordNumber.objects.filter(case=case, agency__in=agencies_acting_for(user)).select_related("agency")
