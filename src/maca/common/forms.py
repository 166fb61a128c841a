"""GOV.UK Design System form rendering with Django's own form renderer.

Every form rendered with `{{ form }}` gets the GOV.UK markup (GOV.UK Frontend 6): labels, hints and error messages
linked to the field by `aria-describedby`, fieldsets and legends for radios, checkboxes and dates, and an error
summary (`{% include "common/forms/error_summary.html" with forms=form %}`). Forms pick the GOV.UK component from the
widget (`component_for`, the one place that maps a widget to a component), so ordinary Django forms need nothing
special:

- text, e-mail, URL, telephone and date-as-text inputs: GOV.UK text input (`govuk-input`). A width class such as
  `govuk-input--width-10` given in the widget's `attrs` is kept;
- whole numbers (`IntegerField`, whose widget is `NumberInput`): a text input with `inputmode="numeric"`, as the
  GOV.UK guidance on asking for numbers says (`type="number"` has accessibility and usability problems). Decimal
  numbers get a text input without `inputmode` (some numeric keypads have no decimal point). Django still validates;
  `min`, `max` and `step` are dropped because they mean nothing on a text input;
- `Textarea`: GOV.UK textarea with 5 rows unless the widget asks for another number (Django's own default of 10 rows
  is taken as "not asked");
- `Select`: GOV.UK select; `RadioSelect` and `CheckboxSelectMultiple`: GOV.UK radios and checkboxes in a fieldset whose
  legend is the label. Give a field an `option_hints` dict (option value → hint) for hints under single options;
- `CheckboxInput` (`BooleanField`): a single GOV.UK checkbox, with the help text as its hint;
- `PasswordInput`: GOV.UK password input with its show/hide button;
- `FileInput` and `ClearableFileInput`: GOV.UK file upload (the page's `<form>` needs
  `enctype="multipart/form-data"` when `form.is_multipart()`);
- `GovukDateInput` (`GovukDateField`): GOV.UK date input, day, month and year in a fieldset;
- other multi-part widgets: their own inputs in a fieldset with a legend.

Labels are shown as written: the renderer never adds "(optional)". Forms write "(optional)" into the label of a
field that can be left empty, and only there; a field that is not required on its own but required together with
another answer (validated in `clean`) says so in its hint instead. Required fields never show "(optional)".

Ids follow GOV.UK's: the hint of the field with id `id_name` is `id_name-hint`, its error message `id_name-error`, and
an option's hint `id_name_0-item-hint`. The error summary links to the first input of each field with an error (the
first radio or checkbox, or the first part of a date with an error); non-field errors are listed without a link and
shown as a GOV.UK error message above the fields.
"""

import copy
import datetime
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.forms.widgets import Input
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

DATE_PARTS = ("day", "month", "year")


class GovukDateInput(forms.MultiWidget):
    """The GOV.UK date input: day, month and year text inputs, each with its label.

    The inputs are named `<name>_day`, `<name>_month` and `<name>_year` and have the ids `<id>_day` and so on. The
    value is a `datetime.date` or the three strings the user typed.
    """

    template_name = "common/forms/date_input.html"
    labels: ClassVar[dict[str, str]] = {"day": "Day", "month": "Month", "year": "Year"}
    widths: ClassVar[dict[str, int]] = {"day": 2, "month": 2, "year": 4}

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        part_attrs = {"inputmode": "numeric", "spellcheck": "false"}
        super().__init__({part: forms.TextInput(attrs=dict(part_attrs)) for part in DATE_PARTS}, attrs)
        # The parts to show in error; set on a copy of the widget by `GovukBoundField` when it renders the field.
        self.error_parts: frozenset[str] = frozenset()

    def decompress(self, value: Any) -> list[str | None]:
        if isinstance(value, str):
            try:
                value = datetime.date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        id_ = context["widget"]["attrs"].get("id")
        for part, sub in zip(DATE_PARTS, context["widget"]["subwidgets"], strict=True):
            sub_attrs = sub["attrs"]
            if id_:
                sub_attrs["id"] = f"{id_}_{part}"
            classes = ["govuk-input", "govuk-date-input__input", f"govuk-input--width-{self.widths[part]}"]
            if part in self.error_parts:
                classes.append("govuk-input--error")
                sub_attrs["aria-invalid"] = "true"
            else:
                sub_attrs.pop("aria-invalid", None)
            extra = str(sub_attrs.get("class") or "").split()
            sub_attrs["class"] = " ".join([*classes, *(c for c in extra if c not in classes)])
            sub["label"] = self.labels[part]
        return context


