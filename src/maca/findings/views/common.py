"""What every moderation page needs: the audit and its moderation for this user, the breadcrumbs, and the lock.

Scoping, in the house's terms: 404 outside the user's reach (an audit they cannot see, or whose Terms of Reference
has never been approved, so that it has no moderation; a finding, recommendation, return or version that is not
the audit's), 403 where they may see the audit but have no part in its moderation, or lack the page's permission.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from maca.audits.models import Audit
from maca.audits.views.common import acting_user, audit_crumbs, get_audit
from maca.returns.models import AgencyReturn

from ..models import Moderation
from ..rules import has_approved_terms
from ..selectors import submitted_returns_visible_to
from ..services import LOCKED, moderation_for

TITLE = "Moderation"


def moderation_audit(request: HttpRequest, reference: str, perm: str = "findings.moderate") -> tuple[Audit, Moderation]:
    """The audit and its moderation, if the user holds `perm` on the audit: 404 / 403 otherwise."""
    audit = get_audit(request, reference)
    if not has_approved_terms(audit):
        raise Http404
    if not acting_user(request).has_perm(perm, audit):
        raise PermissionDenied
    return audit, moderation_for(audit)


def submitted_return(request: HttpRequest, audit: Audit, case: str, code: str) -> AgencyReturn:
    """The audit's submitted return for `case` from the agency `code`, if the user may read it: 404 otherwise."""
    found = next(
        (
            r
            for r in submitted_returns_visible_to(acting_user(request), audit)
            if r.case.reference == case and r.agency.short_code == code
        ),
        None,
    )
    if found is None:
        raise Http404
    return found


def overview_url(audit: Audit) -> str:
    return reverse("findings:overview", args=[audit.reference])


def crumbs(audit: Audit, *trail: tuple[str, str]) -> list[dict[str, str]]:
    """Home › partnership › Audits › the audit › Moderation › trail (the last without a link)."""
    if not trail:
        return audit_crumbs(audit, (TITLE, ""))
    return audit_crumbs(audit, (TITLE, overview_url(audit)), *trail)


def refuse_if_signed_off(request: HttpRequest, audit: Audit, moderation: Moderation) -> HttpResponse | None:
    """Signed-off findings are not changed: back to the moderation page, saying why."""
    if not moderation.is_signed_off:
        return None
    messages.error(request, LOCKED)
    return redirect(overview_url(audit))


def add_service_errors(form: Form, error: ValidationError) -> None:
    """Put a service's refusal on the form: by field where the field is on it, else above the fields."""
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


def page_context(audit: Audit, title: str, *trail: tuple[str, str], **extra: Any) -> dict[str, Any]:
    return {"title": title, "audit": audit, "breadcrumbs": crumbs(audit, *trail, (title, "")), **extra}
