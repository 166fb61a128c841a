"""Reads of moderation, each starting from what the user may see (see `maca.findings.rules` for who is who).

- The panel (panel members once moderation is open), the partnership's coordinators and the audit's lead see the
  whole moderation of an audit whose Terms of Reference is approved: every submitted return, the grades, findings,
  evidence, recommendations and signed-off versions.
- Governance readers of a group the audit reports to see the signed-off versions (`findings_versions_visible_to`),
  and the pages show them the findings and recommendations only.
- Nobody else sees anything of moderation.

`moderated_grades(audit)` is what the analysis calls to show the panel's grades beside the agencies': it takes the
audit, not a user, and callers show it to those who may read the returns.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse

from maca.accounts.models import User
from maca.analysis.figures import Figure
from maca.audits.models import Audit, TermsOfReferenceVersion, Theme
from maca.audits.selectors import audits_visible_to
from maca.partnerships.models import Membership, Role
from maca.returns.models import SUBMITTED, AgencyReturn
from maca.returns.selectors import returns_visible_to

from .models import BriefingHeading, Evidence, EvidenceKind, Finding, FindingsVersion, ModeratedGrade, Recommendation
from .snapshot import EvidenceItem, evidence_title, numbered_findings, ordered_evidence

AnyUser = User | AnonymousUser


def moderated_audits(user: AnyUser) -> QuerySet[Audit]:
    """The audits whose moderation the user takes part in: as a coordinator of the partnership or the audit's lead
    (once the Terms of Reference is approved), or as a panel member of the partnership once moderation is open."""
    if not user.is_authenticated or not user.is_active:
        return Audit.objects.none()
    coordinates = Membership.objects.filter(user=user, role=Role.COORDINATOR).values("partnership_id")
    on_panel = Membership.objects.filter(user=user, role=Role.PANEL_MEMBER).values("partnership_id")
    approved = Exists(TermsOfReferenceVersion.objects.filter(audit=OuterRef("pk")))
    return audits_visible_to(user).filter(
        approved,
        Q(partnership__in=coordinates) | Q(lead=user) | Q(partnership__in=on_panel, moderation_opened_at__isnull=False),
    )


def findings_visible_to(user: AnyUser) -> QuerySet[Finding]:
    """The findings of the audits the user moderates, drafts included."""
    return Finding.objects.filter(audit__in=moderated_audits(user)).select_related("audit__partnership", "heading")


def recommendations_visible_to(user: AnyUser) -> QuerySet[Recommendation]:
    """The recommendations of the audits the user moderates, drafts included."""
    return Recommendation.objects.filter(audit__in=moderated_audits(user)).select_related(
        "audit__partnership", "governance_group"
    )


def findings_versions_visible_to(user: AnyUser) -> QuerySet[FindingsVersion]:
    """The signed-off versions the user may read: those of the audits they moderate, and, for governance readers,
    those of the audits that report to their group."""
    if not user.is_authenticated or not user.is_active:
        return FindingsVersion.objects.none()
    groups = Membership.objects.filter(user=user, role=Role.GOVERNANCE_READER, governance_group__isnull=False).values(
        "governance_group_id"
    )
    reported_to = audits_visible_to(user).filter(governance_groups__in=groups).values("pk")
    return (
        FindingsVersion.objects.filter(Q(audit__in=moderated_audits(user)) | Q(audit__in=reported_to))
        .distinct()
        .select_related("audit__partnership", "signed_off_by")
    )


def moderated_grades(audit: Audit) -> dict[tuple[int, int], str]:
    """The panel's grades of the audit: {(return id, theme id): grade}, for each theme of each return where the panel
    graded differently from the agency. Theme ids are `Theme.pk` as integers (a return's `judgements` key them as
    text). A pair that is missing means the panel kept the agency's grade. One query."""
    return {
        (return_id, theme_id): grade
        for return_id, theme_id, grade in ModeratedGrade.objects.filter(audit=audit).values_list(
            "agency_return_id", "theme_id", "grade"
        )
    }


def grades_of(audit: Audit) -> QuerySet[ModeratedGrade]:
    """The moderated grades of the audit with their returns' cases and agencies, by case, agency and theme."""
    return (
        ModeratedGrade.objects.filter(audit=audit)
        .select_related("agency_return__case", "agency_return__agency", "moderated_by")
        .order_by("agency_return__case__reference", "agency_return__agency__name", "theme_id")
    )


def submitted_returns_visible_to(user: AnyUser, audit: Audit) -> list[AgencyReturn]:
    """The submitted (or accepted) returns of the audit that the user reads, by case and agency."""
    return list(
        returns_visible_to(user).filter(audit=audit, status__in=SUBMITTED).order_by("case__reference", "agency__name")
    )


def headings_of(audit: Audit) -> list[BriefingHeading]:
    return list(BriefingHeading.objects.filter(audit=audit).order_by("position"))


# --- The moderation as it stands, for its pages ------------------------------------------------------------------


