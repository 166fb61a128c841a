"""Recommendations to the audit's governance groups, each with the findings that support it."""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from maca.accounts.models import User
from maca.audits.models import Audit
from maca.common.scoping import require_perm
from maca.common.versioning import claim_version
from maca.partnerships.models import AccessAction, GovernanceGroup

from ..models import (
    Finding,
    Recommendation,
)
from .base import RECOMMENDATION_LENGTH, check_text, clean_text, close_gap, log, open_for_change, place


def _check_recommendation(audit: Audit, wording: str, group: GovernanceGroup, findings: Sequence[Finding]) -> None:
    errors: dict[str, list[str]] = {}
    check_text(wording, RECOMMENDATION_LENGTH, "text", "the recommendation", errors)
    if not audit.governance_groups.filter(pk=group.pk).exists():
        errors["governance_group"] = [
            f"{audit.short_title or audit.title} does not report to {group}: choose one of the groups its Terms of "
            "Reference names"
        ]
    if not findings:
        errors["findings"] = ["Choose the findings that support the recommendation"]
    foreign = [finding for finding in findings if finding.audit_id != audit.pk]
    if foreign:
        errors["findings"] = [f"“{finding}” is a finding of another audit" for finding in foreign]
    if errors:
        raise ValidationError(errors)


def _finding_texts(findings: Sequence[Finding]) -> list[str]:
    return [str(finding) for finding in findings]


@transaction.atomic
def recommendation_add(
    *,
    actor: User,
    audit: Audit,
    text: str,
    governance_group: GovernanceGroup,
    findings: Sequence[Finding],
    position: int | None = None,
) -> Recommendation:
    """Add a recommendation to one of the audit's governance groups, with the findings that support it, for one who
    moderates the audit."""
    require_perm(actor, "findings.moderate", audit)
    open_for_change(audit)
    wording = clean_text(text)
    _check_recommendation(audit, wording, governance_group, findings)
    recommendation = Recommendation(
        audit=audit, position=0, text=wording, governance_group=governance_group, created_by=actor
    )
    place(recommendation, Recommendation.objects.filter(audit_id=recommendation.audit_id), position)
    recommendation.save()
    recommendation.findings.set(findings)
    log(
        actor,
        audit,
        AccessAction.CREATED,
        recommendation,
        {
            "recommendation": [None, wording],
            "governance group": [None, governance_group.name],
            "findings": [None, _finding_texts(findings)],
        },
    )
    return recommendation


@transaction.atomic
def recommendation_update(
    *,
    actor: User,
    recommendation: Recommendation,
    loaded_version: int,
    text: str,
    governance_group: GovernanceGroup,
    findings: Sequence[Finding],
    position: int | None = None,
) -> Recommendation:
    """Reword a recommendation, address it to another of the audit's groups, change its findings or move it, for one
    who moderates the audit."""
    require_perm(actor, "findings.moderate", recommendation)
    audit = recommendation.audit
    open_for_change(audit)
    claim_version(recommendation, loaded_version)
    wording = clean_text(text)
    _check_recommendation(audit, wording, governance_group, findings)
    before = {
        "recommendation": recommendation.text,
        "governance group": recommendation.governance_group.name,
        "findings": _finding_texts(list(recommendation.findings.order_by("pk"))),
        "position": recommendation.position,
    }
    recommendation.text, recommendation.governance_group = wording, governance_group
    if position is not None:
        place(recommendation, Recommendation.objects.filter(audit_id=recommendation.audit_id), position)
    recommendation.save()
    recommendation.findings.set(findings)
    after = {
        "recommendation": wording,
        "governance group": governance_group.name,
        "findings": _finding_texts(sorted(findings, key=lambda finding: finding.pk)),
        "position": recommendation.position,
    }
    changes = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
    if changes:
        log(actor, audit, AccessAction.CHANGED, recommendation, changes)
    return recommendation


@transaction.atomic
def recommendation_remove(*, actor: User, recommendation: Recommendation, loaded_version: int) -> None:
    """Remove a recommendation (its findings stay), for one who moderates the audit."""
    require_perm(actor, "findings.moderate", recommendation)
    audit = recommendation.audit
    open_for_change(audit)
    claim_version(recommendation, loaded_version)
    log(actor, audit, AccessAction.REMOVED, recommendation, {"recommendation": [recommendation.text, None]})
    recommendation.delete()
    close_gap(Recommendation.objects.filter(audit=audit))
