"""Every write of the self-assessment enforces its page's rules itself: called directly, as a command or the API would
call it, by someone its page refuses (PermissionDenied), or in a state its page refuses (ValidationError), it
refuses, saves nothing, logs nothing and leaves nothing to happen once committed (no e-mail, no file deleted).

Who is refused: the framework is the coordinators' and the audit lead's, so the agencies' people are refused it; an
agency's self-assessment is its own leads' and auditors' to fill in, so those who oversee the audit and the other
agency's people are refused it; only its leads sign it off, and only those who oversee the audit return it. The
governance reader, the outsider (another partnership's coordinator) and an inactive account that would otherwise be
allowed are refused everything. The framework is copied (`framework_ensure`, which the pages call on a first visit)
for those who have a part in the self-assessment only: not for an agency outside section 6b.
"""

import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from functools import partial
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from maca.accounts.models import User
from maca.audits.tests.factories import make_audit
from maca.partnerships.models import AccessLogEntry
from maca.selfassessment import services
from maca.selfassessment.completeness import answer_digest
from maca.selfassessment.files import check_evidence_file
from maca.selfassessment.models import (
    Answer,
    Area,
    EvidenceFile,
    Framework,
    Rating,
    SelfAssessment,
    Statement,
)
from maca.selfassessment.services import AnswerData, AreaData, StatementData
from maca.tests.cast import Cast
from maca.tests.refusals import Refusal

from .helpers import (
    LEAD_B_EMAIL,
    add_lead_b,
    add_wider_participant,
    approved,
    areas,
    framework,
    rate_everything,
    tiny_pdf,
)

CaptureCallbacks = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]
BLANK = answer_digest("", "")

NOT_CHANGING_THE_FRAMEWORK = (
    "lead_b",
    "auditor_b",
    "agency_lead_a",
    "governance_reader",
    "outsider",
    "inactive audit_lead",
)
NOT_FILLING_IN_FOR_B = (
    "coordinator",
    "audit_lead",
    "agency_lead_a",
    "auditor_a",
    "governance_reader",
    "outsider",
    "inactive auditor_b",
)
NOT_SIGNING_OFF_FOR_B = (
    "auditor_b",
    "coordinator",
    "audit_lead",
    "agency_lead_a",
    "auditor_a",
    "governance_reader",
    "outsider",
    "inactive lead_b",
)
NOT_RETURNING = ("lead_b", "auditor_b", "agency_lead_a", "governance_reader", "outsider", "inactive coordinator")


def _lead_b(cast: Cast) -> User:
    """Agency B's lead (the cast has none), made the first time they are needed."""
    return User.objects.filter(email=LEAD_B_EMAIL).first() or add_lead_b(cast)


def _actor(cast: Cast, who: str) -> User:
    """A member of the cast or agency B's lead; "inactive …" makes that account inactive first."""
    name = who.removeprefix("inactive ")
    user = _lead_b(cast) if name == "lead_b" else cast[name]
    assert user is not None
    if who.startswith("inactive "):
        User.objects.filter(pk=user.pk).update(is_active=False)
        user.refresh_from_db()
    return user


def _both_agencies(cast: Cast) -> None:
    """Section 6b names agency A too, so that agency A's people are "the other agency", not outsiders to it."""
    add_wider_participant(cast, cast.agency_a)


def _pdf() -> Any:
    return check_evidence_file(SimpleUploadedFile("policy.pdf", tiny_pdf(), content_type="application/pdf"))


def _answers(area: Area, evidence: str = "Our policy, March 2025.") -> dict[int, AnswerData]:
    """Every statement of the area rated fully in place, as a page showing no answers yet would post them."""
    return {statement.pk: AnswerData(Rating.FULLY, evidence, BLANK) for statement in area.statements.all()}


# --- What each service is given --------------------------------------------------------------------------------


def _first_copy(cast: Cast) -> dict[str, Any]:
    assert not Framework.objects.exists()  # So that the refused call is the one that would make the copy.
    return {"audit": approved(cast)}


def _framework(cast: Cast) -> dict[str, Any]:
    made = framework(cast)
    return {"framework": made, "loaded_version": made.version}


def _areas(cast: Cast) -> dict[str, Any]:
    return {**_framework(cast), "name": "Our framework", "areas": [AreaData("Only one")]}


def _statements(cast: Cast) -> dict[str, Any]:
    area = areas(cast)[0]
    return {"area": area, "loaded_version": area.framework.version, "statements": [StatementData("Changed.")]}


