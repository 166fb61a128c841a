"""What every write to moderation needs: the limits on text, the log, the audit's moderation (made when first
needed) and its lock, and the checks on a return and a theme."""

from collections.abc import Sequence
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from maca.accounts.models import User
from maca.audits.models import Audit, Theme
from maca.partnerships.models import AccessAction
from maca.partnerships.services import access_log_record
from maca.returns.models import SUBMITTED, AgencyReturn

from ..models import (
    DEFAULT_HEADINGS,
    BriefingHeading,
    Finding,
    Moderation,
    Recommendation,
)
from ..selectors import headings_of
from ..snapshot import return_label

HEADING_LENGTH = 200
FINDING_LENGTH = 5000
REASON_LENGTH = 2000
RECOMMENDATION_LENGTH = 3000
POSITION_OFFSET = 100_000  # Headings move out of the way before taking their new positions (positions are unique).

LOCKED = (
    "The findings are signed off, so they cannot be changed. The audit lead can start a new version to change them; "
    "the signed-off version stays as it is."
)


def clean_text(value: str) -> str:
    """Text as stored: Unix line ends, no spaces at the ends of lines, none at either end."""
    lines = [line.rstrip() for line in value.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(lines).strip()


def check_text(value: str, limit: int, field: str, what: str, errors: dict[str, list[str]]) -> None:
    if not value:
        errors.setdefault(field, []).append(f"Enter {what}")
    elif len(value) > limit:
        errors.setdefault(field, []).append(f"{what[0].upper()}{what[1:]} must be {limit:,} characters or fewer")
    elif "\x00" in value:
        errors.setdefault(field, []).append(f"{what[0].upper()}{what[1:]} must not contain null characters")


Positioned = TypeVar("Positioned", Finding, Recommendation)


def place(item: Positioned, siblings: models.QuerySet[Positioned], position: int | None) -> None:
    """Put `item` at `position` among `siblings` (last when None), and number them all from 1: the item's own
    position is set, to be saved by the caller; the others' are updated where they change."""
    others = list(siblings.exclude(pk=item.pk).order_by("position", "pk"))
    index = len(others) if position is None else max(0, min(position - 1, len(others)))
    others.insert(index, item)
    for number, other in enumerate(others, start=1):
        if other is item:
            item.position = number
        elif other.position != number:
            type(item).objects.filter(pk=other.pk).update(position=number)


def close_gap(siblings: models.QuerySet[Positioned]) -> None:
    """Number `siblings` from 1 again, in their order, after one of them has gone."""
    for number, pk in enumerate(siblings.order_by("position", "pk").values_list("pk", flat=True), start=1):
        siblings.model.objects.filter(pk=pk).exclude(position=number).update(position=number)


def either(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} or {items[-1]}"


def log(
    actor: User, audit: Audit, action: AccessAction, obj: models.Model, changes: dict[str, Any] | None = None
) -> None:
    access_log_record(actor=actor, partnership=audit.partnership, action=action, obj=obj, changes=changes)


def record_view(*, actor: User, audit: Audit, obj: models.Model, what: str) -> None:
    """Record that the user viewed something of the moderation (`what` says what, e.g. "moderation")."""
    log(actor, audit, AccessAction.VIEWED, obj, {"viewed": [None, what]})


# --- The moderation of an audit and its headings -------------------------------------------------------------------


def starting_headings(audit: Audit) -> list[str]:
    """The headings a new moderation starts with: those of the partnership's latest other audit that has headings,
    else the learning briefing's five."""
    source = (
        Audit.objects.filter(partnership_id=audit.partnership_id, briefing_headings__isnull=False)
        .exclude(pk=audit.pk)
        .order_by("-created_at", "-pk")
        .first()
    )
    if source is None:
        return list(DEFAULT_HEADINGS)
    return [heading.text for heading in headings_of(source)]


def moderation_for(audit: Audit) -> Moderation:
    """The audit's moderation, made with its starting headings the first time it is needed (not logged: nothing
    anyone wrote)."""
    existing = Moderation.objects.filter(audit=audit).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            moderation = Moderation.objects.create(audit=audit)
            BriefingHeading.objects.bulk_create(
                BriefingHeading(audit=audit, position=position, text=heading)
                for position, heading in enumerate(starting_headings(audit), start=1)
            )
    except IntegrityError:  # Someone else's first page made it at the same moment.
        return Moderation.objects.get(audit=audit)
    return moderation


def open_for_change(audit: Audit) -> Moderation:
    """Lock the audit's moderation for a change: refused once signed off; every change raises its revision."""
    moderation_for(audit)
    moderation = Moderation.objects.select_for_update().get(audit=audit)
    if moderation.is_signed_off:
        raise ValidationError(LOCKED)
    moderation.revision += 1
    moderation.save(update_fields=["revision"])
    return moderation


def check_return(audit: Audit, agency_return: AgencyReturn) -> None:
    if agency_return.audit_id != audit.pk:
        raise ValidationError(f"{return_label(agency_return)} is a return of another audit.")
    if agency_return.status not in SUBMITTED:
        raise ValidationError(
            f"{return_label(agency_return)} is {agency_return.get_status_display().lower()}: only submitted returns "
            "are moderated and cited."
        )


def theme_of(audit: Audit, theme_id: int) -> Theme:
    theme = Theme.objects.filter(audit=audit, pk=theme_id).first()
    if theme is None:
        raise ValidationError(f"Theme {theme_id} is not a theme of {audit}.")
    return theme
