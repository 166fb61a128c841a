"""An agency's self-assessment: saved area by area as a draft (started by the first save), with evidence files;
signed off and submitted by the agency's lead once complete; returned by the coordinator or audit lead with a reason.
Every change is logged in the same transaction, and input that cannot be saved saves nothing."""

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from maca.accounts.models import User
from maca.audits.tests.factories import make_audit
from maca.common.versioning import ChangedSinceLoaded
from maca.partnerships.models import AccessAction, AccessLogEntry
from maca.partnerships.services import NOT_LOGGED
from maca.selfassessment.completeness import answer_digest
from maca.selfassessment.files import MAX_FILES_PER_AREA, check_evidence_file
from maca.selfassessment.models import Answer, EvidenceFile, Rating, SelfAssessment, State
from maca.selfassessment.services import (
    AnswerData,
    evidence_file_remove,
    framework_ensure,
    self_assessment_return,
    self_assessment_save_area,
    self_assessment_submit,
)
from maca.tests.cast import Cast

from .helpers import approved, areas, person, rate_area, rate_everything, tiny_pdf

CaptureCallbacks = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]
BLANK = answer_digest("", "")


def _log(action: AccessAction) -> list[AccessLogEntry]:
    return list(AccessLogEntry.objects.filter(action=action, content_type__model="selfassessment").order_by("pk"))


def test_the_first_save_starts_the_self_assessment_and_is_logged(cast: Cast) -> None:
    auditor = person(cast, "auditor_b")
    area = areas(cast)[0]
    one, two, *_ = area.statements.all()
    assessment = self_assessment_save_area(
        actor=auditor,
        audit=approved(cast),
        agency=cast.agency_b,
        area=area,
        answers={
            one.pk: AnswerData(Rating.FULLY, "  Our policy, March 2025.\r\n", BLANK),
            two.pk: AnswerData("", "", BLANK),
        },
    )
    assert (assessment.state, assessment.version, assessment.started_by) == (State.IN_PROGRESS, 1, auditor)
    answer = Answer.objects.get()
    assert (answer.statement, answer.rating, answer.evidence, answer.updated_by) == (
        one,
        Rating.FULLY,
        "Our policy, March 2025.",
        auditor,
    )
    [entry] = _log(AccessAction.CREATED)
    assert entry.actor == auditor
    assert entry.agency == cast.agency_b
    assert entry.changes == {"1.1 rating": [None, NOT_LOGGED], "1.1 evidence": [None, NOT_LOGGED]}


def test_a_later_save_changes_only_what_changed(cast: Cast) -> None:
    auditor = person(cast, "auditor_b")
    area = areas(cast)[0]
    assessment = rate_area(cast, auditor, cast.agency_b, area, Rating.PARTLY, "Half.")
    first = area.statements.all()[0]
    answers = {
        s.pk: AnswerData(Rating.FULLY if s == first else Rating.PARTLY, "Half.", answer_digest("partly", "Half."))
        for s in area.statements.all()
    }
    self_assessment_save_area(actor=auditor, audit=approved(cast), agency=cast.agency_b, area=area, answers=answers)
    assessment.refresh_from_db()
    assert assessment.version == 2
    assert _log(AccessAction.CHANGED)[-1].changes == {"1.1 rating": [None, NOT_LOGGED]}


def test_an_answer_changed_by_someone_else_since_the_page_loaded_is_not_overwritten(cast: Cast) -> None:
    area = areas(cast)[0]
    statement = area.statements.all()[0]
    rate_area(cast, person(cast, "auditor_b"), cast.agency_b, area, Rating.PARTLY, "Theirs.")
    with pytest.raises(ChangedSinceLoaded):
        self_assessment_save_area(
            actor=person(cast, "auditor_b"),
            audit=approved(cast),
            agency=cast.agency_b,
            area=area,
            answers={statement.pk: AnswerData(Rating.NOT_IN_PLACE, "Mine.", BLANK)},
        )
    assert Answer.objects.get(statement=statement).evidence == "Theirs."


