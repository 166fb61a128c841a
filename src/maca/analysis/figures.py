"""The computed figures of an audit that other parts of maca cite by key: a finding's evidence, a briefing's
sentence. Each figure is computed from data by a tested function; its key is stable across audits.

`figures(audit)` lists them. A figure's `anchor` is the id of the element that shows it on the analysis page.
"""

from dataclasses import dataclass

from maca.audits.models import Audit
from maca.cases.criteria import funnel
from maca.cases.models import Case


@dataclass(frozen=True)
class Figure:
    key: str  # stable, e.g. "funnel.included"
    label: str  # what it counts, e.g. "Cases included"
    text: str  # the figure as people read it, e.g. "8"
    anchor: str  # the id of the element showing it on the analysis page


def figures(audit: Audit) -> list[Figure]:
    """Every figure of the audit that can be cited."""
    counts = funnel(Case.objects.filter(audit=audit), audit)
    return [
        Figure("funnel.nominated", "Cases nominated", str(counts.nominated), "funnel"),
        Figure("funnel.met_criteria", "Cases that met the criteria", str(counts.met_criteria), "funnel"),
        Figure("funnel.included", "Cases included", str(counts.included), "funnel"),
    ]
