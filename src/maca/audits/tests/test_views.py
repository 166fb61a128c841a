"""The audit pages as people use them: creating audits, the lifecycle, reading and downloading the documents.
Who may open each page at all is declared in maca/tests/url_expectations.py."""

import zipfile
from collections.abc import Callable
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from maca.audits.definition import audit_definition, dump_definition
from maca.audits.models import Audit, AuditStatus
from maca.audits.tests.factories import make_audit
from maca.partnerships.models import AccessAction, AccessLogEntry
from maca.tests.cast import Cast

ClientFor = Callable[[str], Client]


def test_creating_an_audit_from_a_template(client_for: ClientFor, cast: Cast) -> None:
    client = client_for("coordinator")
    page = client.get("/p/anytown/audits/new/").content.decode()
    assert "From the template: Child neglect" in page
    assert "From the template: Harmful sexual behaviour" in page
    response = client.post(
        "/p/anytown/audits/new/",
        {"title": "Neglect audit 2027", "reference": "anytown-neglect-2027", "start": "template:neglect"},
        follow=True,
    )
    assert response.redirect_chain == [("/audits/anytown-neglect-2027/", 302)]
    page = response.content.decode()
    assert "Neglect audit 2027 has been created as a draft." in page
    assert "Left out of the template, as this partnership does not have it" in page
    assert "govuk-task-list" in page
    assert "Incomplete" in page  # the agencies taking part still need choosing
    audit = Audit.objects.get(reference="anytown-neglect-2027")
    assert (audit.template_key, audit.status, audit.partnership) == ("neglect", AuditStatus.DRAFT, cast.partnership)


