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


@rules.predicate
def works_on_cases(user: Any, audit: Any) -> bool:
    """The user may see case-level data of the audit: its coordinator, its lead, or an agency's lead or auditor."""
    if is_coordinator(user, audit) or is_audit_lead(user, audit):
        return True
    return Membership.objects.filter(
        user=user, partnership=audit.partnership, role__in=(Role.AGENCY_LEAD, Role.AUDITOR)
    ).exists()


@rules.predicate
def nominates_for(user: Any, audit: Any) -> bool:
    """The user leads an identifying agency of the audit."""
    return Membership.objects.filter(
        user=user, role=Role.AGENCY_LEAD, agency__in=audit.identifying.values("agency")
    ).exists()


rules.add_perm("cases.view_cases", works_on_cases)
# The coordinator, or the lead of an identifying agency, nominates cases (one at a time or by import).
rules.add_perm("cases.nominate", is_coordinator | nominates_for)

# The coordinator, the audit lead or the nominating agency's lead adds an agency involved with the child.
rules.add_perm("cases.add_involvement", is_coordinator | leads_the_audit_of | leads_the_agency)
# The coordinator or the nominating agency's lead corrects or withdraws a nomination not yet decided on.
rules.add_perm("cases.change_case", is_coordinator | leads_the_agency)
