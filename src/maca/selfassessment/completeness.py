"""What an agency still has to do before its self-assessment can be submitted, area by area.

A self-assessment is complete when every statement of the framework is rated, and every statement rated partly or
fully in place has its evidence in words: a claim that something is in place needs something to show for it.
A statement rated not in place needs no evidence.
"""

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .models import NEEDS_EVIDENCE, Answer, Area, Statement


def statement_label(area: Area, statement: Statement) -> str:
    """The number people use for a statement: its area's position, a dot, its position (e.g. 3.2)."""
    return f"{area.position}.{statement.position}"


def answer_digest(rating: str, evidence: str) -> str:
    """A short fingerprint of an answer as a page showed it, to tell whether someone changed it since."""
    return hashlib.sha256(f"{rating}\x1f{evidence}".encode()).hexdigest()[:20]


@dataclass(frozen=True)
class Gap:
    """One thing missing before submission: a statement not rated, or rated in place without evidence."""

    area: Area
    statement: Statement
    field: str  # "rating" or "evidence": the field of the area's page to put it right
    message: str

    @property
    def label(self) -> str:
        return statement_label(self.area, self.statement)


@dataclass(frozen=True)
class AreaProgress:
    """How far an agency has got with one area."""

    area: Area
    statements: int
    rated: int
    gaps: tuple[Gap, ...]
    evidence_files: int = 0

    @property
    def status(self) -> str:
        """ "completed" (nothing missing), "not_started" (nothing rated yet) or "in_progress"."""
        if not self.gaps:
            return "completed"
        return "in_progress" if self.rated else "not_started"


def area_gaps(area: Area, answers: Mapping[int, Answer]) -> list[Gap]:
    """What is missing in one area (its statements prefetched), given the answers by statement id."""
    gaps = []
    for statement in area.statements.all():
        label = statement_label(area, statement)
        answer = answers.get(statement.pk)
        if answer is None or not answer.rating:
            gaps.append(Gap(area, statement, "rating", f"Statement {label} is not rated"))
        elif answer.rating in NEEDS_EVIDENCE and not answer.evidence.strip():
            rating = answer.get_rating_display().lower()
            gaps.append(Gap(area, statement, "evidence", f"Statement {label} is rated {rating} but has no evidence"))
    return gaps


def area_progress(
    areas: Sequence[Area], answers: Mapping[int, Answer], files_by_area: Mapping[int, int] | None = None
) -> list[AreaProgress]:
    """How far an agency has got with each area, in order."""
    progress = []
    for area in areas:
        statements = list(area.statements.all())
        rated = sum(1 for s in statements if (answer := answers.get(s.pk)) is not None and answer.rating)
        progress.append(
            AreaProgress(
                area,
                len(statements),
                rated,
                tuple(area_gaps(area, answers)),
                (files_by_area or {}).get(area.pk, 0),
            )
        )
    return progress


def submission_gaps(areas: Sequence[Area], answers: Mapping[int, Answer]) -> list[Gap]:
    """Everything missing before the self-assessment can be submitted, in the order of the framework."""
    return [gap for area in areas for gap in area_gaps(area, answers)]
