"""The audit's criteria applied to cases: each case against the per-case criteria, the included set against the set
criteria, and the funnel (nominated → met the criteria → included).

Only the month and year of birth are known, so ages count from the first day of the month of birth: a child is 10
on the first day of the month in which they turn 10.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from maca.audits.models import Audit, CaseField
from maca.audits.schema import CaseFieldType, MilestoneKind, Phase

from .codes import SpecialNeeds, YesNoNotKnown
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
    if audit.field_criteria:
        fields = {case_field.key: case_field for case_field in audit.case_fields.all()}
        for criterion in audit.field_criteria:
            case_field = fields.get(criterion["field"])
            if case_field is not None:
                reasons.extend(_unmet_field(case, case_field, criterion["values"]))
    return reasons


def _either(labels: list[str]) -> str:
    quoted = [f"“{label}”" for label in labels]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"


def criteria_summary(audit: Audit) -> tuple[list[str], list[str]]:
    """The audit's criteria in words: those for each case, and those for the set of included cases."""
    per_case = []
    if audit.scope_start and audit.scope_end:
        per_case.append(
            f"The concern was first recorded between {_day(audit.scope_start)} and {_day(audit.scope_end)}."
        )
    if audit.age_min is not None and audit.age_max is not None:
        per_case.append(f"The child was aged {audit.age_min} to {audit.age_max} at the date of the concern.")
    elif audit.age_min is not None:
        per_case.append(f"The child was aged {audit.age_min} or more at the date of the concern.")
    elif audit.age_max is not None:
        per_case.append(f"The child was aged {audit.age_max} or less at the date of the concern.")
    fields = {case_field.key: case_field for case_field in audit.case_fields.all()}
    for criterion in audit.field_criteria:
        case_field = fields.get(criterion["field"])
        if case_field is not None:
            labels = value_labels(case_field)
            per_case.append(f"{case_field.label}: {_either([labels.get(v, v) for v in criterion['values']])}.")
    for_set = []
    if audit.phases:
        names = [PHASE_NAMES[Phase(value)] for value in audit.phases]
        listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
        for_set.append(f"The included cases cover children of {listed} age.")
    if audit.include_send:
        for_set.append("The included cases include children with special educational needs.")
    return per_case, for_set


def value_labels(case_field: CaseField) -> dict[str, str]:
    """The labels of a case field's values (a yes/no field: yes, no, not known)."""
    if case_field.field_type == CaseFieldType.YES_NO:
        return dict(YesNoNotKnown.choices)
    return {choice["value"]: choice["label"] for choice in case_field.choices}


def _unmet_field(case: Case, case_field: CaseField, wanted: list[str]) -> list[str]:
    labels = value_labels(case_field)
    asked = _either([labels.get(value, value) for value in wanted])
    value = case.topic_values.get(case_field.key)
    values = [item for item in (value if isinstance(value, list) else [value]) if item not in (None, "")]
    if not values:
        return [f"{case_field.label}: not recorded, and the criteria ask for {asked}."]
    if set(values) & set(wanted):
        return []
    has = "; ".join(f"“{labels.get(item, item)}”" for item in values)
    return [f"{case_field.label}: {has}, and the criteria ask for {asked}."]


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


def topic_text(case_field: CaseField, case: Case) -> str:
    """A topic-specific value as people read it: choices by their labels, several separated by semicolons."""
    value = case.topic_values.get(case_field.key)
    if value in (None, "", []):
        return "Not recorded"
    labels = value_labels(case_field)
    values = value if isinstance(value, list) else [value]
    return "; ".join(str(labels.get(item, item)) for item in values)
