"""No spreadsheet maca writes holds a formula: text people typed that a spreadsheet program would run (CSV injection)
goes out as text, and comes back as the same text.

An audit whose every piece of text that reaches an export begins like a formula: the Terms of Reference's (title,
theme, objective, questions, help, choices, grades, case fields), an agency's name, a case's (its topic value, an
agency's record number) and the returns' (answers in words, the narrative, who told the agency, the agency's own
view of the child). Each export is downloaded through its real page by someone allowed, then read back twice: the
raw sheet XML for any formula element, and openpyxl for the text of every cell. Everything here is invented.
"""

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from maca.audits.models import Audit
from maca.audits.tests.factories import make_approved_audit
from maca.cases.codes import Gender, SpecialNeeds, YesNoNotKnown
from maca.cases.importing import template_columns
from maca.cases.models import AgencyRecordNumber, Case, Decision
from maca.common.spreadsheets import FORMULA_LEADS, text_of_csv_field
from maca.common.tests.formulas import PAYLOADS, csv_fields, formulas_in_xml, xlsx_texts
from maca.returns.models import AgencyReturn, ReturnStatus
from maca.tests.cast import Cast

pytestmark = pytest.mark.django_db

ClientFor = Callable[[str], Client]
LINK, PLUS, MINUS, AT, TAB, CR = PAYLOADS
REFERENCE = "anytown-formulas-2025"
THEME = "=Recognition"
GRADES = ["=Good", "+Adequate", "-Requires improvement", "@Inadequate"]
QUESTION = "-What does the record say?"
CHOICES = ["=Within days", "+Weeks"]
CASE_FIELD_LABELS = ["=Where the harm happened", "+The child’s story", "-How the agency sees it"]
PLACES = ["@At home", '=HYPERLINK("http://evil.invalid","At school")']


def _make_audit(cast: Cast) -> Audit:
    lead = cast["audit_lead"]
    assert lead is not None
    themes = [
        {
            "name": THEME,
            "objectives": [PLUS],
            "questions": [
                {"key": "seen", "text": MINUS, "answer": "yes_no", "help": AT},
                {
                    "key": "speed",
                    "text": "How quickly did the agency respond?",
                    "answer": "choice",
                    "choices": [{"value": "days", "label": CHOICES[0]}, {"value": "weeks", "label": CHOICES[1]}],
                },
                {"key": "notes", "text": QUESTION, "answer": "text", "required": False},
            ],
        }
    ]
    case_fields = [
        {
            "key": "setting",
            "label": CASE_FIELD_LABELS[0],
            "type": "choice",
            "choices": [{"value": "home", "label": PLACES[0]}, {"value": "school", "label": PLACES[1]}],
        },
        {"key": "story", "label": CASE_FIELD_LABELS[1], "type": "text"},
        {"key": "view", "label": CASE_FIELD_LABELS[2], "type": "text", "per_agency": True},
    ]
    return make_approved_audit(
        cast.partnership,
        lead=lead,
        reference=REFERENCE,
        title=LINK,
        themes=themes,
        case_fields=case_fields,
        grading_scale=GRADES,
    )


