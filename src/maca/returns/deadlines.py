"""When returns are due: the audit's timeline sets it. Returns must be in, and accepted by each agency's lead,
before the panel meets on the day of the audit, so they are due `DAYS_BEFORE_THE_AUDIT` days before it."""

import datetime

from maca.audits.models import Audit
from maca.cases.criteria import audit_date

DAYS_BEFORE_THE_AUDIT = 14


def returns_due(audit: Audit) -> datetime.date:
    """The day the audit's returns are due: two weeks before the day of the audit (see `audit_date`)."""
    return audit_date(audit) - datetime.timedelta(days=DAYS_BEFORE_THE_AUDIT)
