"""`{% audit_retention audit %}`: the audit's closure and legal hold, for the audit's page, which cannot know of
this app (it comes earlier in the lifecycle) but includes its state by this tag."""

from typing import Any

from django import template

from maca.audits.models import Audit

from ..selectors import retention_state

register = template.Library()


@register.inclusion_tag("retention/_state.html", takes_context=True)
def audit_retention(context: dict[str, Any], audit: Audit) -> dict[str, Any]:
    user = context["request"].user
    return {
        "audit": audit,
        "state": retention_state(audit),
        "can_close": user.has_perm("retention.close_audit", audit),
        "can_hold": user.has_perm("retention.hold_audit", audit),
    }
