"""What belongs to no app: the error pages that need a view of their own, the helper for a page with one form, and
the accessibility statement."""

from datetime import date
from typing import Any, Final

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from maca.common.closure import destroyed

# When the accessibility statement was prepared and last reviewed: change them (here only) when its text changes.
ACCESSIBILITY_STATEMENT_PREPARED: Final = date(2026, 11, 21)
ACCESSIBILITY_STATEMENT_REVIEWED: Final = date(2026, 11, 21)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent from an expired page (or without cookies): explained in plain words, nothing saved."""
    return render(request, "403_csrf.html", status=403)


def form_page(
    request: HttpRequest,
    form: Any,
    *,
    title: str,
    caption: str,
    crumbs: list[dict[str, str]],
    stale: bool = False,
    submit_text: str = "Save",
    working_text: str = "",
) -> HttpResponse:
    """A page with one form. Invalid input answers 400; an edit refused as stale answers 409 (Conflict).

    `working_text` is for a form whose work takes a while (an upload, an import): the page says it while it works."""
    context = {
        "form": form,
        "title": title,
        "caption": caption,
        "breadcrumbs": crumbs,
        "submit_text": submit_text,
        "working_text": working_text,
    }
    status = 409 if stale else 400 if form.is_bound else 200
    return render(request, "common/form_page.html", context, status=status)


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement: anyone may read it, without logging in. Who runs the service and whom to write to
    are settings, since each partnership runs its own copy."""
    context = {
        "operator_name": settings.MACA_OPERATOR_NAME,
        "contact": settings.MACA_ACCESSIBILITY_CONTACT,
        "reply_days": settings.MACA_ACCESSIBILITY_REPLY_DAYS,
        "prepared": ACCESSIBILITY_STATEMENT_PREPARED,
        "reviewed": ACCESSIBILITY_STATEMENT_REVIEWED,
    }
    return render(request, "common/accessibility.html", context)


def destroyed_page(
    request: HttpRequest, audit: Any, *, title: str, crumbs: list[dict[str, str]], status: int = 200
) -> HttpResponse | None:
    """For an audit whose case-level data was destroyed: a page saying so, with the figures frozen at closure, in place
    of what would be computed from nothing (the analysis, a live output); None while the data is kept. A download
    gets the page with `status` 410 (Gone)."""
    gone = destroyed(audit)
    if gone is None:
        return None
    context = {"title": title, "audit": audit, "destroyed": gone, "breadcrumbs": crumbs}
    return render(request, "common/destroyed.html", context, status=status)
