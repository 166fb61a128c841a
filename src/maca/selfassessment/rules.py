"""Who may do what in an audit's wider partnership self-assessment (see `maca.common.scoping`).

- The partnership's coordinators and the audit's lead oversee it: they edit the framework, follow the progress of
  every agency, read every submitted self-assessment and its results, and return one with a reason.
- The leads and auditors of an agency named in section 6b fill in that agency's self-assessment; its leads sign it
  off and submit it. They never see another agency's.
- Nobody else has any part in it.

Agency-level permissions are checked on an `AgencyPart`: one agency's part in one audit.
"""

from dataclasses import dataclass
from typing import Any

import rules

from maca.audits.models import Audit, ParticipationKind
from maca.audits.rules import is_audit_lead
from maca.partnerships.models import Agency, Membership, Partnership, Role
from maca.partnerships.rules import is_coordinator

FILLING_IN_ROLES = (Role.AGENCY_LEAD, Role.AUDITOR)


@dataclass(frozen=True)
class AgencyPart:
    """One agency's part in one audit's self-assessment."""

    audit: Audit
    agency: Agency

    @property
    def partnership(self) -> Partnership:
        return self.audit.partnership


def wider_agency_ids(audit: Audit) -> set[int]:
    """The agencies the Terms of Reference names for the wider partnership audit (section 6b)."""
    return set(audit.participants.filter(kind=ParticipationKind.WIDER_AUDIT).values_list("agency_id", flat=True))


def _audit_of(obj: Any) -> Audit | None:
    if isinstance(obj, AgencyPart):
        return obj.audit
    return obj if isinstance(obj, Audit) else None


@rules.predicate
def oversees(user: Any, obj: Any) -> bool:
    """The user coordinates the audit's partnership or leads the audit."""
    audit = _audit_of(obj)
    return audit is not None and bool(is_coordinator(user, audit) or is_audit_lead(user, audit))


def _acts_for(user: Any, part: Any, roles: tuple[str, ...]) -> bool:
    if not isinstance(part, AgencyPart) or not user.is_authenticated:
        return False
    if part.agency.partnership_id != part.audit.partnership_id or part.agency.pk not in wider_agency_ids(part.audit):
        return False
    return Membership.objects.filter(user=user, agency=part.agency, role__in=roles).exists()


@rules.predicate
def fills_in_for(user: Any, part: Any) -> bool:
    """The user is a lead or an auditor of the agency, which takes part in the audit's wider partnership audit."""
    return _acts_for(user, part, FILLING_IN_ROLES)


@rules.predicate
def leads_agency(user: Any, part: Any) -> bool:
    """The user is a lead of the agency, which takes part in the audit's wider partnership audit."""
    return _acts_for(user, part, (Role.AGENCY_LEAD,))


@rules.predicate
def takes_part(user: Any, audit: Any) -> bool:
    """The user is a lead or an auditor of an agency that takes part in the audit's wider partnership audit."""
    if not isinstance(audit, Audit) or not user.is_authenticated:
        return False
    return Membership.objects.filter(
        user=user,
        partnership_id=audit.partnership_id,
        role__in=FILLING_IN_ROLES,
        agency_id__in=wider_agency_ids(audit),
    ).exists()


def may(user: Any, perm: str, part: AgencyPart) -> bool:
    """Whether the user holds an agency-level permission ("selfassessment.fill_in", ...) on an agency's part."""
    return bool(rules.has_perm(perm, user, part))


# On the audit: who opens the self-assessment at all, and who oversees it.
rules.add_perm("selfassessment.view_self_assessments", oversees | takes_part)
rules.add_perm("selfassessment.oversee", oversees)
rules.add_perm("selfassessment.change_framework", oversees)
# On an agency's part.
rules.add_perm("selfassessment.fill_in", fills_in_for)
rules.add_perm("selfassessment.submit", leads_agency)
rules.add_perm("selfassessment.return", oversees)
