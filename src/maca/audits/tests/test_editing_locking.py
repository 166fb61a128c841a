"""The locks on editing: a Terms of Reference in review or approved is not edited, and of two editors working from
the same version the second is told and saves nothing. Also the services' own refusals, for input that a page
would never send (another partnership's agencies, say): whatever reaches them, nothing is half-saved.
"""

import datetime
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError

from maca.audits import editing
from maca.audits.definition import audit_definition
from maca.audits.models import Audit, AuditStatus
from maca.audits.services import audit_approve, audit_start_new_version, audit_submit_for_review
from maca.audits.tests.factories import small_definition
from maca.audits.tests.test_editing_support import ClientFor, assert_unchanged, edit_url, open_form
from maca.common.versioning import ChangedSinceLoaded
from maca.partnerships.models import AccessLogEntry
from maca.partnerships.tests.factories import AgencyServiceFactory, GovernanceGroupFactory
from maca.tests.cast import Cast

EDIT_PAGES: list[tuple[str, dict[str, Any]]] = [
    ("edit_details", {}),
    ("edit_text", {"section": "purpose"}),
    ("edit_themes", {}),
    ("add_theme", {}),
    ("edit_theme", {"position": 1}),
    ("remove_theme", {"position": 1}),
    ("edit_questions", {"position": 1}),
    ("edit_identification", {}),
    ("edit_engagement", {}),
    ("edit_participants", {"kind": "wider_audit"}),
    ("edit_timeline", {}),
    ("edit_grading", {}),
    ("edit_case_fields", {}),
]


def _audit(cast: Cast) -> Audit:
    assert cast.audit is not None
    return cast.audit


