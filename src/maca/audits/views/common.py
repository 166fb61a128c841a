"""What every audit page needs: the audit for this user, its breadcrumbs, and the lock on approved audits."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from maca.accounts.models import User
from maca.audits.models import Audit
from maca.audits.selectors import audits_visible_to
from maca.common.scoping import get_for_user


def acting_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def get_audit(request: HttpRequest, reference: str, perm: str | None = None) -> Audit:
    """The audit for this user: 404 outside their reach, 403 without `perm` (e.g. "audits.change_audit")."""
    audit = get_for_user(request.user, audits_visible_to, perm=perm, reference=reference)
    request.current_partnership = audit.partnership  # type: ignore[attr-defined]
    return audit


def audit_crumbs(audit: Audit, *trail: tuple[str, str]) -> list[dict[str, str]]:
    """Home › partnership › Audits › this audit › trail (the last item is the current page, with no link)."""
    partnership = audit.partnership
    crumbs = [
        {"text": "Home", "href": reverse("home")},
        {"text": partnership.name, "href": reverse("partnerships:detail", args=[partnership.slug])},
        {"text": "Audits", "href": reverse("audits:list", args=[partnership.slug])},
        {"text": audit.title, "href": reverse("audits:detail", args=[audit.reference]) if trail else ""},
    ]
    crumbs += [{"text": text, "href": href} for text, href in trail]
    return crumbs


def refuse_if_locked(request: HttpRequest, audit: Audit) -> HttpResponse | None:
    """An audit whose Terms of Reference is in review or approved is not edited: back to its page, saying why."""
    if not audit.is_locked:
        return None
    if audit.status == "in_review":
        messages.error(request, "The Terms of Reference is in review. Ask the audit lead to return it for changes.")
    else:
        messages.error(request, "The Terms of Reference is approved. Start a new version to change it.")
    return redirect("audits:detail", audit.reference)
