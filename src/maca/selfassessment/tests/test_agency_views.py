"""An agency's own pages as its people use them: the task list, one page per area, evidence files, checking and
signing off. Who may open each page at all is in expectations.py; here, what each sees and does."""

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from maca.accounts.models import User
from maca.partnerships.models import AccessAction, AccessLogEntry
from maca.selfassessment.files import MAX_BYTES
from maca.selfassessment.models import Answer, Area, EvidenceFile, Framework, Rating, SelfAssessment, State
from maca.selfassessment.services import self_assessment_submit
from maca.tests.cast import Cast

from .helpers import areas, current, person, rate_everything, tiny_docx, tiny_pdf

ClientFor = Callable[[str], Client]
AGENCY = "/audits/anytown-approved-2025/self-assessment/AGB/"
FRAMEWORK_AREA = "/audits/anytown-approved-2025/self-assessment/framework/areas/"


def _area(position: int) -> Area:
    return Area.objects.get(framework__audit__reference="anytown-approved-2025", position=position)


def _post(area: Area, rating: str = Rating.FULLY, evidence: str = "Our policy (2025).", **extra: Any) -> dict[str, Any]:
    """The area's page as posted: every statement rated the same, with the same evidence."""
    assessment = SelfAssessment.objects.filter(agency__short_code="AGB").first()
    data: dict[str, Any] = {"then": "continue", **extra}
    for statement in area.statements.all():
        data[f"rating_{statement.pk}"] = rating
        data[f"evidence_{statement.pk}"] = evidence
        data[f"loaded_{statement.pk}"] = current(assessment, statement.pk)
    return data


def _lead_client(lead: User) -> Client:
    client = Client()
    client.force_login(lead)
    return client


