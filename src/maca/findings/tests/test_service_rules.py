"""Every write of moderation enforces its page's rules itself: called directly, as a command or the API would call
it, by someone its page refuses (PermissionDenied), or in a state its page refuses (ValidationError), it refuses,
saves nothing and logs nothing.

Who is refused: the agencies' people, who have no part in moderation; the governance reader, who reads the
signed-off versions only; the outsider (another partnership's coordinator); a panel member before the coordinator
opens moderation; and an inactive account that would otherwise be allowed. The briefing's headings are the
coordinators' and the audit lead's, so a panel member in open moderation is refused them too; only the audit lead
signs off and starts a new version, so the coordinator and the panel are refused those.
"""

import re
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from maca.accounts.models import User
from maca.analysis.figures import Figure
from maca.partnerships.models import AccessLogEntry
from maca.tests.cast import Cast
from maca.tests.refusals import Refusal

from .. import services
from ..models import BriefingHeading, Evidence, Finding, FindingsVersion, ModeratedGrade, Moderation, Recommendation
from ..services import HeadingData
from .factories import (
    approved,
    first_heading,
    lead,
    make_finding,
    make_panel_member,
    open_moderation,
    sign_off,
    submitted_return,
    themes,
)

FIGURE = Figure("funnel.included", "Cases included", "1", "funnel")

NOT_MODERATING = (
    "agency_lead_a",
    "auditor_a",
    "auditor_b",
    "governance_reader",
    "outsider",
    "panel member before moderation opens",
    "inactive coordinator",
)
NOT_CHANGING_HEADINGS = (
    "agency_lead_a",
    "auditor_a",
    "auditor_b",
    "governance_reader",
    "outsider",
    "panel member",
    "inactive coordinator",
)
NOT_SIGNING_OFF = (
    "coordinator",
    "panel member",
    "agency_lead_a",
    "auditor_a",
    "auditor_b",
    "governance_reader",
    "outsider",
    "inactive audit_lead",
)


def _actor(cast: Cast, who: str) -> User:
    """A member of the cast, a panel member (with moderation opened, unless said), or an inactive cast member."""
    if who == "panel member before moderation opens":
        assert approved(cast).moderation_opened_at is None
        return make_panel_member(cast)
    if who == "panel member":
        open_moderation(cast)
        return make_panel_member(cast)
    inactive = who.startswith("inactive ")
    user = cast[who.removeprefix("inactive ")]
    assert user is not None
    if inactive:
        User.objects.filter(pk=user.pk).update(is_active=False)
        user.refresh_from_db()
    return user


def _finding(cast: Cast) -> dict[str, Any]:
    finding = make_finding(cast, evidence=False)
    return {"finding": finding, "loaded_version": finding.version}


def _rewording_finding(cast: Cast) -> dict[str, Any]:
    found = _finding(cast)
    return {**found, "heading": found["finding"].heading, "text": "Neglect was recognised late, and named later."}


def _recommendation(cast: Cast) -> dict[str, Any]:
    finding = make_finding(cast)
    recommendation = services.recommendation_add(
        actor=cast.coordinator,
        audit=approved(cast),
        text="Train every agency in recognising neglect.",
        governance_group=cast.group,
        findings=[finding],
    )
    return {"recommendation": recommendation, "loaded_version": recommendation.version}


def _rewording(cast: Cast) -> dict[str, Any]:
    found = _recommendation(cast)
    return {
        **found,
        "text": "Audit neglect again in a year.",
        "governance_group": cast.group,
        "findings": list(found["recommendation"].findings.all()),
    }


def _sign_off(cast: Cast) -> dict[str, Any]:
    make_finding(cast)
    return {"audit": approved(cast), "loaded_revision": Moderation.objects.get(audit=approved(cast)).revision}


def _new_version(cast: Cast) -> dict[str, Any]:
    sign_off(cast)
    return {"audit": approved(cast)}


