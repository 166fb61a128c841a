"""The GOV.UK form renderer: each kind of field, bound with good and bad data, rendered with `{{ form }}`."""

import datetime
import importlib
from collections.abc import Iterator
from typing import Any

import pytest
from django import forms
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.utils.datastructures import MultiValueDict

from maca.common.forms import (
    DATE_PARTS,
    GovukBoundField,
    GovukDateField,
    GovukDateInput,
    GovukFormRenderer,
    component_for,
)
from maca.common.tests.htmltree import Element, check_references, parse


def render(form: forms.BaseForm) -> Element:
    """The form as `{{ form }}` renders it, checked for dangling references."""
    root = parse(str(form))
    check_references(root)
    return root


def form_group(root: Element, element: Element) -> Element:
    """The GOV.UK form group around an element."""
    group = next((node for node in element.ancestors() if "govuk-form-group" in node.classes), None)
    assert group is not None, f"<{element.tag} id={element.id}> is not in a form group"
    return group


def label_for(root: Element, input_id: str) -> Element:
    return root.find("label", for_=input_id)


# The renderer is the project's renderer.


def test_the_project_renders_forms_with_the_govuk_renderer() -> None:
    form = forms.Form()
    assert isinstance(form.renderer, GovukFormRenderer)

    class OneField(forms.Form):
        name = forms.CharField()

    assert isinstance(OneField()["name"], GovukBoundField)


# component_for: the one place that maps a widget to a component.


class MyRadios(forms.RadioSelect):
    pass


@pytest.mark.parametrize(
    ("widget", "component"),
    [
        (forms.TextInput(), "input"),
        (forms.EmailInput(), "input"),
        (forms.URLInput(), "input"),
        (forms.DateInput(), "input"),
        (forms.NumberInput(), "number"),
        (forms.PasswordInput(), "password"),
        (forms.Textarea(), "textarea"),
        (forms.Select(), "select"),
        (forms.SelectMultiple(), "select"),
        (forms.NullBooleanSelect(), "select"),
        (forms.RadioSelect(), "radios"),
        (MyRadios(), "radios"),
        (forms.CheckboxSelectMultiple(), "checkboxes"),
        (forms.CheckboxInput(), "checkbox"),
        (forms.FileInput(), "file"),
        (forms.ClearableFileInput(), "file"),
        (forms.HiddenInput(), "hidden"),
        (forms.MultipleHiddenInput(), "hidden"),
        (GovukDateInput(), "date"),
        (forms.SplitDateTimeWidget(), "multi"),
    ],
)
def test_component_for(widget: forms.Widget, component: str) -> None:
    assert component_for(widget) == component


# Text input.


class NameForm(forms.Form):
    name = forms.CharField(
        label="Full name",
        max_length=20,
        help_text="As it appears on their work badge",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20"}),
    )
    email = forms.EmailField(label="Work e-mail address")

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"]
        if name == "Nobody":
            raise forms.ValidationError("Enter their real name")
        return name


def test_text_input_unbound() -> None:
    root = render(NameForm())
    field = root.find("input", name="name")
    assert field.get("type") == "text"
    assert field.id == "id_name"
    assert field.classes == {"govuk-input", "govuk-input--width-20"}
    assert field.has("required")
    assert field.get("maxlength") == "20"
    assert not field.has("value")
    label = label_for(root, "id_name")
    assert label.classes >= {"govuk-label"}
    assert label.text == "Full name"
    hint = root.by_id("id_name-hint")
    assert "govuk-hint" in hint.classes
    assert hint.text == "As it appears on their work badge"
    assert field.described_by == ["id_name-hint"]
    assert form_group(root, field).classes == {"govuk-form-group"}
    assert not root.find_all(cls="govuk-error-message")


def test_text_input_with_an_error_keeps_the_value_and_links_the_message() -> None:
    root = render(NameForm(data={"name": "Nobody", "email": "a@example.org"}))
    field = root.find("input", name="name")
    assert field.get("value") == "Nobody"
    assert field.classes == {"govuk-input", "govuk-input--error", "govuk-input--width-20"}
    assert field.described_by == ["id_name-hint", "id_name-error"]
    assert field.get("aria-invalid") == "true"
    error = root.by_id("id_name-error")
    assert error.tag == "p"
    assert "govuk-error-message" in error.classes
    assert error.text == "Error: Enter their real name"
    assert error.find("span", cls="govuk-visually-hidden").text == "Error:"
    group = form_group(root, field)
    assert "govuk-form-group--error" in group.classes
    assert error in list(group.iter())
    # The other field is untouched.
    email = root.find("input", name="email")
    assert email.get("value") == "a@example.org"
    assert not email.described_by
    assert "govuk-input--error" not in email.classes
    assert "govuk-form-group--error" not in form_group(root, email).classes


