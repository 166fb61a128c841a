"""Template helpers for GOV.UK Design System markup."""

from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from maca.common.forms import error_summary_items
from maca.common.richtext import link_runs

register = template.Library()


@register.simple_tag
def error_items(forms_: Any) -> list[dict[str, str]]:
    """The error summary's items for a form, a formset or a list of them: each message, with a link to its field.

    See `maca.common.forms.error_summary_items`.
    """
    return error_summary_items(forms_)


@register.filter
def linked(text: str) -> SafeString:
    """Hand-written text with its `[words](address)` links as GOV.UK links; everything else escaped."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html('<a class="govuk-link" href="{}">{}</a>', href, words) if href else words,)
            for words, href in link_runs(str(text))
        ),
    )
