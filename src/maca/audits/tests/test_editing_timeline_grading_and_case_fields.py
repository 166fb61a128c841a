"""Editing the timeline, the grading scale and the topic's case profile fields.

Who may open these pages at all is in maca/tests/url_expectations.py.
"""

import datetime

from maca.audits.definition import audit_definition
from maca.audits.models import Audit
from maca.audits.tests.factories import small_definition
from maca.audits.tests.test_editing_support import (
    ClientFor,
    assert_saved_and_logged,
    assert_unchanged,
    edit_url,
    form_data,
    open_form,
)
from maca.partnerships.tests.factories import GovernanceGroupFactory
from maca.tests.cast import Cast


def _audit(cast: Cast) -> Audit:
    assert cast.audit is not None
    return cast.audit


def test_the_timeline_page_shows_each_step(client_for: ClientFor, cast: Cast) -> None:
    data = open_form(client_for("coordinator"), edit_url(_audit(cast), "edit_timeline"))
    assert data["milestones-0-kind"] == ["audit"]
    assert data["milestones-0-planned"] == ["2026-05"]
    assert (data["milestones-0-actual_day"], data["milestones-0-actual_month"]) == (["20"], ["5"])
    assert data["milestones-1-reports_to"] == [str(cast.group.pk)]
    assert data["heading"] == ["Timeline for Audit"]
    page = client_for("coordinator").get(edit_url(_audit(cast), "edit_timeline")).content.decode()
    assert "For example 2021-07 (a month) or 2021-07-15 (a day)" in page
    assert "Add another step" in page


def test_adding_a_step_to_the_timeline(client_for: ClientFor, cast: Cast) -> None:
    audit = _audit(cast)
    client = client_for("audit_lead")
    url = edit_url(audit, "edit_timeline")
    response = client.post(url, {**open_form(client, url), "add": ["milestones"]})
    assert response.status_code == 200
    assert "Step 3" in response.content.decode()
    assert_unchanged(audit)
    data = form_data(response.content.decode())
    data.update(
        {
            "milestones-2-kind": ["seminar"],
            "milestones-2-text": ["Learning seminar on"],
            "milestones-2-planned": ["2026-09-15"],
            "milestones-2-position": ["2"],
            "milestones-1-position": ["3"],
            "milestones-0-actual_day": [""],
            "milestones-0-actual_month": [""],
            "milestones-0-actual_year": [""],
        }
    )
    assert client.post(url, data).status_code == 302
    changes = assert_saved_and_logged(audit, 1)
    timeline = audit_definition(audit).timeline
    assert [(m.kind, m.planned, m.actual, m.reports_to) for m in timeline] == [
        ("audit", "2026-05", None, ""),
        ("seminar", "2026-09-15", None, ""),
        ("report", "2026-07", None, "Business Group"),
    ]
    assert changes["timeline[0].actual"] == ["2026-05-20", None]


def test_a_timeline_with_mistakes_names_each_and_saves_nothing(client_for: ClientFor, cast: Cast) -> None:
    audit = _audit(cast)
    other_group = GovernanceGroupFactory.create(partnership=cast.other_partnership, name="Elsewhere Board")
    client = client_for("coordinator")
    url = edit_url(audit, "edit_timeline")
    data = open_form(client, url)
    data.update(
        {
            "milestones-0-planned": ["2026-02-30"],
            "milestones-0-actual_month": ["13"],
            "milestones-1-kind": [""],
            "milestones-1-reports_to": [str(other_group.pk)],
        }
    )
    response = client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'href="#id_milestones-0-planned">Planned for must be a month like 2021-07 or a day like 2021-07-15' in page
    assert '<a href="#id_milestones-0-actual_month">The date it happened must be a real date</a>' in page
    assert '<a href="#id_milestones-1-kind">Select the kind of step</a>' in page
    assert '<a href="#id_milestones-1-reports_to">Select a governance group from the list</a>' in page
    assert_unchanged(audit)