def _messages(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.mark.parametrize(("name", "kwargs"), EDIT_PAGES)
def test_an_approved_audit_is_not_edited(client_for: ClientFor, cast: Cast, name: str, kwargs: dict[str, Any]) -> None:
    audit = cast.approved_audit
    assert audit is not None
    version = audit.version
    url = edit_url(audit, name, **kwargs)
    for response in (client_for("coordinator").get(url), client_for("audit_lead").post(url, {"version": version})):
        assert response.status_code == 302
        assert response["Location"] == f"/audits/{audit.reference}/"
        assert _messages(response) == ["The Terms of Reference is approved. Start a new version to change it."]
    audit.refresh_from_db()
    assert (audit.version, audit.status) == (version, AuditStatus.APPROVED)


@pytest.mark.parametrize(("name", "kwargs"), EDIT_PAGES)
def test_an_audit_in_review_is_not_edited(client_for: ClientFor, cast: Cast, name: str, kwargs: dict[str, Any]) -> None:
    audit = _audit(cast)
    client = client_for("coordinator")
    data = client.get(edit_url(audit, name, **kwargs))  # Opened while still a draft.
    assert data.status_code == 200
    audit_submit_for_review(actor=cast.coordinator, audit=audit)
    version = audit.version
    response = client.post(edit_url(audit, name, **kwargs), {"version": version})
    assert response.status_code == 302
    assert response["Location"] == f"/audits/{audit.reference}/"
    assert "The Terms of Reference is in review." in _messages(response)[0]
    audit.refresh_from_db()
    assert audit.version == version
    assert audit_definition(audit) == small_definition()


def test_the_second_of_two_editors_is_told_and_saves_nothing(client_for: ClientFor, cast: Cast) -> None:
    audit = _audit(cast)
    first, second = client_for("coordinator"), client_for("audit_lead")
    url = edit_url(audit, "edit_details")
    first_data, second_data = open_form(first, url), open_form(second, url)
    assert first.post(url, {**first_data, "topic": ["Neglect of babies"]}).status_code == 302
    response = second.post(url, {**second_data, "title": ["The lead’s title"]})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else changed this audit after you opened this page" in page
    assert 'value="Neglect of babies"' in page  # The page shows the current data...
    assert 'name="version" value="2"' in page  # ...and can be saved from again.
    audit.refresh_from_db()
    assert (audit.title, audit.topic, audit.version) == ("Multi-Agency Case Audit on Neglect", "Neglect of babies", 2)
    assert AccessLogEntry.objects.filter(object_id=str(audit.pk), actor=cast["audit_lead"]).count() == 0


def test_an_edit_of_another_section_also_makes_a_page_stale(client_for: ClientFor, cast: Cast) -> None:
    audit = _audit(cast)
    first, second = client_for("coordinator"), client_for("audit_lead")
    questions_url = edit_url(audit, "edit_questions", position=1)
    questions = open_form(second, questions_url)
    grading_url = edit_url(audit, "edit_grading")
    assert first.post(grading_url, {**open_form(first, grading_url), "grades": ["Good\nPoor"]}).status_code == 302
    response = second.post(questions_url, {**questions, "questions-0-text": ["Changed by the lead"]})
    assert response.status_code == 409
    page = response.content.decode()
    assert "changed" in page
    assert "Was neglect recognised early?</textarea>" in page
    assert audit.themes.get(position=1).questions.get(position=1).text == "Was neglect recognised early?"


def test_the_services_refuse_a_locked_or_stale_audit(cast: Cast) -> None:
    approved = cast.approved_audit
    assert approved is not None
    with pytest.raises(ValidationError, match="approved, so it cannot be changed"):
        editing.grading_scale_update(
            actor=cast.coordinator, audit=approved, loaded_version=approved.version, grades=["A", "B"]
        )
    audit = _audit(cast)
    with pytest.raises(ChangedSinceLoaded):
        editing.grading_scale_update(actor=cast.coordinator, audit=audit, loaded_version=7, grades=["A", "B"])
    assert_unchanged(audit)


def test_the_services_refuse_what_is_not_the_partnerships(cast: Cast) -> None:
    audit = _audit(cast)
    other_agency = cast.other_partnership.agencies.get()
    other_service = AgencyServiceFactory.create(agency=cast.agency_b, name="Team B1")
    other_group = GovernanceGroupFactory.create(partnership=cast.other_partnership, name="Elsewhere Board")
    common: dict[str, Any] = {"actor": cast.coordinator, "audit": audit, "loaded_version": 1}
    with pytest.raises(ValidationError, match="Agency X is not an agency of Anytown"):
        editing.identification_update(
            **common,
            heading="Identification",
            text="Text",
            identifying_agencies=[editing.AgencyChoice(other_agency)],
            target_cases=3,
            scope_start=datetime.date(2025, 1, 1),
            scope_end=datetime.date(2025, 2, 1),
            age_min=None,
            age_max=None,
            phases=[],
            include_send=False,
        )
    with pytest.raises(ValidationError, match="Team B1 is not a service of Agency A"):
        editing.participants_update(
            **common,
            kind="case_audit",
            heading="Case audit",
            participants=[editing.ParticipantData(cast.agency_a, [other_service])],
        )
    with pytest.raises(ValidationError, match="Elsewhere Board is not a governance group of Anytown"):
        editing.timeline_update(
            **common,
            heading="Timeline",
            milestones=[editing.MilestoneData("report", "Report to", "2026-07", reports_to=other_group)],
        )
    assert_unchanged(audit)


def test_the_services_check_the_schemas_rules(cast: Cast) -> None:
    audit = _audit(cast)
    common: dict[str, Any] = {"actor": cast.coordinator, "audit": audit, "loaded_version": 1}
    with pytest.raises(ValidationError, match="scope_end is before scope_start"):
        editing.identification_update(
            **common,
            heading="Identification",
            text="Text",
            identifying_agencies=[editing.AgencyChoice(cast.agency_b)],
            target_cases=3,
            scope_start=datetime.date(2025, 2, 1),
            scope_end=datetime.date(2025, 1, 1),
            age_min=None,
            age_max=None,
            phases=[],
            include_send=False,
        )
    with pytest.raises(ValidationError, match="question key 'grade_recognition' appears twice"):
        editing.theme_questions_update(
            **common,
            theme=audit.themes.get(position=2),
            questions=[editing.QuestionData("Graded?", "grade", key="grade_recognition")],
        )
    with pytest.raises(ValidationError, match="needs at least two choices"):
        editing.case_fields_update(**common, fields=[editing.CaseFieldData("Kind", "choice", choices=[])])
    with pytest.raises(ValidationError, match="Theme: objectives"):
        editing.theme_create(**common, name="Outcomes", objectives=[" "])
    assert_unchanged(audit)


def test_nothing_is_half_saved(cast: Cast) -> None:
    """The groups are set before the audit is checked as a whole; a title too long undoes them too."""
    audit = _audit(cast)
    with pytest.raises(ValidationError, match="at most 300 characters"):
        editing.tor_details_update(
            actor=cast.coordinator,
            audit=audit,
            loaded_version=1,
            title="T" * 301,
            short_title="Short",
            topic="Topic",
            version_date=datetime.date(2026, 1, 1),
            governance_groups=[],
        )
    assert_unchanged(audit)
    assert list(audit.governance_groups.values_list("name", flat=True)) == ["Business Group"]


def test_a_page_opened_before_a_lifecycle_step_is_stale_after_it(client_for: ClientFor, cast: Cast) -> None:
    """Opened while version 1 was a draft; posted after it was approved and version 2 started: refused."""
    audit = _audit(cast)
    client = client_for("coordinator")
    url = edit_url(audit, "edit_details")
    data = open_form(client, url)
    lead = cast["audit_lead"]
    assert lead is not None
    audit_submit_for_review(actor=cast.coordinator, audit=audit)
    audit_approve(actor=lead, audit=audit)
    audit_start_new_version(actor=cast.coordinator, audit=audit)
    response = client.post(url, {**data, "topic": ["Written on an old page"]})
    assert response.status_code == 409
    audit.refresh_from_db()
    assert audit.topic == "Neglect"


def test_taking_the_same_step_twice_is_refused_the_second_time(cast: Cast) -> None:
    audit = _audit(cast)
    lead = cast["audit_lead"]
    assert lead is not None
    audit_submit_for_review(actor=cast.coordinator, audit=audit)
    stale = Audit.objects.get(pk=audit.pk)  # the second approver's page
    audit_approve(actor=lead, audit=audit)
    with pytest.raises(ValidationError, match="in review"):
        audit_approve(actor=lead, audit=stale)
    assert audit.tor_versions.count() == 1
