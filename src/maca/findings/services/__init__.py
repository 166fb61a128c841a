"""Writes to moderation: the briefing's headings, the panel's grades, the findings and their evidence, the
recommendations, and signing off.

Every service first refuses (PermissionDenied) an actor who lacks the permission its page asks (`findings.moderate`,
`findings.change_headings` or `findings.sign_off`, see `maca.findings.rules`), so that a page, a command and the API
cannot disagree. Then it checks everything it is given before writing anything (ValidationError, by field where it
can, naming what is wrong), and records who did what with `access_log_record` in the same transaction: nothing is
half-saved. Each write first locks the audit's `Moderation` row and is refused once the findings are signed off
(`LOCKED`), so a change can never slip in beside a sign-off; the audit lead starts a new version to change them
again, as with the Terms of Reference. Edits made from a page loaded before someone else's change are refused with
`ChangedSinceLoaded`.

The modules, by concern: `base` (the lock, the log, the audit's moderation), `headings`, `grades`, `findings` (with
their evidence), `recommendations`, `signing`.
"""

from .base import (
    FINDING_LENGTH,
    HEADING_LENGTH,
    LOCKED,
    REASON_LENGTH,
    RECOMMENDATION_LENGTH,
    clean_text,
    moderation_for,
    record_view,
    starting_headings,
)
from .findings import (
    evidence_set_answers,
    evidence_set_figures,
    evidence_set_returns,
    finding_add,
    finding_remove,
    finding_update,
)
from .grades import agency_grade, grade_moderate
from .headings import HeadingData, headings_update
from .recommendations import recommendation_add, recommendation_remove, recommendation_update
from .signing import current_content, findings_sign_off, findings_start_new_version

__all__ = [
    "FINDING_LENGTH",
    "HEADING_LENGTH",
    "LOCKED",
    "REASON_LENGTH",
    "RECOMMENDATION_LENGTH",
    "HeadingData",
    "agency_grade",
    "clean_text",
    "current_content",
    "evidence_set_answers",
    "evidence_set_figures",
    "evidence_set_returns",
    "finding_add",
    "finding_remove",
    "finding_update",
    "findings_sign_off",
    "findings_start_new_version",
    "grade_moderate",
    "headings_update",
    "moderation_for",
    "recommendation_add",
    "recommendation_remove",
    "recommendation_update",
    "record_view",
    "starting_headings",
]
