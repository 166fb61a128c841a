"""An agency's draft stays with the agency: a marker planted in every field of a draft return and a draft
self-assessment is found, over every page and download of maca, by that agency's people and nobody else.

The draft is agency B's return, submitted once and returned for amendment (so the audit lead and the panel have read
an earlier version), then rewritten with the marker in every answer, narrative and sharing field; and agency B's
self-assessment, with the marker in every statement's evidence and in an evidence file's name and content. Agency
A's return is submitted and moderation is open, so every page that can show submitted content has some to show.
Every GET route of the project (the API's too, as it lands) is requested as every member of the cast, a lead of
agency B and a panel member; a document (PDF, DOCX, XLSX) is read as its text.
"""

import io
import itertools
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
from django.conf import LazySettings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponseBase
from django.test import Client
from django.urls import NoReverseMatch, reverse

from maca.accounts.models import User
from maca.accounts.tests.factories import UserFactory, enrol_totp
from maca.audits.models import Audit, Question, Theme
from maca.cases.models import Case
from maca.cases.services import involvement_add, involvement_confirm
from maca.partnerships.models import Membership, Role
from maca.returns import services as returns
from maca.returns.models import AgencyReturn
from maca.returns.sharing import SHARING_EVENTS
from maca.returns.tests.factories import make_included_case
from maca.selfassessment.files import check_evidence_file
from maca.selfassessment.models import EvidenceFile, Rating
from maca.selfassessment.services import AnswerData, self_assessment_save_area
from maca.selfassessment.tests.helpers import add_lead_b, add_wider_participant, areas, current
from maca.tests.cast import CAST, Cast
from maca.tests.test_url_access import Route, routes

pytestmark = pytest.mark.django_db

MARK = "Qz7draftmark"
# The routes of other people's code (the admin, which is for superusers, and the account pages of allauth).
NOT_OURS = ("admin:", "account_", "mfa_", "<unnamed>")


def _person(cast: Cast, name: str) -> User:
    user = cast[name]
    assert user is not None
    return user


def _write(agency_return: AgencyReturn, actor: User, words: str) -> None:
    """Fill in every field of a return a person can write, each with `words` where it takes text."""
    audit = agency_return.audit
    for theme in Theme.objects.filter(audit=audit).order_by("position"):
        answers: dict[str, Any] = {}
        for question in theme.questions.all():
            answers[question.key] = {
                "yes_no": "yes",
                "grade": "Good",
                "choice": (question.choices or [{"value": ""}])[0]["value"],
            }.get(question.answer_type, f"{words} ({question.key})")
        agency_return.refresh_from_db()
        narrative = {
            key: f"{words} ({theme.name} {key})" for key in ("went_well", "worried", "child_voice", "difference")
        }
        returns.return_save(
            actor=actor,
            agency_return=agency_return,
            loaded_version=agency_return.version,
            section=theme.name,
            answers=answers,
            judgement=(str(theme.pk), {"grade": "Good", **narrative}),
        )
    agency_return.refresh_from_db()
    sharing = {
        event.key: {"happened": "yes", "told": "yes", "told_on": "2025-03-14", "told_by": f"{words} ({event.key})"}
        for event in SHARING_EVENTS
    }
    returns.return_save(
        actor=actor,
        agency_return=agency_return,
        loaded_version=agency_return.version,
        section="Sharing",
        sharing=sharing,
    )
    agency_return.refresh_from_db()


def _submit(agency_return: AgencyReturn, actor: User) -> None:
    agency_return.refresh_from_db()
    returns.return_submit(actor=actor, agency_return=agency_return, loaded_version=agency_return.version)


