"""Editing how cases are identified, the professional engagement and the agencies taking part.

Who may open these pages at all is in maca/tests/url_expectations.py.
"""

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from maca.audits.definition import audit_definition
from maca.audits.editing import AgencyChoice, CaseFieldData, case_fields_update, identification_update
from maca.audits.models import Audit, ParticipationKind
from maca.audits.tests.factories import small_definition
from maca.audits.tests.test_editing_support import (
    ClientFor,
    assert_saved_and_logged,
    assert_unchanged,
    edit_url,
    form_data,
    open_form,
)
from maca.partnerships.tests.factories import AgencyFactory, AgencyServiceFactory
from maca.tests.cast import Cast


def _audit(cast: Cast) -> Audit:
    assert cast.audit is not None
    return cast.audit


def test_the_identification_page_shows_the_current_criteria(client_for: ClientFor, cast: Cast) -> None:
    audit = _audit(cast)
    data = open_form(client_for("coordinator"), edit_url(audit, "edit_identification"))
    team = cast.agency_a.services.get()
    assert data["identifying-0-agency"] == [f"{cast.agency_a.pk}:{team.pk}"]
    assert data["text"] == ["- Cases will be identified by Agency A"]
    assert data["target_cases"] == ["6"]
    assert (data["scope_end_day"], data["scope_end_month"], data["scope_end_year"]) == (["31"], ["12"], ["2025"])
    assert (data["age_min"], data["age_max"]) == (["0"], ["17"])
    assert data["phases"] == ["primary", "secondary"]
    assert data["include_send"] == ["on"]
    assert data["heading"] == ["Identification of Cases"]


def test_identification_saved_as_it_is_keeps_the_definition(client_for: ClientFor, cast: Cast) -> None:
    audit = _audit(cast)
    client = client_for("audit_lead")
    url = edit_url(audit, "edit_identification")
    assert client.post(url, open_form(client, url)).status_code == 302
    assert assert_saved_and_logged(audit, 1) == {}
    assert audit_definition(audit) == small_definition()


def test_adding_an_identifying_agency_and_changing_the_criteria(client_for: ClientFor, cast: Cast) -> None:
    audit = _audit(cast)
    client = client_for("coordinator")
    url = edit_url(audit, "edit_identification")
    response = client.post(url, {**open_form(client, url), "add": ["identifying"]})
    assert response.status_code == 200
    assert "Agency 2" in response.content.decode()
    assert_unchanged(audit)
    data = form_data(response.content.decode())
    data.update(
        {
            "identifying-1-agency": [str(cast.agency_b.pk)],
            "target_cases": ["10"],
            "scope_start_year": ["2024"],
            "age_min": [""],
            "phases": ["early_years"],
        }
    )
    del data["include_send"]
    assert client.post(url, data).status_code == 302
    changes = assert_saved_and_logged(audit, 1)
    identification = audit_definition(audit).identification
    assert [(ref.agency, ref.service) for ref in identification.identifying_agencies] == [
        ("AGA", "Team A1"),
        ("AGB", ""),
    ]
    assert identification.target_cases == 10
    assert identification.scope_start == datetime.date(2024, 1, 1)
    assert (identification.age_min, identification.phases, identification.include_send) == (
        None,
        ["early_years"],
        False,
    )
    assert changes["identification.identifying_agencies[1].agency"] == [None, "AGB"]
    assert changes["identification.target_cases"] == [6, 10]


def test_identification_with_mistakes_names_each_and_saves_nothing(client_for: ClientFor, cast: Cast) -> None:
    audit = _audit(cast)
    client = client_for("coordinator")
    url = edit_url(audit, "edit_identification")
    data = open_form(client, url)
    data.update(
        {
            "scope_end_year": ["2024"],
            "age_min": ["12"],
            "age_max": ["11"],
            "target_cases": ["0"],
            "identifying-TOTAL_FORMS": ["3"],
            "identifying-1-agency": data["identifying-0-agency"],
            "identifying-2-agency": [str(cast.other_partnership.agencies.get().pk)],
        }
    )
    response = client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert '<a href="#id_scope_end_day">The end of the period must be the same as or after its start</a>' in page
    assert '<a href="#id_age_max">Oldest age must be the same as or more than the youngest age</a>' in page
    assert '<a href="#id_target_cases">Number of cases must be 1 or more</a>' in page
    assert "This agency or service is listed twice: remove one of them" in page
    assert '<a href="#id_identifying-2-agency">Select an agency or service</a>' in page
    assert_unchanged(audit)


def test_at_least_one_agency_identifies_cases(client_for: ClientFor, cast: Cast) -> None:
    audit = _audit(cast)
    client = client_for("coordinator")
    url = edit_url(audit, "edit_identification")
    response = client.post(url, {**open_form(client, url), "identifying-0-DELETE": ["on"]})
    assert response.status_code == 400
    assert "<li>Add at least one agency or service that identifies cases</li>" in response.content.decode()
    assert_unchanged(audit)