def test_an_auditor_fills_in_an_area_with_a_file_and_goes_on_to_the_next(client_for: ClientFor, cast: Cast) -> None:
    client = client_for("auditor_b")
    page = client.get(AGENCY).content.decode()
    assert "Self-assessment of Agency B" in page
    assert page.count("Not yet started") == 5
    assert "1. A continuum of responses to children and young people displaying harmful sexual behaviour" in page
    area_page = client.get(AGENCY + "areas/1/")
    assert area_page.status_code == 200
    text = area_page.content.decode()
    assert "1.1 Our agency works from the partnership" in text
    assert 'type="radio"' in text
    assert "Fully in place" in text
    upload = SimpleUploadedFile("HSB policy.pdf", tiny_pdf(), content_type="application/pdf")
    response = client.post(AGENCY + "areas/1/", _post(_area(1), file=upload))
    assert response.status_code == 302
    assert response["Location"] == AGENCY + "areas/2/"
    assessment = SelfAssessment.objects.get()
    assert (assessment.agency, assessment.state) == (cast.agency_b, State.IN_PROGRESS)
    assert Answer.objects.filter(rating=Rating.FULLY).count() == 5
    assert EvidenceFile.objects.get().name == "HSB policy.pdf"
    page = client.get(AGENCY).content.decode()
    assert "Completed" in page
    assert "5 of 5 statements rated, 1 evidence file" in page
    last = _area(5)
    response = client.post(AGENCY + "areas/5/", _post(last, Rating.NOT_IN_PLACE, "", then="tasks"))
    assert response["Location"] == AGENCY
    logged = AccessLogEntry.objects.filter(actor=person(cast, "auditor_b"), content_type__model="selfassessment")
    assert {entry.action for entry in logged} >= {AccessAction.CREATED, AccessAction.CHANGED}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"rating": "maybe"}, "Statement 1.1: select not in place, partly in place or fully in place"),
        ({"evidence": "x" * 10_001}, "Evidence for statement 1.1 must be 10,000 characters or fewer"),
        ({"file": ("policy.pdf", b"<html>not a pdf</html>")}, "The evidence file must be a PDF, a Word document"),
        ({"file": ("policy.pdf", tiny_pdf() + b"0" * MAX_BYTES)}, "The evidence file must be 10 MB or smaller"),
        ({"file": ("empty.pdf", b"")}, "The evidence file is empty"),
    ],
    ids=["rating", "evidence", "file-type", "file-size", "file-empty"],
)
def test_bad_input_is_named_and_nothing_is_saved(
    client_for: ClientFor, cast: Cast, change: dict[str, Any], message: str
) -> None:
    client = client_for("auditor_b")
    client.get(AGENCY + "areas/1/")
    area = _area(1)
    data = _post(area)
    first = area.statements.all()[0]
    if "rating" in change:
        data[f"rating_{first.pk}"] = change["rating"]
    if "evidence" in change:
        data[f"evidence_{first.pk}"] = change["evidence"]
    if "file" in change:
        name, content = change["file"]
        data["file"] = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = client.post(AGENCY + "areas/1/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "There is a problem" in page
    assert page.count(message) >= 2  # In the error summary and by the field.
    assert not SelfAssessment.objects.exists()
    assert not Answer.objects.exists()
    assert not EvidenceFile.objects.exists()


def test_a_docx_is_accepted_and_downloaded_only_through_the_logged_view(client_for: ClientFor, cast: Cast) -> None:
    client = client_for("auditor_b")
    client.get(AGENCY)
    content = tiny_docx()  # built once: a DOCX's zip headers carry the time it was written
    upload = SimpleUploadedFile("Training plan.docx", content, content_type="application/octet-stream")
    client.post(AGENCY + "areas/5/", _post(_area(5), file=upload))
    evidence = EvidenceFile.objects.get()
    assert evidence.content_type.endswith("wordprocessingml.document")
    response = client.get(f"{AGENCY}evidence/{evidence.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content  # type: ignore[attr-defined]
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Training plan.docx" in response["Content-Disposition"]
    entry = AccessLogEntry.objects.filter(action=AccessAction.VIEWED).latest("pk")
    assert entry.changes == {"viewed": [None, f"evidence file {evidence.pk} of area 5"]}
    # The coordinator does not see a draft's files; nor does anyone outside agency B.
    assert client_for("coordinator").get(f"{AGENCY}evidence/{evidence.pk}/").status_code == 404
    assert client_for("agency_lead_a").get(f"{AGENCY}evidence/{evidence.pk}/").status_code == 403
    assert client_for("outsider").get(f"{AGENCY}evidence/{evidence.pk}/").status_code == 404


def test_removing_an_evidence_file(client_for: ClientFor, cast: Cast) -> None:
    client = client_for("auditor_b")
    client.get(AGENCY)
    upload = SimpleUploadedFile("old.pdf", tiny_pdf(), content_type="application/pdf")
    client.post(AGENCY + "areas/2/", _post(_area(2), file=upload))
    evidence = EvidenceFile.objects.get()
    confirm = client.get(f"{AGENCY}evidence/{evidence.pk}/remove/")
    assert "Remove the evidence file old.pdf?" in confirm.content.decode()
    assert client_for("coordinator").post(f"{AGENCY}evidence/{evidence.pk}/remove/").status_code == 403
    response = client.post(f"{AGENCY}evidence/{evidence.pk}/remove/")
    assert response["Location"] == AGENCY + "areas/2/"
    assert not EvidenceFile.objects.exists()


def test_two_people_on_the_same_area_do_not_overwrite_each_other(
    client_for: ClientFor, cast: Cast, lead_b: User
) -> None:
    auditor, lead = client_for("auditor_b"), _lead_client(lead_b)
    auditor.get(AGENCY)
    area = _area(3)
    loaded_by_lead = _post(area, Rating.NOT_IN_PLACE, "Lead's view.")
    assert auditor.post(AGENCY + "areas/3/", _post(area, Rating.PARTLY, "Auditor's view.")).status_code == 302
    response = lead.post(AGENCY + "areas/3/", loaded_by_lead)
    assert response.status_code == 409
    assert "Someone else changed this self-assessment after you opened this page" in response.content.decode()
    assert set(Answer.objects.values_list("evidence", flat=True)) == {"Auditor's view."}
    # Another area, saved from a page loaded at the same time, is not affected.
    assert lead.post(AGENCY + "areas/4/", _post(_area(4), Rating.FULLY, "Lead's.")).status_code == 302


def test_checking_lists_what_is_missing_and_only_the_lead_signs_off(
    client_for: ClientFor, cast: Cast, lead_b: User
) -> None:
    auditor = client_for("auditor_b")
    auditor.get(AGENCY)
    auditor.post(AGENCY + "areas/1/", _post(_area(1), Rating.FULLY, ""))
    page = auditor.get(AGENCY + "check/").content.decode()
    assert "Statement 1.1 is rated fully in place but has no evidence" in page
    assert "Area 2, Prevention, identification and early assessment: no statement is rated yet" in page
    assert f'href="{AGENCY}areas/1/#id_evidence_{_area(1).statements.all()[0].pk}"' in page
    assert "A lead of Agency B signs the self-assessment off and submits it: Bea Lead" in page
    assert "Sign off and submit</button>" not in page
    assert auditor.post(AGENCY + "check/", {"version": 1}).status_code == 403
    for position in range(1, 6):
        auditor.post(AGENCY + f"areas/{position}/", _post(_area(position), Rating.PARTLY, "Evidence."))
    lead = _lead_client(lead_b)
    page = lead.get(AGENCY + "check/").content.decode()
    assert "Before it can be submitted" not in page
    assert "Sign off and submit</button>" in page
    version = SelfAssessment.objects.get().version
    response = lead.post(AGENCY + "check/", {"version": version}, follow=True)
    assert "The self-assessment of Agency B has been signed off and submitted." in response.content.decode()
    assessment = SelfAssessment.objects.get()
    assert (assessment.state, assessment.submitted_by) == (State.SUBMITTED, lead_b)
    page = auditor.get(AGENCY).content.decode()
    assert "has been submitted. To change it, ask the coordinator" in page
    assert "Partly in place" in page
    assert "Evidence." in page
    assert auditor.get(AGENCY + "areas/1/")["Location"] == AGENCY
    assert lead.get(AGENCY + "check/")["Location"] == AGENCY


def test_a_stale_or_empty_sign_off_is_refused(client_for: ClientFor, cast: Cast, lead_b: User) -> None:
    lead = _lead_client(lead_b)
    response = lead.post(AGENCY + "check/", {"version": 1})
    assert response.status_code == 400
    assert "Rate the statements of every area before submitting" in response.content.decode()
    rate_everything(cast, lead_b, cast.agency_b)
    response = lead.post(AGENCY + "check/", {"version": 1}, follow=True)
    assert "Someone else changed this self-assessment" in response.content.decode()
    response = lead.post(AGENCY + "check/", {"version": "not a number"})
    assert response.status_code == 400
    assert SelfAssessment.objects.get().state == State.IN_PROGRESS


def test_an_unknown_area_or_agency_is_not_found(client_for: ClientFor, cast: Cast) -> None:
    client = client_for("auditor_b")
    assert client.get(AGENCY + "areas/99/").status_code == 404
    assert client.get(AGENCY + "areas/99999999999999999999999/").status_code == 404
    assert client.get(AGENCY + "evidence/99999999999999999999999/").status_code == 404
    assert client_for("coordinator").get(FRAMEWORK_AREA + "99999999999999999999999/").status_code == 404
    assert client.get("/audits/anytown-approved-2025/self-assessment/NOPE/").status_code == 404
    assert client.get("/audits/anytown-approved-2025/self-assessment/AGA/").status_code == 404  # Not in 6b.


def test_agency_a_never_sees_agency_bs(both_agencies: Cast, client_for: ClientFor, lead_b: User) -> None:
    cast = both_agencies
    assessment = rate_everything(cast, person(cast, "auditor_b"), cast.agency_b)
    for name in ("agency_lead_a", "auditor_a"):
        client = client_for(name)
        assert client.get(AGENCY).status_code == 404
        assert client.get(AGENCY + "areas/1/").status_code == 404
        assert client.get(AGENCY + "check/").status_code == 404
        # Their own agency's, they fill in.
        assert client.get("/audits/anytown-approved-2025/self-assessment/AGA/").status_code == 200
    self_assessment_submit(actor=lead_b, self_assessment=assessment, loaded_version=assessment.version)
    assert client_for("auditor_a").get(AGENCY).status_code == 404
    assert Framework.objects.count() == 1
    assert areas(cast)[0].statements.count() == 5