def _docx(words: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(f"Training records: {words}.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _self_assess(cast: Cast, actor: User, words: str, *, agency_b: bool) -> None:
    audit = cast.approved_audit
    assert audit is not None
    agency = cast.agency_b if agency_b else cast.agency_a
    for area in areas(cast):
        assessment = audit.self_assessments.filter(agency=agency).first()
        answers = {
            statement.pk: AnswerData(
                Rating.PARTLY, f"{words} (statement {statement.pk})", current(assessment, statement.pk)
            )
            for statement in area.statements.all()
        }
        evidence = []
        if area.position == 1:
            upload = SimpleUploadedFile(f"{words} notes.docx", _docx(words), content_type="application/octet-stream")
            evidence = [check_evidence_file(upload)]
        self_assessment_save_area(
            actor=actor, audit=audit, agency=agency, area=area, answers=answers, evidence=evidence
        )


@pytest.fixture
def scene(cast: Cast, settings: LazySettings, tmp_path: Path) -> dict[str, Any]:
    """Agency B's draft with the marker everywhere, beside agency A's submitted return; moderation open."""
    settings.MEDIA_ROOT = tmp_path / "media"
    audit = cast.approved_audit
    assert audit is not None
    coordinator, lead_a = cast.coordinator, _person(cast, "agency_lead_a")
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
    _write(return_a, lead_a, "Agency A found the school's notes helpful")
    _submit(return_a, lead_a)
    _write(return_b, lead_b, "Agency B's first version")
    _submit(return_b, lead_b)
    returns.return_decide(actor=lead_b, agency_return=return_b, accept=False, reason="Add the dates of the visits.")
    _write(return_b, lead_b, MARK)
    returns.moderation_open(actor=coordinator, audit=audit)

    add_wider_participant(cast, cast.agency_a)
    _self_assess(cast, lead_a, "Agency A's policy of 2025", agency_b=False)
    _self_assess(cast, lead_b, MARK, agency_b=True)
    return {"audit": audit, "case": case, "lead_b": lead_b, "panel": panel}


def _candidates(cast: Cast, scene: dict[str, Any]) -> dict[str, list[Any]]:
    """The values each URL parameter is tried with: every object of the scene a route can name."""
    audit: Audit = scene["audit"]
    case: Case = scene["case"]
    people = [scene["lead_b"], _person(cast, "auditor_b")]
    return {
        "slug": [cast.partnership.slug],
        "reference": [audit.reference],
        "case": [case.reference],
        "code": [cast.agency_a.short_code, cast.agency_b.short_code],
        "theme": list(Theme.objects.filter(audit=audit).values_list("pk", flat=True)),
        "position": [1, 2, 3, 4, 5],
        "pk": [*EvidenceFile.objects.values_list("pk", flat=True), *(person.pk for person in people)],
        "fmt": ["html", "docx", "pdf", "xlsx", "csv"],
        "layout": ["briefing", "seven-minute", "report"],
        "audience": ["professionals", "public"],
        "number": [1],
        "name": ["briefing.pdf"],
        "section": ["background"],
        "kind": ["case_audit", "wider_audit"],
    }


def _urls(route: Route, candidates: dict[str, list[Any]]) -> Iterator[str]:
    if any(param not in candidates for param in route.params):
        return
    for values in itertools.product(*(candidates[param] for param in route.params)):
        try:
            yield reverse(route.name, kwargs=dict(zip(route.params, values, strict=True)))
        except NoReverseMatch:
            continue


def _text(response: HttpResponseBase) -> str:
    """What a reader of the response sees: its headers (a file's name) and its page, or the text inside a PDF, DOCX,
    XLSX or CSV."""
    headers = " ".join(f"{name}: {value}" for name, value in response.items())
    streaming = getattr(response, "streaming_content", None)
    body = b"".join(streaming) if streaming is not None else getattr(response, "content", b"")
    if body.startswith(b"%PDF"):
        result = subprocess.run(["pdftotext", "-", "-"], input=body, capture_output=True, check=True)  # noqa: S607
        return headers + result.stdout.decode("utf-8", "replace").replace("\n", " ")
    if body.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return headers + " ".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    return headers + body.decode("utf-8", "replace")


def test_a_draft_is_read_by_its_own_agency_alone(cast: Cast, scene: dict[str, Any]) -> None:
    people: dict[str, User | None] = {name: cast[name] for name in CAST}
    people |= {"lead_b": scene["lead_b"], "panel_member": scene["panel"]}
    agency_b = {"auditor_b", "lead_b"}
    clients = {}
    for name, user in people.items():
        clients[name] = Client()
        if user is not None:
            clients[name].force_login(user)
    candidates = _candidates(cast, scene)
    seen_by: dict[str, set[str]] = {name: set() for name in people}
    requested = 0
    for route in routes():
        if route.name.startswith(NOT_OURS):
            continue
        for url in _urls(route, candidates):
            for name, client in clients.items():
                response = client.get(url)
                requested += 1
                assert response.status_code < 500, f"{url} as {name}: {response.status_code}"
                if response.status_code == 200 and MARK in _text(response):
                    seen_by[name].add(route.name)
    leaks = {name: sorted(names) for name, names in seen_by.items() if names and name not in agency_b}
    assert leaks == {}
    # The walk reached the draft: agency B's own people read it on its pages and in its files.
    for name in agency_b:
        assert {"returns:workbook", "selfassessment:area", "selfassessment:evidence"} <= seen_by[name], name
    assert "returns:detail" in seen_by["auditor_b"]  # read-only: the return is not theirs to write
    assert {"returns:theme", "returns:sharing", "returns:check", "returns:history"} <= seen_by["lead_b"]
    assert requested > 1000