def test_the_engagement_page_shows_the_text_framework_and_who_takes_part(client_for: ClientFor, cast: Cast) -> None:
    page = client_for("coordinator").get(edit_url(_audit(cast), "edit_engagement")).content.decode()
    assert "These agencies take part:</textarea>" in page
    assert 'value="A framework"' in page
    assert "<li>Agency A: Team A1</li>" in page
    assert "<li>Agency B: All teams</li>" in page
    assert 'href="/audits/anytown-neglect-2026/edit/engagement/case_audit/"' in page
    assert 'href="/audits/anytown-neglect-2026/edit/engagement/wider_audit/"' in page


def test_without_a_framework_there_is_no_wider_audit(client_for: ClientFor, cast: Cast) -> None:
    audit = _audit(cast)
    client = client_for("coordinator")
    url = edit_url(audit, "edit_engagement")
    data = {**open_form(client, url), "framework": [""], "text": ["All agencies involved take part."]}
    assert client.post(url, data).status_code == 302
    changes = assert_saved_and_logged(audit, 1)
    engagement = audit_definition(audit).engagement
    assert (engagement.text, engagement.wider_audit) == ("All agencies involved take part.", None)
    assert changes["engagement.wider_audit.framework"] == ["A framework", None]
    assert audit.participants.filter(kind=ParticipationKind.WIDER_AUDIT).count() == 1
    page = client.get(url).content.decode()
    assert "There is no wider partnership audit in the Terms of Reference until you name its framework" in page


def test_the_engagement_text_is_needed(client_for: ClientFor, cast: Cast) -> None:
    audit = _audit(cast)
    client = client_for("coordinator")
    url = edit_url(audit, "edit_engagement")
    response = client.post(url, {**open_form(client, url), "text": [" "]})
    assert response.status_code == 400
    assert '<a href="#id_text">Enter the text on professional engagement</a>' in response.content.decode()
    assert_unchanged(audit)


def test_changing_who_takes_part_in_the_case_audit(client_for: ClientFor, cast: Cast) -> None:
    audit = _audit(cast)
    client = client_for("audit_lead")
    url = edit_url(audit, "edit_participants", kind="case_audit")
    data = open_form(client, url)
    team = cast.agency_a.services.get()
    assert data["agencies-0-takes_part"] == ["on"]
    assert data["agencies-0-services"] == [str(team.pk)]
    data.update({"agencies-0-services_text": ["The MASH and early help"], "heading": ["Case audit"]})
    del data["agencies-0-services"]
    del data["agencies-1-takes_part"]
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == "/audits/anytown-neglect-2026/edit/engagement/"
    changes = assert_saved_and_logged(audit, 1)
    case_audit = audit_definition(audit).engagement.case_audit
    assert [(p.agency, p.services, p.services_text) for p in case_audit] == [("AGA", [], "The MASH and early help")]
    assert audit.headings["case_audit"] == "Case audit"
    assert changes["engagement.case_audit[1].agency"] == ["AGB", None]


def test_agencies_added_to_a_list_come_after_those_in_it(client_for: ClientFor, cast: Cast) -> None:
    audit = _audit(cast)
    AgencyServiceFactory.create(agency=cast.agency_a, name="Early Help")
    client = client_for("coordinator")
    url = edit_url(audit, "edit_participants", kind="wider_audit")
    data = open_form(client, url)
    early_help = cast.agency_a.services.get(name="Early Help")
    data.update({"agencies-0-takes_part": ["on"], "agencies-0-services": [str(early_help.pk)]})
    assert client.post(url, data).status_code == 302
    assert_saved_and_logged(audit, 1)
    wider = audit_definition(audit).engagement.wider_audit
    assert wider is not None
    assert [(p.agency, p.services, p.services_text) for p in wider.participants] == [
        ("AGB", [], "All teams"),
        ("AGA", ["Early Help"], ""),
    ]


def test_the_participants_page_takes_as_many_queries_however_many_agencies(client_for: ClientFor, cast: Cast) -> None:
    client = client_for("coordinator")
    url = edit_url(_audit(cast), "edit_participants", kind="case_audit")
    with CaptureQueriesContext(connection) as two_agencies:
        client.get(url)
    for _ in range(3):
        AgencyServiceFactory.create(agency=AgencyFactory.create(partnership=cast.partnership))
    with CaptureQueriesContext(connection) as five_agencies:
        page = client.get(url).content.decode()
    assert page.count("Takes part</label>") == 5
    assert len(five_agencies) == len(two_agencies) == 10


