"""Grades: how many of the agencies' graded judgements fell on each point of the audit's grading scale, by theme
and by agency, and, once moderation is open, the agencies' grades beside the grades after moderation (the panel's
where it changed an agency's grade, see `maca.analysis.panel`).

The scale is the audit's, best first (e.g. Outstanding, Good, Requires improvement, Inadequate). A grade that is not
on the scale (the scale changed after the return was written) is counted under its own name after the scale."""

from collections import defaultdict
from dataclasses import dataclass

from .data import AnalysisData
from .words import blank


@dataclass(frozen=True)
class GradeRow:
    """Counts per grade (in the order of `Grades.scale`) for a theme, an agency or all; `ungraded`: judgements
    without a grade."""

    key: str
    label: str
    counts: tuple[int, ...]
    ungraded: int = 0

    @property
    def graded(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class PanelComparison:
    """For one theme: the agencies' grades and the grades after moderation (the panel's where it changed one, the
    agency's where it kept it), per grade; and how many of the agencies' grades the panel kept, raised (to a better
    grade) or lowered."""

    theme: str
    agencies: tuple[int, ...]
    moderated: tuple[int, ...]
    kept: int
    raised: int
    lowered: int

    @property
    def compared(self) -> int:
        return self.kept + self.raised + self.lowered

    @property
    def changed(self) -> int:
        return self.raised + self.lowered


@dataclass(frozen=True)
class Grades:
    scale: tuple[str, ...]
    by_theme: tuple[GradeRow, ...]
    by_agency: tuple[GradeRow, ...]
    overall: GradeRow
    panel: tuple[PanelComparison, ...] | None  # None until moderation is open

    def count(self, row: GradeRow, grade: str) -> int:
        return row.counts[self.scale.index(grade)] if grade in self.scale else 0


def _row(key: str, label: str, grades: list[str | None], scale: list[str]) -> GradeRow:
    counts = [0] * len(scale)
    ungraded = 0
    for grade in grades:
        if grade is None:
            ungraded += 1
        else:
            counts[scale.index(grade)] += 1
    return GradeRow(key, label, tuple(counts), ungraded)


def grades(data: AnalysisData) -> Grades:
    """The agencies' grades of every theme in the submitted returns."""
    scale = list(data.grading_scale)
    # (theme id, agency id, return id, grade or None) for every theme of every return.
    judged: list[tuple[int, int, int, str | None]] = []
    for agency_return in data.returns:
        for theme in data.themes:
            value = (agency_return.judgements.get(str(theme.pk)) or {}).get("grade")
            grade = None if blank(value) else str(value).strip()
            if grade is not None and grade not in scale:
                scale.append(grade)
            judged.append((theme.pk, agency_return.agency_id, agency_return.pk, grade))
    per_theme: dict[int, list[str | None]] = defaultdict(list)
    per_agency: dict[int, list[str | None]] = defaultdict(list)
    for theme_id, agency_id, _case, grade in judged:
        per_theme[theme_id].append(grade)
        per_agency[agency_id].append(grade)
    by_theme = tuple(_row(f"theme{t.position}", t.name, per_theme[t.pk], scale) for t in data.themes)
    by_agency = tuple(_row(a.short_code, a.name, per_agency[a.pk], scale) for a in data.agencies)
    overall = _row("all", "All themes", [g for *_rest, g in judged], scale)
    return Grades(tuple(scale), by_theme, by_agency, overall, _compare(data, judged, scale))


def _compare(
    data: AnalysisData, judged: list[tuple[int, int, int, str | None]], scale: list[str]
) -> tuple[PanelComparison, ...] | None:
    if data.moderated is None:
        return None
    moderated = {key: grade for key, grade in data.moderated.items() if grade in scale}
    found = []
    for theme in data.themes:
        agencies = [0] * len(scale)
        after = [0] * len(scale)
        kept = raised = lowered = 0
        for theme_id, _agency, return_id, grade in judged:
            if theme_id != theme.pk:
                continue
            if grade is None:
                # The panel may grade a theme the agency left ungraded: it counts after moderation only.
                if (return_id, theme_id) in moderated:
                    after[scale.index(moderated[(return_id, theme_id)])] += 1
                continue
            panel_grade = moderated.get((return_id, theme_id), grade)
            agencies[scale.index(grade)] += 1
            after[scale.index(panel_grade)] += 1
            # The scale runs best first: a lower index is a better grade.
            difference = scale.index(panel_grade) - scale.index(grade)
            if difference < 0:
                raised += 1
            elif difference == 0:
                kept += 1
            else:
                lowered += 1
        found.append(PanelComparison(theme.name, tuple(agencies), tuple(after), kept, raised, lowered))
    return tuple(found)
