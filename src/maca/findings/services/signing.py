"""Signing the findings off (frozen as a version and locked) and starting a new version."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from maca.accounts.models import User
from maca.audits.models import Audit
from maca.common.closure import refuse_if_closed
from maca.common.scoping import require_perm
from maca.common.versioning import ChangedSinceLoaded
from maca.partnerships.models import AccessAction

from ..models import (
    Finding,
    FindingsVersion,
    Moderation,
    ModerationStatus,
    Recommendation,
)
from ..selectors import grades_of, headings_of
from ..snapshot import content_of
from .base import log, moderation_for


def current_content(audit: Audit) -> dict[str, Any]:
    """The moderation as it stands, in the shape of a signed-off version's snapshot."""
    findings = list(Finding.objects.filter(audit=audit).prefetch_related("evidence"))
    recommendations = list(
        Recommendation.objects.filter(audit=audit)
        .select_related("governance_group")
        .prefetch_related("findings")
        .order_by("position", "pk")
    )
    return content_of(headings_of(audit), findings, recommendations, list(grades_of(audit)))


@transaction.atomic
def findings_sign_off(*, actor: User, audit: Audit, loaded_revision: int) -> FindingsVersion:
    """The audit lead signs the findings off: frozen as version N with their evidence, the recommendations and the
    moderated grades, and locked until they start a new version.

    `loaded_revision` is the moderation's revision the sign-off page showed: anything changed since is refused.
    """
    require_perm(actor, "findings.sign_off", audit)
    moderation_for(audit)
    moderation = Moderation.objects.select_for_update().get(audit=audit)
    if moderation.is_signed_off:
        raise ValidationError(f"Version {moderation.number} of the findings is signed off already.")
    if moderation.revision != loaded_revision:
        raise ChangedSinceLoaded(moderation)
    if not Finding.objects.filter(audit=audit).exists():
        raise ValidationError("There is no finding to sign off yet.")
    version = FindingsVersion.objects.create(
        audit=audit,
        number=moderation.number,
        content=current_content(audit),
        signed_off_by=actor,
        signed_off_by_name=actor.get_full_name() or actor.email,
    )
    moderation.status = ModerationStatus.SIGNED_OFF
    moderation.version += 1
    moderation.save(update_fields=["status", "version"])
    log(
        actor,
        audit,
        AccessAction.CHANGED,
        moderation,
        {"status": ["open", "signed_off"], "version": [None, version.number]},
    )
    return version


@transaction.atomic
def findings_start_new_version(*, actor: User, audit: Audit) -> Moderation:
    """The audit lead opens signed-off findings for changes as the draft of their next version; the signed-off one
    stays."""
    require_perm(actor, "findings.sign_off", audit)
    refuse_if_closed(audit)
    moderation_for(audit)
    moderation = Moderation.objects.select_for_update().get(audit=audit)
    if not moderation.is_signed_off:
        raise ValidationError("The findings are not signed off: they can be changed as they are.")
    moderation.status = ModerationStatus.OPEN
    moderation.number += 1
    moderation.version += 1
    moderation.revision += 1
    moderation.save(update_fields=["status", "number", "version", "revision"])
    log(
        actor,
        audit,
        AccessAction.CHANGED,
        moderation,
        {"status": ["signed_off", "open"], "version": [None, moderation.number]},
    )
    return moderation
