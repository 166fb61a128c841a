"""Template helpers of the self-assessment pages."""

from django import template

register = template.Library()


@register.filter
def percent(value: float | None) -> str:
    """A share (0 to 1) as a whole percentage, "63%"; an en dash for no value."""
    if value is None:
        return "–"
    return f"{round(value * 100)}%"


@register.filter
def tally_words(tally: object) -> str:
    """A tally in words: "3 fully, 2 partly, 1 not in place"."""
    fully, partly, not_in_place = (getattr(tally, name, 0) for name in ("fully", "partly", "not_in_place"))
    return f"{fully} fully, {partly} partly, {not_in_place} not in place"


@register.filter
def lookup(mapping: object, key: int) -> object:
    """The value for `key` in a mapping (an answer by statement id, files by area id), or None."""
    return mapping.get(key) if isinstance(mapping, dict) else None
