"""The coordinator's and the audit lead's pages: the agencies of 6b with their states and leads, an agency's
progress (and its answers once submitted), returning one, and the results as a table and radar charts."""

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from maca.accounts.models import User
from maca.accounts.tests.factories import UserFactory
from maca.partnerships.models import AccessAction, AccessLogEntry, Membership, Role
from maca.partnerships.tests.factories import AgencyFactory
from maca.selfassessment.files import check_evidence_file
from maca.selfassessment.models import Rating, SelfAssessment, State
from maca.selfassessment.services import self_assessment_save_area, self_assessment_submit
from maca.tests.cast import Cast

from .helpers import add_wider_participant, approved, areas, person, rate_area, rate_everything, tiny_pdf

ClientFor = Callable[[str], Client]
CaptureCallbacks = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]
OVERVIEW = "/audits/anytown-approved-2025/self-assessment/"
AGENCY_B = OVERVIEW + "AGB/"


def _submit(cast: Cast, lead: User, agency_code: str = "AGB", rating: str = Rating.PARTLY) -> SelfAssessment:
    agency = cast.agency_b if agency_code == "AGB" else cast.agency_a
    assessment = rate_everything(cast, lead, agency, rating)
    return self_assessment_submit(actor=lead, self_assessment=assessment, loaded_version=assessment.version)


@pytest.mark.parametrize("name", ["coordinator", "audit_lead"])
def test_those_who_oversee_see_every_agency_with_its_state_and_leads(
    both_agencies: Cast, client_for: ClientFor, lead_b: User, name: str
) -> None:
    cast = both_agencies
    rate_area(cast, person(cast, "auditor_a"), cast.agency_a, areas(cast)[0])
    page = client_for(name).get(OVERVIEW).content.decode()
    assert "Agency A" in page
    assert "Agency B" in page
    assert "In progress" in page
    assert "Not started" in page
    assert "5 of 28" in page
    assert 'href="mailto:lead.a@example.org"' in page
    assert 'href="mailto:lead.b@example.org"' in page
    entry = AccessLogEntry.objects.filter(action=AccessAction.VIEWED).latest("pk")
    assert entry.changes == {"viewed": [None, "progress of the self-assessments"]}


def test_an_agency_without_a_lead_is_flagged(client_for: ClientFor, cast: Cast) -> None:
    page = client_for("coordinator").get(OVERVIEW).content.decode()
    assert "No lead" in page
    assert 'href="mailto:auditor.b@example.org"' in page


def test_the_overview_needs_no_more_queries_for_more_agencies(both_agencies: Cast, client_for: ClientFor) -> None:
    cast = both_agencies
    client = client_for("coordinator")
    rate_area(cast, person(cast, "auditor_a"), cast.agency_a, areas(cast)[0])
    with CaptureQueriesContext(connection) as two:
        assert client.get(OVERVIEW).status_code == 200
    for number in range(5):
        agency = AgencyFactory.create(partnership=cast.partnership, name=f"Extra {number}", short_code=f"EX{number}")
        add_wider_participant(cast, agency)
        lead = UserFactory.create()
        Membership.objects.create(user=lead, partnership=cast.partnership, role=Role.AGENCY_LEAD, agency=agency)
        rate_area(cast, lead, agency, areas(cast)[1])
    with CaptureQueriesContext(connection) as seven:
        page = client.get(OVERVIEW).content.decode()
    assert page.count("In progress") == 6  # Agency A and the five more; agency B has not started.
    assert len(seven.captured_queries) == len(two.captured_queries)


def test_a_draft_shows_its_progress_not_its_answers(client_for: ClientFor, cast: Cast) -> None:
    rate_area(cast, person(cast, "auditor_b"), cast.agency_b, areas(cast)[0], Rating.FULLY, "A confidential draft.")
    page = client_for("coordinator").get(AGENCY_B).content.decode()
    assert "In progress" in page
    assert "5 of 28" in page
    assert "has not submitted its self-assessment yet" in page
    assert "A confidential draft." not in page
    assert "Return for changes" not in page
    assert client_for("coordinator").get(AGENCY_B + "check/").status_code == 403
    assert client_for("audit_lead").get(AGENCY_B + "areas/1/").status_code == 403


