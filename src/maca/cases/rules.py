"""Who may do what with cases, among those who may see them (see `maca.common.scoping`)."""

from typing import Any

import rules

from maca.audits.rules import is_audit_lead
from maca.partnerships.models import Membership, Role
from maca.partnerships.rules import is_coordinator

from .models import Case, Involvement


@rules.predicate
def leads_the_agency(user: Any, obj: Any) -> bool:
    """The user is a lead of the agency that nominated the case, or of the involved agency."""
    if isinstance(obj, Involvement):
        agency_id = obj.agency_id
    elif isinstance(obj, Case):
        agency_id = obj.nominated_by_id
    else:
        return False
    return Membership.objects.filter(user=user, role=Role.AGENCY_LEAD, agency_id=agency_id).exists()


@rules.predicate
def leads_the_audit_of(user: Any, case: Any) -> bool:
    return isinstance(case, Case) and bool(is_audit_lead(user, case.audit))


# The coordinator or the audit lead include or exclude a case.
rules.add_perm("cases.decide_case", is_coordinator | leads_the_audit_of)
# Each agency's lead confirms its own involvement.
rules.add_perm("cases.confirm_involvement", leads_the_agency)