def test_participants_with_mistakes_name_each_and_save_nothing(client_for: ClientFor, cast: Cast) -> None:
    audit = _audit(cast)
    client = client_for("coordinator")
    url = edit_url(audit, "edit_participants", kind="case_audit")
    data = open_form(client, url)
    data.update({"agencies-0-services_text": ["All teams"]})
    del data["agencies-0-takes_part"]
    response = client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert (
        '<a href="#id_agencies-0-services_text">Choose Agency A’s services or name them in words, not both</a>' in page
    )
    assert (
        '<a href="#id_agencies-0-takes_part">Select ‘Takes part’ if Agency A takes part, or clear its services</a>'
        in page
    )
    assert_unchanged(audit)
    del data["agencies-0-services"]
    del data["agencies-0-services_text"]
    del data["agencies-1-takes_part"]
    response = client.post(url, data)
    assert response.status_code == 400
    assert "<li>Select at least one agency that takes part in the case audit</li>" in response.content.decode()
    assert_unchanged(audit)


def test_there_are_two_kinds_of_participation_only(client_for: ClientFor, cast: Cast) -> None:
    url = edit_url(_audit(cast), "edit_participants", kind="panel")
    assert client_for("coordinator").get(url).status_code == 404
    assert client_for("coordinator").post(url, {}).status_code == 404


def test_rows_are_never_saved_against_an_agency_added_after_the_page_was_opened(
    client_for: ClientFor, cast: Cast
) -> None:
    audit = _audit(cast)
    client = client_for("coordinator")
    url = edit_url(audit, "edit_participants", kind="case_audit")
    data = open_form(client, url)
    before = audit_definition(audit).engagement.case_audit
    AgencyFactory.create(partnership=cast.partnership, name="Agency AA", short_code="AAA")  # sorts first
    response = client.post(url, data)
    assert response.status_code == 400
    assert "The partnership’s agencies changed after you opened this page" in response.content.decode()
    assert audit_definition(Audit.objects.get(pk=audit.pk)).engagement.case_audit == before


def test_criteria_on_the_case_fields_are_chosen_from_their_values(client_for: ClientFor, cast: Cast) -> None:
    audit = _audit(cast)
    client = client_for("coordinator")
    url = edit_url(audit, "edit_identification")
    page = client.get(url).content.decode()
    assert "Criteria on the topic’s case fields" in page
    assert 'name="criterion_neglect_type" value="emotional"' in page
    data = open_form(client, url)
    assert "criterion_neglect_type" not in data  # no criterion yet
    assert client.post(url, {**data, "criterion_neglect_type": ["emotional"]}).status_code == 302
    changes = assert_saved_and_logged(audit, 1)
    criteria = audit_definition(audit).identification.field_criteria
    assert [(c.field, c.values) for c in criteria] == [("neglect_type", ["emotional"])]
    assert changes["identification.field_criteria[0].field"] == [None, "neglect_type"]
    assert open_form(client, url)["criterion_neglect_type"] == ["emotional"]

    refused = client.post(url, {**open_form(client, url), "criterion_neglect_type": ["sometimes"]})
    assert refused.status_code == 400
    assert "Choose only the values listed for Type of neglect" in refused.content.decode()


def test_criteria_follow_the_case_fields_they_name(cast: Cast) -> None:
    audit = _audit(cast)
    ident = audit_definition(audit).identification
    team = cast.agency_a.services.get()
    unchanged: dict[str, Any] = {
        "heading": "Identification of Cases",
        "text": ident.text,
        "identifying_agencies": [AgencyChoice(cast.agency_a, team)],
        "target_cases": ident.target_cases,
        "scope_start": ident.scope_start,
        "scope_end": ident.scope_end,
        "age_min": ident.age_min,
        "age_max": ident.age_max,
        "phases": ident.phases,
        "include_send": ident.include_send,
    }

    def identify(criteria: list[tuple[str, list[str]]]) -> None:
        audit.refresh_from_db()
        identification_update(
            actor=cast.coordinator, audit=audit, loaded_version=audit.version, field_criteria=criteria, **unchanged
        )

    def change_fields(field: CaseFieldData) -> None:
        audit.refresh_from_db()
        case_fields_update(actor=cast.coordinator, audit=audit, loaded_version=audit.version, fields=[field])

    # A criterion names a case field with choices, and values of it.
    with pytest.raises(ValidationError, match="'unknown', which is not a case field of the audit"):
        identify([("unknown", ["a"])])
    with pytest.raises(ValidationError, match="'sometimes' is not a value of the case field 'neglect_type'"):
        identify([("neglect_type", ["sometimes"])])
    identify([("neglect_type", ["physical", "emotional"])])
    # The field loses a choice: the criterion keeps the values still offered.
    physical = [{"value": "physical", "label": "Physical"}, {"value": "medical", "label": "Medical"}]
    change_fields(CaseFieldData(key="neglect_type", label="Type of neglect", field_type="choice", choices=physical))
    assert audit_definition(audit).identification.field_criteria[0].values == ["physical"]
    # The field becomes free text: the criterion goes.
    change_fields(CaseFieldData(key="neglect_type", label="Type of neglect", field_type="text"))
    assert audit_definition(audit).identification.field_criteria == []