def _area_of_b(cast: Cast) -> dict[str, Any]:
    _both_agencies(cast)
    area = areas(cast)[0]
    return {"audit": approved(cast), "agency": cast.agency_b, "area": area, "answers": _answers(area)}


def _file_of_b(cast: Cast) -> dict[str, Any]:
    _both_agencies(cast)
    services.self_assessment_save_area(
        actor=_actor(cast, "auditor_b"),
        audit=approved(cast),
        agency=cast.agency_b,
        area=areas(cast)[0],
        answers={},
        evidence=[_pdf()],
    )
    return {"evidence": EvidenceFile.objects.get()}


def _complete_b(cast: Cast) -> dict[str, Any]:
    _both_agencies(cast)
    assessment = rate_everything(cast, _actor(cast, "auditor_b"), cast.agency_b)
    return {"self_assessment": assessment, "loaded_version": assessment.version}


def _submitted_b(cast: Cast) -> dict[str, Any]:
    complete = _complete_b(cast)
    services.self_assessment_submit(actor=_lead_b(cast), **complete)
    return {"self_assessment": complete["self_assessment"], "reason": "Area 4 needs evidence of the programmes."}


REFUSALS = [
    Refusal(
        services.framework_ensure,
        _first_copy,
        ("agency_lead_a", "auditor_a", "governance_reader", "outsider", "inactive coordinator"),
    ),
    Refusal(services.framework_use_default, _framework, NOT_CHANGING_THE_FRAMEWORK),
    Refusal(services.framework_areas_update, _areas, NOT_CHANGING_THE_FRAMEWORK),
    Refusal(services.framework_statements_update, _statements, NOT_CHANGING_THE_FRAMEWORK),
    Refusal(services.self_assessment_save_area, _area_of_b, NOT_FILLING_IN_FOR_B),
    Refusal(services.evidence_file_remove, _file_of_b, NOT_FILLING_IN_FOR_B),
    Refusal(services.self_assessment_submit, _complete_b, NOT_SIGNING_OFF_FOR_B),
    Refusal(services.self_assessment_return, _submitted_b, NOT_RETURNING),
]
REFUSED_SERVICES: set[str] = {refusal.name for refusal in REFUSALS}


def _stored() -> list[object]:
    """Everything of the self-assessment as stored, to compare before and after a refusal."""
    return [
        list(Framework.objects.order_by("pk").values_list("pk", "name", "source", "version")),
        list(Area.objects.order_by("pk").values_list("pk", "position", "name", "description")),
        list(Statement.objects.order_by("pk").values_list("pk", "area_id", "position", "text", "hint")),
        list(
            SelfAssessment.objects.order_by("pk").values_list(
                "pk", "agency_id", "state", "version", "submitted_by_id", "returned_by_id", "return_reason"
            )
        ),
        list(Answer.objects.order_by("pk").values_list("pk", "statement_id", "rating", "evidence", "updated_by_id")),
        list(EvidenceFile.objects.order_by("pk").values_list("pk", "area_id", "name", "file")),
    ]


def _refused_leaves_nothing(
    call: Callable[[], object],
    expected: type[Exception],
    match: str,
    capture: CaptureCallbacks,
) -> None:
    """The call is refused with `expected` (its message matching), and nothing is saved, logged or left to run once
    committed."""
    before, logged = _stored(), AccessLogEntry.objects.count()
    with capture() as callbacks, pytest.raises(expected, match=match):
        call()
    assert callbacks == []
    assert _stored() == before
    assert AccessLogEntry.objects.count() == logged


@pytest.mark.parametrize("refusal", REFUSALS, ids=lambda refusal: refusal.service.__name__)
def test_a_write_of_the_self_assessment_refuses_whoever_its_page_refuses(
    cast: Cast, refusal: Refusal, django_capture_on_commit_callbacks: CaptureCallbacks
) -> None:
    arguments = refusal.arguments(cast)
    for who in refusal.refused:
        actor = _actor(cast, who)
        _refused_leaves_nothing(
            partial(refusal.service, actor=actor, **arguments),
            PermissionDenied,
            re.escape(f"{actor.email} may not do this"),
            django_capture_on_commit_callbacks,
        )


def test_the_framework_is_refused_to_an_outsider_even_once_it_exists(
    cast: Cast, django_capture_on_commit_callbacks: CaptureCallbacks
) -> None:
    audit = approved(cast)
    framework(cast)
    outsider = _actor(cast, "outsider")
    _refused_leaves_nothing(
        lambda: services.framework_ensure(actor=outsider, audit=audit),
        PermissionDenied,
        re.escape("outsider@example.org may not do this"),
        django_capture_on_commit_callbacks,
    )