@pytest.mark.parametrize(
    ("answer", "field", "message"),
    [
        (
            AnswerData("maybe", "", BLANK),
            "rating",
            "Statement 1.1: select not in place, partly in place or fully in place",
        ),
        (
            AnswerData("", "x" * 10_001, BLANK),
            "evidence",
            "Evidence for statement 1.1 must be 10,000 characters or fewer",
        ),
        (AnswerData("", "nul\x00", BLANK), "evidence", "Evidence for statement 1.1 must not contain null characters"),
    ],
)
def test_answers_that_cannot_be_saved_save_nothing(cast: Cast, answer: AnswerData, field: str, message: str) -> None:
    area = areas(cast)[0]
    one, two, *_ = area.statements.all()
    with pytest.raises(ValidationError) as caught:
        self_assessment_save_area(
            actor=person(cast, "auditor_b"),
            audit=approved(cast),
            agency=cast.agency_b,
            area=area,
            answers={two.pk: AnswerData(Rating.FULLY, "Fine.", BLANK), one.pk: answer},
        )
    assert caught.value.message_dict == {f"{field}_{one.pk}": [message]}
    assert not SelfAssessment.objects.exists()
    assert not Answer.objects.exists()
    assert not _log(AccessAction.CREATED)


def test_only_an_agency_of_6b_and_only_once_the_terms_of_reference_is_approved(cast: Cast) -> None:
    area = areas(cast)[0]
    # An agency outside section 6b has no part in the self-assessment: its people may not fill one in for it.
    with pytest.raises(PermissionDenied, match=r"auditor\.a@example\.org may not do this"):
        rate_area(cast, person(cast, "auditor_a"), cast.agency_a, area)
    draft = make_audit(cast.partnership, reference="anytown-draft-2026")
    draft_area = framework_ensure(actor=cast.coordinator, audit=draft).areas.first()
    assert draft_area is not None
    with pytest.raises(ValidationError, match="starts once the Terms of Reference has been approved"):
        self_assessment_save_area(
            actor=person(cast, "auditor_b"), audit=draft, agency=cast.agency_b, area=draft_area, answers={}
        )
    with pytest.raises(ValidationError, match="not part of the audit's framework"):
        self_assessment_save_area(
            actor=person(cast, "auditor_b"), audit=approved(cast), agency=cast.agency_b, area=draft_area, answers={}
        )
    assert not SelfAssessment.objects.exists()


def _pdf(name: str = "policy.pdf") -> Any:
    return check_evidence_file(SimpleUploadedFile(name, tiny_pdf(), content_type="application/pdf"))


