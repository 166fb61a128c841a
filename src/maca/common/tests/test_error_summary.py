"""The GOV.UK error summary: one item per error, linked to the first input of its field, in page order."""

from typing import Any

from django import forms
from django.template.loader import render_to_string
from django.utils.datastructures import MultiValueDict

from maca.common.forms import GovukDateField, error_summary_items
from maca.common.tests.htmltree import Element, check_references, parse


class AuditForm(forms.Form):
    title = forms.CharField(label="Title")
    answer = forms.ChoiceField(label="Answer", choices=[("y", "Yes"), ("n", "No")], widget=forms.RadioSelect)
    agencies = forms.MultipleChoiceField(
        label="Agencies", choices=[("p", "Police"), ("h", "Health")], widget=forms.CheckboxSelectMultiple
    )
    agency = forms.ChoiceField(label="Agency", choices=[("", "Choose"), ("p", "Police")])
    notes = forms.CharField(label="Notes", widget=forms.Textarea)
    confirm = forms.BooleanField(label="Confirm")
    when = GovukDateField(label="Date of the concern")
    document = forms.FileField(label="Document")
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("title") == "clash":
            raise forms.ValidationError("This audit clashes with another")
        return data


def summary(forms_: Any) -> Element:
    return parse(render_to_string("common/forms/error_summary.html", {"forms": forms_}))


def items(root: Element) -> list[tuple[str | None, str]]:
    """Each item of the summary: the link's target (None without a link) and the message."""
    found = []
    for item in root.find("ul", cls="govuk-error-summary__list").find_all("li"):
        links = item.find_all("a")
        found.append((links[0].get("href") if links else None, item.text))
    return found


def page(form: forms.BaseForm) -> Element:
    """The summary and the form, as a page shows them."""
    markup = render_to_string("common/forms/error_summary.html", {"forms": form}) + f"<form>{form}</form>"
    root = parse(markup)
    check_references(root)  # every summary link goes to an element on the page
    return root


def test_no_summary_for_an_unbound_or_valid_form() -> None:
    assert not summary(AuditForm()).find_all()[1:]
    assert not summary(None).find_all()[1:]

    class Small(forms.Form):
        name = forms.CharField()

    assert not summary(Small(data={"name": "x"})).find_all(cls="govuk-error-summary")


def test_summary_markup() -> None:
    root = summary(AuditForm(data={}))
    box = root.find("div", cls="govuk-error-summary")
    assert box.get("data-module") == "govuk-error-summary"
    alert = box.find("div", role="alert")
    assert alert.find("h2", cls="govuk-error-summary__title").text == "There is a problem"
    body = alert.find("div", cls="govuk-error-summary__body")
    assert body.find("ul").classes == {"govuk-list", "govuk-error-summary__list"}


def test_summary_links_to_the_first_input_of_each_field_in_page_order() -> None:
    form = AuditForm(data={"when_day": "1", "when_year": "2024", "version": "1"}, files=MultiValueDict())
    root = page(form)
    assert items(root) == [
        ("#id_title", "This field is required."),
        ("#id_answer_0", "This field is required."),
        ("#id_agencies_0", "This field is required."),
        ("#id_agency", "This field is required."),
        ("#id_notes", "This field is required."),
        ("#id_confirm", "This field is required."),
        ("#id_when_month", "Date of the concern must include a month"),
        ("#id_document", "This field is required."),
    ]
    # The targets are the inputs themselves, which can take the focus.
    for href, _ in items(root):
        assert href is not None
        assert root.by_id(href[1:]).tag in {"input", "select", "textarea"}


def test_a_whole_date_error_links_to_the_day() -> None:
    root = page(AuditForm(data={"version": "1"}))
    assert ("#id_when_day", "Enter date of the concern") in items(root)


def test_messages_match_the_messages_by_the_fields() -> None:
    form = AuditForm(data={"title": "x", "when_day": "31", "when_month": "2", "when_year": "2024", "version": "1"})
    root = page(form)
    for href, message in items(root):
        assert href is not None
        field_id = href[1:]
        name = field_id.removeprefix("id_").split("_")[0]
        assert root.by_id(f"id_{name}-error").text == f"Error: {message}"


def test_non_field_errors_are_listed_first_without_a_link() -> None:
    form = AuditForm(data={"title": "clash", "answer": "y", "version": "1"})
    root = page(form)
    listed = items(root)
    assert listed[0] == (None, "This audit clashes with another")
    assert all(href for href, _ in listed[1:])
    # And shown above the fields in the form.
    errors = root.find("form").find_all("p", cls="govuk-error-message")
    assert errors[0].text == "Error: This audit clashes with another"
    assert errors[0].closest("fieldset") is None


def test_hidden_field_errors_are_listed_without_a_link() -> None:
    listed = items(page(AuditForm(data={"title": "t"})))
    assert (None, "(Hidden field version) This field is required.") in listed
    assert all(href is None for href, message in listed if "Hidden field" in message)


def test_several_forms_and_formsets() -> None:
    class Row(forms.Form):
        name = forms.CharField(label="Name")

    RowSet = forms.formset_factory(Row, extra=0, min_num=1, validate_min=True)
    first = AuditForm(prefix="audit", data={"audit-version": "1"})
    rows = RowSet(
        prefix="rows",
        data={"rows-TOTAL_FORMS": "2", "rows-INITIAL_FORMS": "0", "rows-0-name": "", "rows-1-name": "ok"},
    )
    hrefs = [href for href, _ in items(summary([first, rows]))]
    assert hrefs[0] == "#id_audit-title"
    assert hrefs[-1] == "#id_rows-0-name"
    assert "#id_rows-1-name" not in hrefs
    # A formset's own errors have no link.
    too_few = RowSet(prefix="rows", data={"rows-TOTAL_FORMS": "0", "rows-INITIAL_FORMS": "0"})
    assert items(summary(too_few)) == [(None, "Please submit at least 1 form.")]


def test_error_summary_items_directly() -> None:
    assert error_summary_items(None) == []
    assert error_summary_items("") == []
    assert error_summary_items(AuditForm()) == []
    form = AuditForm(data={"title": "t", "answer": "y", "version": "1"})
    assert error_summary_items(form)[0] == {"href": "#id_agencies_0", "message": "This field is required."}


def test_a_form_without_ids_lists_messages_without_links() -> None:
    class Small(forms.Form):
        name = forms.CharField()

    assert items(summary(Small(data={}, auto_id=False))) == [(None, "This field is required.")]