def test_a_submitted_one_is_read_and_returned_with_a_reason(
    client_for: ClientFor, cast: Cast, lead_b: User, django_capture_on_commit_callbacks: CaptureCallbacks
) -> None:
    area = areas(cast)[0]
    evidence = check_evidence_file(SimpleUploadedFile("Audit report.pdf", tiny_pdf(), content_type="application/pdf"))
    self_assessment_save_area(
        actor=lead_b, audit=approved(cast), agency=cast.agency_b, area=area, answers={}, evidence=[evidence]
    )
    _submit(cast, lead_b)
    coordinator = client_for("coordinator")
    page = coordinator.get(AGENCY_B).content.decode()
    assert "Submitted" in page
    assert "By Bea Lead on" in page
    assert "Partly in place" in page
    assert "Policy, 2025." in page
    assert "Audit report.pdf" in page
    file_url = AGENCY_B + f"evidence/{SelfAssessment.objects.get().evidence_files.get().pk}/"
    assert coordinator.get(file_url).status_code == 200
    assert client_for("governance_reader").get(file_url).status_code == 403
    response = coordinator.post(AGENCY_B + "return/", {"reason": ""})
    assert response.status_code == 400
    assert "Give the reason for returning the self-assessment" in response.content.decode()
    assert SelfAssessment.objects.get().state == State.SUBMITTED
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(
            AGENCY_B + "return/", {"reason": "Area 2 needs dates for its evidence."}, follow=True
        )
    assert "has been returned for changes" in response.content.decode()
    assert SelfAssessment.objects.get().state == State.RETURNED
    [message] = mail.outbox
    assert message.to == ["lead.b@example.org"]
    assert "http://testserver/audits/anytown-approved-2025/self-assessment/AGB/" in message.body
    # Returned, it is a draft again: the coordinator sees its progress, the agency the reason.
    assert "Policy, 2025." not in coordinator.get(AGENCY_B).content.decode()
    assert coordinator.get(file_url).status_code == 404
    page = client_for("auditor_b").get(AGENCY_B).content.decode()
    assert "Returned for changes" in page
    assert "Area 2 needs dates for its evidence." in page
    assert client_for("auditor_b").get(AGENCY_B + "areas/2/").status_code == 200


def test_only_a_submitted_one_is_returned(client_for: ClientFor, cast: Cast) -> None:
    response = client_for("audit_lead").post(AGENCY_B + "return/", {"reason": "Why not?"}, follow=True)
    assert "Only a submitted self-assessment can be returned" in response.content.decode()
    assert not SelfAssessment.objects.exists()


def test_the_results_are_a_table_and_radar_charts(both_agencies: Cast, client_for: ClientFor, lead_b: User) -> None:
    cast = both_agencies
    client = client_for("coordinator")
    assert "No agency has submitted its self-assessment yet" in client.get(OVERVIEW + "results/").content.decode()
    _submit(cast, lead_b, "AGB", Rating.PARTLY)
    _submit(cast, person(cast, "agency_lead_a"), "AGA", Rating.FULLY)
    page = client.get(OVERVIEW + "results/").content.decode()
    assert "From the submitted self-assessments of 2 agencies." in page
    assert page.count("50%") >= 5
    assert page.count("100%") >= 5
    assert "0 fully, 5 partly, 0 not in place" in page
    assert "75%" in page  # The partnership's mean of 50% and 100%.
    assert page.count("<svg") == 3  # The partnership, then each agency against it.
    assert 'role="img"' in page
    assert "Radar chart of the scores of Agency A per area" in page
    entry = AccessLogEntry.objects.filter(action=AccessAction.VIEWED).latest("pk")
    assert entry.changes == {"viewed": [None, "results of the self-assessments"]}


def test_the_results_name_the_agencies_still_to_submit(
    both_agencies: Cast, client_for: ClientFor, lead_b: User
) -> None:
    _submit(both_agencies, lead_b)
    page = client_for("audit_lead").get(OVERVIEW + "results/").content.decode()
    assert "Not yet submitted: Agency A." in page
    assert page.count("<svg") == 2
