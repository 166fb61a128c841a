"""Who may read the analysis of an audit: the partnership's coordinator and the audit's lead, and the panel once
the coordinator has opened moderation. These are the people who read every submitted return of the audit and the
profile of every case behind them (`maca.returns.rules`); the analysis shows nothing they could not read there.
An agency's own people, who read only their agency's returns, do not read it."""

from typing import Any

import rules

from maca.audits.models import Audit
from maca.audits.rules import is_audit_lead
from maca.partnerships.rules import is_coordinator
from maca.returns.rules import sits_on_the_panel


@rules.predicate
def panel_in_moderation(user: Any, audit: Any) -> bool:
    return isinstance(audit, Audit) and user.is_authenticated and sits_on_the_panel(user, audit)


reads_the_analysis = is_coordinator | is_audit_lead | panel_in_moderation

rules.add_perm("analysis.view_analysis", reads_the_analysis)
