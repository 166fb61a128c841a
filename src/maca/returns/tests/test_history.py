"""A return's history and its access log keep an agency's draft words with the agency.

The agency's lead reads the whole history; the audit lead reads it only once the return is submitted, and then sees
which fields each save changed, never what the draft said. The access log records the names of the fields a save
changed, never their values, so the coordinator reading it learns nothing of a draft.
"""

from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.test import Client

from maca.audits.models import Theme
from maca.partnerships.models import AccessAction, AccessLogEntry
from maca.partnerships.services import NOT_LOGGED
from maca.returns.models import AgencyReturn, ReturnStatus
from maca.returns.tests.factories import make_return
from maca.tests.cast import Cast

ClientFor = Callable[[str], Client]

URL = "/audits/anytown-approved-2025/returns/NEG-02/AGA/"
DRAFT_WORDS = "Early help was offered after the second referral."


def _save(client: Client, agency_return: AgencyReturn, url: str, data: dict[str, object]) -> None:
    agency_return.refresh_from_db()
    assert client.post(url, {"version": agency_return.version, **data}).status_code == 302


def _write_the_whole_return(client: Client, agency_return: AgencyReturn) -> None:
    recognition, response = list(Theme.objects.filter(audit=agency_return.audit).order_by("position"))
    _save(
        client,
        agency_return,
        f"{URL}themes/{recognition.pk}/",
        {"q_recognised": "yes", "q_grade_recognition": "Good", "grade": "Good", "went_well": DRAFT_WORDS},
    )
    _save(client, agency_return, f"{URL}themes/{response.pk}/", {"q_response_speed": "days", "grade": "Good"})
    _save(
        client,
        agency_return,
        f"{URL}sharing/",
        {
            "plan_ended_happened": "yes",
            "plan_ended_told": "no",
            "plan_started_happened": "no",
            "strategy_discussion_happened": "no",
        },
    )


def test_the_audit_lead_reads_no_draft_in_the_history_and_the_coordinator_none_in_the_log(
    client_for: ClientFor, cast: Cast
) -> None:
    agency_return = make_return(cast)
    lead, audit_lead, coordinator = client_for("agency_lead_a"), client_for("audit_lead"), client_for("coordinator")
    _write_the_whole_return(lead, agency_return)

    # A draft: its agency's lead reads every word of its history; the audit lead may not open it.
    assert DRAFT_WORDS in lead.get(URL + "history/").content.decode()
    assert audit_lead.get(URL + "history/").status_code == 403

    # The access log names the fields each save changed, never what was written.
    saves = AccessLogEntry.objects.filter(
        action=AccessAction.CHANGED,
        content_type=ContentType.objects.get_for_model(AgencyReturn),
        object_id=str(agency_return.pk),
    )
    assert saves.exists()
    logged = [entry.changes for entry in saves]
    assert any("Recognition: went_well" in changes for changes in logged)
    assert all(value == [None, NOT_LOGGED] for changes in logged for value in changes.values())
    log_page = coordinator.get("/p/anytown/access-log/").content.decode()
    assert "Recognition: went_well" in log_page
    assert DRAFT_WORDS not in log_page

    # Submitted: the audit lead reads the history, with the fields that changed but not the draft's words.
    agency_return.refresh_from_db()
    assert lead.post(URL + "check/", {"version": agency_return.version}).status_code == 302
    agency_return.refresh_from_db()
    assert agency_return.status == ReturnStatus.SUBMITTED
    history = audit_lead.get(URL + "history/")
    assert history.status_code == 200
    page = history.content.decode()
    assert "Recognition: went_well" in page
    assert DRAFT_WORDS not in page
    assert "What was written in a draft stays with Agency A" in page
    assert "Submitted" in page
    assert DRAFT_WORDS in lead.get(URL + "history/").content.decode()
