"""Permission predicates: who may change what, among the objects they may see (see `maca.common.scoping`)."""

from typing import Any

import rules

from maca.partnerships.models import Membership, Partnership, Role


def partnership_of(obj: Any) -> Partnership | None:
    if isinstance(obj, Partnership):
        return obj
    partnership = getattr(obj, "partnership", None)
    return partnership if isinstance(partnership, Partnership) else None


@rules.predicate
def is_coordinator(user: Any, obj: Any) -> bool:
    """The user coordinates the partnership the object belongs to."""
    partnership = partnership_of(obj)
    if partnership is None or not user.is_authenticated:
        return False
    return Membership.objects.filter(user=user, partnership=partnership, role=Role.COORDINATOR).exists()


rules.add_perm("partnerships.change_partnership", is_coordinator)
rules.add_perm("partnerships.manage_people", is_coordinator)
rules.add_perm("partnerships.view_access_log", is_coordinator)
rules.add_perm("partnerships.change_agency", is_coordinator)
rules.add_perm("partnerships.change_agencyservice", is_coordinator)
rules.add_perm("partnerships.change_governancegroup", is_coordinator)
