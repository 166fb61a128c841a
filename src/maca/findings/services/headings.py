"""The briefing's headings: rename, reorder, add and remove them."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from maca.accounts.models import User
from maca.audits.models import Audit
from maca.common.scoping import require_perm
from maca.common.versioning import claim_version
from maca.partnerships.models import AccessAction

from ..models import (
    BriefingHeading,
    Moderation,
)
from ..selectors import headings_of
from .base import HEADING_LENGTH, POSITION_OFFSET, check_text, clean_text, log, open_for_change


@dataclass(frozen=True)
class HeadingData:
    """A heading as edited: its text, and its id when it is an existing heading."""

    text: str
    id: int | None = None


@transaction.atomic
def headings_update(*, actor: User, audit: Audit, loaded_version: int, headings: Sequence[HeadingData]) -> Moderation:
    """Replace the briefing's headings, in order: existing headings (by id) are renamed and moved with their
    findings, new ones added, those left out removed. A heading with findings under it cannot be removed. Only those
    who change the briefing's headings (its coordinators and the audit's lead) may."""
    require_perm(actor, "findings.change_headings", audit)
    moderation = open_for_change(audit)
    claim_version(moderation, loaded_version)
    errors: dict[str, list[str]] = {}
    if not headings:
        errors.setdefault("headings", []).append("Keep at least one heading")
    seen: set[str] = set()
    for position, heading in enumerate(headings, start=1):
        wording = clean_text(heading.text)
        check_text(wording, HEADING_LENGTH, "headings", f"heading {position}", errors)
        if wording.casefold() in seen:
            errors.setdefault("headings", []).append(f"Heading {position}: “{wording}” is given twice")
        seen.add(wording.casefold())
    existing = {heading.pk: heading for heading in headings_of(audit)}
    ids = [heading.id for heading in headings if heading.id is not None]
    if any(pk not in existing for pk in ids) or len(ids) != len(set(ids)):
        raise ValidationError("The headings have changed since this page was loaded: reload the page and try again.")
    for gone in (heading for pk, heading in existing.items() if pk not in ids):
        count = gone.findings.count()
        if count:
            errors.setdefault("headings", []).append(
                f"“{gone.text}” has {count} finding{'s' if count != 1 else ''} under it: move "
                f"{'them' if count != 1 else 'it'} under another heading, or remove {'them' if count != 1 else 'it'}, "
                "before removing the heading"
            )
    if errors:
        raise ValidationError(errors)
    before = [heading.text for heading in existing.values()]
    BriefingHeading.objects.filter(audit=audit).exclude(pk__in=ids).delete()
    BriefingHeading.objects.filter(audit=audit).update(position=F("position") + POSITION_OFFSET)
    for position, heading in enumerate(headings, start=1):
        if heading.id is None:
            BriefingHeading.objects.create(audit=audit, position=position, text=clean_text(heading.text))
        else:
            BriefingHeading.objects.filter(pk=heading.id).update(position=position, text=clean_text(heading.text))
    moderation.save(update_fields=["version"])
    after = [heading.text for heading in headings_of(audit)]
    if before != after:
        log(actor, audit, AccessAction.CHANGED, moderation, {"headings": [before, after]})
    return moderation
