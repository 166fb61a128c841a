"""The panel's moderated grades, which the analysis shows beside the agencies' own grades once moderation is open.

Moderation is a later app (`maca.findings`): apps import only from apps to their left, so the analysis cannot ask it
directly. Instead, the moderation app registers a provider when it starts (in its `AppConfig.ready`):

    from maca.analysis.panel import register_moderated_grades
    register_moderated_grades(moderated_grades)  # maca.findings.selectors.moderated_grades

The contract of a provider: given an audit, it returns the panel's grades as {(return id, theme id): grade}, for
each theme of each submitted return where the panel graded differently from the agency (a pair that is missing
means the panel kept the agency's grade), each grade one of the audit's grading scale. It reads in a fixed number
of queries, however many cases the audit has (the analysis page's query count does not grow with the cases).

The moderated grades exist once the coordinator has opened moderation and a provider is registered; until then
`moderated_grades` gives None and the analysis says that there are none yet.
"""

from collections.abc import Callable, Mapping

from maca.audits.models import Audit

ModeratedGrades = Mapping[tuple[int, int], str]
Provider = Callable[[Audit], ModeratedGrades]

_provider: Provider | None = None


def register_moderated_grades(provider: Provider | None) -> None:
    """Register the provider of the panel's moderated grades (None removes it). The last registration counts."""
    global _provider
    _provider = provider


def moderated_grades(audit: Audit) -> dict[tuple[int, int], str] | None:
    """The panel's grades that differ from the agencies', by (return id, theme id); None before moderation."""
    if _provider is None or audit.moderation_opened_at is None:
        return None
    return {key: grade for key, grade in _provider(audit).items() if grade}
