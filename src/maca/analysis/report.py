"""The analysis of one audit: every section computed from its data (`maca.analysis.data`) by the tested functions of
this app, nothing typed."""

from dataclasses import dataclass

from maca.audits.models import Audit

from .agreement import FieldAgreement, agreement
from .cohort import Cohort, cohort
from .completeness import Completeness, answer_completeness, profile_completeness
from .data import AnalysisData, load
from .grades import Grades, grades
from .sharing import EventSharing, sharing
from .transition import Transition, transition
from .voice import Voice, voice


@dataclass(frozen=True)
class Analysis:
    data: AnalysisData
    cohort: Cohort
    profile_completeness: Completeness
    answer_completeness: Completeness
    grades: Grades
    agreement: tuple[FieldAgreement, ...]
    sharing: tuple[EventSharing, ...]
    voice: Voice
    transition: Transition


def analyse(data: AnalysisData) -> Analysis:
    """Every section of the analysis of `data`."""
    return Analysis(
        data=data,
        cohort=cohort(data),
        profile_completeness=profile_completeness(data),
        answer_completeness=answer_completeness(data),
        grades=grades(data),
        agreement=tuple(agreement(data)),
        sharing=tuple(sharing(data)),
        voice=voice(data),
        transition=transition(data),
    )


def analysis_of(audit: Audit) -> Analysis:
    """The audit's analysis, read in a fixed number of queries."""
    return analyse(load(audit))
