"""Reads of agency returns, each starting from what the user may see.

- The partnership's coordinators and the audit's lead see every return of the audit: its state and who holds it;
  they read its content once it is submitted (`returns.read_return`).
- An agency's leads and auditors see their own agency's returns, and no other agency's.
- Panel members see every submitted return of an audit once the coordinator opens moderation.
- Nobody else sees any.
"""

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from maca.audits.models import Audit
from maca.cases.selectors import AnyUser, agencies_acting_for
from maca.partnerships.models import Membership, Role

from .models import SUBMITTED, AgencyReturn
from .rules import sits_on_the_panel


def returns_visible_to(user: AnyUser) -> QuerySet[AgencyReturn]:
    if not user.is_authenticated or not user.is_active:
        return AgencyReturn.objects.none()
    coordinates = Membership.objects.filter(user=user, role=Role.COORDINATOR).values("partnership_id")
    on_panel = Membership.objects.filter(user=user, role=Role.PANEL_MEMBER).values("partnership_id")
    return (
        AgencyReturn.objects.filter(
            Q(audit__partnership__in=coordinates)
            | Q(audit__lead=user)
            | Q(agency__in=agencies_acting_for(user))
            | Q(
                audit__partnership__in=on_panel,
                audit__moderation_opened_at__isnull=False,
                status__in=SUBMITTED,
            )
        )
        .distinct()
        .select_related("audit__partnership", "case", "agency", "assigned_to")
    )


def readable_returns(user: AnyUser, audit: Audit, returns: Iterable[AgencyReturn]) -> list[AgencyReturn]:
    """Those of `returns` (of `audit`) whose content the user may read, as `returns.read_return` decides, in a fixed
    number of queries however many returns there are."""
    own_agencies = set(agencies_acting_for(user))
    oversees = user.has_perm("returns.view_progress", audit) or sits_on_the_panel(user, audit)
    return [r for r in returns if r.agency_id in own_agencies or (oversees and r.status in SUBMITTED)]