@pytest.fixture
def audit(cast: Cast) -> Audit:
    """The audit, two included cases, agency A's record number for each, and a return from each agency for each:
    accepted but for agency A's of the second case, still in progress (so its workbook sheet has drop-down lists).
    Written straight to the database, tab and carriage return included: the forms trim them, the writers must not
    rely on that."""
    cast.agency_a.name = AT
    cast.agency_a.save(update_fields=["name"])
    audit = _make_audit(cast)
    theme = str(audit.themes.get().pk)
    returns = []
    for number, place in enumerate(("home", "school"), start=1):
        case = Case.objects.create(
            audit=audit,
            reference=f"C-00{number}",
            nominated_by=cast.agency_a,
            birth_month=datetime.date(2012, 3, 1),
            gender=Gender.FEMALE,
            send=SpecialNeeds.NONE,
            disability=YesNoNotKnown.NO,
            aces=YesNoNotKnown.YES,
            concern_date=datetime.date(2025, 4, 2),
            topic_values={"setting": place, "story": PLUS},
            decision=Decision.INCLUDED,
        )
        AgencyRecordNumber.objects.create(case=case, agency=cast.agency_a, number=MINUS)
        for agency in (cast.agency_a, cast.agency_b):
            editable = number == 2 and agency == cast.agency_a
            returns.append(
                AgencyReturn(
                    audit=audit,
                    case=case,
                    agency=agency,
                    status=ReturnStatus.IN_PROGRESS if editable else ReturnStatus.ACCEPTED,
                    answers={"seen": "yes", "speed": "days", "notes": LINK},
                    judgements={
                        theme: {"grade": GRADES[0], "went_well": PLUS, "worried": MINUS, "child_voice": TAB}
                        | {"difference": CR}
                    },
                    sharing={"plan_ended": {"happened": "yes", "told": "yes", "told_by": AT}},
                    topic_values={"view": AT},
                )
            )
    AgencyReturn.objects.bulk_create(returns)
    return audit


def _download(client: Client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content


def test_the_returns_workbook_holds_every_text_as_text(client_for: ClientFor, audit: Audit) -> None:
    content = _download(client_for("auditor_a"), reverse("returns:workbook", args=[audit.reference, "AGA"]))
    assert formulas_in_xml(content) == []
    texts = xlsx_texts(content)
    shown = set(texts.values())
    # Each text exactly as it was typed: the Terms of Reference's, the agency's name, the case's, the returns'.
    for text in (LINK, THEME, PLUS, MINUS, AT, *CHOICES, *GRADES, PLACES[0], CASE_FIELD_LABELS[1], QUESTION):
        assert text in shown, text
    for text in (TAB, CR):  # the narrative, even with what the forms would have trimmed
        assert text in shown, repr(text)
    # The drop-down lists are text too, so that the lists Excel offers are the grades and choices themselves.
    lists = {value for place, value in texts.items() if place.startswith("_lists!")}
    assert set(GRADES) <= lists
    assert set(CHOICES) <= lists


def test_the_analysis_workbook_holds_every_text_as_text(client_for: ClientFor, audit: Audit) -> None:
    content = _download(client_for("coordinator"), reverse("analysis:download", args=[audit.reference]))
    assert formulas_in_xml(content) == []
    shown = set(xlsx_texts(content).values())
    # The narrative, by theme, question and agency; the analysis trims white space around each answer by design,
    # so the tab and carriage return payloads come out as the "=1" they hide.
    for text in (THEME, LINK, PLUS, MINUS, AT, QUESTION, "=1", *GRADES[:1], PLACES[0], CASE_FIELD_LABELS[0]):
        assert text in shown, text


def test_the_csv_case_list_template_holds_only_its_column_names(client_for: ClientFor, audit: Audit) -> None:
    # The CSV template is its header row alone, of column names that are keys (a lower-case letter first): no text
    # anyone typed freely, so nothing that begins a formula, and each name reads back as itself.
    content = _download(client_for("coordinator"), reverse("cases:template", args=[audit.reference, "csv"]))
    fields = csv_fields(content)
    assert fields == template_columns(audit)
    assert not [field for field in fields if field.startswith(FORMULA_LEADS)]
    assert [text_of_csv_field(field) for field in fields] == fields


def test_the_xlsx_case_list_template_holds_every_text_as_text(client_for: ClientFor, audit: Audit) -> None:
    content = _download(client_for("coordinator"), reverse("cases:template", args=[audit.reference, "xlsx"]))
    assert formulas_in_xml(content) == []
    shown = set(xlsx_texts(content).values())
    assert set(PLACES) <= shown  # the drop-down list of the choice field's labels
