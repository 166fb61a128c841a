"""Agreement between agencies on where each child sits on an ordinal scale of the audit (for harmful sexual
behaviour, Hackett's continuum): per case, the spread of the agencies' placements; overall, Krippendorff's alpha
with the ordinal metric.

Krippendorff's alpha (Krippendorff, "Computing Krippendorff's Alpha-Reliability", 2011). The units are the cases,
the observers the agencies, each agency placing the child once (in its return); a placement is the rank of the
scale point (0 for the first choice, 1 for the next, ...). Units with fewer than two placements are left out: a
value that cannot be paired with another says nothing about agreement.

- Coincidences: o_ck = Σ_u (number of ordered pairs of placements of unit u by two different agencies whose values
  are c and k) / (m_u − 1), where m_u is the number of placements of unit u. n_c = Σ_k o_ck is the number of
  pairable values c, and n = Σ_c n_c the number of pairable values.
- Ordinal metric: δ²_ck = (Σ_{g=c..k} n_g − (n_c + n_k) / 2)² for c ≤ k (and symmetric): the distance between two
  ranks grows with the number of values placed between them, not with the ranks themselves.
  (The nominal metric is 0 for equal values and 1 otherwise; the interval metric is (c − k)².)
- α = 1 − D_o / D_e = 1 − (n − 1) · Σ_c Σ_k o_ck δ²_ck / Σ_c Σ_k n_c n_k δ²_ck.

α is 1 when every agency agrees on every case, 0 when agreement is what chance would give, and below 0 when
agencies disagree systematically. It is not defined (None) when no case has two placements or when every
placement is the same value (no variation: D_e = 0). Computed with exact fractions.
"""

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from maca.audits.models import CaseField
from maca.audits.schema import CaseFieldType

from .data import AnalysisData
from .words import blank, short_label

Metric = Literal["nominal", "ordinal", "interval"]
# Agencies this many steps apart or more on the scale are listed first.
APART = 2


def coincidences(units: Iterable[Sequence[int | None]]) -> dict[tuple[int, int], Fraction]:
    """The coincidence matrix o_ck of the units' values (None: no value), leaving out units with fewer than two."""
    matrix: dict[tuple[int, int], Fraction] = defaultdict(Fraction)
    for unit in units:
        values = [value for value in unit if value is not None]
        pairable = len(values)
        if pairable < 2:
            continue
        counts = Counter(values)
        for c, n_c in counts.items():
            for k, n_k in counts.items():
                pairs = n_c * (n_c - 1) if c == k else n_c * n_k
                if pairs:
                    matrix[(c, k)] += Fraction(pairs, pairable - 1)
    return dict(matrix)


def _distance(metric: Metric, marginals: dict[int, Fraction]) -> Callable[[int, int], Fraction]:
    if metric == "nominal":
        return lambda c, k: Fraction(0 if c == k else 1)
    if metric == "interval":
        return lambda c, k: Fraction((c - k) ** 2)
    ranks = sorted(marginals)
    cumulative: dict[int, Fraction] = {}
    running = Fraction(0)
    for value in ranks:
        running += marginals[value]
        cumulative[value] = running

    def ordinal(c: int, k: int) -> Fraction:
        low, high = min(c, k), max(c, k)
        between = cumulative[high] - cumulative[low] + marginals[low]  # Σ n_g for g from low to high
        return (between - (marginals[low] + marginals[high]) / 2) ** 2

    return ordinal


def krippendorff_alpha(units: Iterable[Sequence[int | None]], *, metric: Metric = "ordinal") -> float | None:
    """Krippendorff's alpha of the units' values (one sequence per unit, a value or None per observer); None when
    it is not defined (no pairable values, or no variation)."""
    matrix = coincidences(units)
    marginals: dict[int, Fraction] = defaultdict(Fraction)
    for (c, _k), count in matrix.items():
        marginals[c] += count
    total = sum(marginals.values(), Fraction(0))
    if total == 0:
        return None
    distance = _distance(metric, dict(marginals))
    observed = sum((count * distance(c, k) for (c, k), count in matrix.items()), Fraction(0))
    expected = sum(
        (marginals[c] * marginals[k] * distance(c, k) for c in marginals for k in marginals),
        Fraction(0),
    )
    if expected == 0:
        return None
    return float(1 - (total - 1) * observed / expected)