# --- States the pages refuse ---------------------------------------------------------------------------------------


def _submitted(cast: Cast) -> SelfAssessment:
    """Agency B's self-assessment, complete with an evidence file in area 1, signed off and submitted by its lead."""
    complete = _complete_b(cast)
    services.self_assessment_save_area(
        actor=_actor(cast, "auditor_b"),
        audit=approved(cast),
        agency=cast.agency_b,
        area=areas(cast)[0],
        answers={},
        evidence=[_pdf()],
    )
    assessment: SelfAssessment = complete["self_assessment"]
    assessment.refresh_from_db()
    return services.self_assessment_submit(
        actor=_lead_b(cast), self_assessment=assessment, loaded_version=assessment.version
    )


def _framework_once_submitted(cast: Cast) -> Callable[[], object]:
    _submitted(cast)
    made = Framework.objects.get()
    return lambda: services.framework_areas_update(
        actor=cast.coordinator, framework=made, loaded_version=made.version, name="Ours", areas=[AreaData("One")]
    )


def _statements_once_submitted(cast: Cast) -> Callable[[], object]:
    _submitted(cast)
    area = areas(cast)[0]
    return lambda: services.framework_statements_update(
        actor=cast.coordinator, area=area, loaded_version=area.framework.version, statements=[StatementData("One.")]
    )


def _default_once_started(cast: Cast) -> Callable[[], object]:
    made = framework(cast)
    services.self_assessment_save_area(
        actor=_actor(cast, "auditor_b"), audit=approved(cast), agency=cast.agency_b, area=areas(cast)[0], answers={}
    )
    return lambda: services.framework_use_default(actor=cast.coordinator, framework=made, loaded_version=made.version)


def _area_once_submitted(cast: Cast) -> Callable[[], object]:
    _submitted(cast)
    area = areas(cast)[1]
    answers = {
        statement.pk: AnswerData(Rating.PARTLY, "Changed.", answer_digest(Rating.FULLY, "Policy, 2025."))
        for statement in area.statements.all()
    }
    return lambda: services.self_assessment_save_area(
        actor=_lead_b(cast), audit=approved(cast), agency=cast.agency_b, area=area, answers=answers
    )


def _file_once_submitted(cast: Cast) -> Callable[[], object]:
    _submitted(cast)
    evidence = EvidenceFile.objects.get()
    return lambda: services.evidence_file_remove(actor=_lead_b(cast), evidence=evidence)


def _submitted_again(cast: Cast) -> Callable[[], object]:
    assessment = _submitted(cast)
    return lambda: services.self_assessment_submit(
        actor=_lead_b(cast), self_assessment=assessment, loaded_version=assessment.version
    )


def _return_in_progress(cast: Cast) -> Callable[[], object]:
    assessment = _complete_b(cast)["self_assessment"]
    return lambda: services.self_assessment_return(actor=cast.coordinator, self_assessment=assessment, reason="Why.")


def _area_before_approval(cast: Cast) -> Callable[[], object]:
    draft = make_audit(cast.partnership, reference="anytown-draft-2026")
    area = services.framework_ensure(actor=cast.coordinator, audit=draft).areas.get(position=1)
    return lambda: services.self_assessment_save_area(
        actor=_actor(cast, "auditor_b"), audit=draft, agency=cast.agency_b, area=area, answers=_answers(area)
    )


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_framework_once_submitted, "the framework can no longer be changed"),
        (_statements_once_submitted, "the framework can no longer be changed"),
        (_default_once_started, "Agencies have started their self-assessments"),
        (_area_once_submitted, "The self-assessment of Agency B has been submitted"),
        (_file_once_submitted, "The self-assessment of Agency B has been submitted"),
        (_submitted_again, "The self-assessment of Agency B has been submitted"),
        (_return_in_progress, "Only a submitted self-assessment can be returned"),
        (_area_before_approval, "starts once the Terms of Reference has been approved"),
    ],
    ids=[
        "areas once an agency submitted",
        "statements once an agency submitted",
        "starting again once an agency started",
        "answers once submitted",
        "removing a file once submitted",
        "submitting twice",
        "returning one not submitted",
        "answers before the Terms of Reference is approved",
    ],
)
def test_a_write_of_the_self_assessment_refuses_a_state_its_page_refuses(
    cast: Cast,
    make: Callable[[Cast], Callable[[], object]],
    message: str,
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    call = make(cast)
    _refused_leaves_nothing(call, ValidationError, message, django_capture_on_commit_callbacks)
