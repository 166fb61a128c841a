"""Walking every page and file of maca as the test cast, and filling an agency's part of an audit with given words:
what the tests share that plant a marker in case-level data and look for it everywhere (a draft read by its own
agency alone; an audit purged to leave no trace)."""

import io
import itertools
import subprocess
import zipfile
from collections.abc import Iterator
from typing import Any

import docx
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponseBase
from django.urls import NoReverseMatch, reverse

from maca.accounts.models import User
from maca.audits.models import Audit, Theme
from maca.cases.models import Case
from maca.returns import services as returns
from maca.returns.models import AgencyReturn
from maca.returns.sharing import SHARING_EVENTS
from maca.selfassessment.files import check_evidence_file
from maca.selfassessment.models import EvidenceFile, Rating
from maca.selfassessment.services import AnswerData, self_assessment_save_area
from maca.selfassessment.tests.helpers import areas, current
from maca.tests.cast import Cast
from maca.tests.test_url_access import Route

# The routes of other people's code (the admin, which is for superusers, and the account pages of allauth).
NOT_OURS = ("admin:", "account_", "mfa_", "<unnamed>")


def person(cast: Cast, name: str) -> User:
    user = cast[name]
    assert user is not None
    return user


def write_return(agency_return: AgencyReturn, actor: User, words: str) -> None:
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


def submit_return(agency_return: AgencyReturn, actor: User) -> None:
    agency_return.refresh_from_db()
    returns.return_submit(actor=actor, agency_return=agency_return, loaded_version=agency_return.version)


def docx_with(words: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(f"Training records: {words}.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def self_assess(cast: Cast, actor: User, words: str, *, agency_b: bool) -> None:
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
            upload = SimpleUploadedFile(
                f"{words} notes.docx", docx_with(words), content_type="application/octet-stream"
            )
            evidence = [check_evidence_file(upload)]
        self_assessment_save_area(
            actor=actor, audit=audit, agency=agency, area=area, answers=answers, evidence=evidence
        )


def route_values(cast: Cast, scene: dict[str, Any]) -> dict[str, list[Any]]:
    """The values each URL parameter is tried with: every object of the scene a route can name."""
    audit: Audit = scene["audit"]
    case: Case = scene["case"]
    people = [scene["lead_b"], person(cast, "auditor_b")]
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


def urls_of(route: Route, candidates: dict[str, list[Any]]) -> Iterator[str]:
    if any(param not in candidates for param in route.params):
        return
    for values in itertools.product(*(candidates[param] for param in route.params)):
        try:
            yield reverse(route.name, kwargs=dict(zip(route.params, values, strict=True)))
        except NoReverseMatch:
            continue


def readable_text(response: HttpResponseBase) -> str:
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
