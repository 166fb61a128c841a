"""The GOV.UK "add another" pattern without JavaScript, for the lists a section holds (questions, steps, ...).

Each item is a form of a formset, shown as a fieldset ("Question 1"), with a position number (to reorder) and a
"Remove" checkbox. The page's "Add another …" button is a submit button named `add`: the view shows the page again
from what was posted, with one more empty item, checking and saving nothing (`with_another` and `quiet`).

A blank item is left out wherever it is in the list, so an empty item added by mistake needs no removing: an item
is blank when all its `content_fields` are empty.
"""

import math
from typing import Any, ClassVar, cast

from django import forms
from django.core.exceptions import ValidationError
from django.forms.formsets import DELETION_FIELD_NAME, TOTAL_FORM_COUNT, BaseFormSet
from django.forms.utils import ErrorDict
from django.http import QueryDict

from maca.common.versioning import VersionField

PROSE_HINT = (
    "Leave a blank line between paragraphs. Start a line with a hyphen and a space for a bullet. "
    "Write a footnote in square brackets with a caret: [^Hackett, 2010]."
)
POSITION = "position"


class ProseField(forms.CharField):
    """Text in the documents' markup (see `maca.common.richtext`), with Unix line ends whatever the browser sent."""

    def __init__(self, *, rows: int = 8, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": str(rows)}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        text = str(super().to_python(value))
        return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n")).strip()


class EditForm(forms.Form):
    """A form that can be shown again from what was posted without checking it (`quiet`), after "Add another"."""

    def __init__(self, *args: Any, quiet: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.quiet = quiet
        if quiet:
            self.cleaned_data = {}  # Nothing is checked, so nothing is clean.

    @property
    def errors(self) -> ErrorDict:
        if self.quiet:
            return ErrorDict(renderer=self.renderer)
        return super().errors

    def is_valid(self) -> bool:
        return not self.quiet and super().is_valid()


class VersionForm(EditForm):
    """The part of every edit page that carries the audit's version the page was loaded with."""

    version = VersionField()


class ItemForm(EditForm):
    """One item of a list. `to_data` gives what the service takes for it."""

    content_fields: ClassVar[tuple[str, ...]] = ()

    def has_changed(self) -> bool:
        """Whether the item has anything in it (a blank item is left out)."""
        return any(not _blank(self[name].data) for name in self.content_fields)

    def to_data(self) -> Any:
        raise NotImplementedError


def _blank(value: Any) -> bool:
    if isinstance(value, (list, tuple)):
        return all(_blank(part) for part in value)
    return value is None or value is False or not str(value).strip()


class ItemFormSet(BaseFormSet[ItemForm]):
    """The items of one list. `item_name` names an item ("question"); `at_least_one` is the message when a list
    must not be empty."""

    item_name: ClassVar[str] = "item"
    at_least_one: ClassVar[str] = ""

    def __init__(self, *args: Any, quiet: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.quiet = quiet
        if not self.is_bound and not self.initial:
            self.extra = 1  # An empty list starts with one empty item to fill in.

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        kwargs = {**super().get_form_kwargs(index), "quiet": self.quiet}
        if index is not None:
            kwargs["empty_permitted"] = True  # Any blank item is left out, not only the extra ones.
        return kwargs

    def add_fields(self, form: ItemForm, index: int | None) -> None:
        form.fields[POSITION] = forms.IntegerField(
            label=f"Position of this {self.item_name} in the list (optional)",
            required=False,
            min_value=1,
            max_value=9999,
            widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
            error_messages={
                "invalid": "Position must be a whole number, like 3",
                "min_value": "Position must be 1 or more",
                "max_value": "Position must be 9999 or less",
            },
        )
        super().add_fields(form, index)
        if DELETION_FIELD_NAME in form.fields:
            form.fields[DELETION_FIELD_NAME].label = f"Remove this {self.item_name}"

    def is_valid(self) -> bool:
        return not self.quiet and super().is_valid()

    def kept_forms(self) -> list[ItemForm]:
        """The items that are neither blank nor removed, in the order of the page."""
        return [
            form
            for form in self.forms
            if form.has_changed() and not getattr(form, "cleaned_data", {}).get(DELETION_FIELD_NAME)
        ]

    def clean(self) -> None:
        if self.quiet:
            return
        if self.at_least_one and not self.kept_forms():
            raise ValidationError(self.at_least_one)

    def items(self) -> list[Any]:
        """What the kept items say (`ItemForm.to_data`), ordered by their positions; items without one come last."""
        kept = self.kept_forms()
        order = sorted(range(len(kept)), key=lambda index: (kept[index].cleaned_data.get(POSITION) or math.inf, index))
        return [kept[index].to_data() for index in order]


def item_formset(form: type[ItemForm], formset: type[ItemFormSet]) -> type[ItemFormSet]:
    """A formset class of removable items, none extra (`ItemFormSet` adds one to an empty list)."""
    return cast(type[ItemFormSet], forms.formset_factory(form, formset=formset, extra=0, can_delete=True, max_num=500))


def numbered(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Initial data for a list's items, each with its position."""
    return [{**item, POSITION: position} for position, item in enumerate(items, start=1)]


def with_another(data: QueryDict, prefix: str) -> QueryDict:
    """The posted data with room for one more item: the new item is empty ("Add another")."""
    more = data.copy()
    key = f"{prefix}-{TOTAL_FORM_COUNT}"
    total = str(more.get(key, ""))
    if total.isdigit():
        more[key] = str(int(total) + 1)
    return more
