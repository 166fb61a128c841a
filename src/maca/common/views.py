"""Error pages that need a view of their own."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent from an expired page (or without cookies): explained in plain words, nothing saved."""
    return render(request, "403_csrf.html", status=403)
