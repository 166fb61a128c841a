"""Error pages that need a view of their own."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


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
) -> HttpResponse:
    """A page with one form. Invalid input answers 400; an edit refused as stale answers 409 (Conflict)."""
    context = {"form": form, "title": title, "caption": caption, "breadcrumbs": crumbs, "submit_text": submit_text}
    status = 409 if stale else 400 if form.is_bound else 200
    return render(request, "common/form_page.html", context, status=status)
