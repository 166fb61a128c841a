"""Editing the audit's details and its sections of text, as the coordinator and the audit lead do it.

Who may open these pages at all is in maca/tests/url_expectations.py.
"""

import datetime

from django.contrib.messages import get_messages
from django.test import Client

from maca.audits.definition import audit_definition
from maca.audits.models import Audit
from maca.audits.tests.factories import small_definition
from maca.audits.tests.test_editing_support import (
    ClientFor,
    assert_saved_and_logged,
    assert_unchanged,
    edit_url,
    open_form,
)
from maca.tests.cast import Cast


def _audit(cast: Cast) -> Audit:
    assert cast.audit is not None
    return cast.audit


def _messages(response: object) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]  # type: ignore[attr-defined]


def test_the_details_page_shows_the_current_details(client_for: ClientFor, cast: Cast) -> None:
    page = client_for("coordinator").get(edit_url(_audit(cast), "edit_details")).content.decode()
    assert 'value="Multi-Agency Case Audit on Neglect"' in page
    assert 'value="MACA on Neglect"' in page
    assert 'name="version_date_day" value="1"' in page
    assert 'name="version_date_month" value="3"' in page
    assert 'name="version_date_year" value="2026"' in page
    assert "Business Group" in page
    assert '<span class="govuk-caption-l">Multi-Agency Case Audit on Neglect</span>' in page
    assert "<title>Title, topic and version date –" in page


def test_saving_the_page_as_it_is_changes_nothing_in_the_definition(client_for: ClientFor, cast: Cast) -> None:
    audit = _audit(cast)
    client = client_for("audit_lead")
    data = open_form(client, edit_url(audit, "edit_details"))
    response = client.post(edit_url(audit, "edit_details"), data)
    assert response.status_code == 302
    assert response["Location"] == f"/audits/{audit.reference}/"
    assert "The title, topic and version date have been saved." in _messages(response)
    assert assert_saved_and_logged(audit, 1) == {}
    assert audit_definition(audit) == small_definition()


def test_changing_the_details(client_for: ClientFor, cast: Cast) -> None:
    audit = _audit(cast)
    client = client_for("coordinator")
    data = open_form(client, edit_url(audit, "edit_details"))
    data.update(
        title=["MACA on Neglect in the Early Years"],
        version_date_day=["15"],
        version_date_month=["Apr"],
        version_date_year=["2026"],
    )
    del data["governance_groups"]
    assert client.post(edit_url(audit, "edit_details"), data).status_code == 302
    changes = assert_saved_and_logged(audit, 1)
    assert changes == {
        "title": ["Multi-Agency Case Audit on Neglect", "MACA on Neglect in the Early Years"],
        "version_date": ["2026-03-01", "2026-04-15"],
        "governance_groups": [["Business Group"], []],
    }
    assert audit.version_date == datetime.date(2026, 4, 15)
    assert not audit.governance_groups.exists()


def test_details_with_mistakes_name_each_field_and_save_nothing(client_for: ClientFor, cast: Cast) -> None:
    audit = _audit(cast)
    client = client_for("coordinator")
    data = open_form(client, edit_url(audit, "edit_details"))
    data.update(title=[""], version_date_day=["31"], version_date_month=["2"], governance_groups=["999999"])
    response = client.post(edit_url(audit, "edit_details"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert '<a href="#id_title">Enter the title</a>' in page
    assert '<a href="#id_version_date_day">The date of this version must be a real date</a>' in page
    assert '<a href="#id_governance_groups_0">Select governance groups from the list</a>' in page
    assert "<title>Error: Title, topic and version date" in page
    assert_unchanged(audit)


def test_a_text_section_shows_its_text_heading_and_how_to_write_it(client_for: ClientFor, cast: Cast) -> None:
    page = client_for("coordinator").get(edit_url(_audit(cast), "edit_text", section="definitions")).content.decode()
    assert 'value="What is neglect?"' in page
    assert "Neglect is:\n\n- persistent\n- harmful</textarea>" in page
    assert "Leave a blank line between paragraphs. Start a line with a hyphen and a space for a bullet." in page
    assert "Write a footnote in square brackets with a caret: [^Hackett, 2010]." in page


def test_changing_a_text_section_and_its_heading(client_for: ClientFor, cast: Cast) -> None:
    audit = _audit(cast)
    client = client_for("coordinator")
    url = edit_url(audit, "edit_text", section="background")
    data = open_form(client, url)
    data.update(heading=["Context"], text=["First paragraph.[^A source.]\r\n\r\n- a bullet\r\n- another  \r\n"])
    response = client.post(url, data)
    assert response.status_code == 302
    assert "The background has been saved." in _messages(response)
    changes = assert_saved_and_logged(audit, 1)
    assert audit.background == "First paragraph.[^A source.]\n\n- a bullet\n- another"
    assert audit.headings["background"] == "Context"
    assert changes["headings.background"] == ["Background", "Context"]
    assert changes["background"][1] == audit.background
    assert audit_definition(audit).background == audit.background


def test_a_heading_set_back_to_the_default_is_not_stored(client_for: ClientFor, cast: Cast) -> None:
    audit = _audit(cast)
    client = client_for("coordinator")
    url = edit_url(audit, "edit_text", section="purpose")
    data = open_form(client, url)
    assert data["heading"] == ["Purpose of the audit"]
    data["heading"] = ["Purpose"]
    assert client.post(url, data).status_code == 302
    audit.refresh_from_db()
    assert audit.headings == {"definitions": "What is neglect?"}


def test_the_background_cannot_be_emptied_but_the_definitions_can(client_for: ClientFor, cast: Cast) -> None:
    audit = _audit(cast)
    client = client_for("coordinator")
    url = edit_url(audit, "edit_text", section="background")
    data = {**open_form(client, url), "text": ["  \r\n "], "heading": [""]}
    response = client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert '<a href="#id_text">Enter the text of the background</a>' in page
    assert '<a href="#id_heading">Enter the heading of the section</a>' in page
    assert_unchanged(audit)
    url = edit_url(audit, "edit_text", section="definitions")
    assert client.post(url, {**open_form(client, url), "text": [""]}).status_code == 302
    assert_saved_and_logged(audit, 1)
    assert audit.definitions == ""


def test_there_is_no_other_section_of_text(client_for: ClientFor, cast: Cast) -> None:
    client: Client = client_for("coordinator")
    assert client.get(edit_url(_audit(cast), "edit_text", section="title")).status_code == 404
    assert client.post(edit_url(_audit(cast), "edit_text", section="title"), {"text": "x"}).status_code == 404
