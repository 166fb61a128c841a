"""Who may do what in an audit's moderation (see `maca.common.scoping` and `maca.findings.selectors`).

Moderation starts once the audit's Terms of Reference has been approved (there is nothing to moderate before).

- The panel moderates: the partnership's panel members, once the coordinator has opened moderation, together with
  the partnership's coordinators and the audit's lead (who may prepare the headings and draft findings before the
  meeting). They read every submitted return, moderate grades, and write findings and recommendations.
- The coordinators and the audit lead change the briefing's headings: the briefing's shape is theirs, its content
  the panel's.
- Only the audit lead signs the findings off, and only they start a new version after sign-off.
- Governance readers of a group the audit reports to read the signed-off versions: findings and recommendations,
  never the evidence (returns and narrative answers are case-level) nor the moderated grades.
- Agencies' leads and auditors who are not panel members have no part in moderation.

Every predicate takes the audit, or anything of the audit's moderation (a finding, a recommendation, a version).
"""

from typing import Any

import rules

from maca.audits.models import Audit
from maca.audits.rules import is_audit_lead
from maca.partnerships.models import Membership, Role
from maca.partnerships.rules import is_coordinator
from maca.returns.rules import sits_on_the_panel


def audit_of(obj: Any) -> Audit | None:
    """The audit an object of moderation belongs to (the object itself when it is an audit)."""
    if isinstance(obj, Audit):
        return obj
    audit = getattr(obj, "audit", None)
    return audit if isinstance(audit, Audit) else None


def has_approved_terms(audit: Audit) -> bool:
    return audit.tor_versions.exists()


@rules.predicate
def is_under_way(user: Any, obj: Any) -> bool:
    """The audit's Terms of Reference has an approved version: its moderation can start."""
    audit = audit_of(obj)
    return audit is not None and has_approved_terms(audit)


@rules.predicate
def oversees(user: Any, obj: Any) -> bool:
    """The user coordinates the audit's partnership or leads the audit."""
    audit = audit_of(obj)
    return audit is not None and bool(is_coordinator(user, audit) or is_audit_lead(user, audit))


@rules.predicate
def leads(user: Any, obj: Any) -> bool:
    audit = audit_of(obj)
    return audit is not None and bool(is_audit_lead(user, audit))


@rules.predicate
def on_the_panel(user: Any, obj: Any) -> bool:
    """The user is a panel member of the audit's partnership and moderation is open."""
    audit = audit_of(obj)
    return audit is not None and user.is_authenticated and sits_on_the_panel(user, audit)


@rules.predicate
def reads_for_governance(user: Any, obj: Any) -> bool:
    """The user is a governance reader for one of the groups the audit reports to."""
    audit = audit_of(obj)
    if audit is None or not user.is_authenticated:
        return False
    return Membership.objects.filter(
        user=user,
        partnership_id=audit.partnership_id,
        role=Role.GOVERNANCE_READER,
        governance_group__in=audit.governance_groups.all(),
    ).exists()


moderates = is_under_way & (oversees | on_the_panel)

rules.add_perm("findings.moderate", moderates)
rules.add_perm("findings.change_headings", is_under_way & oversees)
rules.add_perm("findings.sign_off", is_under_way & leads)
rules.add_perm("findings.read_versions", moderates | (is_under_way & reads_for_governance))
# The evidence behind signed-off findings is case-level: the panel's, not the governance groups'.
rules.add_perm("findings.read_evidence", moderates)
