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
def leads_the_audit_of(user: Any, obj: Any) -> bool:
    """The user leads the audit of the case (or of the involvement's case)."""
    case = obj.case if isinstance(obj, Involvement) else obj
    return isinstance(case, Case) and bool(is_audit_lead(user, case.audit))


@rules.predicate
def leads_the_nominating_agency(user: Any, involvement: Any) -> bool:
    """The user leads the agency that nominated the involvement's case."""
    return isinstance(involvement, Involvement) and bool(leads_the_agency(user, involvement.case))


@rules.predicate
def coordinates_the_case_of(user: Any, involvement: Any) -> bool:
    return isinstance(involvement, Involvement) and bool(is_coordinator(user, involvement.case))


# The coordinator or the audit lead include or exclude a case.
rules.add_perm("cases.decide_case", is_coordinator | leads_the_audit_of)
# Each agency's lead confirms its own involvement.
rules.add_perm("cases.confirm_involvement", leads_the_agency)


def agencies_in_audit(audit: Any) -> set[int]:
    """The agencies that take part in the audit: those that identify cases, those named in the Terms of Reference
    as taking part, and those involved with one of its cases."""
    return {
        *audit.identifying.values_list("agency_id", flat=True),
        *audit.participants.values_list("agency_id", flat=True),
        *Involvement.objects.filter(case__audit=audit).values_list("agency_id", flat=True),
    }


@rules.predicate
def works_on_cases(user: Any, audit: Any) -> bool:
    """The user may open the audit's cases: its coordinator, its lead, or a lead or auditor of an agency that takes
    part in it (who then sees only the cases of their agency)."""
    if is_coordinator(user, audit) or is_audit_lead(user, audit):
        return True
    return Membership.objects.filter(
        user=user,
        partnership=audit.partnership,
        role__in=(Role.AGENCY_LEAD, Role.AUDITOR),
        agency_id__in=agencies_in_audit(audit),
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
# For which agency: the coordinator for any, an agency's lead for their own (asked of a case not yet saved).
rules.add_perm("cases.nominate_for", is_coordinator | leads_the_agency)

# The coordinator, the audit lead or the nominating agency's lead adds an agency involved with the child.
rules.add_perm("cases.add_involvement", is_coordinator | leads_the_audit_of | leads_the_agency)
# An agency recorded as involved by mistake is removed by the coordinator, the audit lead, the nominating agency's
# lead or the lead of the agency itself ("we were not involved with this child").
rules.add_perm(
    "cases.remove_involvement",
    coordinates_the_case_of | leads_the_audit_of | leads_the_nominating_agency | leads_the_agency,
)
# The coordinator or the nominating agency's lead corrects or withdraws a nomination not yet decided on.
rules.add_perm("cases.change_case", is_coordinator | leads_the_agency)
