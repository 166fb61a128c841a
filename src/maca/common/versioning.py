"""Optimistic locking: a change made from a page that was loaded before someone else's change is refused.

Edit forms carry the version the page was loaded with; the service that saves the change calls `claim_version`
inside its transaction. Nothing is silently overwritten: the second editor is told and sees the current data.
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest

from maca.common.models import VersionedModel


class ChangedSinceLoaded(Exception):
    """The record was changed by someone else after the page was loaded."""

    def __init__(self, instance: VersionedModel) -> None:
        self.instance = instance
        super().__init__(f"{instance._meta.verbose_name} was changed since this page was loaded")


def claim_version(instance: VersionedModel, loaded_version: int) -> None:
    """Lock the row, refuse if its version is not the one the editor loaded, and raise it by one.

    Call inside `transaction.atomic()`, before saving the change.
    """
    current = type(instance)._default_manager.select_for_update().values_list("version", flat=True).get(pk=instance.pk)
    if current != loaded_version:
        raise ChangedSinceLoaded(instance)
    instance.version = current + 1


class VersionField(forms.IntegerField):
    """The hidden field that carries the version an edit page was loaded with."""

    widget = forms.HiddenInput

    def __init__(self) -> None:
        super().__init__(min_value=1, required=True)


CHANGED_SINCE_LOADED_MESSAGE = (
    "Someone else changed this {what} after you opened this page. The page now shows their changes: "
    "check them, then make your changes again."
)


def save_unless_stale(
    request: HttpRequest, form: forms.Form, save: Callable[[int, dict[str, Any]], object], *, what: str
) -> bool:
    """Save a valid edit form's data with `save(loaded_version, data)`.

    On ChangedSinceLoaded, tell the user and return False: the view then shows the form again, filled from the
    current record.
    """
    data = dict(form.cleaned_data)
    loaded_version = data.pop("version")
    try:
        save(loaded_version, data)
    except ChangedSinceLoaded:
        messages.error(request, CHANGED_SINCE_LOADED_MESSAGE.format(what=what))
        return False
    return True
