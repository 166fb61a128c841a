"""Moderation as people use it in the browser: a panel member moderates a grade and adds a finding linked to
evidence, following the pages' own links; the audit lead signs off; the findings are then locked; the governance
reader reads them without the evidence. Bad input is answered with the error summary and saves nothing."""

import html
import re
from collections.abc import Callable

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from maca.partnerships.models import AccessAction, AccessLogEntry
from maca.tests.cast import Cast

from ..models import BriefingHeading, Evidence, Finding, FindingsVersion, ModeratedGrade, Recommendation
from ..services import recommendation_add
from .factories import approved, make_finding, make_panel_member, open_moderation, submitted_return, themes

ClientFor = Callable[[str], Client]
URL = "/audits/anytown-approved-2025/moderation/"
NO_EVIDENCE = 'govuk-tag--yellow">No evidence'


def _page(response: object) -> str:
    return html.unescape(response.content.decode())  # type: ignore[attr-defined]


def _link(page: str, text: str) -> str:
    """The href of the first link whose text starts with `text` (as a person would click it)."""
    match = re.search(r'href="([^"]+)"[^>]*>\s*' + re.escape(text), page)
    assert match is not None, f"no link “{text}”"
    return match.group(1)


def _errors(page: str) -> list[str]:
    summary = page.split('govuk-error-summary__list">', 1)[-1].split("</ul>", 1)[0]
    return [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li>(.*?)</li>", summary, re.DOTALL)]


def _panel_client(cast: Cast) -> Client:
    client = Client()
    client.force_login(make_panel_member(cast))
    return client


def test_a_panel_member_moderates_a_grade_and_adds_a_finding_with_evidence_and_the_lead_signs_off(
    cast: Cast, client_for: ClientFor
) -> None:
    agency_return = submitted_return(cast)
    recognition = themes(cast)[0]
    open_moderation(cast)
    panel = _panel_client(cast)

    # The moderation page lists the submitted return with the agency's grades, each with a link to moderate it.
    overview = _page(panel.get(URL))
    assert "NEG-02" in overview
    grade_url = _link(overview, "Moderate")
    assert grade_url == f"{URL}grades/NEG-02/AGA/{recognition.pk}/"

    # The grade page shows the agency's grade and narrative; a different grade needs a reason.
    grade_page = _page(panel.get(grade_url))
    assert "The agency’s grade" in grade_page
    assert "The neglect was named late." in grade_page
    refused = panel.post(grade_url, {"version": 0, "grade": "Requires improvement", "reason": ""})
    assert refused.status_code == 400
    assert _errors(_page(refused)) == ["Give the reason for the panel’s grade"]
    off_scale = panel.post(grade_url, {"version": 0, "grade": "Excellent", "reason": "Why."})
    assert off_scale.status_code == 400
    assert _errors(_page(off_scale)) == ["Choose a grade on the audit’s scale"]
    assert not ModeratedGrade.objects.exists()
    saved = panel.post(grade_url, {"version": 0, "grade": "Requires improvement", "reason": "Named late."})
    assert saved.status_code == 302
    overview = _page(panel.get(saved["Location"]))
    assert "Panel: Requires improvement" in overview
    assert ModeratedGrade.objects.get().moderated_by.email == "panel.b@example.org"  # type: ignore[union-attr]

    # A finding under the first heading: the page's link chooses the heading.
    add_url = _link(overview, "Add a finding")
    heading = BriefingHeading.objects.get(audit=approved(cast), position=1)
    assert add_url == f"{URL}findings/add/?heading={heading.pk}"
    add_page = _page(panel.get(add_url))
    assert re.search(rf'value="{heading.pk}"[^>]*checked', add_page)
    empty = panel.post(add_url, {"heading": heading.pk, "text": "  "})
    assert empty.status_code == 400
    assert _errors(_page(empty)) == ["Enter the finding"]
    added = panel.post(add_url, {"heading": heading.pk, "text": "Neglect was named late by every agency."})
    assert added.status_code == 302
    finding = Finding.objects.get()
    finding_page = _page(panel.get(added["Location"]))
    assert NO_EVIDENCE in finding_page

    # Its evidence: the return, an answer in it, a figure, each chosen from its list.
    returns_url = _link(finding_page, "Choose the returns behind it")
    assert f'value="{agency_return.pk}"' in _page(panel.get(returns_url))
    assert panel.post(returns_url, {"version": 1, "returns": [agency_return.pk]}).status_code == 302
    answers_page = _page(panel.get(_link(finding_page, "Choose answers in a return behind it")))
    answer_url = _link(answers_page, "NEG-02 – Agency A")
    answer_page = _page(panel.get(answer_url))
    assert "The neglect was named late." in answer_page
    chosen = panel.post(answer_url, {"version": 2, "answers": [f"{recognition.pk}:worried"]})
    assert chosen.status_code == 302
    figures_url = _link(finding_page, "Choose the figures behind it")
    assert "Cases included" in _page(panel.get(figures_url))
    assert panel.post(figures_url, {"version": 3, "figures": ["funnel.included"]}).status_code == 302
    finding_page = _page(panel.get(f"{URL}findings/{finding.pk}/"))
    assert NO_EVIDENCE not in finding_page
    assert "Return:" in finding_page
    assert "“The neglect was named late.”" in finding_page
    assert 'href="/audits/anytown-approved-2025/analysis/#funnel">Cases included</a>: 1' in finding_page

    # Only the audit lead signs off: what is signed off is shown first.
    assert panel.get(f"{URL}sign-off/").status_code == 403
    lead = client_for("audit_lead")
    sign_off_page = _page(lead.get(_link(_page(lead.get(URL)), "Sign off the findings")))
    assert "Neglect was named late by every agency." in sign_off_page
    revision = re.search(r'name="revision" value="(\d+)"', sign_off_page)
    assert revision is not None
    signed = lead.post(f"{URL}sign-off/", {"revision": revision.group(1)})
    assert signed.status_code == 302
    assert signed["Location"] == f"{URL}versions/1/"
    version_page = _page(lead.get(signed["Location"]))
    assert "Neglect was named late by every agency." in version_page
    assert "“The neglect was named late.”" in version_page
    assert "Named late." in version_page  # the moderated grade's reason

    # Locked: the panel's pages go back to the moderation page, saying why, and nothing changes.
    locked = panel.post(grade_url, {"version": 1, "grade": "Inadequate", "reason": "Later."})
    assert locked.status_code == 302
    assert "The findings are signed off" in _page(panel.get(locked["Location"]))
    assert ModeratedGrade.objects.get().grade == "Requires improvement"
    assert panel.get(f"{URL}findings/{finding.pk}/").status_code == 302

    # The governance reader reads the findings and the recommendations, never the evidence or the grades.
    reader_page = _page(client_for("governance_reader").get(f"{URL}versions/1/"))
    assert "Neglect was named late by every agency." in reader_page
    assert "NEG-02" not in reader_page
    assert "The neglect was named late." not in reader_page
    assert "Moderated grades" not in reader_page

    viewed = AccessLogEntry.objects.filter(action=AccessAction.VIEWED).values_list("actor_email", "changes")
    assert ("panel.b@example.org", {"viewed": [None, "moderation"]}) in list(viewed)
    assert ("reader@example.org", {"viewed": [None, "findings version 1"]}) in list(viewed)


def test_a_stale_grade_page_is_refused_and_shows_the_current_grade(cast: Cast, client_for: ClientFor) -> None:
    submitted_return(cast)
    recognition = themes(cast)[0]
    coordinator, lead = client_for("coordinator"), client_for("audit_lead")
    url = f"{URL}grades/NEG-02/AGA/{recognition.pk}/"
    assert lead.post(url, {"version": 0, "grade": "Inadequate", "reason": "Too late."}).status_code == 302
    stale = coordinator.post(url, {"version": 0, "grade": "Outstanding", "reason": "Quick."})
    assert stale.status_code == 409
    assert "Someone else changed this grade" in _page(stale)
    assert 'value="Inadequate" checked' in _page(stale) or re.search(r'value="Inadequate"[^>]*checked', _page(stale))
    assert ModeratedGrade.objects.get().grade == "Inadequate"


def test_evidence_can_only_be_chosen_from_this_audits_lists(cast: Cast, client_for: ClientFor) -> None:
    finding = make_finding(cast, evidence=False)
    coordinator = client_for("coordinator")
    refused = coordinator.post(f"{URL}findings/{finding.pk}/evidence/returns/", {"version": 1, "returns": ["999999"]})
    assert refused.status_code == 400
    assert _errors(_page(refused)) == ["Choose submitted returns of this audit"]
    figure = coordinator.post(f"{URL}findings/{finding.pk}/evidence/figures/", {"version": 1, "figures": ["made.up"]})
    assert figure.status_code == 400
    assert _errors(_page(figure)) == ["Choose figures the analysis computes for this audit"]
    assert not Evidence.objects.exists()
    # A return not submitted is not offered for its answers.
    assert coordinator.get(f"{URL}findings/{finding.pk}/evidence/answers/NEG-01/AGA/").status_code == 404


def test_headings_and_recommendations_through_their_pages(cast: Cast, client_for: ClientFor) -> None:
    finding = make_finding(cast)
    coordinator = client_for("coordinator")
    page = _page(coordinator.get(f"{URL}headings/"))
    assert 'value="What are we worried about?"' in page
    headings = list(BriefingHeading.objects.filter(audit=approved(cast)).order_by("position"))
    data: dict[str, object] = {
        "version": 1,
        "headings-TOTAL_FORMS": 5,
        "headings-INITIAL_FORMS": 5,
    }
    for index, heading in enumerate(headings):
        data |= {f"headings-{index}-item": heading.pk, f"headings-{index}-text": heading.text}
    data["headings-0-DELETE"] = "on"  # the heading with the finding
    refused = coordinator.post(f"{URL}headings/", data)
    assert refused.status_code == 400
    assert _errors(_page(refused)) == [
        "“What are we worried about?” has 1 finding under it: move it under another heading, or remove it, "
        "before removing the heading"
    ]
    del data["headings-0-DELETE"]
    data["headings-3-text"] = "What Good Practice did we see?"
    assert coordinator.post(f"{URL}headings/", data).status_code == 302
    assert BriefingHeading.objects.get(pk=headings[3].pk).text == "What Good Practice did we see?"

    add = f"{URL}recommendations/add/"
    assert f"1. {finding.text}" in _page(coordinator.get(add))
    missing = coordinator.post(add, {"text": "Train everyone.", "governance_group": cast.group.pk})
    assert missing.status_code == 400
    assert _errors(_page(missing)) == ["Choose the findings that support the recommendation"]
    assert (
        coordinator.post(
            add, {"text": "Train everyone.", "governance_group": cast.group.pk, "findings": [finding.pk]}
        ).status_code
        == 302
    )
    overview = _page(coordinator.get(URL))
    assert "Train everyone." in overview
    assert "Supports recommendation 1." in overview
    assert Recommendation.objects.get().findings.get() == finding


def test_the_moderation_page_reads_in_the_same_number_of_queries_however_much_there_is(
    cast: Cast, client_for: ClientFor
) -> None:
    finding = make_finding(cast)
    recommendation_add(
        actor=cast.coordinator, audit=approved(cast), text="Train.", governance_group=cast.group, findings=[finding]
    )
    client = client_for("coordinator")
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    for number in range(4):
        more = make_finding(cast, f"Finding {number}.")
        recommendation_add(
            actor=cast.coordinator,
            audit=approved(cast),
            text=f"Do {number}.",
            governance_group=cast.group,
            findings=[more],
        )
    submitted_return(cast, "NEG-03")
    with CaptureQueriesContext(connection) as many:
        assert client.get(URL).status_code == 200
    assert len(many) == len(few)
    assert len(few) <= 40
    assert not FindingsVersion.objects.exists()
