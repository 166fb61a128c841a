"""The analysis page and its download: who may open them and who may not, what they log, the narrative's filter
and pages, and a number of queries that does not grow with the cases."""

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from maca.analysis import panel, views
from maca.audits.models import Audit
from maca.partnerships.models import AccessAction, AccessLogEntry
from maca.returns.models import AgencyReturn
from maca.tests.cast import Cast

from .builders import add_agencies, add_panel_member, fill, make_analysis_audit

pytestmark = pytest.mark.django_db

ClientFor = Callable[[str], Client]


@pytest.fixture
def audit(cast: Cast) -> Audit:
    found = make_analysis_audit(cast)
    fill(found, cast, cases=3, agencies=add_agencies(cast, 2))
    return found


def _get(client: Client, audit: Audit, name: str = "analysis:overview", query: str = "") -> Any:
    return client.get(reverse(name, args=[audit.reference]) + query)


@pytest.mark.parametrize("name", ["analysis:overview", "analysis:download"])
@pytest.mark.parametrize(
    ("member", "status"),
    [
        ("coordinator", 200),
        ("audit_lead", 200),
        ("agency_lead_a", 403),
        ("auditor_a", 403),
        ("auditor_b", 403),
        ("governance_reader", 403),
        ("outsider", 404),
    ],
)
def test_who_may_open_the_analysis(client_for: ClientFor, audit: Audit, name: str, member: str, status: int) -> None:
    response = _get(client_for(member), audit, name)
    assert response.status_code == status


def test_anonymous_people_are_sent_to_log_in(audit: Audit) -> None:
    response = _get(Client(), audit)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_panel_reads_it_once_moderation_opens(cast: Cast, audit: Audit) -> None:
    client = Client()
    client.force_login(add_panel_member(cast))
    assert _get(client, audit).status_code == 403
    assert _get(client, audit, "analysis:download").status_code == 403
    audit.moderation_opened_at = timezone.now()
    audit.save(update_fields=["moderation_opened_at"])
    assert _get(client, audit).status_code == 200
    assert _get(client, audit, "analysis:download").status_code == 200


def test_a_draft_audit_is_hidden_from_those_who_cannot_see_it(client_for: ClientFor, cast: Cast) -> None:
    assert cast.audit is not None
    assert _get(client_for("coordinator"), cast.audit).status_code == 200
    assert _get(client_for("agency_lead_a"), cast.audit).status_code == 404


def test_the_page_shows_every_section_and_is_logged(client_for: ClientFor, cast: Cast, audit: Audit) -> None:
    response = _get(client_for("coordinator"), audit)
    page = response.content.decode()
    for anchor in ("cohort", "funnel", "completeness", "grades", "agreement", "sharing", "voice", "transition"):
        assert f'id="{anchor}"' in page
    assert 'id="narrative"' in page
    assert "<caption" in page
    assert page.count('role="img"') >= 5
    assert "style=" not in page  # the Content-Security-Policy allows no inline style
    assert "Agency 01 was not told in 3 of 3 cases where it said it happened." in page
    assert reverse("analysis:download", args=[audit.reference]) in page
    entry = AccessLogEntry.objects.get(object_id=str(audit.pk), action=AccessAction.VIEWED)
    assert entry.actor == cast.coordinator
    assert entry.changes == {"viewed": [None, "analysis"]}


def test_the_narrative_of_one_agency_links_to_its_returns(client_for: ClientFor, audit: Audit) -> None:
    page = _get(client_for("coordinator"), audit, query="?agency=AG02").content.decode()
    narrative = page[page.index('id="narrative"') :]
    assert "AG02 kept in touch with C-001." in narrative
    assert "AG01 kept in touch" not in narrative
    assert reverse("returns:detail", args=[audit.reference, "C-001", "AG02"]) in narrative
    assert '<option value="AG02" selected>' in narrative
    entry = AccessLogEntry.objects.filter(action=AccessAction.VIEWED).latest("pk")
    assert entry.changes == {"viewed": [None, "analysis (narrative of AG02)"]}
    # An agency that is not among the returns' shows everyone's.
    everyone = _get(client_for("coordinator"), audit, query="?agency=NOPE").content.decode()
    assert "AG01 kept in touch with C-001." in everyone


def test_the_narrative_in_pages(client_for: ClientFor, audit: Audit, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(views, "NARRATIVE_PAGE_SIZE", 4)
    client = client_for("coordinator")
    first = _get(client, audit, query="?agency=AG02").content.decode()
    # AG02 has 3 cases × (2 themes × went well + 2 × the child's voice + notes) = 15 narrative answers: 4 pages.
    assert "Showing 1 to 4 of 15 answers of one agency." in first
    assert 'href="?agency=AG02&amp;page=2#narrative" rel="next"' in first
    last = _get(client, audit, query="?agency=AG02&page=4").content.decode()
    assert "Showing 13 to 15 of 15 answers of one agency." in last
    assert 'href="?agency=AG02&amp;page=3#narrative" rel="prev"' in last


@pytest.fixture
def panel_grades(audit: Audit) -> Iterator[None]:
    """The panel lowered agency AG01's grade of the first theme of case C-001 (as moderation records it)."""
    first = AgencyReturn.objects.get(audit=audit, case__reference="C-001", agency__short_code="AG01")
    theme = audit.themes.get(position=1)
    panel.register_moderated_grades(lambda found: {(first.pk, theme.pk): "Inadequate"} if found == audit else {})
    yield
    panel.register_moderated_grades(None)


def test_the_agencies_grades_beside_the_panels(client_for: ClientFor, audit: Audit, panel_grades: None) -> None:
    client = client_for("coordinator")
    before = _get(client, audit).content.decode()
    assert "There are no moderated grades yet" in before
    audit.moderation_opened_at = timezone.now()
    audit.save(update_fields=["moderation_opened_at"])
    page = _get(client, audit).content.decode()
    assert 'id="grades-panel"' in page
    compared = page[page.index('id="grades-panel-compared"') :]
    # Recognition: 6 grades moderated, 5 kept, none raised, 1 lowered.
    start = compared.index("Recognition")
    row = compared[start : compared.index("</tr>", start)]
    assert [int(n) for n in re.findall(r">(\d+)</td>", row)] == [6, 5, 0, 1]


def test_the_download_is_logged_as_an_export(client_for: ClientFor, cast: Cast, audit: Audit) -> None:
    response = _get(client_for("audit_lead"), audit, "analysis:download")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == f'attachment; filename="{audit.reference}-analysis.xlsx"'
    entry = AccessLogEntry.objects.get(object_id=str(audit.pk), action=AccessAction.EXPORTED)
    assert entry.actor == cast["audit_lead"]


def _queries(client: Client, audit: Audit) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = _get(client, audit)
    assert response.status_code == 200
    return len(queries)


def test_the_queries_do_not_grow_with_the_cases(client_for: ClientFor, cast: Cast) -> None:
    small = make_analysis_audit(cast)
    agencies = add_agencies(cast, 5)
    fill(small, cast, cases=2, agencies=agencies[:2])
    client = client_for("coordinator")
    few = _queries(client, small)
    small.delete()
    large = make_analysis_audit(cast)
    fill(large, cast, cases=25, agencies=agencies)
    assert _queries(client, large) == few
