"""What the editing tests share: reading a page's form as a browser would send it, and the editing pages' URLs.

Also the small rules of `maca.audits.editing` that the pages rely on: keys and choice values made from words, and
a milestone's planned month or day.
"""

from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from maca.audits.definition import audit_definition, definition_problems
from maca.audits.editing import make_key, prose
from maca.audits.forms.lists import format_choices, parse_choices, planned_value
from maca.audits.models import Audit
from maca.audits.tests.factories import small_definition
from maca.partnerships.models import AccessAction, AccessLogEntry

ClientFor = Callable[[str], Client]
FormData = dict[str, list[str]]


class _FormReader(HTMLParser):
    """The fields of a page's POST form, with the values a browser would send (submit buttons left out)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fields: list[tuple[str, str]] = []
        self.in_form = False
        self.textarea: str | None = None
        self.text: list[str] = []
        self.select: str | None = None
        self.options: list[tuple[str, bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "form" and str(attributes.get("method")).lower() == "post":
            self.in_form = True
        if not self.in_form:
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = str(attributes.get("type") or "text").lower()
            if kind in ("submit", "button", "file") or (kind in ("checkbox", "radio") and "checked" not in attributes):
                return
            self.fields.append((name, attributes.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "textarea" and name:
            self.textarea, self.text = name, []
        elif tag == "select" and name:
            self.select, self.options = name, []
        elif tag == "option" and self.select:
            self.options.append((str(attributes.get("value") or ""), "selected" in attributes))

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.in_form = False
        elif tag == "textarea" and self.textarea:
            self.fields.append((self.textarea, "".join(self.text).removeprefix("\n")))
            self.textarea = None
        elif tag == "select" and self.select:
            chosen = [value for value, selected in self.options if selected] or [self.options[0][0]]
            self.fields.append((self.select, chosen[0]))
            self.select = None


def form_data(page: str) -> FormData:
    """What the page's form sends when submitted as it is (the CSRF token aside)."""
    reader = _FormReader()
    reader.feed(page)
    data: FormData = {}
    for name, value in reader.fields:
        if name != "csrfmiddlewaretoken":
            data.setdefault(name, []).append(value)
    return data


def open_form(client: Client, url: str) -> FormData:
    response = client.get(url)
    assert response.status_code == 200, url
    return form_data(response.content.decode())


def edit_url(audit: Audit, name: str, **kwargs: Any) -> str:
    from django.urls import reverse

    return reverse(f"audits:{name}", kwargs={"reference": audit.reference, **kwargs})


def assert_saved_and_logged(audit: Audit, version_before: int) -> dict[str, Any]:
    """The audit's version went up by one, its definition is still complete, and one change was logged."""
    audit.refresh_from_db()
    assert audit.version == version_before + 1
    assert definition_problems(audit) == []
    entry = AccessLogEntry.objects.filter(object_id=str(audit.pk), action=AccessAction.CHANGED).get()
    changes: dict[str, Any] = entry.changes
    return changes


def assert_unchanged(audit: Audit) -> None:
    """Nothing was saved: the audit's definition is still the one it was made from, and nothing was logged."""
    audit.refresh_from_db()
    assert audit.version == 1
    assert audit_definition(audit) == small_definition()
    assert not AccessLogEntry.objects.filter(object_id=str(audit.pk), action=AccessAction.CHANGED).exists()


# --- The rules the pages rely on ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "taken", "key"),
    [
        ("Was neglect recognised early?", set(), "was_neglect_recognised_early"),
        ("How did your agency’s records describe the child’s sexual behaviour?", set(), "how_did_your_agencys_records"),
        ("Within days", {"within_days"}, "within_days_2"),
        ("16 or over", set(), "choice_16_or_over"),
        ("!!!", set(), "choice"),
    ],
)
def test_keys_are_made_from_words(words: str, taken: set[str], key: str) -> None:
    assert make_key(words, taken, fallback="choice") == key


def test_choices_keep_their_values_and_new_ones_get_values_from_their_words() -> None:
    choices = parse_choices("days: Within days\r\nWeeks\n\n  Not known  \nweeks: Several weeks: or more")
    assert choices == [
        {"value": "days", "label": "Within days"},
        {"value": "weeks_2", "label": "Weeks"},
        {"value": "not_known", "label": "Not known"},
        {"value": "weeks", "label": "Several weeks: or more"},
    ]
    assert parse_choices(format_choices(choices)) == choices
    with pytest.raises(ValidationError, match="The value days is given to two choices"):
        parse_choices("days: Within days\ndays: Days")


def test_a_milestone_is_planned_for_a_month_or_a_day_that_exists() -> None:
    assert planned_value(" 2021-07 ") == "2021-07"
    assert planned_value("2021-07-15") == "2021-07-15"
    for wrong in ("2021-13", "2021-02-30", "July 2021", ""):
        with pytest.raises(ValueError, match="month"):
            planned_value(wrong)


def test_prose_is_kept_with_unix_line_ends() -> None:
    assert prose("  \r\nFirst.  \r\n\r\n- a bullet\r\n\r\n") == "First.\n\n- a bullet"


def test_the_form_reader_reads_what_a_browser_sends() -> None:
    page = """<form method="post"><input type="hidden" name="version" value="3">
    <input type="text" name="title" value="A &amp; B"><input type="checkbox" name="on" checked>
    <input type="checkbox" name="off">
    <input type="radio" name="r" value="1"><input type="radio" name="r" value="2" checked>
    <textarea name="text">
Line one
Line two</textarea><select name="s"><option value="">Choose</option><option value="x" selected>X</option></select>
    <select name="t"><option value="">Choose</option></select><button type="submit" name="add">Add</button></form>"""
    assert form_data(page) == {
        "version": ["3"],
        "title": ["A & B"],
        "on": ["on"],
        "r": ["2"],
        "text": ["Line one\nLine two"],
        "s": ["x"],
        "t": [""],
    }
