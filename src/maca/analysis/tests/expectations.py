"""What every member of the test cast gets from the analysis's URLs (merged into maca.tests.url_expectations).

On the cast's approved audit: its coordinator and its lead read the analysis and download it; the rest of the
partnership (agency people, the governance reader) is refused (403); the outsider does not learn the audit exists
(404). The cast has no panel member: `test_views.py` shows the panel reading it once moderation opens.
"""

from maca.tests.url_expectations import Expect, Outcome, _approved, partnership_members


def readers(outcome: Outcome = 200) -> dict[str, Outcome]:
    """The coordinator and the audit lead; the rest of the partnership is refused, the outsider learns nothing."""
    return {**partnership_members(403), "coordinator": outcome, "audit_lead": outcome}


ANALYSIS_EXPECTATIONS: dict[str, Expect] = {
    "analysis:overview": Expect(readers(), _approved),
    "analysis:download": Expect(readers(), _approved),
}
