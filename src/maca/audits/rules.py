"""Who may change an audit, among those who may see it (see `maca.common.scoping`)."""

from typing import Any

import rules

from maca.partnerships.rules import is_coordinator

from .models import Audit


@rules.predicate
def is_audit_lead(user: Any, audit: Any) -> bool:
    """The user leads this audit."""
    return isinstance(audit, Audit) and audit.lead_id is not None and audit.lead_id == user.pk


# Creating audits is a coordinator's work (checked on the partnership).
rules.add_perm("audits.add_audit", is_coordinator)
# Coordinators and the audit lead edit the Terms of Reference and send it for review.
rules.add_perm("audits.change_audit", is_coordinator | is_audit_lead)
# The audit lead approves it (or sends it back); the coordinator may send it back too.
rules.add_perm("audits.approve_audit", is_audit_lead)
rules.add_perm("audits.return_audit", is_coordinator | is_audit_lead)
