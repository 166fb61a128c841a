"""Findings under the briefing's headings, and the evidence behind each: returns, narrative answers, figures."""

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from maca.accounts.models import User
from maca.analysis.figures import Figure, figures
from maca.audits.models import Audit
from maca.common.closure import refuse_if_closed
from maca.common.scoping import require_perm
from maca.common.versioning import claim_version
from maca.partnerships.models import AccessAction
from maca.returns.models import AgencyReturn

from ..models import (
    BriefingHeading,
    Evidence,
    EvidenceKind,
    Finding,
)
from ..snapshot import ANSWER_KINDS, answer_label, return_label
from .base import (
    FINDING_LENGTH,
    check_return,
    check_text,
    clean_text,
    close_gap,
    log,
    open_for_change,
    place,
    theme_of,
)


def _check_finding(audit: Audit, heading: BriefingHeading, wording: str) -> None:
    errors: dict[str, list[str]] = {}
    if heading.audit_id != audit.pk:
        errors["heading"] = [f"“{heading.text}” is a heading of another audit: choose one of this audit’s headings"]
    check_text(wording, FINDING_LENGTH, "text", "the finding", errors)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def finding_add(
    *, actor: User, audit: Audit, heading: BriefingHeading, text: str, position: int | None = None
) -> Finding:
    """Add a finding under one of the audit's headings (last, or at `position`), for one who moderates the audit."""
    require_perm(actor, "findings.moderate", audit)
    refuse_if_closed(audit)
    open_for_change(audit)
    wording = clean_text(text)
    _check_finding(audit, heading, wording)
    finding = Finding(audit=audit, heading=heading, position=0, text=wording, created_by=actor)
    place(finding, Finding.objects.filter(heading=heading), position)
    finding.save()
    log(actor, audit, AccessAction.CREATED, finding, {"heading": [None, heading.text], "finding": [None, wording]})
    return finding


def _claim(actor: User, finding: Finding, loaded_version: int) -> None:
    """Refuse one who does not moderate the finding's audit, signed-off findings, and a page loaded before a change."""
    require_perm(actor, "findings.moderate", finding)
    refuse_if_closed(finding.audit)
    open_for_change(finding.audit)
    claim_version(finding, loaded_version)


@transaction.atomic
def finding_update(
    *,
    actor: User,
    finding: Finding,
    loaded_version: int,
    heading: BriefingHeading,
    text: str,
    position: int | None = None,
) -> Finding:
    """Reword a finding, or move it: under another heading of the audit, or to `position` under its heading."""
    _claim(actor, finding, loaded_version)
    wording = clean_text(text)
    _check_finding(finding.audit, heading, wording)
    before = {"heading": finding.heading.text, "finding": finding.text, "position": finding.position}
    old_heading_id = finding.heading_id
    finding.heading, finding.text = heading, wording
    if heading.pk != old_heading_id or position is not None:
        place(finding, Finding.objects.filter(heading=heading), position)
    finding.save()
    if heading.pk != old_heading_id:
        close_gap(Finding.objects.filter(heading_id=old_heading_id))
    after = {"heading": heading.text, "finding": wording, "position": finding.position}
    changes = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
    if changes:
        log(actor, finding.audit, AccessAction.CHANGED, finding, changes)
    return finding


@transaction.atomic
def finding_remove(*, actor: User, finding: Finding, loaded_version: int) -> None:
    """Remove a finding with its evidence; the recommendations it supported no longer cite it."""
    _claim(actor, finding, loaded_version)
    heading_id = finding.heading_id
    log(actor, finding.audit, AccessAction.REMOVED, finding, {"finding": [finding.text, None]})
    finding.delete()
    close_gap(Finding.objects.filter(heading_id=heading_id))


def _replace_evidence(
    actor: User, finding: Finding, kind: EvidenceKind, wanted: dict[Any, Evidence], current: models.QuerySet[Evidence]
) -> None:
    """Make the finding's evidence of one kind (within `current`) exactly `wanted` (by identity key), and log it."""
    have = {_identity(item): item for item in current}
    gone = [item for key, item in have.items() if key not in wanted]
    added = [item for key, item in wanted.items() if key not in have]
    Evidence.objects.filter(pk__in=[item.pk for item in gone]).delete()
    Evidence.objects.bulk_create(added)
    finding.save(update_fields=["version"])
    changes: dict[str, Any] = {}
    if gone:
        changes["evidence removed"] = [[str(item) for item in gone], None]
    if added:
        changes["evidence added"] = [None, [str(item) for item in added]]
    if changes:
        log(actor, finding.audit, AccessAction.CHANGED, finding, {"kind": [None, kind.label], **changes})