@dataclass(frozen=True)
class Placement:
    agency: str
    rank: int
    label: str  # the scale point's name


@dataclass(frozen=True)
class CasePlacements:
    """Where the agencies placed one child. `spread`: steps between the lowest and highest placement (None when
    fewer than two agencies placed the child); `not_placed`: agencies whose submitted return gives no placement."""

    reference: str
    placements: tuple[Placement, ...]
    not_placed: tuple[str, ...]

    @property
    def spread(self) -> int | None:
        if len(self.placements) < 2:
            return None
        ranks = [placement.rank for placement in self.placements]
        return max(ranks) - min(ranks)

    @property
    def lowest(self) -> str:
        return min(self.placements, key=lambda p: p.rank).label if self.placements else ""

    @property
    def highest(self) -> str:
        return max(self.placements, key=lambda p: p.rank).label if self.placements else ""

    @property
    def apart(self) -> bool:
        return (self.spread or 0) >= APART


@dataclass(frozen=True)
class FieldAgreement:
    """Agreement between agencies on one ordinal case field. `cases`: the cases two or more steps apart first
    (widest first), then the others by reference; `counts`: placements per scale point."""

    key: str
    label: str
    scale: tuple[str, ...]
    cases: tuple[CasePlacements, ...]
    alpha: float | None
    counts: tuple[int, ...]

    @property
    def compared(self) -> int:
        """Cases placed by at least two agencies: those the statistic compares."""
        return sum(1 for case in self.cases if case.spread is not None)

    @property
    def apart(self) -> int:
        return sum(1 for case in self.cases if case.apart)

    @property
    def agreed(self) -> int:
        return sum(1 for case in self.cases if case.spread == 0)


def ordinal_fields(case_fields: Sequence[CaseField]) -> list[CaseField]:
    """The audit's case fields that each agency answers on an ordinal scale."""
    return [
        case_field
        for case_field in case_fields
        if case_field.ordinal and case_field.per_agency and case_field.field_type == CaseFieldType.CHOICE
    ]


def _spread_order(case: CasePlacements) -> tuple[int, int, str]:
    return (0 if case.spread is not None else 1, -(case.spread or 0), case.reference)


def field_agreement(data: AnalysisData, case_field: CaseField) -> FieldAgreement:
    """The agencies' placements of every included case on the field's scale, and their agreement."""
    ranks = {choice["value"]: index for index, choice in enumerate(case_field.choices)}
    names = [short_label(choice["label"]) for choice in case_field.choices]
    counts = [0] * len(names)
    cases = []
    for case in data.included:
        placements = []
        not_placed = []
        for agency_return in data.returns_by_case.get(case.pk, []):
            value = agency_return.topic_values.get(case_field.key)
            rank = ranks.get(value) if isinstance(value, str) and not blank(value) else None
            if rank is None:
                not_placed.append(agency_return.agency.name)
                continue
            placements.append(Placement(agency_return.agency.name, rank, names[rank]))
            counts[rank] += 1
        cases.append(CasePlacements(case.reference, tuple(placements), tuple(not_placed)))
    alpha = krippendorff_alpha([[p.rank for p in case.placements] for case in cases], metric="ordinal")
    return FieldAgreement(
        key=case_field.key,
        label=case_field.label,
        scale=tuple(names),
        cases=tuple(sorted(cases, key=_spread_order)),
        alpha=alpha,
        counts=tuple(counts),
    )


def agreement(data: AnalysisData) -> list[FieldAgreement]:
    """Agreement on each of the audit's ordinal per-agency case fields (none when the audit has none)."""
    return [field_agreement(data, case_field) for case_field in ordinal_fields(data.case_fields)]


def describe_alpha(alpha: float | None) -> str:
    """The statistic as people read it, with Krippendorff's own guide: reliable from 0.800, tentative conclusions
    from 0.667."""
    if alpha is None:
        return "Not defined: fewer than two agencies placed any child, or every placement was the same."
    if alpha >= 0.8:
        reading = "good agreement"
    elif alpha >= 0.667:
        reading = "agreement good enough only for tentative conclusions"
    elif alpha > 0:
        reading = "poor agreement"
    else:
        reading = "no agreement beyond chance"
    return f"{alpha:.3f}: {reading}"
