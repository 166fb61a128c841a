"""Reminders to submit the wider partnership self-assessment: to each 6b agency's leads (or, when it has none,
whoever may fill it in) until it is submitted. It is due on the same day as the audit's returns."""

import datetime
from collections.abc import Iterator

from django.urls import reverse

from maca.audits.models import Audit
from maca.common.reminders import Reminder, reminder_stage
from maca.returns.deadlines import returns_due

from .models import SelfAssessment, State
from .selectors import awaiting_submission

PREFIX = "selfassessment"


def key_of(audit: Audit, agency_id: int) -> str:
    """The key of one agency's self-assessment, which may not exist yet: the audit and the agency."""
    return f"{PREFIX}:{audit.pk}.{agency_id}"


def self_assessments_due_for_reminders(day: datetime.date) -> Iterator[Reminder]:
    """The reminders due on `day` for every 6b agency of an approved audit that has not submitted."""
    audits = Audit.objects.exclude(framework="").filter(tor_versions__isnull=False).distinct()
    for audit in audits.select_related("partnership"):
        due = returns_due(audit)
        stage = reminder_stage(due, day)
        if stage is None:
            continue
        for item in awaiting_submission(audit):
            for person in item.remind:
                yield Reminder(
                    key=key_of(audit, item.agency.pk),
                    stage=stage,
                    recipient=person,
                    partnership=audit.partnership,
                    subject=f"Reminder: {item.agency}’s self-assessment ({audit.short_title})",
                    body=(
                        f"{item.agency}’s self-assessment against {audit.framework} for {audit.title} is not "
                        "submitted yet. Please rate each statement, give the evidence, and have the agency’s lead "
                        "sign it off."
                    ),
                    due=due,
                    link=reverse("selfassessment:agency", args=[audit.reference, item.agency.short_code]),
                )


def self_assessment_is_submitted(key: str) -> bool:
    audit_id, agency_id = key.removeprefix(f"{PREFIX}:").split(".")
    return SelfAssessment.objects.filter(audit_id=audit_id, agency_id=agency_id, state=State.SUBMITTED).exists()
