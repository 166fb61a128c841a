"""Whether an audit is closed, for the apps that hold its case-level data.

Closing belongs to `maca.retention`, last in the lifecycle; the apps before it (cases, returns, the
self-assessment) must not import it, yet their services should refuse to change a closed audit's case-level data.
The retention app registers its answer here when it starts, and those services ask `refuse_if_closed(audit)`::

    from maca.common.closure import refuse_if_closed

    def return_save(*, actor, agency_return, ...):
        refuse_if_closed(agency_return.audit)
"""

from collections.abc import Callable
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
