"""The computed figures of an audit that other parts of maca cite by key: a finding's evidence, a briefing's
sentence. Each figure is computed from data by a tested function; its key is stable across audits.

`figures(audit)` lists them. A figure's `anchor` is the id of the element that shows it on the analysis page.

The keys (`<...>` is filled from the audit: a value's key, an agency's short code, a theme's position, ...):

- `funnel.nominated`, `funnel.met_criteria`, `funnel.included`
- `cohort.size`, `cohort.age_range`, `cohort.summary` (the briefing's sentences),
  `cohort.<field>.<value>` for gender, ethnicity, send, disability and aces, `cohort.topic.<field key>.<value>`
- `completeness.answers.known`, `completeness.profile.known` (the share of values given)
- `grades.all.<grade>`, `grades.theme<position>.<grade>` (the grade's name as a key, e.g. `requires_improvement`),
  `grades.moderation.changed` (once moderation is open)
- `agreement.<field key>.alpha`, `agreement.<field key>.apart` (cases two or more steps apart)
- `sharing.<event key>.not_told`, `sharing.<event key>.not_told.<agency code>` (for each agency that said the
  event happened)
- `voice.recorded`, `voice.own_words`, `voice.recorded.<agency code>`
- `transition.older`, `transition.plan_recorded`
"""

from dataclasses import dataclass

from maca.audits.models import Audit

from .agreement import describe_alpha
from .report import Analysis, analysis_of
from .sharing import NOT_TOLD
from .words import of, percent, slug


@dataclass(frozen=True)
class Figure:
    key: str  # stable, e.g. "funnel.included"
    label: str  # what it counts, e.g. "Cases included"
    text: str  # the figure as people read it, e.g. "8"
    anchor: str  # the id of the element showing it on the analysis page


def _cohort(analysis: Analysis) -> list[Figure]:
    cohort = analysis.cohort
    found = [
        Figure("funnel.nominated", "Cases nominated", str(cohort.funnel.nominated), "funnel"),
        Figure("funnel.met_criteria", "Cases that met the criteria", str(cohort.funnel.met_criteria), "funnel"),
        Figure("funnel.included", "Cases included", str(cohort.funnel.included), "funnel"),
        Figure("cohort.size", "Children whose cases were audited", str(cohort.size), "cohort"),
    ]
    if cohort.age_min is not None and cohort.age_max is not None:
        ages = str(cohort.age_min) if cohort.age_min == cohort.age_max else f"{cohort.age_min} to {cohort.age_max}"
        found.append(Figure("cohort.age_range", "Ages at the day of the audit", ages, "cohort"))
    found.append(Figure("cohort.summary", "The children, as a briefing says it", " ".join(cohort.sentences), "cohort"))
    for profile_field in cohort.fields:
        if profile_field.key == "age":
            continue
        for count in profile_field.counts:
            found.append(
                Figure(
                    f"cohort.{profile_field.key}.{count.key or 'not_recorded'}",
                    f"{profile_field.label}: {count.label}",
                    of(count.count, count.total),
                    "cohort-profile",
                )
            )
    return found


def _completeness_and_grades(analysis: Analysis) -> list[Figure]:
    answers = analysis.answer_completeness.overall
    profile = analysis.profile_completeness.overall
    found = [
        Figure(
            "completeness.answers.known",
            "Answers given in the submitted returns (neither blank nor “not known”)",
            percent(answers.share_known),
            "completeness",
        ),
        Figure(
            "completeness.profile.known",
            "Values recorded in the included children’s profiles",
            percent(profile.share_known),
            "completeness",
        ),
    ]
    result = analysis.grades
    for row, key in [(result.overall, "all"), *((row, row.key) for row in result.by_theme)]:
        for grade, count in zip(result.scale, row.counts, strict=True):
            found.append(
                Figure(f"grades.{key}.{slug(grade)}", f"{row.label}: graded {grade}", of(count, row.graded), "grades")
            )
    if result.panel is not None:
        changed = sum(comparison.changed for comparison in result.panel)
        compared = sum(comparison.compared for comparison in result.panel)
        found.append(
            Figure("grades.moderation.changed", "Agencies’ grades the panel changed", of(changed, compared), "grades")
        )
    return found


def _agreement_and_sharing(analysis: Analysis) -> list[Figure]:
    found = []
    for field_agreement in analysis.agreement:
        anchor = f"agreement-{field_agreement.key}"
        found += [
            Figure(
                f"agreement.{field_agreement.key}.alpha",
                f"{field_agreement.label}: agreement between agencies (Krippendorff’s alpha, ordinal)",
                describe_alpha(field_agreement.alpha),
                anchor,
            ),
            Figure(
                f"agreement.{field_agreement.key}.apart",
                f"{field_agreement.label}: cases where agencies are two or more steps apart",
                of(field_agreement.apart, field_agreement.compared),
                anchor,
            ),
        ]
    for event in analysis.sharing:
        anchor = f"sharing-{event.key}"
        found.append(
            Figure(
                f"sharing.{event.key}.not_told",
                f"{event.text}: answers saying the agency was not told",
                of(event.total.count(NOT_TOLD), event.total.happened),
                anchor,
            )
        )
        for agency in event.agencies:
            if agency.happened:
                found.append(
                    Figure(
                        f"sharing.{event.key}.not_told.{agency.code}",
                        f"{event.text}: {agency.name} not told",
                        of(agency.count(NOT_TOLD), agency.happened),
                        anchor,
                    )
                )
    return found


def _voice_and_transition(analysis: Analysis) -> list[Figure]:
    total = analysis.voice.total
    recorded = of(total.recorded, total.returns)
    found = [Figure("voice.recorded", "Returns recording the child’s voice", recorded, "voice")]
    if analysis.voice.question is not None:
        found.append(
            Figure(
                "voice.own_words",
                "Returns recording the child’s own words",
                of(total.own_words, total.returns),
                "voice",
            )
        )
    for row in analysis.voice.rows:
        found.append(
            Figure(
                f"voice.recorded.{row.code}",
                f"{row.name}: returns recording the child’s voice",
                of(row.recorded, row.returns),
                "voice",
            )
        )
    result = analysis.transition
    older = len(result.cases)
    found += [
        Figure("transition.older", f"Children aged {result.age} or more during the scope", str(older), "transition"),
        Figure(
            "transition.plan_recorded",
            "Of those, children with a transition plan recorded",
            of(result.planned, older),
            "transition",
        ),
    ]
    return found


def figures_of(analysis: Analysis) -> list[Figure]:
    """The figures of a computed analysis."""
    return [
        *_cohort(analysis),
        *_completeness_and_grades(analysis),
        *_agreement_and_sharing(analysis),
        *_voice_and_transition(analysis),
    ]


def figures(audit: Audit) -> list[Figure]:
    """Every figure of the audit that can be cited."""
    return figures_of(analysis_of(audit))
