"""The child's voice per agency, and the older children's transition to adult services: from the audit's questions
where it asks them (`maca.analysis.indicators`), from the generic parts of every return where it does not."""

import datetime

from maca.analysis.data import AnalysisData
from maca.analysis.indicators import TRANSITION, VOICE, find_question
from maca.analysis.transition import NOT_APPLICABLE, NOT_KNOWN, NOT_PLANNED, PLANNED, classify, transition
from maca.analysis.voice import voice

from . import memory

D = datetime.date
VOICE_QUESTION = memory.question(
    "voice_recorded", "choice", choices=["own_words", "practitioner_summary", "observation", "not_recorded"]
)
TRANSITION_QUESTION = memory.question(
    "transition_planning", "choice", choices=["planned_early", "below_threshold", "not_planned", "not_applicable"]
)


def _voice_data(*, with_question: bool) -> AnalysisData:
    police, yot = memory.agency(1, "POL", "Police"), memory.agency(2, "YOT", "Youth Offending Team")
    cases = [memory.case(pk, f"A-0{pk}") for pk in (1, 2, 3)]
    themes = [(memory.theme(10, 1, "Voice"), [VOICE_QUESTION] if with_question else [])]

    def said(text: str) -> dict[str, dict[str, str]]:
        return {"10": {"child_voice": text}}

    returns = [
        memory.agency_return(cases[0], police, answers={"voice_recorded": "own_words"}, judgements=said("“I want…”")),
        memory.agency_return(cases[1], police, answers={"voice_recorded": "not_recorded"}, judgements=said("")),
        memory.agency_return(cases[2], police, answers={}, judgements=said("Summarised.")),
        memory.agency_return(cases[0], yot, answers={"voice_recorded": "observation"}, judgements={}),
    ]
    return memory.data(cases=cases, returns=returns, themes=themes)


def test_the_voice_question_decides_where_the_audit_asks_it() -> None:
    result = voice(_voice_data(with_question=True))
    assert result.question is VOICE_QUESTION
    assert [label for _value, label in result.choices][-1] == "Not answered"
    police, yot = result.rows
    assert (police.returns, police.narrative, police.recorded, police.own_words) == (3, 2, 1, 1)
    assert police.answers == (1, 0, 0, 1, 1)
    assert (yot.returns, yot.narrative, yot.recorded, yot.own_words) == (1, 0, 1, 0)
    total = result.total
    assert (total.name, total.returns, total.recorded, total.own_words) == ("All agencies", 4, 2, 1)


def test_the_narrative_decides_where_the_audit_asks_no_question() -> None:
    result = voice(_voice_data(with_question=False))
    assert result.question is None
    assert result.choices == ()
    police, yot = result.rows
    assert (police.recorded, police.narrative, police.own_words) == (2, 2, 0)
    assert yot.recorded == 0
    assert result.total.recorded == 2


def test_the_questions_are_found_by_the_configured_keys() -> None:
    other = memory.question("something_else")
    assert find_question([other, VOICE_QUESTION], VOICE.keys) is VOICE_QUESTION
    assert find_question([other], TRANSITION.keys) is None


def test_classifying_transition_answers() -> None:
    assert classify("planned_late") == PLANNED
    assert classify("yes") == PLANNED
    assert classify("not_planned") == NOT_PLANNED
    assert classify("not_applicable") == NOT_APPLICABLE
    assert classify("") == NOT_KNOWN
    assert classify("not_known") == NOT_KNOWN
    assert classify(["yes"]) == NOT_KNOWN


def _transition_data(*, with_question: bool) -> AnalysisData:
    police, yot = memory.agency(1, "POL", "Police"), memory.agency(2, "YOT", "Youth Offending Team")
    # On the last day of the scope (30 July 2020): 18, 17 (born in July 2003), 16 (born in August 2003), 17.
    cases = [
        memory.case(1, "A-01", birth_month=D(2002, 5, 1)),
        memory.case(2, "A-02", birth_month=D(2003, 7, 1)),
        memory.case(3, "A-03", birth_month=D(2003, 8, 1)),
        memory.case(4, "A-04", birth_month=D(2003, 1, 1)),
    ]
    themes = [(memory.theme(10, 1, "Intervention"), [TRANSITION_QUESTION] if with_question else [])]
    returns = [
        memory.agency_return(cases[0], police, answers={"transition_planning": "not_planned"}),
        memory.agency_return(cases[0], yot, answers={"transition_planning": "below_threshold"}),
        memory.agency_return(cases[1], police, answers={"transition_planning": "not_planned"}),
        memory.agency_return(cases[2], police, answers={"transition_planning": "planned_early"}),
        memory.agency_return(cases[3], police, answers={}),
    ]
    return memory.data(cases=cases, returns=returns, themes=themes)


def test_the_children_aged_17_or_more_during_the_scope() -> None:
    result = transition(_transition_data(with_question=True))
    assert result.age == 17
    assert [(case.reference, case.age_at_scope_end, case.age_at_audit) for case in result.cases] == [
        ("A-01", 18, 19),
        ("A-02", 17, 18),
        ("A-04", 17, 18),
    ]
    first, second, fourth = result.cases
    assert [(a.agency, a.answer, a.state) for a in first.answers] == [
        ("Police", "Not planned", NOT_PLANNED),
        ("Youth Offending Team", "Below threshold", PLANNED),
    ]
    assert (first.state, first.state_text) == (PLANNED, "Transition plan recorded")
    assert second.state == NOT_PLANNED
    assert (fourth.state, fourth.answers[0].answer) == (NOT_KNOWN, "Not answered")
    assert result.planned == 1


def test_without_a_transition_question_the_children_are_listed() -> None:
    result = transition(_transition_data(with_question=False))
    assert result.question is None
    assert [case.reference for case in result.cases] == ["A-01", "A-02", "A-04"]
    assert all(case.answers == () and case.state == NOT_KNOWN for case in result.cases)


def test_an_audit_without_a_scope_counts_ages_at_the_day_of_the_audit() -> None:
    data = _transition_data(with_question=True)
    data.audit.scope_end = None
    # On 20 September 2021 the child born in August 2003 is 18 too.
    assert [case.reference for case in transition(data).cases] == ["A-01", "A-02", "A-03", "A-04"]
