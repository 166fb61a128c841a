"""Who may do what with agency returns (see `maca.common.scoping` for who may see them at all).

No agency ever reads another agency's return before it is submitted; once submitted, the coordinator and the audit
lead read it, and the panel does once the coordinator opens moderation.
"""

from typing import Any

import rules

from maca.audits.rules import is_audit_lead
from maca.cases.rules import works_on_cases
from maca.partnerships.models import Agency, Membership, Role
from maca.partnerships.rules import is_coordinator

from .models import SUBMITTED, AgencyReturn


def _in_agency(user: Any, agency_return: Any, *roles: Role) -> bool:
    return isinstance(agency_return, AgencyReturn) and (
        Membership.objects.filter(user=user, agency_id=agency_return.agency_id, role__in=roles).exists()
    )


@rules.predicate
def leads_the_returns_agency(user: Any, agency_return: Any) -> bool:
    return _in_agency(user, agency_return, Role.AGENCY_LEAD)


@rules.predicate
def works_in_the_returns_agency(user: Any, agency_return: Any) -> bool:
    return _in_agency(user, agency_return, Role.AGENCY_LEAD, Role.AUDITOR)


@rules.predicate
def is_assigned(user: Any, agency_return: Any) -> bool:
    return isinstance(agency_return, AgencyReturn) and agency_return.assigned_to_id == user.pk


@rules.predicate
def is_submitted(user: Any, agency_return: Any) -> bool:
    return isinstance(agency_return, AgencyReturn) and agency_return.status in SUBMITTED


@rules.predicate
def is_editable(user: Any, agency_return: Any) -> bool:
    return isinstance(agency_return, AgencyReturn) and agency_return.is_editable


@rules.predicate
def oversees_the_audit_of(user: Any, agency_return: Any) -> bool:
    """The coordinator of the partnership or the lead of the audit."""
    return isinstance(agency_return, AgencyReturn) and bool(
        is_coordinator(user, agency_return.audit) or is_audit_lead(user, agency_return.audit)
    )


@rules.predicate
def leads_the_audit_of_return(user: Any, agency_return: Any) -> bool:
    return isinstance(agency_return, AgencyReturn) and bool(is_audit_lead(user, agency_return.audit))


def sits_on_the_panel(user: Any, audit: Any) -> bool:
    """The user is a panel member of the audit's partnership and the coordinator has opened moderation."""
    return audit.moderation_opened_at is not None and (
        Membership.objects.filter(user=user, partnership=audit.partnership, role=Role.PANEL_MEMBER).exists()
    )


@rules.predicate
def panel_reads(user: Any, agency_return: Any) -> bool:
    return isinstance(agency_return, AgencyReturn) and sits_on_the_panel(user, agency_return.audit)


@rules.predicate
def opens_returns(user: Any, audit: Any) -> bool:
    """The user may open the audit's returns page: those who work on its cases, and the panel in moderation."""
    return bool(works_on_cases(user, audit)) or sits_on_the_panel(user, audit)


def _works_for(user: Any, agency: Any, *roles: Role) -> bool:
    return isinstance(agency, Agency) and Membership.objects.filter(user=user, agency=agency, role__in=roles).exists()


@rules.predicate
def leads_agency(user: Any, agency: Any) -> bool:
    return _works_for(user, agency, Role.AGENCY_LEAD)


@rules.predicate
def works_for_agency(user: Any, agency: Any) -> bool:
    return _works_for(user, agency, Role.AGENCY_LEAD, Role.AUDITOR)


rules.add_perm("returns.view_returns", opens_returns)
rules.add_perm("returns.view_progress", is_coordinator | is_audit_lead)
rules.add_perm("returns.open_moderation", is_coordinator)
rules.add_perm(
    "returns.read_return", works_in_the_returns_agency | (is_submitted & (oversees_the_audit_of | panel_reads))
)
rules.add_perm("returns.edit_return", is_editable & (leads_the_returns_agency | is_assigned))
rules.add_perm("returns.assign_return", leads_the_returns_agency)
rules.add_perm("returns.decide_return", leads_the_returns_agency)
rules.add_perm("returns.reopen_return", leads_the_audit_of_return)
# The coordinator or the audit lead sends a reminder by hand about a return still being written.
rules.add_perm("returns.remind_return", oversees_the_audit_of)
# The history holds every value ever saved. The agency's lead reads it whole; the audit lead reads it once the return
# is submitted, and then sees which fields each save changed but not the draft words (`returns.read_draft_values`).
# The agency's offline workbook (asked of the agency): its leads and auditors download it, its leads upload it.
rules.add_perm("returns.download_workbook", works_for_agency)
rules.add_perm("returns.upload_workbook", leads_agency)
rules.add_perm("returns.view_history", leads_the_returns_agency | (is_submitted & leads_the_audit_of_return))
rules.add_perm("returns.read_draft_values", works_in_the_returns_agency)