def test_creating_an_audit_with_mistakes_names_each_and_creates_nothing(client_for: ClientFor, cast: Cast) -> None:
    client = client_for("coordinator")
    response = client.post("/p/anytown/audits/new/", {"title": "", "reference": "Not A Reference", "start": "copy"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter the title of the audit" in page
    assert "Use lower-case letters, digits and single hyphens" in page
    assert "Choose the past audit to copy" in page
    response = client.post(
        "/p/anytown/audits/new/", {"title": "T", "reference": "anytown-neglect-2026", "start": "blank"}
    )
    assert "An audit with the reference anytown-neglect-2026 already exists" in response.content.decode()
    assert Audit.objects.count() == 2


def test_copying_a_past_audit(client_for: ClientFor, cast: Cast) -> None:
    assert cast.approved_audit is not None
    client = client_for("coordinator")
    response = client.post(
        "/p/anytown/audits/new/",
        {"title": "Next year", "reference": "next-year", "start": "copy", "copy_from": cast.approved_audit.pk},
    )
    assert response.status_code == 302
    copy = Audit.objects.get(reference="next-year")
    assert copy.copied_from == cast.approved_audit
    assert copy.themes.count() == cast.approved_audit.themes.count()
    response = client.post("/audits/anytown-approved-2025/copy/", {"title": "Again", "reference": "again"})
    assert response.status_code == 302
    assert Audit.objects.filter(reference="again", copied_from=cast.approved_audit).exists()


def _upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("audit.yaml", text.encode("utf-8"), content_type="application/yaml")


def test_importing_a_definition_in_the_browser(client_for: ClientFor, cast: Cast) -> None:
    assert cast.audit is not None
    text = dump_definition(audit_definition(cast.audit))
    client = client_for("coordinator")
    bad = text.replace("anytown-neglect-2026", "imported").replace("target_cases: 6", "target_cases: many")
    response = client.post("/p/anytown/audits/import/", {"file": _upload(bad)})
    assert response.status_code == 400
    line = bad.splitlines().index("  target_cases: many") + 1
    assert f"line {line}: identification.target_cases: must be a whole number" in response.content.decode()
    assert not Audit.objects.filter(reference="imported").exists()
    response = client.post(
        "/p/anytown/audits/import/", {"file": _upload(text.replace("anytown-neglect-2026", "imported"))}, follow=True
    )
    assert response.redirect_chain == [("/audits/imported/", 302)]
    assert (
        "The audit definition has been imported: Multi-Agency Case Audit on Neglect (imported)."
        in response.content.decode()
    )
    assert Audit.objects.get(reference="imported").themes.count() == 2
    binary = SimpleUploadedFile("audit.yaml", b"\xff\xfe\x00", content_type="application/yaml")
    response = client.post("/p/anytown/audits/import/", {"file": binary})
    assert "The file must be a text file in UTF-8" in response.content.decode()


def test_review_approval_and_a_new_version_in_the_browser(client_for: ClientFor, cast: Cast) -> None:
    assert cast.audit is not None
    coordinator, lead = client_for("coordinator"), client_for("audit_lead")
    url = "/audits/anytown-neglect-2026/"
    assert "Send the Terms of Reference for review" in coordinator.get(url + "send-for-review/").content.decode()
    assert coordinator.post(url + "send-for-review/").status_code == 302
    page = lead.get(url).content.decode()
    assert "waiting for the audit lead’s approval" in page
    assert 'href="/audits/anytown-neglect-2026/approve/"' in page
    assert coordinator.post(url + "approve/").status_code == 403  # the coordinator does not approve
    response = lead.post(url + "approve/", follow=True)
    assert "Version 1 of the Terms of Reference has been approved." in response.content.decode()
    cast.audit.refresh_from_db()
    assert cast.audit.status == AuditStatus.APPROVED
    # Locked: editing sends people back to the audit's page.
    response = coordinator.get(url + "edit/details/", follow=True)
    assert "Start a new version to change it" in response.content.decode()
    assert coordinator.post(url + "new-version/").status_code == 302
    cast.audit.refresh_from_db()
    assert (cast.audit.status, cast.audit.tor_version) == (AuditStatus.DRAFT, 2)
    page = coordinator.get(url).content.decode()
    assert "Approved versions" in page
    assert "?version=1" in page
    assert "Version 1" in coordinator.get(url + "terms-of-reference/?version=1").content.decode()
    assert coordinator.get(url + "terms-of-reference/?version=9").status_code == 404


def test_a_draft_with_gaps_cannot_be_sent_and_says_why(client_for: ClientFor, cast: Cast) -> None:
    client = client_for("coordinator")
    client.post("/p/anytown/audits/new/", {"title": "Blank", "reference": "blank", "start": "blank"})
    response = client.post("/audits/blank/send-for-review/")
    assert response.status_code == 400
    assert "background: must not be empty" in response.content.decode()
    assert Audit.objects.get(reference="blank").status == AuditStatus.DRAFT


def test_returning_for_changes_needs_a_reason(client_for: ClientFor, cast: Cast) -> None:
    client_for("coordinator").post("/audits/anytown-neglect-2026/send-for-review/")
    lead = client_for("audit_lead")
    response = lead.post("/audits/anytown-neglect-2026/return/", {"reason": ""})
    assert response.status_code == 400
    assert "Say what needs to change" in response.content.decode()
    assert lead.post("/audits/anytown-neglect-2026/return/", {"reason": "Add the police."}).status_code == 302
    assert Audit.objects.get(reference="anytown-neglect-2026").status == AuditStatus.DRAFT


def test_every_member_reads_an_approved_terms_of_reference_but_no_draft(client_for: ClientFor, cast: Cast) -> None:
    reader = client_for("governance_reader")
    assert reader.get("/audits/anytown-approved-2025/").status_code == 200
    page = reader.get("/audits/anytown-approved-2025/terms-of-reference/").content.decode()
    assert "What is neglect?" in page
    assert "A footnote about the first paragraph." in page
    assert "Start a new version" not in reader.get("/audits/anytown-approved-2025/").content.decode()
    assert reader.get("/audits/anytown-neglect-2026/").status_code == 404
    listing = reader.get("/p/anytown/audits/").content.decode()
    assert "anytown-approved-2025" in listing
    assert "anytown-neglect-2026" not in listing


@pytest.mark.parametrize(("fmt", "content_type"), [("docx", "officedocument"), ("pdf", "pdf"), ("html", "html")])
def test_downloading_the_terms_of_reference_is_logged(
    client_for: ClientFor, cast: Cast, fmt: str, content_type: str
) -> None:
    response = client_for("auditor_b").get(f"/audits/anytown-approved-2025/terms-of-reference.{fmt}")
    assert response.status_code == 200
    assert content_type in response["Content-Type"]
    assert f'filename="anytown-approved-2025-terms-of-reference-v1.{fmt}"' in response["Content-Disposition"]
    if fmt == "docx":
        assert zipfile.is_zipfile(BytesIO(response.content))
    entry = AccessLogEntry.objects.get(action=AccessAction.EXPORTED)
    assert entry.agency == cast.agency_b
    assert entry.changes == {"Terms of Reference": [None, f"version 1, {fmt}"]}
    assert client_for("auditor_b").get("/audits/anytown-approved-2025/terms-of-reference.exe").status_code == 404


def test_a_draft_document_is_named_as_a_draft(client_for: ClientFor, cast: Cast) -> None:
    response = client_for("audit_lead").get("/audits/anytown-neglect-2026/terms-of-reference.html")
    assert 'filename="anytown-neglect-2026-terms-of-reference-v1-draft.html"' in response["Content-Disposition"]
    assert "Draft" in response.content.decode()


def test_the_definition_downloads_as_the_file_import_reads(client_for: ClientFor, cast: Cast) -> None:
    assert cast.audit is not None
    response = client_for("coordinator").get("/audits/anytown-neglect-2026/definition.yaml")
    assert response.content.decode() == dump_definition(audit_definition(cast.audit))
    assert AccessLogEntry.objects.filter(action=AccessAction.EXPORTED).count() == 1


def test_choosing_the_lead(client_for: ClientFor, cast: Cast) -> None:
    client = client_for("coordinator")
    page = client.get("/audits/anytown-neglect-2026/lead/").content.decode()
    assert "Ali Lead" in page
    assert "Ada Auditor" not in page  # only people with the audit lead role
    auditor = cast["auditor_a"]
    assert auditor is not None
    response = client.post("/audits/anytown-neglect-2026/lead/", {"lead": auditor.pk})
    assert response.status_code == 400


def test_the_audit_list_makes_as_many_queries_for_many_audits_as_for_few(client_for: ClientFor, cast: Cast) -> None:
    client = client_for("coordinator")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/p/anytown/audits/").status_code == 200
        return len(queries)

    few = count()
    for n in range(5):
        make_audit(cast.partnership, reference=f"more-{n}")
    assert count() == few


def test_the_partnership_logo_is_on_the_documents(
    client_for: ClientFor, cast: Cast, settings: object, tmp_path: object
) -> None:
    from maca.partnerships.tests.test_logo import tiny_png

    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    coordinator = client_for("coordinator")
    upload = SimpleUploadedFile("logo.png", tiny_png(), content_type="image/png")
    assert coordinator.post("/p/anytown/logo/", {"logo": upload}).status_code == 302
    docx = coordinator.get("/audits/anytown-approved-2025/terms-of-reference.docx").content
    media = [name for name in zipfile.ZipFile(BytesIO(docx)).namelist() if name.startswith("word/media/")]
    assert media
    assert zipfile.ZipFile(BytesIO(docx)).read(media[0]) == tiny_png()
    page = coordinator.get("/audits/anytown-approved-2025/terms-of-reference.html").content.decode()
    assert "data:image/png;base64," in page


def test_the_draft_of_a_new_version_is_not_shown_to_readers(client_for: ClientFor, cast: Cast) -> None:
    """After a new version is started, members who may not change the audit still read the approved version."""
    assert cast.approved_audit is not None
    coordinator = client_for("coordinator")
    assert coordinator.post("/audits/anytown-approved-2025/new-version/").status_code == 302
    Audit.objects.filter(pk=cast.approved_audit.pk).update(background="Unapproved draft wording.")
    reader = client_for("auditor_b")
    for url in [
        "/audits/anytown-approved-2025/terms-of-reference/",
        "/audits/anytown-approved-2025/terms-of-reference.html",
    ]:
        response = reader.get(url)
        assert response.status_code == 200
        assert "Unapproved draft wording." not in response.content.decode()
        assert "A first paragraph." in response.content.decode()
    assert "Unapproved draft wording." not in reader.get("/audits/anytown-approved-2025/").content.decode()
    assert (
        "Unapproved draft wording."
        in coordinator.get("/audits/anytown-approved-2025/terms-of-reference/").content.decode()
    )
    assert reader.get("/audits/anytown-approved-2025/terms-of-reference/?version=%C2%B2").status_code == 404


def test_an_approved_version_keeps_the_names_it_was_approved_with(client_for: ClientFor, cast: Cast) -> None:
    """Renaming agencies (or reusing a short code) after approval does not change the approved document."""
    from maca.partnerships.services import agency_update

    agency_update(actor=cast.coordinator, agency=cast.agency_a, loaded_version=1, short_code="AGZ", name="Renamed A")
    agency_update(actor=cast.coordinator, agency=cast.agency_b, loaded_version=1, short_code="AGA", name="Renamed B")
    page = client_for("auditor_b").get("/audits/anytown-approved-2025/terms-of-reference/").content.decode()
    assert "Agency A – Team A1" in page
    assert "Renamed" not in page
