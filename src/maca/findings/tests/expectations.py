"""What every member of the test cast gets from moderation's URLs (merged into maca.tests.url_expectations).

All on the cast's approved audit, whose moderation the coordinator has not opened: the coordinator and the audit lead
moderate it (they may prepare before the panel meets); the cast has no panel member (the tests next to this file make
one and walk the pages as them). Agency A's and B's people see the audit but have no part in moderation (403); the
governance reader, whose Business Group the audit reports to, reads the signed-off versions only; the outsider learns
nothing (404). Only the audit lead signs off and starts a new version. Each URL's state is made by its kwargs: a
submitted return for the grade and answer pages, a finding, a recommendation, a signed-off version.
"""

from typing import Any

from maca.tests.cast import Cast
from maca.tests.url_expectations import Expect, Outcome, _approved, partnership_members

from ..services import recommendation_add
from .factories import make_finding, sign_off, submitted_return, themes


def moderators(
    outcome: Outcome = 200, *, lead: Outcome | None = None, coordinator: Outcome | None = None
) -> dict[str, Outcome]:
    """The coordinator and the audit lead (or as given); the rest of the partnership 403, the outsider 404."""
    return {
        **partnership_members(403),
        "coordinator": outcome if coordinator is None else coordinator,
        "audit_lead": outcome if lead is None else lead,
    }


def readers(outcome: Outcome = 200) -> dict[str, Outcome]:
    """The moderators and the governance reader of a group the audit reports to."""
    return {**moderators(outcome), "governance_reader": outcome}


def _grade(cast: Cast) -> dict[str, Any]:
    agency_return = submitted_return(cast)
    return {**_approved(cast), "case": agency_return.case.reference, "code": "AGA", "theme": themes(cast)[0].pk}


def _finding(cast: Cast) -> dict[str, Any]:
    return {**_approved(cast), "pk": make_finding(cast).pk}


def _with_finding(cast: Cast) -> dict[str, Any]:
    make_finding(cast)
    return _approved(cast)


def _answers(cast: Cast) -> dict[str, Any]:
    return {**_finding(cast), "case": "NEG-02", "code": "AGA"}


def _recommendation(cast: Cast) -> dict[str, Any]:
    finding = make_finding(cast)
    recommendation = recommendation_add(
        actor=cast.coordinator,
        audit=finding.audit,
        text="Train every agency in recognising neglect.",
        governance_group=cast.group,
        findings=[finding],
    )
    return {**_approved(cast), "pk": recommendation.pk}


def _signed_off(cast: Cast) -> dict[str, Any]:
    sign_off(cast)
    return _approved(cast)


def _version(cast: Cast) -> dict[str, Any]:
    return {**_approved(cast), "number": sign_off(cast).number}


FINDINGS_EXPECTATIONS: dict[str, Expect] = {
    "findings:overview": Expect(moderators(), _approved),
    # The briefing's headings are the coordinator's and the audit lead's (the panel writes under them).
    "findings:headings": Expect(moderators(), _approved, writes=True),
    "findings:grade": Expect(moderators(), _grade, writes=True),
    "findings:finding_add": Expect(moderators(), _approved, writes=True),
    "findings:finding": Expect(moderators(), _finding, writes=True),
    "findings:finding_remove": Expect(moderators(), _finding, writes=True),
    "findings:evidence_returns": Expect(moderators(), _finding, writes=True),
    "findings:evidence_answers": Expect(moderators(), _finding),
    "findings:evidence_answer": Expect(moderators(), _answers, writes=True),
    "findings:evidence_figures": Expect(moderators(), _finding, writes=True),
    "findings:recommendation_add": Expect(moderators(), _approved, writes=True),
    "findings:recommendation": Expect(moderators(), _recommendation, writes=True),
    "findings:recommendation_remove": Expect(moderators(), _recommendation, writes=True),
    # Only the audit lead signs off, and starts a new version of signed-off findings.
    "findings:sign_off": Expect(moderators(lead=200, coordinator=403), _with_finding, writes=True),
    "findings:new_version": Expect(moderators(lead=200, coordinator=403), _signed_off, writes=True),
    "findings:versions": Expect(readers(), _approved),
    "findings:version": Expect(readers(), _version),
}