@dataclass
class FindingRow:
    """A finding with its number through the briefing, its evidence in words, and the recommendations it supports."""

    finding: Finding
    number: int
    evidence: list[EvidenceItem]
    supports: list[int] = field(default_factory=list)


@dataclass
class HeadingRow:
    heading: BriefingHeading
    findings: list[FindingRow]


@dataclass
class RecommendationRow:
    recommendation: Recommendation
    number: int
    findings: list[int]


@dataclass
class Board:
    """The findings under their headings and the recommendations, numbered as the briefing numbers them."""

    headings: list[HeadingRow]
    recommendations: list[RecommendationRow]

    @property
    def findings(self) -> list[FindingRow]:
        return [row for heading in self.headings for row in heading.findings]

    @property
    def without_evidence(self) -> list[FindingRow]:
        return [row for row in self.findings if not row.evidence]


def _return_href(agency_return: AgencyReturn) -> str:
    return reverse(
        "returns:detail",
        args=[agency_return.audit.reference, agency_return.case.reference, agency_return.agency.short_code],
    )


def evidence_item(
    evidence: Evidence, figures: dict[str, Figure], readable: set[int], analysis_url: str = ""
) -> EvidenceItem:
    """A piece of live evidence in words, with a link to its return when the reader may read it (to the figure on
    the analysis page, given `analysis_url`), and what has changed since it was cited."""
    agency_return = evidence.agency_return
    href = _return_href(agency_return) if agency_return is not None and agency_return.pk in readable else ""
    note = ""
    if evidence.kind == EvidenceKind.FIGURE:
        figure = figures.get(evidence.figure_key)
        if figure is not None and analysis_url:
            href = f"{analysis_url}#{figure.anchor}"
        if figure is None:
            note = "No longer computed: this is the figure as it was cited."
        elif figure.text != evidence.text:
            note = f"Now {figure.text}: this is the figure as it was cited."
    elif agency_return is None:
        note = "The return no longer exists: this is what was cited."
    elif evidence.kind == EvidenceKind.ANSWER:
        now = str(agency_return.judgements.get(str(evidence.theme_id), {}).get(evidence.answer_kind) or "")
        if now != evidence.text:
            note = "The agency has changed this answer since it was cited: this is the answer as it was cited."
    return EvidenceItem(evidence.kind, evidence_title(evidence), evidence.text, href, note)


def board(audit: Audit, *, figures: Sequence[Figure], readable: set[int]) -> Board:
    """The audit's findings under its headings (each with its evidence) and its recommendations. `figures` are the
    audit's figures now; `readable` the ids of the returns the reader may open. Four queries."""
    headings = headings_of(audit)
    cited = Evidence.objects.select_related("agency_return__case", "agency_return__agency", "agency_return__audit")
    findings = list(Finding.objects.filter(audit=audit).prefetch_related(Prefetch("evidence", queryset=cited)))
    recommendations = list(
        Recommendation.objects.filter(audit=audit)
        .select_related("governance_group")
        .prefetch_related(Prefetch("findings", queryset=Finding.objects.only("pk")))
        .order_by("position", "pk")
    )
    numbers = numbered_findings(headings, findings)
    by_key = {figure.key: figure for figure in figures}
    analysis_url = reverse("analysis:overview", args=[audit.reference])
    rows: dict[int, FindingRow] = {
        finding.pk: FindingRow(
            finding,
            numbers[finding.pk],
            [evidence_item(item, by_key, readable, analysis_url) for item in ordered_evidence(finding.evidence.all())],
        )
        for finding in findings
    }
    recommendation_rows = []
    for number, recommendation in enumerate(recommendations, start=1):
        supported = sorted(numbers[finding.pk] for finding in recommendation.findings.all() if finding.pk in numbers)
        for finding in recommendation.findings.all():
            if finding.pk in rows:
                rows[finding.pk].supports.append(number)
        recommendation_rows.append(RecommendationRow(recommendation, number, supported))
    heading_rows = [
        HeadingRow(heading, sorted((r for r in rows.values() if r.finding.heading_id == heading.pk), key=_number))
        for heading in headings
    ]
    return Board(heading_rows, recommendation_rows)


def _number(row: FindingRow) -> int:
    return row.number


@dataclass
class GradeCell:
    """One theme of one return: the agency's grade and the panel's, if it differs."""

    theme: Theme
    agency_grade: str
    moderated: ModeratedGrade | None


@dataclass
class GradeRow:
    agency_return: AgencyReturn
    cells: list[GradeCell]


def grade_rows(audit: Audit, returns: Sequence[AgencyReturn]) -> list[GradeRow]:
    """Each submitted return with the agency's grade and the panel's for each theme of the audit."""
    themes = list(audit.themes.order_by("position"))
    grades = {(g.agency_return_id, g.theme_id): g for g in ModeratedGrade.objects.filter(audit=audit)}
    return [
        GradeRow(
            agency_return,
            [
                GradeCell(
                    theme,
                    str(agency_return.judgements.get(str(theme.pk), {}).get("grade") or ""),
                    grades.get((agency_return.pk, theme.pk)),
                )
                for theme in themes
            ],
        )
        for agency_return in returns
    ]
