"""Reminders to submit the self-assessment: to the 6b agency's people until it is submitted."""

import datetime

from maca.common.reminders import Outcome, reminders_due
from maca.selfassessment.models import SelfAssessment, State
from maca.selfassessment.reminders import key_of, self_assessment_is_submitted
from maca.tests.cast import Cast

DUE = datetime.date(2026, 5, 6)  # with the returns: two weeks before the approved audit's day


def _to(day: datetime.date) -> list[str]:
    return sorted(
        r.reminder.recipient.email
        for r in reminders_due(day=day).results
        if r.outcome == Outcome.TO_SEND and r.reminder.key.startswith("selfassessment:")
    )


def test_the_6b_agency_is_reminded_until_it_submits(cast: Cast) -> None:
    audit = cast.approved_audit
    assert audit is not None
    assert _to(DUE - datetime.timedelta(days=8)) == []
    # Agency B takes part in 6b; it has no lead, so its auditor is reminded.
    assert _to(DUE) == ["auditor.b@example.org"]
    key = key_of(audit, cast.agency_b.pk)
    assert not self_assessment_is_submitted(key)
    SelfAssessment.objects.create(audit=audit, agency=cast.agency_b, state=State.SUBMITTED)
    assert self_assessment_is_submitted(key)
    assert _to(DUE + datetime.timedelta(days=7)) == []
