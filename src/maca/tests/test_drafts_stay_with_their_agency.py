"""An agency's draft stays with the agency: a marker planted in every field of a draft return and a draft
self-assessment is found, over every page and download of maca, by that agency's people and nobody else.

The draft is agency B's return, submitted once and returned for amendment (so the audit lead and the panel have read
an earlier version), then rewritten with the marker in every answer, narrative and sharing field; and agency B's
self-assessment, with the marker in every statement's evidence and in an evidence file's name and content. Agency
A's return is submitted and moderation is open, so every page that can show submitted content has some to show.
Every GET route of the project (the API's too, as it lands) is requested as every member of the cast, a lead of
agency B and a panel member; a document (PDF, DOCX, XLSX) is read as its text.
"""

from pathlib import Path
from typing import Any

import pytest
from django.conf import LazySettings
from django.test import Client

from maca.accounts.models import User
from maca.accounts.tests.factories import UserFactory, enrol_totp
from maca.audits.models import Question, Theme
from maca.cases.services import involvement_add, involvement_confirm
from maca.partnerships.models import Membership, Role
from maca.returns import services as returns
from maca.returns.models import AgencyReturn
from maca.returns.tests.factories import make_included_case
from maca.selfassessment.tests.helpers import add_lead_b, add_wider_participant
from maca.tests.cast import CAST, Cast
from maca.tests.test_url_access import routes
from maca.tests.walking import (
    NOT_OURS,
    person,
    readable_text,
    route_values,
    self_assess,
    submit_return,
    urls_of,
    write_return,
)

pytestmark = pytest.mark.django_db

MARK = "Qz7draftmark"


@pytest.fixture
def scene(cast: Cast, settings: LazySettings, tmp_path: Path) -> dict[str, Any]:
    """Agency B's draft with the marker everywhere, beside agency A's submitted return; moderation open."""
    settings.MEDIA_ROOT = tmp_path / "media"
    audit = cast.approved_audit
    assert audit is not None
    coordinator, lead_a = cast.coordinator, person(cast, "agency_lead_a")
    lead_b = add_lead_b(cast)
    panel = UserFactory.create(email="panel.a@example.org", full_name="Pat Panel")
    enrol_totp(panel)
    Membership.objects.create(user=panel, partnership=cast.partnership, role=Role.PANEL_MEMBER, agency=cast.agency_a)
    recognition = Theme.objects.get(audit=audit, position=1)
    Question.objects.create(
        theme=recognition, position=9, key="record_notes", text="What does the record say?", answer_type="text"
    )

    case = make_included_case(cast)
    involvement = involvement_add(actor=coordinator, case=case, agency=cast.agency_b)
    involvement_confirm(actor=lead_b, involvement=involvement, services=[])
    return_a = AgencyReturn.objects.get(case=case, agency=cast.agency_a)
    return_b = AgencyReturn.objects.get(case=case, agency=cast.agency_b)
    write_return(return_a, lead_a, "Agency A found the school's notes helpful")
    submit_return(return_a, lead_a)
    write_return(return_b, lead_b, "Agency B's first version")
    submit_return(return_b, lead_b)
    returns.return_decide(actor=lead_b, agency_return=return_b, accept=False, reason="Add the dates of the visits.")
    write_return(return_b, lead_b, MARK)
    returns.moderation_open(actor=coordinator, audit=audit)

    add_wider_participant(cast, cast.agency_a)
    self_assess(cast, lead_a, "Agency A's policy of 2025", agency_b=False)
    self_assess(cast, lead_b, MARK, agency_b=True)
    return {"audit": audit, "case": case, "lead_b": lead_b, "panel": panel}


def test_a_draft_is_read_by_its_own_agency_alone(cast: Cast, scene: dict[str, Any]) -> None:
    people: dict[str, User | None] = {name: cast[name] for name in CAST}
    people |= {"lead_b": scene["lead_b"], "panel_member": scene["panel"]}
    agency_b = {"auditor_b", "lead_b"}
    clients = {}
    for name, user in people.items():
        clients[name] = Client()
        if user is not None:
            clients[name].force_login(user)
    candidates = route_values(cast, scene)
    seen_by: dict[str, set[str]] = {name: set() for name in people}
    requested = 0
    for route in routes():
        if route.name.startswith(NOT_OURS):
            continue
        for url in urls_of(route, candidates):
            for name, client in clients.items():
                response = client.get(url)
                requested += 1
                assert response.status_code < 500, f"{url} as {name}: {response.status_code}"
                if response.status_code == 200 and MARK in readable_text(response):
                    seen_by[name].add(route.name)
    leaks = {name: sorted(names) for name, names in seen_by.items() if names and name not in agency_b}
    assert leaks == {}
    # The walk reached the draft: agency B's own people read it on its pages and in its files.
    for name in agency_b:
        assert {"returns:workbook", "selfassessment:area", "selfassessment:evidence"} <= seen_by[name], name
    assert "returns:detail" in seen_by["auditor_b"]  # read-only: the return is not theirs to write
    assert {"returns:theme", "returns:sharing", "returns:check", "returns:history"} <= seen_by["lead_b"]
    assert requested > 1000