REFUSALS = [
    Refusal(
        services.finding_add,
        lambda cast: {"audit": approved(cast), "heading": first_heading(cast), "text": "Plans named no change."},
        NOT_MODERATING,
    ),
    Refusal(services.finding_update, _rewording_finding, NOT_MODERATING),
    Refusal(services.finding_remove, _finding, NOT_MODERATING),
    Refusal(
        services.evidence_set_returns,
        lambda cast: {**_finding(cast), "returns": [submitted_return(cast)]},
        NOT_MODERATING,
    ),
    Refusal(
        services.evidence_set_answers,
        lambda cast: {
            **_finding(cast),
            "agency_return": submitted_return(cast),
            "answers": [(themes(cast)[0].pk, "worried")],
        },
        NOT_MODERATING,
    ),
    Refusal(
        services.evidence_set_figures,
        lambda cast: {**_finding(cast), "keys": [FIGURE.key], "computed": [FIGURE]},
        NOT_MODERATING,
    ),
    Refusal(
        services.grade_moderate,
        lambda cast: {
            "agency_return": submitted_return(cast),
            "theme_id": themes(cast)[0].pk,
            "grade": "Inadequate",
            "reason": "Neglect was named late.",
            "loaded_version": 0,
        },
        NOT_MODERATING,
    ),
    Refusal(
        services.headings_update,
        lambda cast: {
            "audit": approved(cast),
            "loaded_version": services.moderation_for(approved(cast)).version,
            "headings": [HeadingData("What next?")],
        },
        NOT_CHANGING_HEADINGS,
    ),
    Refusal(
        services.recommendation_add,
        lambda cast: {
            "audit": approved(cast),
            "text": "Train every agency in recognising neglect.",
            "governance_group": cast.group,
            "findings": [make_finding(cast)],
        },
        NOT_MODERATING,
    ),
    Refusal(services.recommendation_update, _rewording, NOT_MODERATING),
    Refusal(services.recommendation_remove, _recommendation, NOT_MODERATING),
    Refusal(services.findings_sign_off, _sign_off, NOT_SIGNING_OFF),
    Refusal(services.findings_start_new_version, _new_version, NOT_SIGNING_OFF),
]
REFUSED_SERVICES: set[str] = {refusal.name for refusal in REFUSALS}


def _moderation() -> list[object]:
    """Everything of moderation as stored, to compare before and after a refusal."""
    return [
        list(BriefingHeading.objects.order_by("pk").values_list("pk", "position", "text")),
        list(Finding.objects.order_by("pk").values_list("pk", "heading_id", "position", "text", "version")),
        list(Evidence.objects.order_by("pk").values_list("pk", "finding_id", "kind", "agency_return_id", "figure_key")),
        list(ModeratedGrade.objects.order_by("pk").values_list("pk", "grade", "reason", "version")),
        list(
            Recommendation.objects.order_by("pk").values_list(
                "pk", "text", "governance_group_id", "position", "version", "findings"
            )
        ),
        list(Moderation.objects.order_by("pk").values_list("audit_id", "status", "number", "version", "revision")),
        list(FindingsVersion.objects.order_by("pk").values_list("pk", "number")),
    ]


@pytest.mark.parametrize("refusal", REFUSALS, ids=lambda refusal: refusal.service.__name__)
def test_a_write_of_moderation_refuses_whoever_its_page_refuses(cast: Cast, refusal: Refusal) -> None:
    arguments = refusal.arguments(cast)
    actors = [(who, _actor(cast, who)) for who in refusal.refused]
    before, logged = _moderation(), AccessLogEntry.objects.count()
    for who, actor in actors:
        with pytest.raises(PermissionDenied, match=re.escape(f"{actor.email} may not do this")):
            refusal.service(actor=actor, **arguments)
        assert _moderation() == before, f"{refusal.name} saved something for {who}"
        assert AccessLogEntry.objects.count() == logged, f"{refusal.name} logged something for {who}"


# --- States the pages refuse ---------------------------------------------------------------------------------------

CHANGES = [refusal for refusal in REFUSALS if refusal.refused != NOT_SIGNING_OFF]


@pytest.mark.parametrize("refusal", CHANGES, ids=lambda refusal: refusal.service.__name__)
def test_signed_off_findings_refuse_every_change_even_from_those_who_moderate(cast: Cast, refusal: Refusal) -> None:
    arguments = refusal.arguments(cast)
    if not Finding.objects.exists():
        make_finding(cast, evidence=False)
    audit = approved(cast)
    services.findings_sign_off(
        actor=lead(cast), audit=audit, loaded_revision=Moderation.objects.get(audit=audit).revision
    )
    before, logged = _moderation(), AccessLogEntry.objects.count()
    with pytest.raises(ValidationError) as refused:
        refusal.service(actor=cast.coordinator, **arguments)
    assert refused.value.messages == [services.LOCKED]
    assert _moderation() == before
    assert AccessLogEntry.objects.count() == logged


def test_findings_signed_off_already_are_not_signed_off_again_nor_draft_ones_opened(cast: Cast) -> None:
    audit = approved(cast)
    make_finding(cast)
    before, logged = _moderation(), AccessLogEntry.objects.count()
    with pytest.raises(ValidationError, match="The findings are not signed off: they can be changed as they are"):
        services.findings_start_new_version(actor=lead(cast), audit=audit)
    assert (_moderation(), AccessLogEntry.objects.count()) == (before, logged)
    sign_off(cast)
    before, logged = _moderation(), AccessLogEntry.objects.count()
    with pytest.raises(ValidationError, match="Version 1 of the findings is signed off already"):
        services.findings_sign_off(
            actor=lead(cast), audit=audit, loaded_revision=Moderation.objects.get(audit=audit).revision
        )
    assert (_moderation(), AccessLogEntry.objects.count()) == (before, logged)
