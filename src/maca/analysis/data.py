"""Everything the analysis of one audit reads, fetched in a fixed number of queries however many cases, agencies
and returns the audit has; the computations (`cohort`, `completeness`, `grades`, ...) then work on it in memory.

What counts: every nominated case (for the funnel), the included cases (for everything else), and the returns of
included cases that have been submitted or accepted (`maca.returns.models.SUBMITTED`): a draft, a return sent back
for amendment or one not started says nothing yet.

Who may read it is decided before: the analysis is open only to those who read every submitted return of the
audit and every case profile behind them (`maca.analysis.rules`), so it reads the whole audit.
"""

import datetime
from dataclasses import dataclass
from functools import cached_property

from django.db.models import prefetch_related_objects

from maca.audits.models import Audit, CaseField, Question, Theme
from maca.cases.criteria import audit_date
from maca.cases.models import Case, Decision
from maca.partnerships.models import Agency
from maca.returns.models import SUBMITTED, AgencyReturn

from .panel import moderated_grades


@dataclass
class AnalysisData:
    """One audit's definition, cases and submitted returns, as plain lists (no query is made from here on).

    `questions` are every question of the audit in the order of its themes; `returns` are ordered by case reference
    and agency name, each with its `case` and `agency` loaded; `moderated` holds the panel's grades that
    differ from the agencies' by (return id, theme id), None before moderation (see `maca.analysis.panel`)."""

    audit: Audit
    day: datetime.date
    themes: list[Theme]
    questions_by_theme: dict[int, list[Question]]
    case_fields: list[CaseField]
    cases: list[Case]
    returns: list[AgencyReturn]
    moderated: dict[tuple[int, int], str] | None = None
    returns_pending: int = 0  # returns of included cases not yet submitted, which the analysis does not count

    @property
    def grading_scale(self) -> list[str]:
        return [str(grade) for grade in self.audit.grading_scale]

    @cached_property
    def questions(self) -> list[Question]:
        return [question for theme in self.themes for question in self.questions_by_theme.get(theme.pk, [])]

    @cached_property
    def included(self) -> list[Case]:
        return sorted((case for case in self.cases if case.decision == Decision.INCLUDED), key=lambda c: c.reference)

    @cached_property
    def agencies(self) -> list[Agency]:
        """The agencies with a submitted return, by name."""
        found = {agency_return.agency.pk: agency_return.agency for agency_return in self.returns}
        return sorted(found.values(), key=lambda agency: agency.name)

    @cached_property
    def returns_by_case(self) -> dict[int, list[AgencyReturn]]:
        grouped: dict[int, list[AgencyReturn]] = {case.pk: [] for case in self.included}
        for agency_return in self.returns:
            grouped.setdefault(agency_return.case_id, []).append(agency_return)
        return grouped

    @property
    def scope_end(self) -> datetime.date:
        """The last day of the scope: the day of the audit when the audit has no scope."""
        return self.audit.scope_end or self.day


def load(audit: Audit) -> AnalysisData:
    """The audit's analysis data, in a fixed number of queries (seven, and those of the moderated grades' provider)."""
    prefetch_related_objects([audit], "case_fields", "themes__questions")
    themes = list(audit.themes.all())
    cases = list(Case.objects.filter(audit=audit).select_related("nominated_by").order_by("reference"))
    for case in cases:
        case.audit = audit
    included = {case.pk: case for case in cases if case.decision == Decision.INCLUDED}
    of_included = AgencyReturn.objects.filter(audit=audit, case__decision=Decision.INCLUDED)
    returns = []
    for agency_return in (
        of_included.filter(status__in=SUBMITTED).select_related("agency").order_by("case__reference", "agency__name")
    ):
        # A case decided on between the two reads is taken as the first read found it.
        if agency_return.case_id in included:
            agency_return.case = included[agency_return.case_id]
            agency_return.audit = audit
            returns.append(agency_return)
    return AnalysisData(
        audit=audit,
        day=audit_date(audit),
        themes=themes,
        questions_by_theme={theme.pk: list(theme.questions.all()) for theme in themes},
        case_fields=list(audit.case_fields.all()),
        cases=cases,
        returns=returns,
        moderated=moderated_grades(audit),
        returns_pending=of_included.exclude(status__in=SUBMITTED).count(),
    )
