"""The purge leaves no trace of a closed audit's case-level data: a marker planted in every case-level field and
file of the audit is found, once the retention period has run out and the purge has run, in no page or download
of maca, no file under MEDIA_ROOT and no row of the database; while the findings (with their figures) and the
published public briefing still read as before.

The marker is in: a case's topic values and decision reason (through the service, so the access log holds it
too), an agency's record number, every answer, narrative, judgement and sharing field of a return (its history
holds them as well), the return's topic values, the panel's reason for a moderated grade, a narrative answer cited
as a finding's evidence (live and in the signed-off version), and the self-assessment's evidence in words and an
evidence file's name and content.
"""

import io
import re
import zipfile
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
from django.conf import LazySettings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from maca.audits.models import Audit, Theme
from maca.cases.models import AgencyRecordNumber, Case, Decision
from maca.cases.services import case_decide
from maca.findings.models import Evidence, EvidenceKind, Finding
from maca.findings.services import evidence_set_answers, evidence_set_figures, finding_add, grade_moderate
from maca.findings.tests.factories import first_heading, lead, sign_off
from maca.outputs.models import Audience, Layout, PublishedFile
from maca.outputs.services import publication_publish
from maca.partnerships.models import AccessLogEntry
from maca.retention.models import AuditClosure
from maca.retention.purge import PURGE_ACTOR, purge_due
from maca.retention.services import audit_close
from maca.returns.models import AgencyReturn
from maca.returns.services import moderation_open
from maca.returns.tests.factories import make_included_case
from maca.selfassessment.models import EvidenceFile
from maca.selfassessment.tests.helpers import add_wider_participant
from maca.tests.cast import Cast
from maca.tests.test_url_access import routes
from maca.tests.walking import NOT_OURS, readable_text, route_values, self_assess, submit_return, urls_of, write_return

pytestmark = pytest.mark.django_db

MARK = "Zx9retainmark"
CaptureCallbacks = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]


def _approved(cast: Cast) -> Audit:
    assert cast.approved_audit is not None
    return cast.approved_audit


def plant(cast: Cast) -> dict[str, Any]:
    """The marker in every case-level field and file of the cast's approved audit; its findings signed off with a
    quote and a figure as evidence, and its learning briefing published to the public."""
    audit = _approved(cast)
    lead_a = cast["agency_lead_a"]
    assert lead_a is not None
    assert cast.case is not None
    case_decide(actor=cast.coordinator, case=cast.case, decision=Decision.EXCLUDED, reason=f"{MARK} (excluded)")
    case = make_included_case(cast)
    Case.objects.filter(pk=case.pk).update(topic_values={"setting": f"{MARK} (case topic)"})
    AgencyRecordNumber.objects.update_or_create(case=case, agency=cast.agency_a, defaults={"number": f"{MARK}-record"})
    agency_return = AgencyReturn.objects.get(case=case, agency=cast.agency_a)
    write_return(agency_return, lead_a, MARK)
    AgencyReturn.objects.filter(pk=agency_return.pk).update(topic_values={"setting": f"{MARK} (return topic)"})
    submit_return(agency_return, lead_a)
    agency_return.refresh_from_db()
    moderation_open(actor=cast.coordinator, audit=audit)

    theme = Theme.objects.get(audit=audit, position=1)
    finding = finding_add(
        actor=cast.coordinator, audit=audit, heading=first_heading(cast), text="Neglect was recognised late."
    )
    evidence_set_answers(
        actor=cast.coordinator,
        finding=finding,
        loaded_version=finding.version,
        agency_return=agency_return,
        answers=[(theme.pk, "worried")],
    )
    finding.refresh_from_db()
    evidence_set_figures(
        actor=cast.coordinator, finding=finding, loaded_version=finding.version, keys=["funnel.nominated"]
    )
    other_grade = next(str(grade) for grade in audit.grading_scale if str(grade) != "Good")
    grade_moderate(
        actor=cast.coordinator,
        agency_return=agency_return,
        theme_id=theme.pk,
        grade=other_grade,
        reason=f"{MARK} (the panel's reason)",
        loaded_version=0,
    )
    sign_off(cast)
    publication = publication_publish(actor=lead(cast), audit=audit, layout=Layout.BRIEFING, audience=Audience.PUBLIC)

    add_wider_participant(cast, cast.agency_a)
    self_assess(cast, lead_a, MARK, agency_b=False)
    return {"audit": audit, "case": case, "lead_b": cast.coordinator, "publication": publication}