_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTH_NUMBERS = {name: number for number, name in enumerate(_MONTHS, start=1)} | {
    name[:3]: number for number, name in enumerate(_MONTHS, start=1)
}
_MONTH_NUMBERS["sept"] = 9

DateLimit = datetime.date | Callable[[], datetime.date]


def _today() -> datetime.date:
    return timezone.localdate()


def format_date(value: datetime.date) -> str:
    """A date as GOV.UK writes it: 4 June 2017."""
    return f"{value.day} {_MONTHS[value.month - 1].capitalize()} {value.year}"


class GovukDateField(forms.Field):
    """A date entered in the GOV.UK date input, with the GOV.UK error messages.

    The messages name the date with `error_name`, the words that fit in "Enter …" and "… must be a real date"
    (by default the label with a lower-case first letter): "Enter date of the concern", "Date of the concern must
    include a month", "Date of the concern must be a real date", "Year must include 4 numbers". Months may be typed
    as numbers or names ("3", "03", "Mar", "March"). `min_date` and `max_date` (a date, or a function returning one
    such as `django.utils.timezone.localdate`) bound the date: "… must be today or in the past", "… must be the same
    as or after 1 April 2024".

    Messages can be replaced with `error_messages`, using `%(name)s` and `%(Name)s` (capitalised) for the date's name,
    `%(missing)s` for the missing parts and `%(limit)s` for a bound.
    """

    widget = GovukDateInput
    default_error_messages: ClassVar[dict[str, Any]] = {
        "required": "Enter %(name)s",
        "incomplete": "%(Name)s must include a %(missing)s",
        "year_length": "Year must include 4 numbers",
        "invalid": "%(Name)s must be a real date",
        "not_after_today": "%(Name)s must be today or in the past",
        "not_before_today": "%(Name)s must be today or in the future",
        "min_date": "%(Name)s must be the same as or after %(limit)s",
        "max_date": "%(Name)s must be the same as or before %(limit)s",
    }

    def __init__(
        self,
        *,
        error_name: str | None = None,
        min_date: DateLimit | None = None,
        max_date: DateLimit | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.error_name = error_name
        self.min_date = min_date
        self.max_date = max_date

    # The messages.

    def _names(self) -> dict[str, str]:
        name = self.error_name
        if not name:
            label = re.sub(r"\s*\(optional\)\s*$", "", str(self.label or "date"))
            # "Date of the concern" → "date of the concern", but "SCR date" stays as it is.
            name = label[:1].lower() + label[1:] if label[1:2].islower() else label
        return {"name": name, "Name": name[:1].upper() + name[1:]}

    def _error(self, code: str, parts: Iterable[str] = DATE_PARTS, **params: str) -> ValidationError:
        return ValidationError(
            self.error_messages[code],
            code=code,
            params={**self._names(), **params, "parts": tuple(p for p in DATE_PARTS if p in set(parts))},
        )

    # Cleaning.

    def to_python(self, value: Any) -> datetime.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                raise self._error("invalid") from None
        parts = dict(zip(DATE_PARTS, (str(p or "").strip() for p in value), strict=False))
        missing = [part for part in DATE_PARTS if not parts.get(part)]
        if len(missing) == len(DATE_PARTS):
            return None
        if missing:
            words = " and ".join(missing)
            raise self._error("incomplete", missing, missing=words)
        day = int(parts["day"]) if parts["day"].isdigit() else None
        month_text = parts["month"].lower().rstrip(".")
        month = int(month_text) if month_text.isdigit() else _MONTH_NUMBERS.get(month_text)
        year_text = parts["year"]
        wrong = []
        if day is None or not 1 <= day <= 31:
            wrong.append("day")
        if month is None or not 1 <= month <= 12:
            wrong.append("month")
        if not year_text.isdigit():
            wrong.append("year")
        if wrong or day is None or month is None:
            # One wrong part is highlighted on its own; more than one, the whole date.
            raise self._error("invalid", wrong if len(wrong) == 1 else DATE_PARTS)
        if len(year_text) != 4:
            raise self._error("year_length", ["year"])
        try:
            return datetime.date(int(year_text), month, day)
        except ValueError:
            raise self._error("invalid") from None

    def validate(self, value: datetime.date | None) -> None:
        if value is None:
            if self.required:
                raise self._error("required")
            return
        today = _today()
        lowest = self._limit(self.min_date)
        highest = self._limit(self.max_date)
        if lowest is not None and value < lowest:
            if lowest == today:
                raise self._error("not_before_today")
            raise self._error("min_date", limit=format_date(lowest))
        if highest is not None and value > highest:
            if highest == today:
                raise self._error("not_after_today")
            raise self._error("max_date", limit=format_date(highest))

    @staticmethod
    def _limit(limit: DateLimit | None) -> datetime.date | None:
        return limit() if callable(limit) else limit

    def has_changed(self, initial: Any, data: Any) -> bool:
        if self.disabled:
            return False
        try:
            return self.to_python(initial) != self.to_python(data)
        except ValidationError:
            return True


# Widget class → GOV.UK component. Subclasses are matched through the MRO, most specific first.
_COMPONENTS: dict[type[forms.Widget], str] = {
    GovukDateInput: "date",
    forms.CheckboxSelectMultiple: "checkboxes",
    forms.RadioSelect: "radios",
    forms.CheckboxInput: "checkbox",
    forms.Select: "select",
    forms.Textarea: "textarea",
    forms.ClearableFileInput: "file",
    forms.FileInput: "file",
    forms.PasswordInput: "password",
    forms.NumberInput: "number",
    forms.HiddenInput: "hidden",
    forms.MultipleHiddenInput: "hidden",
    forms.SelectDateWidget: "multi",
    forms.MultiWidget: "multi",
    Input: "input",
}

# Components whose inputs are grouped in a fieldset whose legend is the label.
FIELDSET_COMPONENTS = frozenset({"radios", "checkboxes", "date", "multi"})

_WIDGET_CLASSES = {
    "input": "govuk-input",
    "number": "govuk-input",
    "password": "govuk-input govuk-password-input__input govuk-js-password-input-input",
    "select": "govuk-select",
    "textarea": "govuk-textarea",
    "file": "govuk-file-upload",
    "checkbox": "govuk-checkboxes__input",
    "radios": "govuk-radios__input",
    "checkboxes": "govuk-checkboxes__input",
}

_ERROR_CLASSES = {
    "input": "govuk-input--error",
    "number": "govuk-input--error",
    "password": "govuk-input--error",
    "select": "govuk-select--error",
    "textarea": "govuk-textarea--error",
    "file": "govuk-file-upload--error",
}

# Attributes GOV.UK sets on a component, unless the widget sets them itself.
_DEFAULT_ATTRS: dict[str, dict[str, str]] = {
    "number": {"spellcheck": "false"},
    "password": {"spellcheck": "false", "autocapitalize": "none", "autocomplete": "current-password"},
}

DJANGO_TEXTAREA_ROWS = forms.Textarea().attrs["rows"]
GOVUK_TEXTAREA_ROWS = "5"


def component_for(widget: forms.Widget) -> str:
    """The GOV.UK component that renders this widget."""
    for cls in type(widget).__mro__:
        if cls in _COMPONENTS:
            return _COMPONENTS[cls]
    return "input"


def _join_ids(*ids: str | None) -> str:
    seen: list[str] = []
    for value in ids:
        for id_ in (value or "").split():
            if id_ not in seen:
                seen.append(id_)
    return " ".join(seen)


class GovukBoundField(BoundField):
    """A bound field that knows its GOV.UK component and the ids of its hint and error message."""

    @property
    def component(self) -> str:
        return component_for(self.field.widget)

    @property
    def base_id(self) -> str:
        """The field's id (the widget's own, or the form's automatic id); '' when the form has no ids."""
        return str(self.field.widget.attrs.get("id") or self.auto_id or "")

    @property
    def hint_id(self) -> str:
        return f"{self.base_id}-hint" if self.base_id else ""

    @property
    def error_id(self) -> str:
        return f"{self.base_id}-error" if self.base_id else ""

    @property
    def described_by(self) -> str:
        """The ids of the hint and error message: the fieldset's or the input's `aria-describedby`."""
        return _join_ids(
            self.hint_id if self.help_text else "",
            self.error_id if self.errors else "",
        )

    @property
    def uses_fieldset(self) -> bool:
        return self.component in FIELDSET_COMPONENTS

    @property
    def fieldset_role(self) -> str:
        """GOV.UK gives a fieldset of text inputs (a date) `role="group"`, so that JAWS reads its description."""
        return "group" if self.component in {"date", "multi"} else ""

    @property
    def date_error_parts(self) -> frozenset[str]:
        """The parts of a date to show in error: those the errors name, or all of them."""
        if not self.errors:
            return frozenset()
        parts: set[str] = set()
        for error in self.errors.as_data():
            named = (error.params or {}).get("parts") if isinstance(error.params, Mapping) else None
            if not named:
                return frozenset(DATE_PARTS)
            parts.update(named)
        return frozenset(parts)

    @property
    def first_input_id(self) -> str:
        """The input an error summary link takes the keyboard focus to."""
        component = self.component
        widget = self.field.widget
        if component in {"radios", "checkboxes"}:
            subwidgets = self.subwidgets
            return str(subwidgets[0].data["attrs"].get("id") or "") if subwidgets else ""
        if not self.base_id:
            return ""
        if component == "date":
            error_parts = self.date_error_parts
            first = next((part for part in DATE_PARTS if part in error_parts), DATE_PARTS[0])
            return f"{self.base_id}_{first}"
        if isinstance(widget, forms.MultiWidget):
            return f"{self.base_id}_0"
        return widget.id_for_label(self.base_id) or self.base_id

    @property
    def options(self) -> list[dict[str, Any]]:
        """The radio or checkbox options: id, label, value, checked state, hint, and the rendered input."""
        hints: Mapping[str, str] = getattr(self.field, "option_hints", None) or {}
        component = self.component
        options = []
        for sub in self.subwidgets:
            data = sub.data
            attrs = dict(data["attrs"])
            option_id = str(attrs.get("id") or "")
            hint = hints.get(str(data["value"]), "")
            hint_id = f"{option_id}-item-hint" if hint and option_id else ""
            described_by = _join_ids(attrs.pop("aria-describedby", None), hint_id)
            if described_by:
                attrs["aria-describedby"] = described_by
            widget_context = {**data, "attrs": attrs, "wrap_label": False}
            tag = mark_safe(self.form.renderer.render(data["template_name"], {"widget": widget_context}))  # noqa: S308
            options.append(
                {
                    "id": option_id,
                    "label": data["label"],
                    "value": data["value"],
                    "checked": data["selected"],
                    "hint": hint,
                    "hint_id": hint_id,
                    "tag": tag,
                    "component": component,
                }
            )
        return options

    def govuk_widget(self, widget: forms.Widget) -> forms.Widget:
        """The widget as GOV.UK renders it: numbers as text inputs, GOV.UK file and date inputs."""
        component = component_for(widget)
        if component == "number":
            widget = copy.deepcopy(widget)
            assert isinstance(widget, forms.NumberInput)
            widget.input_type = "text"
            for attr in ("min", "max", "step"):
                widget.attrs.pop(attr, None)
        elif component == "file" and isinstance(widget, forms.ClearableFileInput):
            widget = copy.deepcopy(widget)
            widget.template_name = "common/forms/clearable_file_input.html"
        elif component == "date":
            widget = copy.deepcopy(widget)
            assert isinstance(widget, GovukDateInput)
            widget.error_parts = self.date_error_parts
        return widget

    def as_widget(
        self, widget: forms.Widget | None = None, attrs: dict[str, Any] | None = None, only_initial: bool = False
    ) -> SafeString:
        return super().as_widget(self.govuk_widget(widget or self.field.widget), attrs, only_initial)

    def build_widget_attrs(self, attrs: dict[str, Any], widget: forms.Widget | None = None) -> dict[str, Any]:
        widget = widget or self.field.widget
        own_described_by = attrs.get("aria-describedby") or widget.attrs.get("aria-describedby")
        attrs = super().build_widget_attrs(attrs, widget)
        if widget.is_hidden:
            return attrs
        component = component_for(widget)
        # The widget's own classes (a width, say) are kept: `attrs` replaces the widget's `class` when rendered.
        classes = [_WIDGET_CLASSES.get(component, "")]
        if self.errors:
            classes.append(_ERROR_CLASSES.get(component, ""))
        classes += str(widget.attrs.get("class") or "").split() + str(attrs.get("class") or "").split()
        class_names = list(dict.fromkeys(" ".join(classes).split()))
        if class_names:
            attrs["class"] = " ".join(class_names)
        for name, value in _DEFAULT_ATTRS.get(component, {}).items():
            if name not in widget.attrs:
                attrs.setdefault(name, value)
        whole_number = not isinstance(self.field, (forms.DecimalField, forms.FloatField))
        if component == "number" and whole_number and "inputmode" not in widget.attrs:
            attrs.setdefault("inputmode", "numeric")
        if isinstance(widget, forms.EmailInput) and "spellcheck" not in widget.attrs:
            attrs.setdefault("spellcheck", "false")
        if component == "textarea" and widget.attrs.get("rows") == DJANGO_TEXTAREA_ROWS and "rows" not in attrs:
            attrs["rows"] = GOVUK_TEXTAREA_ROWS
        if component in FIELDSET_COMPONENTS:
            # The fieldset carries the description; the inputs in it do not.
            if own_described_by:
                attrs["aria-describedby"] = own_described_by
            else:
                attrs.pop("aria-describedby", None)
            return attrs
        described_by = _join_ids(own_described_by, self.described_by)
        if described_by:
            attrs["aria-describedby"] = described_by
        else:
            attrs.pop("aria-describedby", None)
        return attrs


class GovukFormRenderer(TemplatesSetting):
    """Renders forms and fields with the GOV.UK templates in `common/templates/common/forms/`."""

    form_template_name = "common/forms/form.html"
    field_template_name = "common/forms/field.html"
    bound_field_class = GovukBoundField


def error_summary_items(forms_: Any) -> list[dict[str, str]]:
    """The error summary's items for a form, a formset, or a list of them, in the order they appear on the page.

    Each item is `{"href": "#<id of the first input>", "message": ...}`; errors not about one visible field (non-field
    errors, a formset's own errors, errors in hidden fields) have no link.
    """
    if forms_ is None or isinstance(forms_, str):
        return []
    if isinstance(forms_, (forms.BaseForm, forms.BaseFormSet)):
        forms_ = [forms_]
    items: list[dict[str, str]] = []
    for form in forms_:
        if isinstance(form, forms.BaseFormSet):
            if not form.is_bound:
                continue
            items += [{"href": "", "message": str(message)} for message in form.non_form_errors()]
            items += error_summary_items(list(form.forms))
            continue
        if not isinstance(form, forms.BaseForm) or not form.is_bound:
            continue
        items += _form_error_items(form)
    return items


def _form_error_items(form: forms.BaseForm) -> list[dict[str, str]]:
    unlinked = [{"href": "", "message": str(message)} for message in form.non_field_errors()]
    linked: list[dict[str, str]] = []
    for name in form.fields:
        if name not in form.errors:
            continue
        bound = form[name]
        if bound.is_hidden:
            # Worded as Django words them above the form: a hidden field cannot take the focus.
            unlinked += [
                {"href": "", "message": gettext("(Hidden field %(name)s) %(error)s") % {"name": name, "error": error}}
                for error in bound.errors
            ]
            continue
        target = bound.first_input_id if isinstance(bound, GovukBoundField) else bound.id_for_label or bound.auto_id
        linked += [{"href": f"#{target}" if target else "", "message": str(error)} for error in bound.errors]
    return unlinked + linked


__all__: Sequence[str] = [
    "DATE_PARTS",
    "FIELDSET_COMPONENTS",
    "GovukBoundField",
    "GovukDateField",
    "GovukDateInput",
    "GovukFormRenderer",
    "component_for",
    "error_summary_items",
    "format_date",
]
