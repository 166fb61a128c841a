"""The funnel and the profile of the included children, as counts and as a briefing's sentences."""

import datetime

from maca.analysis.cohort import cohort
from maca.audits.models import CaseField
from maca.cases.codes import Gender, SpecialNeeds, YesNoNotKnown
from maca.cases.models import Decision

from . import memory

D = datetime.date
NEEDS = CaseField(
    key="needs",
    label="Needs identified",
    field_type="multi_choice",
    choices=[
        {"value": "low_self_esteem", "label": "Low self-esteem"},
        {"value": "speech_language", "label": "Speech and language"},
    ],
)


def test_the_seed_sentence_and_profile() -> None:
    cases = [
        memory.case(
            1, "HSB-01", birth_month=D(2002, 5, 1), send=SpecialNeeds.EHCP, topic_values={"needs": ["low_self_esteem"]}
        ),
        memory.case(
            2,
            "HSB-02",
            birth_month=D(2011, 6, 1),
            send=SpecialNeeds.EHCP,
            topic_values={"needs": ["low_self_esteem", "speech_language"]},
        ),
        memory.case(
            3, "HSB-03", birth_month=D(2006, 8, 1), send=SpecialNeeds.NONE, topic_values={"needs": ["low_self_esteem"]}
        ),
        memory.case(
            4,
            "HSB-04",
            birth_month=D(2007, 4, 1),
            send=SpecialNeeds.SEN_SUPPORT,
            topic_values={"needs": ["low_self_esteem"]},
        ),
        memory.case(5, "HSB-05", birth_month=D(2009, 1, 1), decision=Decision.EXCLUDED, gender=Gender.FEMALE),
    ]
    found = cohort(memory.data(cases=cases, case_fields=[NEEDS]))
    assert found.size == 4
    assert (found.age_min, found.age_max) == (10, 19)
    assert found.sentences[0] == (
        "The four young people whose cases were audited ranged in age from 10 to 19 years, and all were male."
    )
    assert found.sentences[1] == (
        "2 of 4 have an education, health and care plan (EHCP), 1 of 4 receives SEN support, and all were noted "
        "to have experienced adverse childhood experiences."
    )
    assert found.sentences[2] == "All were recorded with “Low self-esteem” under “Needs identified”."
    assert found.field("send").count_of(SpecialNeeds.EHCP) == 2
    needs = found.field("topic.needs")
    assert needs.multiple
    assert [(c.label, c.count, c.total) for c in needs.counts] == [
        ("Low self-esteem", 4, 4),
        ("Speech and language", 1, 4),
    ]
    assert [(c.key, c.count) for c in found.field("age").counts] == [("10", 1), ("14", 1), ("15", 1), ("19", 1)]
    assert (found.funnel.nominated, found.funnel.included, found.funnel.excluded) == (5, 4, 1)


def test_a_mixed_cohort_of_younger_children() -> None:
    cases = [
        memory.case(1, "N-01", birth_month=D(2015, 1, 1), gender=Gender.FEMALE, aces=YesNoNotKnown.NOT_KNOWN),
        memory.case(2, "N-02", birth_month=D(2014, 1, 1), gender=Gender.MALE, aces=YesNoNotKnown.YES),
        memory.case(3, "N-03", birth_month=D(2013, 1, 1), gender=Gender.FEMALE, aces=YesNoNotKnown.NO),
        memory.case(4, "N-04", birth_month=D(2013, 1, 1), gender=Gender.NOT_KNOWN, aces=YesNoNotKnown.NO),
    ]
    found = cohort(memory.data(cases=cases))
    assert found.sentences[0] == (
        "The four children whose cases were audited ranged in age from 6 to 8 years; 2 were female, 1 male and 1 "
        "not known."
    )
    assert found.sentences[1] == "1 of 4 was noted to have experienced adverse childhood experiences."
    assert len(found.sentences) == 2


def test_one_child_and_children_of_one_age() -> None:
    one = cohort(memory.data(cases=[memory.case(1, "A-01", birth_month=D(2006, 1, 1), aces=YesNoNotKnown.NO)]))
    assert one.sentences == ("The young person whose case was audited was aged 15, and was male.",)
    same = [memory.case(pk, f"A-0{pk}", birth_month=D(2007, 2, 1), disability=YesNoNotKnown.YES) for pk in (1, 2)]
    found = cohort(memory.data(cases=same))
    assert found.sentences[0] == "The two young people whose cases were audited were all aged 14, and all were male."
    assert found.sentences[1] == (
        "All have a disability, and all were noted to have experienced adverse childhood experiences."
    )


def test_no_included_case() -> None:
    found = cohort(memory.data(cases=[memory.case(1, "A-01", decision=Decision.PENDING)]))
    assert found.size == 0
    assert found.age_min is None
    assert found.sentences == ("No case has been included in the audit yet.",)
    assert found.funnel.undecided == 1


def test_values_not_recorded_and_codes_in_order() -> None:
    cases = [
        memory.case(1, "A-01", ethnicity=""),
        memory.case(2, "A-02", ethnicity="MWBC"),
        memory.case(3, "A-03", ethnicity="WBRI"),
    ]
    found = cohort(memory.data(cases=cases, case_fields=[NEEDS]))
    assert [(c.key, c.label) for c in found.field("ethnicity").counts] == [
        ("WBRI", "White British"),
        ("MWBC", "White and Black Caribbean"),
        ("", "Not recorded"),
    ]
    assert [(c.key, c.count) for c in found.field("topic.needs").counts] == [("", 3)]


def test_a_field_each_agency_answers_shows_only_when_nominations_recorded_it() -> None:
    continuum = memory.continuum_field()
    without = cohort(memory.data(cases=[memory.case(1, "A-01")], case_fields=[continuum]))
    assert "topic.continuum" not in [field.key for field in without.fields]
    recorded = memory.case(1, "A-01", topic_values={"continuum": "abusive"})
    found = cohort(memory.data(cases=[recorded], case_fields=[continuum]))
    assert [(c.label, c.count) for c in found.field("topic.continuum").counts] == [("Abusive – a description", 1)]