def test_changing_the_grading_scale(client_for: ClientFor, cast: Cast) -> None:
    audit = _audit(cast)
    client = client_for("coordinator")
    url = edit_url(audit, "edit_grading")
    data = open_form(client, url)
    assert data["grades"] == ["Outstanding\nGood\nRequires improvement\nInadequate"]
    assert client.post(url, {**data, "grades": ["Good\r\n  Adequate \r\n\r\nPoor"]}).status_code == 302
    changes = assert_saved_and_logged(audit, 1)
    assert audit.grading_scale == ["Good", "Adequate", "Poor"]
    assert changes == {
        "grading_scale": [["Outstanding", "Good", "Requires improvement", "Inadequate"], audit.grading_scale]
    }


def test_a_grading_scale_has_two_grades_each_once(client_for: ClientFor, cast: Cast) -> None:
    audit = _audit(cast)
    client = client_for("coordinator")
    url = edit_url(audit, "edit_grading")
    for grades, message in [
        ("Good", "Enter at least two grades, one on each line"),
        ("Good\ngood", "The grade good is given twice: give each grade once"),
    ]:
        response = client.post(url, {**open_form(client, url), "grades": [grades]})
        assert response.status_code == 400
        assert f'<a href="#id_grades">{message}</a>' in response.content.decode()
    assert_unchanged(audit)


def test_case_fields_saved_as_they_are_keep_the_definition(client_for: ClientFor, cast: Cast) -> None:
    audit = _audit(cast)
    client = client_for("coordinator")
    url = edit_url(audit, "edit_case_fields")
    data = open_form(client, url)
    assert data["fields-0-choices"] == ["physical: Physical\nemotional: Emotional"]
    assert client.post(url, data).status_code == 302
    assert assert_saved_and_logged(audit, 1) == {}
    assert audit_definition(audit) == small_definition()


def test_adding_a_case_field_made_of_a_scale(client_for: ClientFor, cast: Cast) -> None:
    audit = _audit(cast)
    client = client_for("coordinator")
    url = edit_url(audit, "edit_case_fields")
    data = open_form(client, url)
    data.update(
        {
            "fields-TOTAL_FORMS": ["2"],
            "fields-1-label": ["How long the neglect lasted"],
            "fields-1-field_type": ["choice"],
            "fields-1-choices": ["Weeks\nMonths\nYears"],
            "fields-1-ordinal": ["on"],
            "fields-1-per_agency": ["on"],
        }
    )
    assert client.post(url, data).status_code == 302
    assert_saved_and_logged(audit, 1)
    field = audit_definition(audit).case_fields[1]
    assert (field.key, field.type, field.ordinal, field.per_agency) == (
        "how_long_the_neglect_lasted",
        "choice",
        True,
        True,
    )
    assert [choice.value for choice in field.choices] == ["weeks", "months", "years"]


def test_case_fields_with_mistakes_name_each_and_save_nothing(client_for: ClientFor, cast: Cast) -> None:
    audit = _audit(cast)
    client = client_for("coordinator")
    url = edit_url(audit, "edit_case_fields")
    data = open_form(client, url)
    data.update(
        {
            "fields-TOTAL_FORMS": ["3"],
            "fields-1-label": ["Recorded on a plan"],
            "fields-1-key": ["neglect_type"],
            "fields-1-field_type": ["yes_no"],
            "fields-1-ordinal": ["on"],
            "fields-2-label": ["Which agencies knew"],
            "fields-2-field_type": ["multi_choice"],
            "fields-2-choices": ["a: Police\na: Health"],
        }
    )
    response = client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert '<a href="#id_fields-1-key">The key neglect_type is used by another field</a>' in page
    assert 'href="#id_fields-1-ordinal">Only a field answered with one of a list of choices can be an ordered' in page
    assert (
        '<a href="#id_fields-2-choices">The value a is given to two choices: give each choice its own value</a>' in page
    )
    assert_unchanged(audit)


def test_a_date_that_happened_can_be_any_real_date(client_for: ClientFor, cast: Cast) -> None:
    audit = _audit(cast)
    client = client_for("coordinator")
    url = edit_url(audit, "edit_timeline")
    data = {**open_form(client, url), "milestones-1-actual_day": ["3"], "milestones-1-actual_month": ["July"]}
    data["milestones-1-actual_year"] = ["2026"]
    assert client.post(url, data).status_code == 302
    assert audit_definition(audit).timeline[1].actual == datetime.date(2026, 7, 3)
