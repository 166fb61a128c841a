"""The panel's grade for a theme of a submitted return, where it differs from the agency's."""

from django.core.exceptions import ValidationError
from django.db import transaction

from maca.accounts.models import User
from maca.common.closure import refuse_if_closed
from maca.common.scoping import require_perm
from maca.common.versioning import ChangedSinceLoaded
from maca.partnerships.models import AccessAction
from maca.returns.models import AgencyReturn

from ..models import (
    ModeratedGrade,
)
from ..snapshot import return_label
from .base import REASON_LENGTH, check_return, check_text, clean_text, either, log, open_for_change, theme_of


def agency_grade(agency_return: AgencyReturn, theme_id: int) -> str:
    return str(agency_return.judgements.get(str(theme_id), {}).get("grade") or "")


@transaction.atomic
def grade_moderate(
    *, actor: User, agency_return: AgencyReturn, theme_id: int, grade: str, reason: str, loaded_version: int
) -> ModeratedGrade | None:
    """Record the panel's grade for one theme of a submitted return, with the reason, for one who moderates the
    return's audit; a grade equal to the agency's removes the panel's (the panel agrees with the agency), and None is
    returned.

    `loaded_version` is the version of the panel's grade the page showed, 0 when it showed none.
    """
    audit = agency_return.audit
    require_perm(actor, "findings.moderate", audit)
    refuse_if_closed(audit)
    open_for_change(audit)
    check_return(audit, agency_return)
    theme = theme_of(audit, theme_id)
    errors: dict[str, list[str]] = {}
    scale = [str(item) for item in audit.grading_scale]
    if grade not in scale:
        errors["grade"] = [f"Choose a grade on the audit’s scale: {either(scale)}"]
    given = agency_grade(agency_return, theme.pk)
    reason = clean_text(reason)
    if grade != given:
        check_text(reason, REASON_LENGTH, "reason", "the reason for the panel’s grade", errors)
    if errors:
        raise ValidationError(errors)
    existing = ModeratedGrade.objects.select_for_update().filter(agency_return=agency_return, theme_id=theme.pk).first()
    if (existing.version if existing else 0) != loaded_version:
        raise ChangedSinceLoaded(existing or agency_return)
    where = f"{return_label(agency_return)}, {theme.name}"
    if grade == given:
        if existing is not None:
            log(actor, audit, AccessAction.REMOVED, existing, {where: [existing.grade, None]})
            existing.delete()
        return None
    if existing is None:
        moderated = ModeratedGrade.objects.create(
            audit=audit,
            agency_return=agency_return,
            theme_id=theme.pk,
            theme_name=theme.name,
            agency_grade=given,
            grade=grade,
            reason=reason,
            moderated_by=actor,
        )
        log(actor, audit, AccessAction.CREATED, moderated, {where: [given, grade], "reason": [None, reason]})
        return moderated
    changes = {where: [existing.grade, grade]} if existing.grade != grade else {}
    if existing.reason != reason:
        changes["reason"] = [existing.reason, reason]
    existing.theme_name, existing.agency_grade, existing.grade, existing.reason = theme.name, given, grade, reason
    existing.moderated_by = actor
    existing.version += 1
    existing.save()
    if changes:
        log(actor, audit, AccessAction.CHANGED, existing, changes)
    return existing