def test_hint_and_error_come_between_label_and_input() -> None:
    root = render(NameForm(data={"name": "Nobody"}))
    order = [element.id or element.tag for element in form_group(root, root.by_id("id_name")).iter()]
    assert order.index("label") < order.index("id_name-hint") < order.index("id_name-error") < order.index("id_name")


def test_email_input_is_not_spellchecked() -> None:
    root = render(NameForm())
    email = root.find("input", name="email")
    assert email.get("type") == "email"
    assert email.get("spellcheck") == "false"
    assert "govuk-input" in email.classes


def test_a_widgets_own_aria_describedby_is_kept() -> None:
    class Form(forms.Form):
        name = forms.CharField(help_text="Hint", widget=forms.TextInput(attrs={"aria-describedby": "elsewhere"}))

    field = parse(str(Form(data={}))).find("input", name="name")
    assert field.described_by == ["elsewhere", "id_name-hint", "id_name-error"]


# Required and optional.


class OptionalForm(forms.Form):
    required_name = forms.CharField(label="Name")
    nickname = forms.CharField(label="Nickname (optional)", required=False)
    role = forms.ChoiceField(label="Role", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    team = forms.ChoiceField(label="Team (optional)", choices=[("a", "A")], widget=forms.RadioSelect, required=False)


def test_labels_are_shown_as_written() -> None:
    root = render(OptionalForm())
    assert label_for(root, "id_required_name").text == "Name"
    assert label_for(root, "id_nickname").text == "Nickname (optional)"
    legends = [legend.text for legend in root.find_all("legend")]
    assert legends == ["Role", "Team (optional)"]
    assert str(root.text).count("(optional)") == 2


def test_required_fields_never_say_optional_in_the_project_forms() -> None:
    """Every form class in maca's apps: a required field's label does not say "(optional)"."""
    for config in apps.get_app_configs():
        if config.name.startswith("maca."):
            try:
                importlib.import_module(f"{config.name}.forms")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.forms":
                    raise

    def subclasses(cls: type[forms.BaseForm]) -> Iterator[type[forms.BaseForm]]:
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    checked = 0
    for form_class in subclasses(forms.BaseForm):
        module = form_class.__module__
        if not module.startswith("maca.") or ".tests" in module:
            continue
        base_fields: dict[str, forms.Field] = getattr(form_class, "base_fields", {})
        for name, field in base_fields.items():
            checked += 1
            if field.required:
                assert "(optional)" not in str(field.label or ""), f"{form_class.__name__}.{name} is required"
    assert checked


# Numbers.


class NumberForm(forms.Form):
    children = forms.IntegerField(label="Number of children", min_value=0, max_value=20)
    hours = forms.DecimalField(label="Hours", max_digits=4, decimal_places=1, required=False)


def test_whole_numbers_are_numeric_text_inputs() -> None:
    root = render(NumberForm(initial={"children": 3}))
    field = root.find("input", name="children")
    assert field.get("type") == "text"
    assert field.get("inputmode") == "numeric"
    assert field.get("spellcheck") == "false"
    assert field.get("value") == "3"
    assert "govuk-input" in field.classes
    for attr in ("min", "max", "step"):
        assert not field.has(attr)
    assert label_for(root, field.id or "").text == "Number of children"


def test_decimal_numbers_are_text_inputs_without_a_numeric_keypad() -> None:
    field = render(NumberForm()).find("input", name="hours")
    assert field.get("type") == "text"
    assert not field.has("inputmode")
    assert not field.has("step")


def test_numbers_are_still_validated_and_a_wrong_value_is_kept() -> None:
    form = NumberForm(data={"children": "three", "hours": "1.25"})
    assert set(form.errors) == {"children", "hours"}
    root = render(form)
    field = root.find("input", name="children")
    assert field.get("value") == "three"
    assert "govuk-input--error" in field.classes
    assert root.by_id("id_children-error").text == "Error: Enter a whole number."
    assert NumberForm(data={"children": "21"}).errors["children"] == ["Ensure this value is less than or equal to 20."]
    assert NumberForm(data={"children": " 4 "}).is_valid()


def test_the_form_field_widget_is_not_changed_by_rendering() -> None:
    form = NumberForm()
    str(form)
    widget = form.fields["children"].widget
    assert isinstance(widget, forms.NumberInput)
    assert widget.input_type == "number"
    assert widget.attrs["min"] == 0


# Textarea.


class NotesForm(forms.Form):
    notes = forms.CharField(label="Notes", widget=forms.Textarea, max_length=500, help_text="Do not name the child")
    summary = forms.CharField(label="Summary", widget=forms.Textarea(attrs={"rows": 8}), required=False)


def test_textarea() -> None:
    root = render(NotesForm(data={"notes": "", "summary": "Line one\nLine two"}))
    notes = root.find("textarea", name="notes")
    assert notes.id == "id_notes"
    assert notes.classes == {"govuk-textarea", "govuk-textarea--error"}
    assert notes.get("rows") == "5"
    assert notes.get("maxlength") == "500"
    assert notes.has("required")
    assert notes.described_by == ["id_notes-hint", "id_notes-error"]
    assert label_for(root, "id_notes").text == "Notes"
    summary = root.find("textarea", name="summary")
    assert summary.get("rows") == "8"
    assert summary.text == "Line one Line two"
    assert summary.classes == {"govuk-textarea"}


# Select.


class SelectForm(forms.Form):
    agency = forms.ChoiceField(label="Agency", choices=[("", "Choose an agency"), ("p", "Police"), ("h", "Health")])
    other = forms.CharField(label="Other")


def test_select() -> None:
    root = render(SelectForm(data={"agency": "h"}))
    select = root.find("select", name="agency")
    assert select.classes == {"govuk-select"}
    assert label_for(root, "id_agency").text == "Agency"
    selected = [option.get("value") for option in select.find_all("option") if option.has("selected")]
    assert selected == ["h"]


def test_select_with_an_error() -> None:
    root = render(SelectForm(data={"agency": ""}))
    select = root.find("select", name="agency")
    assert select.classes == {"govuk-select", "govuk-select--error"}
    assert select.described_by == ["id_agency-error"]
    assert root.by_id("id_agency-error").text == "Error: This field is required."


# Radios.


class RadiosForm(forms.Form):
    answer = forms.ChoiceField(
        label="Was the child seen?",
        choices=[("yes", "Yes"), ("no", "No"), ("unknown", "Not known")],
        widget=forms.RadioSelect,
        help_text="Seen in person by a practitioner",
    )
    comment = forms.CharField(label="Comment")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        answer: Any = self.fields["answer"]
        answer.option_hints = {"unknown": "The records do not say"}


def _check_choice_group(root: Element, name: str, component: str, legend: str) -> Element:
    """The GOV.UK radios or checkboxes markup for a field; returns its fieldset."""
    inputs = root.find_all("input", name=name)
    assert inputs
    fieldset = inputs[0].closest("fieldset")
    assert fieldset is not None
    assert "govuk-fieldset" in fieldset.classes
    assert not fieldset.has("role")
    assert fieldset.find("legend").text == legend
    assert "govuk-fieldset__legend" in fieldset.find("legend").classes
    group = fieldset.find("div", cls=f"govuk-{component}")
    assert group.get("data-module") == f"govuk-{component}"
    for index, element in enumerate(inputs):
        assert element.closest("fieldset") is fieldset
        assert element.id == f"id_{name}_{index}"
        assert element.get("type") == ("radio" if component == "radios" else "checkbox")
        assert element.classes == {f"govuk-{component}__input"}
        item = element.parent
        assert item is not None
        assert item.classes == {f"govuk-{component}__item"}
        assert item.parent is group
        label = item.find("label", for_=element.id or "")
        assert label.classes == {"govuk-label", f"govuk-{component}__label"}
        # Only an option's own hint describes it; the field's hint and error describe the fieldset.
        for id_ in element.described_by:
            assert id_ == f"{element.id}-item-hint"
    return fieldset


def test_radios_unbound() -> None:
    root = render(RadiosForm())
    fieldset = _check_choice_group(root, "answer", "radios", "Was the child seen?")
    assert fieldset.described_by == ["id_answer-hint"]
    assert root.by_id("id_answer-hint").closest("fieldset") is fieldset
    values = [(e.get("value"), e.has("checked")) for e in root.find_all("input", name="answer")]
    assert values == [("yes", False), ("no", False), ("unknown", False)]
    # A label for the whole group would point nowhere useful: the legend is the label.
    assert not root.find_all("label", for_="id_answer")


def test_radio_option_hints() -> None:
    root = render(RadiosForm())
    unknown = root.find("input", name="answer", value="unknown")
    assert unknown.described_by == ["id_answer_2-item-hint"]
    hint = root.by_id("id_answer_2-item-hint")
    assert hint.classes == {"govuk-hint", "govuk-radios__hint"}
    assert hint.text == "The records do not say"
    assert hint.parent is unknown.parent
    assert not root.find("input", name="answer", value="yes").described_by


def test_radios_with_an_error() -> None:
    root = render(RadiosForm(data={"comment": "Seen at school"}))
    fieldset = _check_choice_group(root, "answer", "radios", "Was the child seen?")
    assert fieldset.described_by == ["id_answer-hint", "id_answer-error"]
    error = root.by_id("id_answer-error")
    assert error.closest("fieldset") is fieldset
    assert error.text == "Error: This field is required."
    assert "govuk-form-group--error" in form_group(root, fieldset).classes


def test_radios_keep_the_choice_when_another_field_has_an_error() -> None:
    root = render(RadiosForm(data={"answer": "unknown", "comment": ""}))
    checked = [e.get("value") for e in root.find_all("input", name="answer") if e.has("checked")]
    assert checked == ["unknown"]
    assert "govuk-form-group--error" not in form_group(root, root.by_id("id_answer_0")).classes


def test_radios_keep_django_attributes() -> None:
    class Form(forms.Form):
        answer = forms.ChoiceField(
            choices=[("y", "Yes")], widget=forms.RadioSelect(attrs={"data-track": "answer"}), disabled=True
        )

    element = render(Form()).find("input", name="answer")
    assert element.get("data-track") == "answer"
    assert element.has("disabled")
    assert element.has("required")


def test_model_style_choices_with_an_empty_option() -> None:
    class Form(forms.Form):
        answer = forms.ChoiceField(
            label="Answer (optional)", choices=[("", "None"), ("y", "Yes")], widget=forms.RadioSelect, required=False
        )

    root = render(Form(data={"answer": ""}))
    assert [e.get("value") for e in root.find_all("input", name="answer")] == ["", "y"]


# Checkboxes.


class CheckboxesForm(forms.Form):
    agencies = forms.MultipleChoiceField(
        label="Which agencies were involved?",
        choices=[("police", "Police"), ("health", "Health"), ("school", "School")],
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
    )
    comment = forms.CharField(label="Comment")


def test_checkboxes() -> None:
    root = render(CheckboxesForm(data={"agencies": ["police", "school"]}))
    fieldset = _check_choice_group(root, "agencies", "checkboxes", "Which agencies were involved?")
    assert fieldset.described_by == ["id_agencies-hint"]
    checked = [e.get("value") for e in root.find_all("input", name="agencies") if e.has("checked")]
    assert checked == ["police", "school"]
    # Browsers would make every box required.
    assert not any(e.has("required") for e in root.find_all("input", name="agencies"))


def test_checkboxes_with_an_error() -> None:
    root = render(CheckboxesForm(data={"comment": "x"}))
    fieldset = _check_choice_group(root, "agencies", "checkboxes", "Which agencies were involved?")
    assert fieldset.described_by == ["id_agencies-hint", "id_agencies-error"]
    assert root.by_id("id_agencies-error").closest("fieldset") is fieldset


# A single checkbox.


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(label="I have checked the records", help_text="Including archived records")


def test_single_checkbox() -> None:
    root = render(ConfirmForm(data={"confirm": "on"}))
    box = root.find("input", name="confirm")
    assert box.get("type") == "checkbox"
    assert box.id == "id_confirm"
    assert box.has("checked")
    assert box.classes == {"govuk-checkboxes__input"}
    assert box.described_by == ["id_confirm-hint"]
    assert box.parent is not None
    assert "govuk-checkboxes__item" in box.parent.classes
    assert label_for(root, "id_confirm").classes == {"govuk-label", "govuk-checkboxes__label"}
    hint = root.by_id("id_confirm-hint")
    assert hint.classes == {"govuk-hint", "govuk-checkboxes__hint"}
    assert not root.find_all("fieldset")


def test_single_checkbox_with_an_error() -> None:
    root = render(ConfirmForm(data={}))
    box = root.find("input", name="confirm")
    assert not box.has("checked")
    assert box.described_by == ["id_confirm-hint", "id_confirm-error"]
    assert "govuk-form-group--error" in form_group(root, box).classes


# Password.


def test_password_input() -> None:
    class Form(forms.Form):
        password = forms.CharField(label="Password", widget=forms.PasswordInput)
        new_password = forms.CharField(
            label="New password", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
        )

    root = render(Form(data={"password": "secret"}))
    field = root.find("input", name="password")
    assert field.get("type") == "password"
    assert field.classes == {"govuk-input", "govuk-password-input__input", "govuk-js-password-input-input"}
    assert field.get("autocomplete") == "current-password"
    assert field.get("spellcheck") == "false"
    assert field.get("autocapitalize") == "none"
    assert not field.has("value")  # Django never sends a password back.
    group = form_group(root, field)
    assert "govuk-password-input" in group.classes
    assert group.get("data-module") == "govuk-password-input"
    wrapper = field.parent
    assert wrapper is not None
    assert wrapper.classes == {"govuk-input__wrapper", "govuk-password-input__wrapper"}
    button = wrapper.find("button")
    assert button.get("aria-controls") == "id_password"
    assert button.get("type") == "button"
    new = root.find("input", name="new_password")
    assert new.get("autocomplete") == "new-password"
    assert "govuk-input--error" in new.classes


# File upload.


class FileForm(forms.Form):
    document = forms.FileField(label="Upload the chronology", help_text="A PDF or Word document")


def test_file_upload() -> None:
    root = render(FileForm())
    field = root.find("input", name="document")
    assert field.get("type") == "file"
    assert field.classes == {"govuk-file-upload"}
    assert field.described_by == ["id_document-hint"]
    assert label_for(root, "id_document").text == "Upload the chronology"
    assert FileForm().is_multipart()


def test_file_upload_with_an_error() -> None:
    root = render(FileForm(data={}, files=MultiValueDict()))
    field = root.find("input", name="document")
    assert field.classes == {"govuk-file-upload", "govuk-file-upload--error"}
    assert field.described_by == ["id_document-hint", "id_document-error"]


def test_file_upload_accepts_a_file() -> None:
    upload = SimpleUploadedFile("chronology.pdf", b"%PDF-1.4")
    form = FileForm(data={}, files=MultiValueDict({"document": [upload]}))
    assert form.is_valid()


class _StoredFile:
    """Enough of a stored file for ClearableFileInput: a name and a URL."""

    url = "/files/chronology.pdf"

    def __str__(self) -> str:
        return "chronology.pdf"


@pytest.mark.parametrize("required", [True, False])
def test_a_stored_file_is_shown_with_a_remove_checkbox_when_optional(required: bool) -> None:
    class Form(forms.Form):
        document = forms.FileField(label="Chronology", required=required)

    root = render(Form(initial={"document": _StoredFile()}))
    link = root.find("a", href="/files/chronology.pdf")
    assert link.text == "chronology.pdf"
    assert "govuk-link" in link.classes
    field = root.find("input", type="file")
    assert field.id == "id_document"
    assert not field.has("checked")
    removes = root.find_all("input", name="document-clear")
    if required:
        assert not removes
    else:
        remove = removes[0]
        assert remove.classes == {"govuk-checkboxes__input"}
        assert label_for(root, remove.id or "").text == "Remove the current file"


# The form: non-field errors, field order, hidden fields.


class WholeForm(forms.Form):
    first = forms.CharField(label="First")
    second = forms.CharField(label="Second")
    version = forms.IntegerField(widget=forms.HiddenInput)
    field_order = ["second", "first"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("first") and data.get("first") == data.get("second"):
            raise forms.ValidationError("The two answers must be different")
        return data


def test_fields_in_order_then_hidden_fields() -> None:
    root = render(WholeForm(initial={"version": 3}))
    names = [element.get("name") for element in root.find_all("input")]
    assert names == ["second", "first", "version"]
    hidden = root.find("input", name="version")
    assert hidden.get("type") == "hidden"
    assert hidden.get("value") == "3"
    assert not hidden.has("class")
    assert form_group_or_none(hidden) is None


def form_group_or_none(element: Element) -> Element | None:
    return next((node for node in element.ancestors() if "govuk-form-group" in node.classes), None)


def test_non_field_errors_are_shown_above_the_fields() -> None:
    root = render(WholeForm(data={"first": "same", "second": "same", "version": "1"}))
    messages = root.find_all("p", cls="govuk-error-message")
    assert [m.text for m in messages] == ["Error: The two answers must be different"]
    message = messages[0]
    ordered = list(root.iter())
    assert ordered.index(message) < ordered.index(root.find("input", name="second"))
    assert message.find("span", cls="govuk-visually-hidden").text == "Error:"
    # Both answers are kept.
    assert root.find("input", name="first").get("value") == "same"


def test_no_error_markup_on_a_valid_form() -> None:
    form = WholeForm(data={"first": "a", "second": "b", "version": "1"})
    assert form.is_valid()
    root = render(form)
    assert not root.find_all(cls="govuk-error-message")
    assert not root.find_all(cls="govuk-form-group--error")
    assert not [e for e in root.iter() if e.has("aria-invalid")]


def test_a_form_prefix_is_used_in_every_id() -> None:
    root = render(RadiosForm(prefix="return", data={"return-comment": ""}))
    assert root.find("input", name="return-answer", value="yes").id == "id_return-answer_0"
    assert root.by_id("id_return-comment-error").text == "Error: This field is required."
    assert root.find("input", name="return-comment").described_by == ["id_return-comment-error"]


def test_a_form_without_ids_has_no_dangling_references() -> None:
    root = render(RadiosForm(auto_id=False, data={}))
    assert not root.ids()
    assert not [e for e in root.iter() if e.has("aria-describedby") or e.has("for")]
    assert root.find_all(cls="govuk-error-message")


def test_help_text_and_labels_are_escaped() -> None:
    class Form(forms.Form):
        name = forms.CharField(label="<b>Name</b>", help_text="<script>alert(1)</script>")

    markup = str(Form())
    assert "<script>" not in markup
    assert "&lt;b&gt;Name&lt;/b&gt;" in markup


def test_a_field_renders_alone_with_as_field_group() -> None:
    form = NameForm(data={"name": "Nobody"})
    root = parse(Template("{{ form.name.as_field_group }}").render(Context({"form": form})))
    assert root.find("input", name="name").described_by == ["id_name-hint", "id_name-error"]
    assert root.by_id("id_name-error")


# Every kind of field together: ids unique, every reference names an element.


class EverythingForm(forms.Form):
    name = forms.CharField(label="Name", help_text="Hint")
    count = forms.IntegerField(label="Count", help_text="Hint")
    notes = forms.CharField(label="Notes", widget=forms.Textarea, help_text="Hint")
    agency = forms.ChoiceField(label="Agency", choices=[("", "Choose"), ("a", "A")], help_text="Hint")
    answer = forms.ChoiceField(label="Answer", choices=[("y", "Yes"), ("n", "No")], widget=forms.RadioSelect)
    agencies = forms.MultipleChoiceField(
        label="Agencies", choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple, help_text="Hint"
    )
    confirm = forms.BooleanField(label="Confirm", help_text="Hint")
    password = forms.CharField(label="Password", widget=forms.PasswordInput, help_text="Hint")
    document = forms.FileField(label="Document", help_text="Hint")
    when = GovukDateField(label="Date of the meeting", help_text="For example, 27 3 2024")
    version = forms.IntegerField(widget=forms.HiddenInput)


@pytest.mark.parametrize("data", [None, {}, {"name": "x", "answer": "y", "when_day": "40"}])
def test_every_kind_of_field_references_existing_ids(data: dict[str, str] | None) -> None:
    form = EverythingForm(data=data, files=MultiValueDict() if data is not None else None)
    root = render(form)  # checks the references
    if data is not None:
        for name in form.errors:
            if name != "version":
                assert root.by_id(f"id_{name}-error")
    for bound in form:
        if bound.help_text:
            assert root.by_id(f"id_{bound.name}-hint")


def test_the_error_items_template_tag() -> None:
    form = NameForm(data={"name": "Nobody", "email": ""})
    output = Template(
        "{% load govuk %}{% error_items form as items %}{% for item in items %}{{ item.href }}|{% endfor %}"
    ).render(Context({"form": form}))
    assert output == "#id_name|#id_email|"


def test_field_errors_are_in_field_order_in_the_form() -> None:
    form = WholeForm(data={"version": "1"})
    root = render(form)
    errors = [element.id for element in root.find_all("p", cls="govuk-error-message")]
    assert errors == ["id_second-error", "id_first-error"]


# The date input.


class ConcernForm(forms.Form):
    when = GovukDateField(label="Date of the concern", help_text="For example, 27 3 2024")
    comment = forms.CharField(label="Comment", required=False)


def date_data(day: str = "", month: str = "", year: str = "", **extra: str) -> dict[str, str]:
    return {"when_day": day, "when_month": month, "when_year": year, **extra}


def date_inputs(root: Element) -> dict[str, Element]:
    return {part: root.find("input", name=f"when_{part}") for part in DATE_PARTS}


def test_date_input_unbound_with_an_initial_date() -> None:
    root = render(ConcernForm(initial={"when": datetime.date(2024, 3, 7)}))
    inputs = date_inputs(root)
    assert {part: e.get("value") for part, e in inputs.items()} == {"day": "7", "month": "3", "year": "2024"}
    fieldset = inputs["day"].closest("fieldset")
    assert fieldset is not None
    assert fieldset.classes == {"govuk-fieldset"}
    assert fieldset.get("role") == "group"
    assert fieldset.described_by == ["id_when-hint"]
    assert fieldset.find("legend").text == "Date of the concern"
    wrapper = fieldset.find("div", cls="govuk-date-input")
    assert wrapper.id == "id_when"
    widths = {"day": "2", "month": "2", "year": "4"}
    for part, element in inputs.items():
        assert element.id == f"id_when_{part}"
        assert element.get("type") == "text"
        assert element.get("inputmode") == "numeric"
        assert element.classes == {"govuk-input", "govuk-date-input__input", f"govuk-input--width-{widths[part]}"}
        assert not element.described_by
        assert not element.has("aria-invalid")
        label = label_for(root, f"id_when_{part}")
        assert label.text == part.capitalize()
        assert label.classes == {"govuk-label", "govuk-date-input__label"}
        item = element.parent and element.parent.parent
        assert item is not None
        assert "govuk-date-input__item" in item.classes
        assert item.parent is wrapper


def test_date_input_valid() -> None:
    form = ConcernForm(data=date_data("7", "3", "2024"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["when"] == datetime.date(2024, 3, 7)


@pytest.mark.parametrize(
    ("day", "month", "year", "expected"),
    [
        ("07", "03", "2024", datetime.date(2024, 3, 7)),
        (" 7 ", " 3 ", " 2024 ", datetime.date(2024, 3, 7)),
        ("7", "Mar", "2024", datetime.date(2024, 3, 7)),
        ("7", "march", "2024", datetime.date(2024, 3, 7)),
        ("7", "Sept", "2024", datetime.date(2024, 9, 7)),
        ("29", "2", "2024", datetime.date(2024, 2, 29)),
    ],
)
def test_date_input_accepts(day: str, month: str, year: str, expected: datetime.date) -> None:
    form = ConcernForm(data=date_data(day, month, year))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["when"] == expected


@pytest.mark.parametrize(
    ("day", "month", "year", "message", "parts"),
    [
        ("", "", "", "Enter date of the concern", {"day", "month", "year"}),
        ("7", "", "2024", "Date of the concern must include a month", {"month"}),
        ("", "3", "2024", "Date of the concern must include a day", {"day"}),
        ("7", "3", "", "Date of the concern must include a year", {"year"}),
        ("", "", "2024", "Date of the concern must include a day and month", {"day", "month"}),
        ("7", "", "", "Date of the concern must include a month and year", {"month", "year"}),
        ("7", "13", "2024", "Date of the concern must be a real date", {"month"}),
        ("32", "3", "2024", "Date of the concern must be a real date", {"day"}),
        ("0", "3", "2024", "Date of the concern must be a real date", {"day"}),
        ("7", "3", "20x4", "Date of the concern must be a real date", {"year"}),
        ("x", "13", "2024", "Date of the concern must be a real date", {"day", "month", "year"}),
        ("30", "2", "2024", "Date of the concern must be a real date", {"day", "month", "year"}),
        ("29", "2", "2023", "Date of the concern must be a real date", {"day", "month", "year"}),
        ("7", "3", "24", "Year must include 4 numbers", {"year"}),
        ("7", "3", "0000", "Date of the concern must be a real date", {"day", "month", "year"}),
    ],
)
def test_date_input_errors(day: str, month: str, year: str, message: str, parts: set[str]) -> None:
    form = ConcernForm(data=date_data(day, month, year, comment="kept"))
    assert form.errors["when"] == [message]
    root = render(form)
    inputs = date_inputs(root)
    # What was typed is kept.
    assert {p: e.get("value") for p, e in inputs.items()} == {
        p: v.strip() or None for p, v in zip(DATE_PARTS, (day, month, year), strict=True)
    }
    assert root.find("input", name="comment").get("value") == "kept"
    # Only the parts in error are highlighted.
    assert {p for p, e in inputs.items() if "govuk-input--error" in e.classes} == parts
    assert {p for p, e in inputs.items() if e.get("aria-invalid") == "true"} == parts
    fieldset = inputs["day"].closest("fieldset")
    assert fieldset is not None
    assert fieldset.described_by == ["id_when-hint", "id_when-error"]
    assert root.by_id("id_when-error").text == f"Error: {message}"
    assert "govuk-form-group--error" in form_group(root, fieldset).classes
    # The error summary goes to the first part in error (the day when it is the whole date).
    first = next(part for part in DATE_PARTS if part in parts)
    assert form["when"].first_input_id == f"id_when_{first}"  # type: ignore[attr-defined]


def test_an_optional_date_may_be_left_empty_but_not_half_filled() -> None:
    class Form(forms.Form):
        when = GovukDateField(label="Date of the review (optional)", required=False)

    form = Form(data={"when_day": "", "when_month": "", "when_year": ""})
    assert form.is_valid()
    assert form.cleaned_data["when"] is None
    assert Form(data={"when_day": "1"}).errors["when"] == ["Date of the review must include a month and year"]
    assert Form(data={}).is_valid()


def test_a_form_error_on_a_date_highlights_the_whole_date() -> None:
    class Form(ConcernForm):
        def clean(self) -> dict[str, Any]:
            data = super().clean() or {}
            self.add_error("when", "Date of the concern must be after the child was born")
            return data

    root = render(Form(data=date_data("7", "3", "2024")))
    inputs = date_inputs(root)
    assert all("govuk-input--error" in e.classes for e in inputs.values())
    assert Form(data=date_data("7", "3", "2024"))["when"].first_input_id == "id_when_day"  # type: ignore[attr-defined]


def test_date_limits() -> None:
    class Form(forms.Form):
        when = GovukDateField(
            label="Date of the meeting", min_date=datetime.date(2024, 4, 1), max_date=datetime.date(2025, 3, 31)
        )

    assert Form(data=date_data("1", "4", "2024")).is_valid()
    assert Form(data=date_data("31", "3", "2025")).is_valid()
    assert Form(data=date_data("31", "3", "2024")).errors["when"] == [
        "Date of the meeting must be the same as or after 1 April 2024"
    ]
    assert Form(data=date_data("1", "4", "2025")).errors["when"] == [
        "Date of the meeting must be the same as or before 31 March 2025"
    ]


def test_date_not_in_the_future(monkeypatch: pytest.MonkeyPatch) -> None:
    today = datetime.date(2025, 6, 15)
    monkeypatch.setattr("maca.common.forms._today", lambda: today)

    class Form(forms.Form):
        when = GovukDateField(label="Date of the concern", max_date=lambda: today)
        review = GovukDateField(label="Date of the next review", min_date=lambda: today)

    form = Form(data={**date_data("16", "6", "2025"), "review_day": "14", "review_month": "6", "review_year": "2025"})
    assert form.errors == {
        "when": ["Date of the concern must be today or in the past"],
        "review": ["Date of the next review must be today or in the future"],
    }
    same_day = {**date_data("15", "6", "2025"), "review_day": "15", "review_month": "6", "review_year": "2025"}
    assert Form(data=same_day).is_valid()


def test_date_messages_can_be_named_and_replaced() -> None:
    class Form(forms.Form):
        when = GovukDateField(label="When did the concern arise?", error_name="the date of the concern")
        other = GovukDateField(label="Other date", error_messages={"required": "Enter the other date, or say why not"})

    form = Form(data={"when_day": "1"})
    assert form.errors == {
        "when": ["The date of the concern must include a month and year"],
        "other": ["Enter the other date, or say why not"],
    }
    assert Form(data={})["when"].errors == ["Enter the date of the concern"]


def test_date_has_changed() -> None:
    initial = {"when": datetime.date(2024, 3, 7)}
    assert not ConcernForm(data=date_data("7", "3", "2024"), initial=initial).has_changed()
    assert ConcernForm(data=date_data("8", "3", "2024"), initial=initial).has_changed()
    assert ConcernForm(data=date_data("8", "", "2024"), initial=initial).has_changed()


def test_disabled_date_keeps_its_initial_value() -> None:
    class Form(forms.Form):
        when = GovukDateField(label="Date of the concern", disabled=True)

    form = Form(data={}, initial={"when": datetime.date(2024, 3, 7)})
    assert form.is_valid()
    assert form.cleaned_data["when"] == datetime.date(2024, 3, 7)
    assert all(e.has("disabled") for e in date_inputs(render(form)).values())


def test_date_value_from_the_widget() -> None:
    widget = GovukDateInput()
    assert widget.decompress(datetime.date(2024, 3, 7)) == ["7", "3", "2024"]
    assert widget.decompress("2024-03-07") == ["7", "3", "2024"]
    assert widget.decompress(None) == [None, None, None]
    assert widget.value_from_datadict(date_data("1", "2", "2003"), MultiValueDict(), "when") == ["1", "2", "2003"]


def test_other_multi_part_widgets_are_in_a_fieldset() -> None:
    class Form(forms.Form):
        at = forms.SplitDateTimeField(label="Date and time", help_text="Hint")

    root = render(Form(data={}))
    fieldset = root.find("fieldset")
    assert fieldset.find("legend").text == "Date and time"
    assert fieldset.described_by == ["id_at-hint", "id_at-error"]
    assert [e.id for e in fieldset.find_all("input")] == ["id_at_0", "id_at_1"]
