"""The demo returns: every agency involved with an included case has an accepted, complete return whose answers
agree with the seed briefing's findings."""

import pytest
from django.core.management import call_command

from maca.audits.models import Audit
from maca.cases.models import Decision
from maca.returns.content import missing
from maca.returns.models import AgencyReturn, ReturnStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def audit() -> Audit:
    call_command("load_demo")
    return Audit.objects.get(reference="torbay-hsb-2021")


def test_every_involved_agency_has_an_accepted_complete_return(audit: Audit) -> None:
    returns = list(AgencyReturn.objects.filter(audit=audit).select_related("case", "agency"))
    expected = {
        (involvement.case_id, involvement.agency_id)
        for case in audit.cases.filter(decision=Decision.INCLUDED)
        for involvement in case.involvements.all()
    }
    assert {(r.case_id, r.agency_id) for r in returns} == expected
    assert {r.status for r in returns} == {ReturnStatus.ACCEPTED}
    assert [missing(r, audit) for r in returns if missing(r, audit)] == []
    assert audit.moderation_opened_at is not None


def test_the_answers_agree_with_the_seed_findings(audit: Audit) -> None:
    returns = list(AgencyReturn.objects.filter(audit=audit).select_related("agency"))
    # The GP was not told when a plan ended; other agencies were.
    ended = [r for r in returns if r.sharing["plan_ended"]["happened"] == "yes"]
    assert {r.sharing["plan_ended"]["told"] for r in ended if r.agency.short_code == "HEALTH"} == {"no"}
    assert {r.sharing["plan_ended"]["told"] for r in ended if r.agency.short_code != "HEALTH"} == {"yes"}
    # The Brook tool was not available to every agency.
    assert {r.answers["tool_access"] for r in returns} == {"used", "no_access"}
    # Language for the behaviour was used inconsistently.
    assert len({r.answers["behaviour_language"] for r in returns}) > 2
    # No young person's own words were recorded.
    assert "own_words" not in {r.answers["voice_recorded"] for r in returns}
    # Good relationships, and contact kept up through the pandemic.
    narratives = " ".join(j["went_well"] for r in returns for j in r.judgements.values())
    assert "relationship" in narratives
    assert "lockdown" in narratives


def test_loading_again_changes_nothing(audit: Audit) -> None:
    before = list(AgencyReturn.objects.order_by("pk").values_list("pk", "version", "status"))
    call_command("load_demo")
    assert list(AgencyReturn.objects.order_by("pk").values_list("pk", "version", "status")) == before
