"""The analysis as an XLSX workbook: a sheet per section, numbers as numbers, text as text, never a formula."""

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from maca.audits.models import Audit
from maca.returns.models import AgencyReturn
from maca.tests.cast import Cast

from .builders import add_agencies, fill, make_analysis_audit

pytestmark = pytest.mark.django_db

ClientFor = Callable[[str], Client]
FORMULA = '=HYPERLINK("http://example.invalid", "click")'


@pytest.fixture
def audit(cast: Cast) -> Audit:
    found = make_analysis_audit(cast)
    fill(found, cast, cases=3, agencies=add_agencies(cast, 2))
    first = AgencyReturn.objects.filter(audit=found).order_by("pk").first()
    assert first is not None
    theme = str(found.themes.order_by("position").first().pk)  # type: ignore[union-attr]
    first.judgements[theme]["went_well"] = FORMULA
    first.judgements[theme]["worried"] = "A bell\x07 rang."
    first.save()
    return found


def _rows(sheet: Worksheet) -> list[tuple[Any, ...]]:
    return [tuple(cell.value for cell in row) for row in sheet.iter_rows()]


def _row(sheet: Worksheet, first: str) -> tuple[Any, ...]:
    return next(row for row in _rows(sheet) if row and row[0] == first)


def test_a_sheet_per_section_numbers_as_numbers_and_no_formula(client_for: ClientFor, audit: Audit) -> None:
    response = client_for("coordinator").get(reverse("analysis:download", args=[audit.reference]))
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "About",
        "Cohort",
        "Completeness",
        "Grades",
        "Agreement",
        "Information sharing",
        "Voice of the child",
        "Transition",
        "Narrative",
    ]
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
    assert _row(book["About"], "Included cases")[1] == 3
    assert _row(book["Cohort"], "Included")[:2] == ("Included", 3)
    # Every return's answers, by agency: counts as numbers, the share known as a percentage.
    completeness = book["Completeness"]
    header = _row(completeness, "Agency")
    assert header[:5] == ("Agency", "Values asked", "Blank", "Not known", "Known")
    agency = _row(completeness, "Agency 01")
    assert isinstance(agency[1], int)
    assert isinstance(agency[4], float)
    located = next(c for row in completeness.iter_rows() for c in row if c.value == "Agency 01")
    assert completeness.cell(located.row, 5).number_format == "0%"
    theme = _row(book["Grades"], "Recognition")
    assert theme[1:5] == (0, 3, 3, 0)
    alpha = _row(book["Agreement"], "How severe the harm was")
    assert alpha[1] == 3
    assert isinstance(alpha[2], float)
    narrative = _rows(book["Narrative"])
    assert narrative[0] == ("Theme", "Kind", "Case", "Agency", "Text")
    texts = [row[4] for row in narrative[1:]]
    # Text that looks like a formula stays text; characters a workbook cannot hold are left out.
    assert FORMULA in texts
    assert "A bell rang." in texts
    assert ("Recognition", "What went well", "C-001", "Agency 02", "AG02 kept in touch with C-001.") in narrative
