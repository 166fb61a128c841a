"""The house's edit pattern for moderation's forms: GET shows the form; a POST is saved and goes on (302), or shows
the errors (400), or the current record after someone else's change (409). Removal is confirmed on a page of its
own, which goes back to the record after someone else's change."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render

from maca.common.versioning import CHANGED_SINCE_LOADED_MESSAGE, ChangedSinceLoaded

from ..forms import ConfirmForm
from .common import add_service_errors

MakeForm = Callable[[QueryDict | None], forms.Form]


def edit_page(
    request: HttpRequest,
    *,
    make: MakeForm,
    save: Callable[[forms.Form], object],
    what: str,
    success: str | Callable[[object], str],
    next_url: str | Callable[[object], str],
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """One form page: `make(data)` builds the form (from the record as it is now when `data` is None), `save(form)`
    calls the service with the valid form's data; `what` names the record in the stale-page message."""
    form, status = make(None), 200
    if request.method == "POST":
        form, status = make(request.POST), 400
        if form.is_valid():
            try:
                saved = save(form)
            except ChangedSinceLoaded:
                messages.error(request, CHANGED_SINCE_LOADED_MESSAGE.format(what=what))
                form, status = make(None), 409
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, success(saved) if callable(success) else success)
                return redirect(next_url(saved) if callable(next_url) else next_url)
    return render(request, template, {**context, "form": form}, status=status)


def remove_page(
    request: HttpRequest,
    *,
    version: int,
    remove: Callable[[int], object],
    what: str,
    success: str,
    next_url: str,
    stale_url: str,
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """A removal's confirmation page: `version` is the record's as shown, `remove(loaded_version)` calls the service.
    After someone else's change the page goes back to the record (`stale_url`), saying why; `what` names the record."""
    form = ConfirmForm(request.POST or None, initial={"version": version})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                remove(form.cleaned_data["version"])
            except ChangedSinceLoaded:
                messages.error(request, CHANGED_SINCE_LOADED_MESSAGE.format(what=what))
                return redirect(stale_url)
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, success)
                return redirect(next_url)
    return render(request, template, {**context, "form": form}, status=status)