def _identity(evidence: Evidence) -> Any:
    if evidence.kind == EvidenceKind.FIGURE:
        return evidence.figure_key
    if evidence.kind == EvidenceKind.ANSWER:
        return (evidence.theme_id, evidence.answer_kind)
    return evidence.agency_return_id


@transaction.atomic
def evidence_set_returns(
    *, actor: User, finding: Finding, loaded_version: int, returns: Sequence[AgencyReturn]
) -> Finding:
    """Cite exactly these returns (submitted returns of the finding's audit) as the finding's evidence."""
    _claim(actor, finding, loaded_version)
    for agency_return in returns:
        check_return(finding.audit, agency_return)
    wanted = {
        agency_return.pk: Evidence(
            finding=finding,
            kind=EvidenceKind.RETURN,
            agency_return=agency_return,
            return_label=return_label(agency_return),
            cited_by_user=actor,
        )
        for agency_return in returns
    }
    current = finding.evidence.filter(kind=EvidenceKind.RETURN, agency_return__isnull=False)
    _replace_evidence(actor, finding, EvidenceKind.RETURN, wanted, current)
    return finding


@transaction.atomic
def evidence_set_answers(
    *,
    actor: User,
    finding: Finding,
    loaded_version: int,
    agency_return: AgencyReturn,
    answers: Sequence[tuple[int, str]],
) -> Finding:
    """Cite exactly these narrative answers of one submitted return, each a (theme id, kind) pair such as
    (12, "worried"), as the finding's evidence; each answer's text is kept as it is now."""
    _claim(actor, finding, loaded_version)
    audit = finding.audit
    check_return(audit, agency_return)
    wanted: dict[Any, Evidence] = {}
    problems = []
    for theme_id, kind in answers:
        theme = theme_of(audit, theme_id)
        if kind not in ANSWER_KINDS:
            raise ValidationError(f"“{kind}” is not a narrative answer of a return.")
        answer = clean_text(str(agency_return.judgements.get(str(theme.pk), {}).get(kind) or ""))
        if not answer:
            problems.append(f"{theme.name}, {answer_label(kind).lower()}: the agency gave no answer to cite")
            continue
        wanted[(theme.pk, kind)] = Evidence(
            finding=finding,
            kind=EvidenceKind.ANSWER,
            agency_return=agency_return,
            return_label=return_label(agency_return),
            theme_id=theme.pk,
            theme_name=theme.name,
            answer_kind=kind,
            text=answer,
            cited_by_user=actor,
        )
    if problems:
        raise ValidationError({"answers": problems})
    current = finding.evidence.filter(kind=EvidenceKind.ANSWER, agency_return=agency_return)
    _replace_evidence(actor, finding, EvidenceKind.ANSWER, wanted, current)
    return finding


@transaction.atomic
def evidence_set_figures(
    *, actor: User, finding: Finding, loaded_version: int, keys: Sequence[str], computed: Sequence[Figure] | None = None
) -> Finding:
    """Cite exactly these figures (by key) as the finding's evidence, each with its label and text as they are now.

    A figure must be one the analysis computes for the audit (`computed`, by default `figures(audit)`), except one
    already cited, which is kept as it was cited even if it is no longer computed.
    """
    _claim(actor, finding, loaded_version)
    by_key = {figure.key: figure for figure in (figures(finding.audit) if computed is None else computed)}
    current = finding.evidence.filter(kind=EvidenceKind.FIGURE)
    cited = {item.figure_key: item for item in current}
    unknown = [key for key in keys if key not in by_key and key not in cited]
    if unknown:
        raise ValidationError({"figures": [f"The figure {key} is not computed for this audit" for key in unknown]})
    wanted: dict[Any, Evidence] = {}
    for key in keys:
        if key in cited:
            wanted[key] = cited[key]
            continue
        figure = by_key[key]
        wanted[key] = Evidence(
            finding=finding,
            kind=EvidenceKind.FIGURE,
            figure_key=key,
            label=figure.label,
            text=figure.text,
            cited_by_user=actor,
        )
    _replace_evidence(actor, finding, EvidenceKind.FIGURE, wanted, current)
    return finding
