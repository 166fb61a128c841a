"""Who closes audits, holds them and sets the retention period: the partnership's coordinator alone."""

import rules

from maca.partnerships.rules import is_coordinator

# Closing an audit starts the clock on destroying its case-level data: the coordinator's decision.
rules.add_perm("retention.close_audit", is_coordinator)
# A legal hold stops that clock, and lifting it restarts it: the coordinator's too, each with a reason.
rules.add_perm("retention.hold_audit", is_coordinator)
# The retention period is a partnership setting, beside disclosure control (checked on the partnership).
rules.add_perm("retention.change_retention", is_coordinator)
