"""What every member of the test cast gets from the self-assessment's URLs (merged into maca.tests.url_expectations).

All on the cast's approved audit, whose wider partnership audit (6b) names agency B alone: `auditor_b` fills in its
self-assessment; agency A's people see the audit but have no part in its self-assessment (403); the coordinator and
the audit lead oversee it. Agency B has no lead in the cast, so nobody may submit; no self-assessment exists yet,
so there is nothing to return and no evidence file to download (404 for those who may look for one).
The tests next to this file go through every state with every member of the cast.
"""

from typing import Any

from maca.tests.cast import Cast
from maca.tests.url_expectations import Expect, Outcome, Redirect, _approved, partnership_members

AGENCY_PAGE = Redirect("/audits/anytown-approved-2025/self-assessment/AGB/")


def _agency(cast: Cast) -> dict[str, Any]:
    return {**_approved(cast), "code": cast.agency_b.short_code}


def _area(cast: Cast) -> dict[str, Any]:
    return {**_agency(cast), "position": 1}


def _evidence(cast: Cast) -> dict[str, Any]:
    return {**_agency(cast), "pk": 1}


def _position(cast: Cast) -> dict[str, Any]:
    return {**_approved(cast), "position": 1}


def overseers(outcome: Outcome = 200) -> dict[str, Outcome]:
    """The coordinator and the audit lead; the rest of the partnership is refused, the outsider learns nothing."""
    return {**partnership_members(403), "coordinator": outcome, "audit_lead": outcome}


def agency_b(overseer: Outcome, own: Outcome) -> dict[str, Outcome]:
    """Agency B's self-assessment: `overseer` for the coordinator and audit lead, `own` for agency B's auditor."""
    return {**overseers(overseer), "auditor_b": own}


SELF_ASSESSMENT_EXPECTATIONS: dict[str, Expect] = {
    # Agency B's auditor is taken straight to agency B's self-assessment.
    "selfassessment:overview": Expect(agency_b(200, AGENCY_PAGE), _approved),
    "selfassessment:results": Expect(overseers(), _approved),
    "selfassessment:framework": Expect(overseers(), _approved),
    "selfassessment:framework_default": Expect(overseers(), _approved, writes=True),
    "selfassessment:framework_areas": Expect(overseers(), _approved, writes=True),
    "selfassessment:framework_statements": Expect(overseers(), _position, writes=True),
    "selfassessment:agency": Expect(agency_b(200, 200), _agency),
    # Filling in and checking are the agency's own: those who oversee may not (403).
    "selfassessment:area": Expect(agency_b(403, 200), _area, writes=True),
    "selfassessment:check": Expect(agency_b(403, 200), _agency, writes=True),
    # Only a submitted self-assessment is returned: the coordinator and audit lead are sent back to its page.
    "selfassessment:return": Expect(agency_b(AGENCY_PAGE, 403), _agency, writes=True),
    "selfassessment:evidence": Expect(agency_b(404, 404), _evidence),
    "selfassessment:evidence_remove": Expect(agency_b(403, 404), _evidence, writes=True),
}
