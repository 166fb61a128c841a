"""The audit's criteria applied to cases: each case against the per-case criteria, the included set against the set
criteria, and the funnel (nominated → met the criteria → included).

Only the month and year of birth are known, so ages count from the first day of the month of birth: a child is 10
on the first day of the month in which they turn 10.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from maca.audits.models import Audit
from maca.audits.schema import MilestoneKind, Phase

from .codes import SpecialNeeds
from .models import Case, Decision

# School phases by age at the date of the concern (England): reception starts at 4, year 7 at 11, year 12 at 16.
PHASES: dict[Phase, tuple[int, int]] = {
    Phase.EARLY_YEARS: (0, 3),
    Phase.PRIMARY: (4, 10),
    Phase.SECONDARY: (11, 15),
    Phase.POST_16: (16, 18),
}
PHASE_NAMES = {
    Phase.EARLY_YEARS: "early years",
    Phase.PRIMARY: "primary school",
    Phase.SECONDARY: "secondary school",
    Phase.POST_16: "post-16",
}


def age_on(birth_month: datetime.date, day: datetime.date) -> int:
    """Age in whole years on `day` of a child born in the month of `birth_month`."""
    years = day.year - birth_month.year
    if day.month < birth_month.month:
        years -= 1
    return years


def phase_of(age: int) -> Phase | None:
    for phase, (low, high) in PHASES.items():
        if low <= age <= high:
            return phase
    return None


def audit_date(audit: Audit) -> datetime.date:
    """The day the audit took place (or is planned for: the first of a planned month); today if it has no date."""
    milestone = audit.milestones.filter(kind=MilestoneKind.AUDIT).order_by("position").first()
    if milestone is None:
        return timezone.localdate()
    if milestone.actual:
        return milestone.actual
    planned = milestone.planned if len(milestone.planned) == 10 else f"{milestone.planned}-01"
    return datetime.date.fromisoformat(planned)


def _day(value: datetime.date) -> str:
    return f"{value.day} {value:%B %Y}"


def unmet_case_criteria(case: Case, audit: Audit) -> list[str]:
    """Why the case does not meet the audit's per-case criteria, one sentence each (empty when it does)."""
    reasons = []
    if case.birth_month > case.concern_date:
        reasons.append("The month of birth is after the date of the concern.")
    if audit.scope_start and case.concern_date < audit.scope_start:
        reasons.append(f"The concern was first recorded before the scope starts ({_day(audit.scope_start)}).")
    if audit.scope_end and case.concern_date > audit.scope_end:
        reasons.append(f"The concern was first recorded after the scope ends ({_day(audit.scope_end)}).")
    age = age_on(case.birth_month, case.concern_date)
    if audit.age_min is not None and age < audit.age_min:
        reasons.append(f"The child was {age} at the date of the concern, younger than {audit.age_min}.")
    if audit.age_max is not None and age > audit.age_max:
        reasons.append(f"The child was {age} at the date of the concern, older than {audit.age_max}.")
    return reasons


def unmet_set_criteria(cases: Iterable[Case], audit: Audit) -> list[str]:
    """Which of the audit's criteria for the set of cases the included cases do not yet meet."""
    included = [case for case in cases if case.decision == Decision.INCLUDED]
    reasons = []
    covered = {phase_of(age_on(case.birth_month, case.concern_date)) for case in included}
    for value in audit.phases:
        phase = Phase(value)
        if phase not in covered:
            reasons.append(f"No included case is of a child of {PHASE_NAMES[phase]} age at the date of the concern.")
    needs = {SpecialNeeds.SEN_SUPPORT, SpecialNeeds.EHCP}
    if audit.include_send and not any(case.send in needs for case in included):
        reasons.append("No included case is of a child with special educational needs.")
    return reasons


@dataclass(frozen=True)
class Funnel:
    """How many cases were nominated, how many met the criteria, and what was decided."""

    nominated: int
    met_criteria: int
    included: int
    excluded: int
    undecided: int


def funnel(cases: Iterable[Case], audit: Audit) -> Funnel:
    cases = list(cases)
    return Funnel(
        nominated=len(cases),
        met_criteria=sum(1 for case in cases if not unmet_case_criteria(case, audit)),
        included=sum(1 for case in cases if case.decision == Decision.INCLUDED),
        excluded=sum(1 for case in cases if case.decision == Decision.EXCLUDED),
        undecided=sum(1 for case in cases if case.decision == Decision.PENDING),
    )
