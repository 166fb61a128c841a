"""Information sharing: which agencies were told of each event, per case and in total."""

from maca.analysis.data import AnalysisData
from maca.analysis.sharing import (
    DID_NOT_HAPPEN,
    HAPPENED_NOT_KNOWN,
    NOT_TOLD,
    TOLD,
    TOLD_NOT_KNOWN,
    answer_state,
    event_sharing,
    sharing,
)

from . import memory


def test_the_state_of_an_answer() -> None:
    assert answer_state({"happened": "yes", "told": "yes", "told_on": "2020-01-02"}) == TOLD
    assert answer_state({"happened": "yes", "told": "no"}) == NOT_TOLD
    assert answer_state({"happened": "yes", "told": "not_known"}) == TOLD_NOT_KNOWN
    assert answer_state({"happened": "yes"}) == TOLD_NOT_KNOWN
    assert answer_state({"happened": "no"}) == DID_NOT_HAPPEN
    assert answer_state({"happened": "not_known"}) == HAPPENED_NOT_KNOWN
    assert answer_state(None) == HAPPENED_NOT_KNOWN


def _data() -> AnalysisData:
    gp = memory.agency(1, "HEALTH", "Health")
    police = memory.agency(2, "POLICE", "Police")
    yot = memory.agency(3, "YOT", "Youth Offending Team")
    cases = [memory.case(pk, f"HSB-0{pk}") for pk in (1, 2, 3)]
    ended = {"happened": "yes", "told": "yes"}
    returns = [
        memory.agency_return(cases[0], gp, sharing={"plan_ended": {"happened": "yes", "told": "no"}}),
        memory.agency_return(cases[0], police, sharing={"plan_ended": ended}),
        memory.agency_return(cases[0], yot, sharing={"plan_ended": {"happened": "no"}}),
        memory.agency_return(cases[1], gp, sharing={"plan_ended": {"happened": "yes", "told": "no"}}),
        memory.agency_return(cases[1], police, sharing={"plan_ended": {"happened": "yes"}}),
        memory.agency_return(cases[2], gp, sharing={"plan_ended": {"happened": "no"}}),
        memory.agency_return(cases[2], police, sharing={}),
    ]
    return memory.data(cases=cases, returns=returns)


def test_per_case_and_in_total() -> None:
    event = event_sharing(_data(), "plan_ended", "The plan ended")
    # The third case is not listed: no agency said the plan ended.
    assert [case.reference for case in event.cases] == ["HSB-01", "HSB-02"]
    first, second = event.cases
    assert first.names(TOLD) == ("Police",)
    assert first.names(NOT_TOLD) == ("Health",)
    assert first.names(DID_NOT_HAPPEN) == ("Youth Offending Team",)
    assert second.names(TOLD_NOT_KNOWN) == ("Police",)
    assert second.names(TOLD) == ()
    health, police, yot = event.agencies
    assert (health.code, health.happened, health.count(NOT_TOLD)) == ("HEALTH", 2, 2)
    assert (police.happened, police.count(TOLD), police.count(TOLD_NOT_KNOWN)) == (2, 1, 1)
    assert (yot.happened, yot.count(DID_NOT_HAPPEN)) == (0, 1)
    assert event.gaps == (health,)
    assert (event.total.happened, event.total.count(NOT_TOLD), event.total.count(DID_NOT_HAPPEN)) == (4, 2, 1)


def test_every_event_the_returns_ask_about() -> None:
    events = sharing(_data())
    assert [event.key for event in events] == ["plan_ended", "plan_started", "strategy_discussion"]
    assert events[1].cases == ()
    assert events[1].gaps == ()
