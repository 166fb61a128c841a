"""Template helpers for GOV.UK Design System markup."""

from typing import Any

from django import template

from maca.common.forms import error_summary_items

register = template.Library()


@register.simple_tag
def error_items(forms_: Any) -> list[dict[str, str]]:
    """The error summary's items for a form, a formset or a list of them: each message, with a link to its field.

    See `maca.common.forms.error_summary_items`.
    """
    return error_summary_items(forms_)
