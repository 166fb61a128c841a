"""The results of the wider partnership self-assessment, per area and agency: computed from the submitted
self-assessments, never typed.

For each agency and area: how many statements are fully, partly and not in place, and a score (`SCORE_DEFINITION`).
For the partnership: the mean of the agencies' scores per area. Only submitted self-assessments count; the agencies
that have not submitted are listed as such.
"""

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from maca.audits.models import Audit

from .models import Rating
from .selectors import framework_of, submitted_self_assessments, wider_agencies

POINTS = {Rating.FULLY: 2, Rating.PARTLY: 1, Rating.NOT_IN_PLACE: 0}
SCORE_DEFINITION = (
    "The score of an area is the share of the most it could score: a statement fully in place counts 2 points, "
    "partly in place 1 point and not in place 0, and the score is the points an agency gave itself divided by twice "
    "the number of statements in the area. The partnership’s score is the mean of the agencies’ scores, each agency "
    "counting once."
)


@dataclass(frozen=True)
class Tally:
    """The ratings of a set of statements: how many are fully, partly and not in place (and not rated)."""

    fully: int = 0
    partly: int = 0
    not_in_place: int = 0
    unrated: int = 0

    @property
    def statements(self) -> int:
        return self.fully + self.partly + self.not_in_place + self.unrated

    @property
    def score(self) -> float | None:
        """Points over the most possible (0 to 1), or None for no statements; an unrated statement scores 0."""
        if not self.statements:
            return None
        points = POINTS[Rating.FULLY] * self.fully + POINTS[Rating.PARTLY] * self.partly
        return points / (POINTS[Rating.FULLY] * self.statements)

    def share(self, rating: Rating) -> float | None:
        """The share of the statements with this rating (0 to 1), or None for no statements."""
        if not self.statements:
            return None
        count = {Rating.FULLY: self.fully, Rating.PARTLY: self.partly, Rating.NOT_IN_PLACE: self.not_in_place}[rating]
        return count / self.statements

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(
            self.fully + other.fully,
            self.partly + other.partly,
            self.not_in_place + other.not_in_place,
            self.unrated + other.unrated,
        )


def tally(ratings: Iterable[str]) -> Tally:
    """Count ratings ("fully", "partly", "not"; anything else is unrated)."""
    counts = Counter(ratings)
    known = counts[Rating.FULLY] + counts[Rating.PARTLY] + counts[Rating.NOT_IN_PLACE]
    return Tally(counts[Rating.FULLY], counts[Rating.PARTLY], counts[Rating.NOT_IN_PLACE], sum(counts.values()) - known)


@dataclass(frozen=True)
class AgencyResult:
    """One agency's submitted self-assessment, area by area (in the framework's order) and overall."""

    name: str
    code: str
    areas: tuple[Tally, ...]

    @property
    def overall(self) -> Tally:
        return sum(self.areas, Tally())

    @property
    def scores(self) -> tuple[float | None, ...]:
        return tuple(area.score for area in self.areas)


@dataclass(frozen=True)
class Results:
    """The results of an audit's self-assessment: the areas, each submitted agency's tallies, and the partnership's
    mean score per area; `waiting` names the agencies of section 6b that have not submitted."""

    areas: tuple[str, ...]
    agencies: tuple[AgencyResult, ...]
    waiting: tuple[str, ...] = ()

    @property
    def partnership(self) -> tuple[float | None, ...]:
        """The mean of the agencies' scores for each area (None where no agency has a score)."""
        means = []
        for index in range(len(self.areas)):
            scores = [score for agency in self.agencies if (score := agency.areas[index].score) is not None]
            means.append(sum(scores) / len(scores) if scores else None)
        return tuple(means)

    @property
    def partnership_overall(self) -> float | None:
        scores = [score for agency in self.agencies if (score := agency.overall.score) is not None]
        return sum(scores) / len(scores) if scores else None


@dataclass(frozen=True)
class SubmittedRatings:
    """What `summarise` takes for one agency: its name, code and ratings by statement id."""

    name: str
    code: str
    ratings: Mapping[int, str]


def summarise(
    areas: Sequence[tuple[str, Sequence[int]]],
    submitted: Sequence[SubmittedRatings],
    waiting: Sequence[str] = (),
) -> Results:
    """The results from the framework's areas (each a name and its statements' ids, in order) and the agencies'
    ratings. A statement an agency has not rated counts as unrated (a submitted self-assessment has none)."""
    agencies = tuple(
        AgencyResult(
            agency.name,
            agency.code,
            tuple(tally(agency.ratings.get(pk, "") for pk in statement_ids) for _, statement_ids in areas),
        )
        for agency in submitted
    )
    return Results(tuple(name for name, _ in areas), agencies, tuple(waiting))


def results_for(audit: Audit) -> Results:
    """The results of the audit's self-assessment, from the submitted self-assessments of the agencies of 6b."""
    framework = framework_of(audit)
    areas = (
        [(area.name, [statement.pk for statement in area.statements.all()]) for area in framework.areas.all()]
        if framework
        else []
    )
    agencies = wider_agencies(audit)
    submitted = submitted_self_assessments(audit, agencies)
    done = {assessment.agency_id for assessment in submitted}
    return summarise(
        areas,
        [
            SubmittedRatings(
                assessment.agency.name,
                assessment.agency.short_code,
                {answer.statement_id: answer.rating for answer in assessment.answers.all()},
            )
            for assessment in submitted
        ],
        [agency.name for agency in agencies if agency.pk not in done],
    )
