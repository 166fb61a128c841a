"""The current partnership and the navigation a person's roles give them."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from maca.partnerships.models import Partnership, Role
from maca.partnerships.selectors import partnerships_visible_to, roles_of

# (url name, text, roles that see it; None = every member)
NAVIGATION: list[tuple[str, str, frozenset[str] | None]] = [
    ("partnerships:detail", "Overview", None),
    ("audits:list", "Audits", None),
    ("partnerships:agency_list", "Agencies", None),
    ("partnerships:governance_group_list", "Governance groups", None),
    ("partnerships:person_list", "People", frozenset({Role.COORDINATOR})),
    ("partnerships:access_log", "Access log", frozenset({Role.COORDINATOR})),
]

# The view names that belong under a navigation item (by prefix), by the item's url name.
SECTIONS = {
    "audits:list": ("audits:",),
    "partnerships:agency_list": ("partnerships:agency_",),
    "partnerships:governance_group_list": ("partnerships:governance_group_",),
    "partnerships:person_list": ("partnerships:person_", "partnerships:membership_"),
    "partnerships:access_log": ("partnerships:access_log",),
}


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {}
    partnership: Partnership | None = getattr(request, "current_partnership", None)
    if partnership is None:
        visible = list(partnerships_visible_to(user)[:2])
        partnership = visible[0] if len(visible) == 1 else None
    if partnership is None:
        return {}
    roles = roles_of(user, partnership)
    current = request.resolver_match.view_name if request.resolver_match else ""
    items = []
    for url_name, text, allowed in NAVIGATION:
        if allowed is not None and not roles & allowed:
            continue
        prefixes = SECTIONS.get(url_name, ())
        is_current = current == url_name or any(current.startswith(prefix) for prefix in prefixes)
        items.append({"href": reverse(url_name, args=[partnership.slug]), "text": text, "current": is_current})
    return {"current_partnership": partnership, "navigation": items}
