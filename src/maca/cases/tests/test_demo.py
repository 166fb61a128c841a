"""The demo cases reproduce the seed briefing's cohort from data: "a scope of 10 children … the records of 8 who met
the criteria"; aged 10 to 19, all male, all with self-esteem issues, 4 of 8 with an EHCP, all with ACEs."""

import pytest
from django.core.management import call_command

from maca.audits.models import Audit
from maca.cases.codes import Gender, SpecialNeeds, YesNoNotKnown
from maca.cases.criteria import age_on, audit_date, funnel, unmet_case_criteria, unmet_set_criteria
from maca.cases.models import Case, Decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def audit() -> Audit:
    call_command("load_demo")
    return Audit.objects.get(reference="torbay-hsb-2021")


def test_ten_nominated_eight_met_the_criteria_and_were_included(audit: Audit) -> None:
    cases = list(audit.cases.all())
    counts = funnel(cases, audit)
    assert (counts.nominated, counts.met_criteria, counts.included, counts.excluded) == (10, 8, 8, 2)
    for case in cases:
        assert (case.decision == Decision.INCLUDED) == (not unmet_case_criteria(case, audit))
        assert case.decision_reason
    assert unmet_set_criteria(cases, audit) == []


def test_the_cohort_of_the_seed_briefing(audit: Audit) -> None:
    included = list(audit.cases.filter(decision=Decision.INCLUDED))
    day = audit_date(audit)
    ages = sorted(age_on(case.birth_month, day) for case in included)
    assert (ages[0], ages[-1]) == (10, 19)
    assert {case.gender for case in included} == {Gender.MALE}
    assert all("low_self_esteem" in case.topic_values["needs"] for case in included)
    assert sum(case.send == SpecialNeeds.EHCP for case in included) == 4
    assert {case.aces for case in included} == {YesNoNotKnown.YES}


def test_the_agencies_that_audited_in_the_seed_are_involved(audit: Audit) -> None:
    involved = {
        (involvement.agency.short_code, service.name)
        for case in audit.cases.filter(decision=Decision.INCLUDED)
        for involvement in case.involvements.all()
        for service in involvement.services.all()
    }
    codes = {
        involvement.agency.short_code
        for case in audit.cases.filter(decision=Decision.INCLUDED)
        for involvement in case.involvements.all()
    }
    assert codes == {"CSC", "HEALTH", "POLICE", "YOT", "EDU", "SCH"}
    assert ("CSC", "Children’s Disability Team") in involved
    assert ("HEALTH", "Primary Care (GP)") in involved
    assert ("HEALTH", "Public Health Nursing (School Nursing)") in involved
    confirmed = {i.is_confirmed for c in audit.cases.filter(decision=Decision.INCLUDED) for i in c.involvements.all()}
    assert confirmed == {True}


def test_loading_again_adds_no_case() -> None:
    call_command("load_demo")
    call_command("load_demo")
    assert Case.objects.count() == 10