def test_evidence_files_are_stored_under_a_name_of_their_own_and_removed(
    cast: Cast, django_capture_on_commit_callbacks: CaptureCallbacks
) -> None:
    area = areas(cast)[2]
    auditor = person(cast, "auditor_b")
    assessment = self_assessment_save_area(
        actor=auditor,
        audit=approved(cast),
        agency=cast.agency_b,
        area=area,
        answers={},
        evidence=[_pdf("HSB policy.pdf")],
    )
    evidence = EvidenceFile.objects.get()
    assert (evidence.name, evidence.area, evidence.size, evidence.uploaded_by) == (
        "HSB policy.pdf",
        area,
        len(tiny_pdf()),
        auditor,
    )
    assert evidence.file.name.startswith("self-assessment/anytown-approved-2025/AGB/")
    assert evidence.file.name.endswith(".pdf")
    assert "HSB" not in evidence.file.name
    assert evidence.file.read() == tiny_pdf()
    assert _log(AccessAction.CREATED)[0].changes == {"3: evidence files added": [None, NOT_LOGGED]}
    path = Path(evidence.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        evidence_file_remove(actor=auditor, evidence=evidence)
    assert not EvidenceFile.objects.exists()
    assert not path.exists()
    assert _log(AccessAction.CHANGED)[-1].changes == {"3: evidence file removed": [None, NOT_LOGGED]}
    assessment.refresh_from_db()
    assert assessment.version == 2


def test_an_area_takes_a_limited_number_of_files(cast: Cast) -> None:
    area = areas(cast)[0]
    save = self_assessment_save_area
    for _ in range(MAX_FILES_PER_AREA):
        save(
            actor=person(cast, "auditor_b"),
            audit=approved(cast),
            agency=cast.agency_b,
            area=area,
            answers={},
            evidence=[_pdf()],
        )
    with pytest.raises(ValidationError) as caught:
        save(
            actor=person(cast, "auditor_b"),
            audit=approved(cast),
            agency=cast.agency_b,
            area=area,
            answers={},
            evidence=[_pdf()],
        )
    assert caught.value.message_dict == {
        "file": ["An area takes at most 10 evidence files: remove one before adding another"]
    }
    assert EvidenceFile.objects.count() == MAX_FILES_PER_AREA


def test_the_lead_submits_a_complete_self_assessment(cast: Cast, lead_b: User) -> None:
    assessment = rate_everything(cast, person(cast, "auditor_b"), cast.agency_b)
    submitted = self_assessment_submit(actor=lead_b, self_assessment=assessment, loaded_version=assessment.version)
    submitted.refresh_from_db()
    assert (submitted.state, submitted.submitted_by, submitted.submitted_by_name) == (
        State.SUBMITTED,
        lead_b,
        "Bea Lead",
    )
    assert submitted.submitted_at is not None
    assert _log(AccessAction.CHANGED)[-1].changes == {"state": ["in_progress", "submitted"]}
    with pytest.raises(ValidationError, match="has been submitted: ask the coordinator"):
        rate_area(cast, lead_b, cast.agency_b, areas(cast)[0])


def test_only_the_agency_lead_signs_off(cast: Cast, lead_b: User) -> None:
    assessment = rate_everything(cast, person(cast, "auditor_b"), cast.agency_b)
    for name in ("auditor_b", "coordinator", "agency_lead_a"):
        with pytest.raises(PermissionDenied, match="may not do this"):
            self_assessment_submit(
                actor=person(cast, name), self_assessment=assessment, loaded_version=assessment.version
            )
    assert SelfAssessment.objects.get().state == State.IN_PROGRESS


def test_an_incomplete_self_assessment_is_not_submitted_and_says_what_is_missing(cast: Cast, lead_b: User) -> None:
    first, second, *rest = areas(cast)
    rate_area(cast, lead_b, cast.agency_b, first, Rating.FULLY, "")
    rate_area(cast, lead_b, cast.agency_b, second, Rating.NOT_IN_PLACE, "")
    for area in rest:
        assessment = rate_area(cast, lead_b, cast.agency_b, area, Rating.PARTLY, "Some evidence.")
    statement = second.statements.all()[0]
    Answer.objects.filter(statement=statement).update(rating="")
    with pytest.raises(ValidationError) as caught:
        self_assessment_submit(actor=lead_b, self_assessment=assessment, loaded_version=assessment.version)
    messages = caught.value.messages
    assert messages[:5] == [f"Statement 1.{n} is rated fully in place but has no evidence" for n in range(1, 6)]
    assert messages[5:] == ["Statement 2.1 is not rated"]
    assert SelfAssessment.objects.get().state == State.IN_PROGRESS


def test_a_submission_from_a_check_made_before_a_change_is_refused(cast: Cast, lead_b: User) -> None:
    assessment = rate_everything(cast, lead_b, cast.agency_b)
    checked_version = assessment.version
    rate_area(cast, person(cast, "auditor_b"), cast.agency_b, areas(cast)[0], Rating.PARTLY, "Changed meanwhile.")
    with pytest.raises(ChangedSinceLoaded):
        self_assessment_submit(actor=lead_b, self_assessment=assessment, loaded_version=checked_version)
    assert SelfAssessment.objects.get().state == State.IN_PROGRESS


def test_returning_with_a_reason_tells_the_leads(
    cast: Cast, lead_b: User, django_capture_on_commit_callbacks: CaptureCallbacks
) -> None:
    assessment = rate_everything(cast, lead_b, cast.agency_b)
    self_assessment_submit(actor=lead_b, self_assessment=assessment, loaded_version=assessment.version)
    with pytest.raises(ValidationError) as caught:
        self_assessment_return(actor=cast.coordinator, self_assessment=assessment, reason="  ")
    assert caught.value.message_dict == {"reason": ["Give the reason for returning the self-assessment"]}
    with django_capture_on_commit_callbacks(execute=True):
        self_assessment_return(
            actor=cast.coordinator,
            self_assessment=assessment,
            reason="Area 4 needs evidence of the interventions offered.",
            base_url="https://maca.example.org/",
        )
    assessment.refresh_from_db()
    assert (assessment.state, assessment.returned_by) == (State.RETURNED, cast.coordinator)
    assert assessment.return_reason == "Area 4 needs evidence of the interventions offered."
    [message] = mail.outbox
    assert message.to == ["lead.b@example.org"]
    assert "Area 4 needs evidence" in message.body
    assert "https://maca.example.org/audits/anytown-approved-2025/self-assessment/AGB/" in message.body
    assert _log(AccessAction.CHANGED)[-1].changes["state"] == ["submitted", "returned"]
    with pytest.raises(ValidationError, match="Only a submitted self-assessment can be returned"):
        self_assessment_return(actor=cast.coordinator, self_assessment=assessment, reason="Again.")
    # Returned, it is a draft again: changed and submitted again.
    rate_area(cast, lead_b, cast.agency_b, areas(cast)[3], Rating.PARTLY, "Two programmes, with waiting times.")
    assessment.refresh_from_db()
    self_assessment_submit(actor=lead_b, self_assessment=assessment, loaded_version=assessment.version)
    assert SelfAssessment.objects.get().state == State.SUBMITTED