def database() -> str:
    """Every row of the database as text, with the published files' content read as the text a reader sees."""
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    files = " ".join(_file_text(bytes(item.content)) for item in PublishedFile.objects.all())
    return out.getvalue() + files


def _file_text(content: bytes) -> str:
    class Response(dict[str, str]):
        def __init__(self, body: bytes) -> None:
            super().__init__()
            self.content = body

    return readable_text(Response(content))  # type: ignore[arg-type]


def _without_nonce(page: bytes) -> bytes:
    """A page without its script nonce, which differs on every request."""
    return re.sub(rb'nonce="[^"]*"', b"", page)


def media(root: Path) -> str:
    """Every file under MEDIA_ROOT: its path, its bytes, and the members of a zipped document (DOCX, XLSX)."""
    found = []
    for path in sorted(root.rglob("*")) if root.exists() else []:
        if path.is_file():
            body = path.read_bytes()
            found.append(f"{path} {body.decode('utf-8', 'replace')}")
            if body.startswith(b"PK"):
                with zipfile.ZipFile(io.BytesIO(body)) as archive:
                    found += [archive.read(name).decode("utf-8", "replace") for name in archive.namelist()]
    return " ".join(found)


def test_after_the_purge_the_marker_is_nowhere_and_the_findings_and_briefing_remain(
    cast: Cast, settings: LazySettings, tmp_path: Path, django_capture_on_commit_callbacks: CaptureCallbacks
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    scene = plant(cast)
    audit: Audit = scene["audit"]
    assert MARK in database()
    assert MARK in media(tmp_path / "media")
    assert EvidenceFile.objects.filter(self_assessment__audit=audit).exists()
    candidates = route_values(cast, scene)  # every object's URL as it was, so that the walk asks for the gone ones
    anonymous = Client()
    public_before = anonymous.get(reverse("outputs:public", args=[audit.reference]))
    published_files = {item.name: item.sha256 for item in PublishedFile.objects.all()}
    assert public_before.status_code == 200

    closure = audit_close(actor=cast.coordinator, audit=audit)
    frozen = {figure["key"]: figure["text"] for figure in closure.figures}
    assert frozen["funnel.included"] == "1"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        report = purge_due(today=closure.destroy_on, dry_run=False)
    assert callbacks  # the evidence file leaves storage once the purge commits
    [purged] = report.audits
    assert purged.reference == audit.reference
    assert purged.counts["cases"] == 2
    assert purged.counts["returns"] == 1
    assert purged.counts["evidence_files"] == 1
    assert purged.counts["quotes"] >= 2  # the live evidence and the signed-off version's
    assert purged.counts["log_entries"] > 0

    assert MARK not in database()
    assert MARK not in media(tmp_path / "media")
    coordinator = Client()
    coordinator.force_login(cast.coordinator)
    leaks = []
    for route in routes():
        if route.name.startswith(NOT_OURS):
            continue
        for url in urls_of(route, candidates):
            response = coordinator.get(url)
            assert response.status_code < 500, url
            if response.status_code == 200 and MARK in readable_text(response):
                leaks.append(url)
    assert leaks == []

    # What stays: the published briefing exactly as published, the findings with their figure, the frozen figures.
    public_after = anonymous.get(reverse("outputs:public", args=[audit.reference]))
    assert public_after.status_code == 200
    assert _without_nonce(public_after.content) == _without_nonce(public_before.content)
    assert "Neglect was recognised late." in public_after.content.decode()
    assert published_files == {item.name: item.sha256 for item in PublishedFile.objects.all()}
    version = coordinator.get(reverse("findings:version", args=[audit.reference, 1])).content.decode()
    assert "Neglect was recognised late." in version
    assert "Cases nominated" in version
    live = Evidence.objects.get(finding__audit=audit, kind=EvidenceKind.FIGURE)
    assert (live.label, live.text) == ("Cases nominated", "2")
    assert Finding.objects.filter(audit=audit).count() == 1
    closure.refresh_from_db()
    assert closure.figures
    assert {item["key"]: item["text"] for item in closure.figures} == frozen
    retention = coordinator.get(reverse("retention:audit", args=[audit.reference])).content.decode()
    assert "Figures kept from closure" in retention
    # The destruction is logged, by the schedule, with counts and nothing of what was destroyed.
    entry = AccessLogEntry.objects.get(actor_email=PURGE_ACTOR)
    assert entry.actor is None
    assert entry.object_id == str(closure.pk)
    assert AuditClosure.objects.get(pk=closure.pk).purged_at is not None
