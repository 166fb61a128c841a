"""Data completeness: blanks and "not known" counted for every profile field and every answer, by agency."""

from maca.analysis.completeness import answer_completeness, profile_completeness, state_of
from maca.analysis.data import AnalysisData
from maca.cases.codes import Gender, SpecialNeeds, YesNoNotKnown

from . import memory


def test_the_state_of_a_value() -> None:
    assert state_of(None) == "blank"
    assert state_of("  ") == "blank"
    assert state_of([]) == "blank"
    assert state_of("not_known") == "not_known"
    assert state_of(["not_known"]) == "not_known"
    assert state_of("not_recorded") == "known"
    assert state_of(0) == "known"
    assert state_of(["none"]) == "known"


def _answers_data() -> AnalysisData:
    police = memory.agency(1, "POL", "Police")
    health = memory.agency(2, "HEALTH", "Health")
    first, second = memory.case(1, "A-01"), memory.case(2, "A-02")
    theme = memory.theme(10, 1, "Responses")
    questions = [memory.question("seen"), memory.question("notes", "text", required=False)]
    returns = [
        memory.agency_return(
            first,
            police,
            answers={"seen": "yes", "notes": ""},
            sharing={"plan_ended": {"happened": "yes", "told": "not_known"}},
            topic_values={"continuum": "abusive"},
        ),
        memory.agency_return(
            second,
            police,
            answers={"seen": "not_known", "notes": "Seen at school."},
            sharing={"plan_ended": {"happened": "no"}},
        ),
        memory.agency_return(first, health, answers={}, sharing={"plan_ended": {"happened": "yes", "told": "no"}}),
    ]
    return memory.data(
        cases=[first, second], returns=returns, themes=[(theme, questions)], case_fields=[memory.continuum_field()]
    )


def test_answers_by_agency() -> None:
    table = answer_completeness(_answers_data())
    assert [agency.name for agency in table.agencies] == ["Health", "Police"]
    rows = {row.key: row for row in table.rows}
    seen = rows["question.seen"]
    assert (seen.overall.total, seen.overall.blank, seen.overall.not_known) == (3, 1, 1)
    assert [(t.total, t.blank, t.not_known) for t in seen.by_agency] == [(1, 1, 0), (2, 0, 1)]
    assert seen.section == "Responses"
    notes = rows["question.notes"]
    assert notes.optional
    assert (notes.overall.blank, notes.overall.known) == (2, 1)
    # Whether the agency was told is asked only where it said the event happened.
    told = rows["sharing.plan_ended.told"]
    assert (told.overall.total, told.overall.not_known, told.overall.known) == (2, 1, 1)
    happened = rows["sharing.plan_ended.happened"]
    assert (happened.overall.total, happened.overall.known) == (3, 3)
    # Events a return did not answer at all are blank.
    assert rows["sharing.strategy_discussion.happened"].overall.blank == 3
    continuum = rows["topic.continuum"]
    assert (continuum.overall.total, continuum.overall.known) == (3, 1)
    assert continuum.section == "The child as each agency sees it"
    assert table.overall.total == sum(row.overall.total for row in table.rows)
    totals = table.agency_totals()
    assert sum(t.total for t in totals) == table.overall.total


def test_profiles_by_the_nominating_agency() -> None:
    yot = memory.agency(1, "YOT", "Youth Offending Team")
    edu = memory.agency(2, "EDU", "Education")
    cases = [
        memory.case(1, "A-01", nominated_by=yot, gender=Gender.NOT_KNOWN, ethnicity="REFU", topic_values={}),
        memory.case(2, "A-02", nominated_by=yot, ethnicity="", send=SpecialNeeds.NOT_KNOWN),
        memory.case(3, "A-03", nominated_by=edu, disability=YesNoNotKnown.NOT_KNOWN, topic_values={"needs": ["a"]}),
    ]
    needs = memory.continuum_field(key="needs", label="Needs", ordinal=False, per_agency=False)
    table = profile_completeness(memory.data(cases=cases, case_fields=[needs, memory.continuum_field()]))
    assert [agency.name for agency in table.agencies] == ["Education", "Youth Offending Team"]
    rows = {row.key: row for row in table.rows}
    # A field each agency answers in its return counts with the returns, not here.
    assert list(rows) == ["gender", "ethnicity", "send", "disability", "aces", "topic.needs"]
    assert (rows["gender"].overall.not_known, rows["gender"].overall.total) == (1, 3)
    ethnicity = rows["ethnicity"]
    assert (ethnicity.overall.not_known, ethnicity.overall.blank) == (1, 1)
    assert [(t.blank, t.not_known) for t in ethnicity.by_agency] == [(0, 0), (1, 1)]
    assert rows["send"].by_agency[1].not_known == 1
    assert rows["disability"].by_agency[0].not_known == 1
    assert (rows["topic.needs"].overall.blank, rows["topic.needs"].overall.known) == (2, 1)
    assert table.overall.share_known == (18 - 7) / 18
