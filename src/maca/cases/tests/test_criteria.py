"""The criteria: ages from the month and year of birth, school phases, each case, the set, and the funnel."""

import datetime

import pytest

from maca.audits import schema
from maca.audits.models import Audit, CaseField
from maca.cases.codes import SpecialNeeds
from maca.cases.criteria import (
    age_on,
    audit_date,
    criteria_summary,
    funnel,
    phase_of,
    unmet_case_criteria,
    unmet_set_criteria,
)
from maca.cases.models import Case, Decision
from maca.tests.cast import Cast

D = datetime.date


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (D(2010, 5, 1), D(2020, 5, 1), 10),  # turns 10 on the first of the month of birth
        (D(2010, 5, 1), D(2020, 4, 30), 9),
        (D(2010, 5, 1), D(2020, 12, 31), 10),
        (D(2002, 1, 1), D(2021, 9, 20), 19),
    ],
)
def test_age_counts_from_the_first_of_the_month_of_birth(born: D, on: D, age: int) -> None:
    assert age_on(born, on) == age


@pytest.mark.parametrize(
    ("age", "phase"),
    [
        (3, "early_years"),
        (4, "primary"),
        (10, "primary"),
        (11, "secondary"),
        (15, "secondary"),
        (16, "post_16"),
        (18, "post_16"),
        (19, None),
    ],
)
def test_school_phase_by_age(age: int, phase: str | None) -> None:
    assert phase_of(age) == phase


def _case(audit: Audit, reference: str, **profile: object) -> Case:
    values: dict[str, object] = {
        "birth_month": D(2010, 1, 1),
        "concern_date": D(2025, 6, 1),
        "nominated_by": audit.partnership.agencies.get(short_code="AGA"),
        **profile,
    }
    return Case(audit=audit, reference=reference, **values)


def test_each_case_against_the_per_case_criteria(cast: Cast) -> None:
    audit = cast.audit
    assert audit is not None  # scope 2025-01-01 to 2025-12-31, ages 0 to 17
    assert unmet_case_criteria(_case(audit, "OK"), audit) == []
    early = _case(audit, "EARLY", concern_date=D(2024, 12, 31))
    assert unmet_case_criteria(early, audit) == [
        "The concern was first recorded before the scope starts (1 January 2025)."
    ]
    late = _case(audit, "LATE", concern_date=D(2026, 1, 1))
    assert unmet_case_criteria(late, audit) == [
        "The concern was first recorded after the scope ends (31 December 2025)."
    ]
    old = _case(audit, "OLD", birth_month=D(2007, 5, 1))
    assert unmet_case_criteria(old, audit) == ["The child was 18 at the date of the concern, older than 17."]
    unborn = _case(audit, "UNBORN", birth_month=D(2025, 7, 1))
    assert "The month of birth is after the date of the concern." in unmet_case_criteria(unborn, audit)


def test_each_case_against_the_criteria_on_the_topic_fields(cast: Cast) -> None:
    audit = cast.audit
    assert audit is not None
    CaseField.objects.create(
        audit=audit,
        position=2,
        key="settings",
        label="Where it happened",
        field_type="multi_choice",
        choices=[{"value": "home", "label": "Home"}, {"value": "school", "label": "School"}],
    )
    CaseField.objects.create(audit=audit, position=3, key="on_plan", label="On a plan", field_type="yes_no")
    audit.field_criteria = [
        {"field": "neglect_type", "values": ["physical"]},
        {"field": "settings", "values": ["home", "school"]},
        {"field": "on_plan", "values": ["yes"]},
    ]
    meets = {"neglect_type": "physical", "settings": ["school"], "on_plan": "yes"}
    assert unmet_case_criteria(_case(audit, "OK", topic_values=meets), audit) == []
    misses = {"neglect_type": "emotional", "settings": [], "on_plan": "not_known"}
    assert unmet_case_criteria(_case(audit, "NO", topic_values=misses), audit) == [
        "Type of neglect: “Emotional”, and the criteria ask for “Physical”.",
        "Where it happened: not recorded, and the criteria ask for “Home” or “School”.",
        "On a plan: “Not known”, and the criteria ask for “Yes”.",
    ]
    # A case with nothing recorded fails each criterion, and so does not count as meeting the criteria.
    blank = _case(audit, "BLANK")
    assert len(unmet_case_criteria(blank, audit)) == 3
    assert funnel([_case(audit, "OK", topic_values=meets), blank], audit).met_criteria == 1


def test_a_criterion_names_a_field_with_choices() -> None:
    fields = [
        schema.CaseField(key="notes", label="Notes", type=schema.CaseFieldType.TEXT),
        schema.CaseField(key="on_plan", label="On a plan", type=schema.CaseFieldType.YES_NO),
    ]
    criteria = [
        schema.FieldCriterion(field="notes", values=["any"]),
        schema.FieldCriterion(field="on_plan", values=["yes", "not_known"]),
    ]
    assert schema.criteria_problems(criteria, fields) == [
        "the case field 'notes' is free text, so it cannot be a criterion"
    ]


def test_the_set_criteria_and_the_funnel(cast: Cast) -> None:
    audit = cast.audit
    assert audit is not None  # asks for primary and secondary ages and children with special educational needs
    primary = _case(audit, "P", birth_month=D(2017, 1, 1), decision=Decision.INCLUDED)
    secondary = _case(audit, "S", birth_month=D(2012, 1, 1), decision=Decision.INCLUDED)
    excluded = _case(audit, "X", concern_date=D(2020, 1, 1), decision=Decision.EXCLUDED)
    undecided = _case(audit, "U")
    assert unmet_set_criteria([primary], audit) == [
        "No included case is of a child of secondary school age at the date of the concern.",
        "No included case is of a child with special educational needs.",
    ]
    with_needs = _case(audit, "N", birth_month=D(2012, 1, 1), send=SpecialNeeds.EHCP, decision=Decision.INCLUDED)
    assert unmet_set_criteria([primary, secondary, with_needs, excluded], audit) == []
    counts = funnel([primary, secondary, excluded, undecided], audit)
    assert (counts.nominated, counts.met_criteria, counts.included, counts.excluded, counts.undecided) == (
        4,
        3,
        2,
        1,
        1,
    )


def test_the_audit_date_is_the_day_it_took_place(cast: Cast) -> None:
    audit = cast.audit
    assert audit is not None
    assert audit_date(audit) == D(2026, 5, 20)  # the actual date of the audit milestone
    audit.milestones.filter(kind="audit").update(actual=None)
    assert audit_date(audit) == D(2026, 5, 1)  # the planned month


def test_the_criteria_in_words(cast: Cast) -> None:
    audit = cast.audit
    assert audit is not None
    audit.field_criteria = [{"field": "neglect_type", "values": ["physical", "emotional"]}]
    per_case, for_set = criteria_summary(audit)
    assert per_case == [
        "The concern was first recorded between 1 January 2025 and 31 December 2025.",
        "The child was aged 0 to 17 at the date of the concern.",
        "Type of neglect: “Physical” or “Emotional”.",
    ]
    assert for_set == [
        "The included cases cover children of primary school and secondary school age.",
        "The included cases include children with special educational needs.",
    ]
    audit.age_min, audit.phases, audit.include_send, audit.field_criteria = None, [], False, []
    assert criteria_summary(audit) == (
        [
            "The concern was first recorded between 1 January 2025 and 31 December 2025.",
            "The child was aged 17 or less at the date of the concern.",
        ],
        [],
    )
