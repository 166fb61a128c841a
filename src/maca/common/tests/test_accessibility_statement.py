"""The accessibility statement: anyone may read it, logged in or not; it names whoever runs this copy of maca and the
address to write to (both settings), the standard it is measured against, and it is a well-formed GOV.UK page."""

from collections.abc import Callable
from datetime import date
from itertools import pairwise

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from maca.common.tests.htmltree import Element, check_references, parse
from maca.common.views import ACCESSIBILITY_STATEMENT_PREPARED, ACCESSIBILITY_STATEMENT_REVIEWED

pytestmark = pytest.mark.django_db

URL = "/accessibility/"
OPERATOR = "Anytown & District Safeguarding Children Partnership"
CONTACT = "access@anytown-scp.example.org"

ClientFor = Callable[[str], Client]


def statement(client: Client) -> Element:
    """The statement's page, parsed; fails unless it answers 200 with an HTML page."""
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    return parse(response.content.decode())


def long_date(day: date) -> str:
    """As GOV.UK writes dates: 21 November 2026."""
    return f"{day.day} {day:%B %Y}"


def main(page: Element) -> Element:
    return page.find("main", id="main-content")


def test_the_url_is_named_accessibility() -> None:
    assert reverse("accessibility") == URL


@pytest.mark.parametrize("member", ["anonymous", "coordinator", "auditor_b", "outsider"])
def test_anyone_reads_it_logged_in_or_not(client_for: ClientFor, member: str) -> None:
    page = statement(client_for(member))

    assert main(page).find("h1").text == "Accessibility statement for maca"
    # Signed-in people also see their partnership's name in the title, between the page's and the service's.
    title = page.find("title").text
    assert title.startswith("Accessibility statement – ")
    assert title.endswith(" – maca")


def test_it_names_the_configured_operator_and_contact(client: Client, settings: Settings) -> None:
    settings.MACA_OPERATOR_NAME = OPERATOR
    settings.MACA_ACCESSIBILITY_CONTACT = CONTACT
    settings.MACA_ACCESSIBILITY_REPLY_DAYS = 10

    content = main(statement(client))

    assert f"This service is run by {OPERATOR}." in content.text
    assert f"{OPERATOR} is committed to making this service accessible" in content.text
    mail_links = [link for link in content.find_all("a") if (link.get("href") or "").startswith("mailto:")]
    assert mail_links
    assert {link.get("href") for link in mail_links} == {f"mailto:{CONTACT}"}
    assert {link.text for link in mail_links} == {CONTACT}
    assert "reply within 10 working days" in content.text
    assert "example.invalid" not in content.text
    assert "Example Safeguarding Children Partnership" not in content.text


def test_one_working_day_is_singular(client: Client, settings: Settings) -> None:
    settings.MACA_ACCESSIBILITY_REPLY_DAYS = 1

    assert "reply within 1 working day." in main(statement(client)).text


def test_it_has_one_h1_and_no_heading_level_is_skipped(client: Client) -> None:
    page = statement(client)
    levels = [int(element.tag[1]) for element in page.iter() if element.tag in {"h1", "h2", "h3", "h4", "h5", "h6"}]

    assert len(page.find_all("h1")) == 1
    assert levels[0] == 1
    assert all(later - earlier <= 1 for earlier, later in pairwise(levels)), levels
    check_references(page)


def test_it_follows_the_sections_of_the_govuk_model(client: Client) -> None:
    content = main(statement(client))

    assert [heading.text for heading in content.find_all("h2")] == [
        "How accessible this service is",
        "What to do if you cannot use this service",
        "Reporting accessibility problems with this service",
        "Enforcement procedure",
        "Technical information about this service’s accessibility",
        "Non-accessible content",
        "What we’re doing to improve accessibility",
        "Preparation of this accessibility statement",
    ]
    assert "Compliance status" in [heading.text for heading in content.find_all("h3")]


def test_it_names_the_standard_the_regulations_and_who_enforces_them(client: Client) -> None:
    text = main(statement(client)).text

    assert "partially compliant with the Web Content Accessibility Guidelines version 2.2 AA standard" in text
    assert "WCAG 2.2 AA" in text
    assert "Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018" in text
    assert "Equality and Human Rights Commission" in text
    assert "Equality Advisory and Support Service (EASS)" in text
    assert "Equality Commission for Northern Ireland" in text


def test_it_states_what_is_not_accessible_and_how_it_was_tested(client: Client) -> None:
    content = main(statement(client))
    known_problems = [heading.text for heading in content.find_all("h3")][1:]

    assert known_problems == [
        "Charts in Word documents",
        "PDF documents",
        "Testing by specialists and assistive technology users",
    ]
    assert "Word 2016" in content.text
    assert "WeasyPrint" in content.text
    assert "We plan a manual audit" in content.text
    assert "axe-core" in content.text
    assert "320 CSS pixels" in content.text


def test_it_gives_the_dates_it_was_prepared_and_reviewed(client: Client) -> None:
    text = main(statement(client)).text

    assert f"prepared on {long_date(ACCESSIBILITY_STATEMENT_PREPARED)}." in text
    assert f"last reviewed on {long_date(ACCESSIBILITY_STATEMENT_REVIEWED)}." in text


def test_it_needs_no_script_and_holds_no_form(client: Client) -> None:
    content = main(statement(client))

    assert content.find_all("script") == []
    assert content.find_all("form") == []
