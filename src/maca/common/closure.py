"""Whether an audit is closed, for the apps that hold its case-level data.

Closing belongs to `maca.retention`, last in the lifecycle; the apps before it (cases, returns, the
self-assessment) must not import it, yet their services should refuse to change a closed audit's case-level data.
The retention app registers its answer here when it starts, and those services ask `refuse_if_closed(audit)`::

    from maca.common.closure import refuse_if_closed

    def return_save(*, actor, agency_return, ...):
        refuse_if_closed(agency_return.audit)
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError

ClosedCheck = Callable[[Any], bool]

_checks: list[ClosedCheck] = []

CLOSED_MESSAGE = "This audit is closed: its case-level data can no longer be changed."


def register_closed_check(check: ClosedCheck) -> None:
    """Add a function answering whether an audit is closed (registering the same function again changes nothing)."""
    if check not in _checks:
        _checks.append(check)


def is_closed(audit: Any) -> bool:
    """Whether any registered check says the audit is closed; False while none is registered."""
    return any(check(audit) for check in _checks)


def refuse_if_closed(audit: Any) -> None:
    """Raise ValidationError (saying the audit is closed) if it is."""
    if is_closed(audit):
        raise ValidationError(CLOSED_MESSAGE)


@dataclass(frozen=True)
class Destroyed:
    """An audit whose case-level data the retention schedule has destroyed: when, and the figures frozen at closure
    (each a dict with "label" and "text"), which are all that is left of what its analysis computed."""

    on: date
    figures: list[dict[str, str]] = field(default_factory=list)


DestroyedCheck = Callable[[Any], Destroyed | None]
_destroyed_checks: list[DestroyedCheck] = []


def register_destroyed_check(check: DestroyedCheck) -> None:
    """Add a function answering whether (and when) an audit's case-level data was destroyed."""
    if check not in _destroyed_checks:
        _destroyed_checks.append(check)


def destroyed(audit: Any) -> Destroyed | None:
    """When the audit's case-level data was destroyed, with its frozen figures; None while it is kept.

    The analysis and the outputs are computed from that data: for a destroyed audit they show the frozen figures
    instead of figures computed from nothing, and no new briefing is built (the published ones stay)."""
    for check in _destroyed_checks:
        found = check(audit)
        if found is not None:
            return found
    return None
