"""A return from assignment to acceptance, as the agency's people use it in the browser."""

from collections.abc import Callable
from typing import Any

from django.core import mail
from django.test import Client

from maca.audits.models import Theme
from maca.partnerships.models import AccessAction, AccessLogEntry
from maca.returns.models import AgencyReturn, ReturnEvent, ReturnStatus
from maca.returns.tests.factories import make_return
from maca.tests.cast import Cast

ClientFor = Callable[[str], Client]

URL = "/audits/anytown-approved-2025/returns/NEG-02/AGA/"


def _themes(agency_return: AgencyReturn) -> list[Theme]:
    return list(agency_return.audit.themes.order_by("position"))


def _post(client: Client, url: str, data: dict[str, object], **extra: object) -> int:
    version = AgencyReturn.objects.get(case__reference="NEG-02").version
    return client.post(url, {"version": version, **data, **extra}).status_code


SHARING_DONE: dict[str, object] = {
    "plan_ended_happened": "yes",
    "plan_ended_told": "no",
    "plan_started_happened": "no",
    "strategy_discussion_happened": "no",
}


def test_an_auditor_completes_a_return_and_the_agency_lead_accepts_it(
    client_for: ClientFor, cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    agency_return = make_return(cast)
    recognition, response = _themes(agency_return)
    lead, auditor = client_for("agency_lead_a"), client_for("auditor_a")

    # The agency lead gives the return to the auditor, who is told by e-mail.
    assert auditor.get(URL + f"themes/{recognition.pk}/").status_code == 403  # not theirs yet
    auditor_a = cast["auditor_a"]
    assert auditor_a is not None
    with django_capture_on_commit_callbacks(execute=True):
        assert lead.post(URL + "assign/", {"auditor": auditor_a.pk}).status_code == 302
    assert [message.to for message in mail.outbox] == [["auditor.a@example.org"]]

    # The task list with the child's profile, then the first theme: saved half done, and on to the next page.
    page = auditor.get(URL).content.decode()
    assert "You have completed 0 of 3 sections" in page
    assert "The child: case NEG-02" in page
    assert "SEN support" in page
    assert "Was neglect recognised early?" in auditor.get(URL + f"themes/{recognition.pk}/").content.decode()
    response_page = auditor.post(
        URL + f"themes/{recognition.pk}/",
        {"version": 1, "q_recognised": "yes", "grade": "Good", "went_well": "Early help was offered.", "continue": ""},
    )
    assert response_page.status_code == 302
    assert response_page["Location"] == URL + f"themes/{response.pk}/"
    agency_return.refresh_from_db()
    assert agency_return.status == ReturnStatus.IN_PROGRESS
    assert agency_return.answers["recognised"] == "yes"
    assert "In progress" in auditor.get(URL).content.decode()

    # Submitting with answers missing lists each, linked to its field.
    refused = auditor.post(URL + "check/", {"version": agency_return.version})
    assert refused.status_code == 400
    text = refused.content.decode()
    assert f'href="{URL}themes/{recognition.pk}/#id_q_grade_recognition_0"' in text
    assert "Response: select the grade for this theme" in text
    assert f'href="{URL}sharing/#id_plan_ended_happened_0"' in text

    assert (
        _post(
            auditor,
            URL + f"themes/{recognition.pk}/",
            {"q_recognised": "yes", "q_grade_recognition": "Good", "grade": "Good"},
        )
        == 302
    )
    assert (
        _post(auditor, URL + f"themes/{response.pk}/", {"q_response_speed": "days", "grade": "Requires improvement"})
        == 302
    )
    assert _post(auditor, URL + "sharing/", SHARING_DONE) == 302
    check = auditor.get(URL + "check/").content.decode()
    assert "Within days" in check
    assert "Requires improvement" in check
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(auditor, URL + "check/", {}) == 302
    agency_return.refresh_from_db()
    assert agency_return.status == ReturnStatus.SUBMITTED
    assert mail.outbox[-1].to == ["lead.a@example.org"]
    # Submitted: read-only for the auditor; the coordinator now reads it.
    assert auditor.get(URL + "sharing/").status_code == 403
    assert client_for("coordinator").get(URL).status_code == 200

    # The agency lead returns it with a reason, the auditor amends and resubmits, the lead accepts.
    assert lead.post(URL + "decision/", {"decision": "return"}).status_code == 400
    assert lead.post(URL + "decision/", {"decision": "return", "reason": "Add what the child said."}).status_code == 302
    assert "Add what the child said." in auditor.get(URL).content.decode()
    assert (
        _post(
            auditor,
            URL + f"themes/{response.pk}/",
            {"q_response_speed": "days", "grade": "Good", "child_voice": "He said school felt safe."},
        )
        == 302
    )
    assert _post(auditor, URL + "check/", {}) == 302
    assert lead.post(URL + "decision/", {"decision": "accept"}).status_code == 302
    agency_return.refresh_from_db()
    assert agency_return.status == ReturnStatus.ACCEPTED
    assert lead.get(URL + f"themes/{response.pk}/").status_code == 403

    # Every step is in the history the agency lead reads, and in the access log.
    actions = list(agency_return.events.values_list("action", flat=True))
    assert actions[0] == ReturnEvent.Action.ASSIGNED
    assert actions[-3:] == ["saved", "submitted", "accepted"]
    assert actions.count("returned") == 1
    history = lead.get(URL + "history/").content.decode()
    assert "He said school felt safe." in history
    views = AccessLogEntry.objects.filter(action=AccessAction.VIEWED, object_repr__contains="NEG-02")
    assert {entry.changes.get("page", [None, ""])[1] for entry in views} >= {"", "Recognition", "Check your answers"}

    # The audit lead re-opens it with a reason.
    assert (
        client_for("audit_lead").post(URL + "reopen/", {"reason": "The panel asks for the dates."}).status_code == 302
    )
    agency_return.refresh_from_db()
    assert agency_return.status == ReturnStatus.RETURNED


def test_bad_answers_are_named_and_nothing_is_saved(client_for: ClientFor, cast: Cast) -> None:
    agency_return = make_return(cast)
    recognition, _ = _themes(agency_return)
    lead = client_for("agency_lead_a")
    bad = lead.post(URL + f"themes/{recognition.pk}/", {"version": 1, "q_recognised": "maybe", "grade": "Brilliant"})
    assert bad.status_code == 400
    text = bad.content.decode()
    assert '<a href="#id_grade_0">Select a grade from the audit’s grading scale</a>' in text
    assert '<a href="#id_q_recognised_0">Select one of the options for “Was neglect recognised early?”</a>' in text
    sharing = lead.post(
        URL + "sharing/",
        {
            "version": 1,
            "plan_ended_happened": "yes",
            "plan_ended_told": "yes",
            "plan_ended_told_on_day": "3",
            "plan_ended_told_on_month": "2",
            "plan_ended_told_on_year": "2024",
            "plan_started_happened": "no",
            "plan_started_told": "yes",
        },
    )
    assert sharing.status_code == 400
    text = sharing.content.decode()
    assert "The date must be the same as or after 1 January 2025" in text
    assert "Leave this empty, or answer Yes to whether it happened during the scope period" in text
    agency_return.refresh_from_db()
    assert (agency_return.version, agency_return.answers, agency_return.sharing) == (1, {}, {})
    assert not agency_return.events.exists()


def test_a_page_saved_after_someone_elses_change_is_refused(client_for: ClientFor, cast: Cast) -> None:
    agency_return = make_return(cast)
    recognition, _ = _themes(agency_return)
    lead = client_for("agency_lead_a")
    assert lead.post(URL + f"themes/{recognition.pk}/", {"version": 1, "q_recognised": "no"}).status_code == 302
    stale = lead.post(URL + f"themes/{recognition.pk}/", {"version": 1, "q_recognised": "yes"})
    assert stale.status_code == 409
    assert "Someone else changed this return" in stale.content.decode()
    agency_return.refresh_from_db()
    assert agency_return.answers["recognised"] == "no"


def test_the_returns_page_offers_the_agencys_workbook(client_for: ClientFor, cast: Cast) -> None:
    make_return(cast)
    lead_page = client_for("agency_lead_a").get("/audits/anytown-approved-2025/returns/").content.decode()
    assert "/returns/workbook/AGA.xlsx" in lead_page
    assert "/returns/workbook/AGA/upload/" in lead_page
    auditor_page = client_for("auditor_a").get("/audits/anytown-approved-2025/returns/").content.decode()
    assert "/returns/workbook/AGA.xlsx" in auditor_page
    assert "/upload/" not in auditor_page
    assert "workbook" not in client_for("coordinator").get("/audits/anytown-approved-2025/returns/").content.decode()
