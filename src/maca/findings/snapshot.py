"""The findings as people read them: each finding numbered through the briefing, each piece of evidence in words,
and the frozen snapshot that signing off keeps (`FindingsVersion.content`), read back as typed values.

The snapshot is what the outputs (the report, the learning briefing) are built from: `snapshot_of(version)`.
Its JSON shape:

    {"headings": [{"text", "findings": [{"number", "text", "evidence": [{"kind", "title", "text"}]}]}],
     "recommendations": [{"number", "text", "governance_group", "findings": [finding numbers]}],
     "grades": [{"case", "agency", "theme", "agency_grade", "grade", "reason", "by"}]}
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from maca.returns.content import NARRATIVE
from maca.returns.models import AgencyReturn

from .models import BriefingHeading, Evidence, EvidenceKind, Finding, FindingsVersion, ModeratedGrade, Recommendation

# The narrative answers of a return as the panel names them (the return's own labels speak to the auditor).
ANSWER_LABELS = {
    "went_well": "What went well",
    "worried": "What worried the agency",
    "child_voice": "The child’s voice",
    "difference": "The difference made",
}
ANSWER_KINDS = tuple(key for key, _ in NARRATIVE)
KIND_ORDER = {EvidenceKind.RETURN: 0, EvidenceKind.ANSWER: 1, EvidenceKind.FIGURE: 2}


def answer_label(kind: str) -> str:
    return ANSWER_LABELS.get(kind) or dict(NARRATIVE).get(kind, kind)


def return_label(agency_return: AgencyReturn) -> str:
    """A return as the panel names it: the case and the agency."""
    return f"{agency_return.case.reference} – {agency_return.agency.name}"


@dataclass(frozen=True)
class EvidenceItem:
    """One piece of evidence in words: `title` says what it is, `text` quotes the answer or gives the figure.

    On live pages `href` links to the return (for those who may read it) and `note` says what has changed since it
    was cited; the signed-off snapshot has neither.
    """

    kind: str
    title: str
    text: str = ""
    href: str = ""
    note: str = ""

    @property
    def kind_label(self) -> str:
        return str(EvidenceKind(self.kind).label)


def evidence_title(evidence: Evidence) -> str:
    if evidence.kind == EvidenceKind.FIGURE:
        return evidence.label or evidence.figure_key
    if evidence.kind == EvidenceKind.ANSWER:
        return f"{evidence.return_label}: {evidence.theme_name}, {answer_label(evidence.answer_kind).lower()}"
    return evidence.return_label


def ordered_evidence(evidence: Iterable[Evidence]) -> list[Evidence]:
    """Returns first, then narrative answers, then figures; each kind in the order it was cited."""
    return sorted(evidence, key=lambda item: (KIND_ORDER.get(EvidenceKind(item.kind), 9), item.pk))


@dataclass(frozen=True)
class FrozenFinding:
    number: int
    text: str
    evidence: tuple[EvidenceItem, ...]


@dataclass(frozen=True)
class FrozenHeading:
    text: str
    findings: tuple[FrozenFinding, ...]


@dataclass(frozen=True)
class FrozenRecommendation:
    number: int
    text: str
    governance_group: str
    findings: tuple[int, ...]


@dataclass(frozen=True)
class FrozenGrade:
    case: str
    agency: str
    theme: str
    agency_grade: str
    grade: str
    reason: str
    by: str


@dataclass(frozen=True)
class FindingsSnapshot:
    """A signed-off version of an audit's findings, as typed values."""

    number: int
    signed_off_at: datetime.datetime
    signed_off_by: str
    headings: tuple[FrozenHeading, ...]
    recommendations: tuple[FrozenRecommendation, ...]
    grades: tuple[FrozenGrade, ...]

    @property
    def findings(self) -> list[FrozenFinding]:
        return [finding for heading in self.headings for finding in heading.findings]


def numbered_findings(headings: Sequence[BriefingHeading], findings: Iterable[Finding]) -> dict[int, int]:
    """The number of each finding (by id) through the briefing: heading by heading, in order, from 1."""
    order = {heading.pk: index for index, heading in enumerate(headings)}
    ranked = sorted(findings, key=lambda finding: (order.get(finding.heading_id, len(order)), finding.position))
    return {finding.pk: number for number, finding in enumerate(ranked, start=1)}


def _person(user: Any) -> str:
    return (user.get_full_name() or user.email) if user is not None else ""


def content_of(
    headings: Sequence[BriefingHeading],
    findings: Sequence[Finding],
    recommendations: Sequence[Recommendation],
    grades: Sequence[ModeratedGrade],
) -> dict[str, Any]:
    """The snapshot of the moderation as it stands (findings with `evidence` and recommendations with `findings`
    prefetched, grades with their return's case and agency)."""
    numbers = numbered_findings(headings, findings)
    by_heading: dict[int, list[Finding]] = {}
    for finding in sorted(findings, key=lambda finding: numbers[finding.pk]):
        by_heading.setdefault(finding.heading_id, []).append(finding)
    return {
        "headings": [
            {
                "text": heading.text,
                "findings": [
                    {
                        "number": numbers[finding.pk],
                        "text": finding.text,
                        "evidence": [
                            {"kind": item.kind, "title": evidence_title(item), "text": item.text}
                            for item in ordered_evidence(finding.evidence.all())
                        ],
                    }
                    for finding in by_heading.get(heading.pk, [])
                ],
            }
            for heading in headings
        ],
        "recommendations": [
            {
                "number": number,
                "text": recommendation.text,
                "governance_group": recommendation.governance_group.name,
                "findings": sorted(numbers[finding.pk] for finding in recommendation.findings.all()),
            }
            for number, recommendation in enumerate(recommendations, start=1)
        ],
        "grades": [
            {
                "case": grade.agency_return.case.reference,
                "agency": grade.agency_return.agency.name,
                "theme": grade.theme_name,
                "agency_grade": grade.agency_grade,
                "grade": grade.grade,
                "reason": grade.reason,
                "by": _person(grade.moderated_by),
            }
            for grade in grades
        ],
    }


def snapshot_of(version: FindingsVersion) -> FindingsSnapshot:
    """A signed-off version as typed values."""
    data = version.data
    return FindingsSnapshot(
        number=version.number,
        signed_off_at=version.signed_off_at,
        signed_off_by=version.signed_off_by_name,
        headings=tuple(
            FrozenHeading(
                heading["text"],
                tuple(
                    FrozenFinding(
                        finding["number"],
                        finding["text"],
                        tuple(EvidenceItem(item["kind"], item["title"], item["text"]) for item in finding["evidence"]),
                    )
                    for finding in heading["findings"]
                ),
            )
            for heading in data.get("headings", [])
        ),
        recommendations=tuple(
            FrozenRecommendation(item["number"], item["text"], item["governance_group"], tuple(item["findings"]))
            for item in data.get("recommendations", [])
        ),
        grades=tuple(FrozenGrade(**item) for item in data.get("grades", [])),
    )
