"""Writes to the wider partnership self-assessment: the audit's framework and the agencies' self-assessments.

Every service first refuses (PermissionDenied) an actor who lacks the permission its page asks, on the audit or on
the agency's part in it (see `maca.selfassessment.rules`), so that a page, a command and the API cannot disagree.
Then it checks everything it is given before writing anything (ValidationError, by field where it can), and
records who did what with `access_log_record` in the same transaction: nothing is ever half-saved. Edits made from
a page loaded before someone else's change are refused with `ChangedSinceLoaded`.

The framework can be changed until the first agency submits its self-assessment; after that it is fixed, so that
every agency is rated against the same statements (returning the submitted ones opens it again). Removing a
statement or an area removes the ratings, evidence and evidence files agencies have given for it in their drafts.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from maca.accounts.models import User
from maca.audits.models import Audit
from maca.common.closure import refuse_if_closed
from maca.common.mail import send_message
from maca.common.scoping import require_perm
from maca.common.versioning import ChangedSinceLoaded, claim_version
from maca.partnerships.models import AccessAction, Agency, Role
from maca.partnerships.services import access_log_record, fields_only

from .completeness import answer_digest, statement_label, submission_gaps
from .files import MAX_FILES_PER_AREA, CheckedEvidence
from .library import FrameworkDefinition, default_framework, framework_named, normalise
from .models import Answer, Area, EvidenceFile, Framework, Rating, SelfAssessment, State, Statement
from .rules import AgencyPart, wider_agency_ids

NAME_LENGTH = 300
AREA_NAME_LENGTH = 200
DESCRIPTION_LENGTH = 2000
STATEMENT_LENGTH = 1000
HINT_LENGTH = 1000
EVIDENCE_LENGTH = 10_000
REASON_LENGTH = 2000
LOGGED_TEXT = 300  # Evidence is logged up to this many characters before and after a change.
POSITION_OFFSET = 100_000  # Rows move out of the way before taking their new positions (positions are unique).

FIXED = (
    "An agency has submitted its self-assessment, so the framework can no longer be changed: every agency is rated "
    "against the same statements. Return the submitted self-assessments first to change it."
)


@dataclass(frozen=True)
class AreaData:
    """An area as edited: its name and description, and its id when it is an existing area."""

    name: str
    description: str = ""
    id: int | None = None


@dataclass(frozen=True)
class StatementData:
    """A statement as edited: its text and hint, and its id when it is an existing statement."""

    text: str
    hint: str = ""
    id: int | None = None


@dataclass(frozen=True)
class AnswerData:
    """An agency's answer for one statement: its rating ("" for none yet) and evidence, and the fingerprint of the
    answer as the page showed it (`completeness.answer_digest`)."""

    rating: str
    evidence: str
    loaded: str


def text(value: str) -> str:
    """Text as stored: Unix line ends, no spaces at the ends of lines, none at either end."""
    lines = [line.rstrip() for line in value.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(lines).strip()


def _clip(value: str) -> str:
    return value if len(value) <= LOGGED_TEXT else value[: LOGGED_TEXT - 1] + "…"


def _log(
    actor: User,
    audit: Audit,
    action: AccessAction,
    obj: models.Model,
    changes: dict[str, Any] | None = None,
) -> None:
    access_log_record(actor=actor, partnership=audit.partnership, action=action, obj=obj, changes=changes)


def record_view(*, actor: User, audit: Audit, obj: models.Model, what: str) -> None:
    """Record that the user viewed something of the self-assessment (`what` says what, e.g. "results")."""
    _log(actor, audit, AccessAction.VIEWED, obj, {"viewed": [None, what]})


def _delete_files_on_commit(names: Sequence[str]) -> None:
    """Remove stored files once the rows that named them are gone for good."""
    for name in names:
        transaction.on_commit(partial(default_storage.delete, name))


# --- The framework --------------------------------------------------------------------------------------------


def library_framework_for(audit: Audit) -> FrameworkDefinition:
    """The shipped framework the Terms of Reference names, or the default when it names none of them."""
    return (framework_named(audit.framework) if audit.framework else None) or default_framework()


def _write_areas(framework: Framework, definition: FrameworkDefinition) -> None:
    for area_position, area_definition in enumerate(definition.areas, start=1):
        area = Area.objects.create(
            framework=framework,
            position=area_position,
            name=area_definition.name,
            description=area_definition.description,
        )
        Statement.objects.bulk_create(
            Statement(area=area, position=position, text=statement.text, hint=statement.hint)
            for position, statement in enumerate(area_definition.statements, start=1)
        )


def _outline(framework: Framework) -> list[str]:
    """The framework as the access log keeps it: each area with its number of statements."""
    return [f"{area.name} ({area.statements.count()} statements)" for area in framework.areas.order_by("position")]


def framework_copy(audit: Audit) -> tuple[Framework, bool]:
    """The audit's framework, made the first time from the library framework the Terms of Reference names (or the
    default); True when it was made now. Not logged: `framework_ensure` logs it for a person."""
    existing = Framework.objects.filter(audit=audit).first()
    if existing is not None:
        return existing, False
    definition = library_framework_for(audit)
    try:
        with transaction.atomic():
            framework = Framework.objects.create(
                audit=audit, name=audit.framework or definition.name, source=definition.key
            )
            _write_areas(framework, definition)
    except IntegrityError:  # Someone else's first page made it at the same moment.
        return Framework.objects.get(audit=audit), False
    return framework, True


@transaction.atomic
def framework_ensure(*, actor: User, audit: Audit) -> Framework:
    """The audit's framework, copied from the library the first time it is needed (and that copy logged).

    Asked by the pages of those who have a part in the self-assessment (`selfassessment.view_self_assessments`: the
    coordinators, the audit's lead, and the leads and auditors of the agencies of section 6b), whose first visit may
    make the copy; nobody else may make it.
    """
    require_perm(actor, "selfassessment.view_self_assessments", audit)
    framework, made = framework_copy(audit)
    if made:
        source = library_framework_for(audit).name
        _log(actor, audit, AccessAction.CREATED, framework, {"framework": [None, f"{framework.name} (from {source})"]})
    return framework


def framework_is_fixed(framework: Framework) -> bool:
    """Whether an agency has submitted its self-assessment against the framework (which then cannot change)."""
    return SelfAssessment.objects.filter(audit_id=framework.audit_id, state=State.SUBMITTED).exists()


def _claim_editable(framework: Framework, loaded_version: int) -> None:
    claim_version(framework, loaded_version)
    if framework_is_fixed(framework):
        raise ValidationError(FIXED)


@transaction.atomic
def framework_use_default(*, actor: User, framework: Framework, loaded_version: int) -> Framework:
    """Start the framework again from the library's (its areas and statements replaced), while no agency has
    started its self-assessment. Only those who change the framework (the coordinators and the audit's lead) may."""
    require_perm(actor, "selfassessment.change_framework", framework.audit)
    refuse_if_closed(framework.audit)
    claim_version(framework, loaded_version)
    if SelfAssessment.objects.filter(audit_id=framework.audit_id).exists():
        raise ValidationError(
            "Agencies have started their self-assessments: change the areas and statements instead of starting again."
        )
    audit = framework.audit
    before = _outline(framework)
    definition = library_framework_for(audit)
    framework.areas.all().delete()
    framework.name, framework.source = audit.framework or definition.name, definition.key
    framework.save()
    _write_areas(framework, definition)
    _log(actor, audit, AccessAction.CHANGED, framework, {"areas": [before, _outline(framework)]})
    return framework


def _check_length(value: str, limit: int, field: str, what: str, errors: dict[str, list[str]]) -> None:
    if not value:
        errors.setdefault(field, []).append(f"Enter {what}")
    elif len(value) > limit:
        errors.setdefault(field, []).append(f"{what[0].upper()}{what[1:]} must be {limit:,} characters or fewer")
    elif "\x00" in value:
        errors.setdefault(field, []).append(f"{what[0].upper()}{what[1:]} must not contain null characters")


def _make_room(model: type[Area] | type[Statement], **parent: Any) -> None:
    """Move the rows out of the way of positions 1, 2, ..., so that each can take its new one without two rows
    ever sharing a position (positions are unique)."""
    model._default_manager.filter(**parent).update(position=F("position") + POSITION_OFFSET)


def _known_ids(given: Sequence[int | None], existing: Mapping[int, Any], item: str) -> None:
    ids = [pk for pk in given if pk is not None]
    if any(pk not in existing for pk in ids) or len(ids) != len(set(ids)):
        raise ValidationError(f"The {item}s have changed since this page was loaded: reload the page and try again.")


def _removed_data(statements: models.QuerySet[Statement], areas: models.QuerySet[Area]) -> dict[str, Any]:
    """What removing these statements (or areas) takes with it, for the log; files are deleted once committed."""
    answers = Answer.objects.filter(statement__in=statements).exclude(rating="", evidence="").count()
    files = list(EvidenceFile.objects.filter(area__in=areas).values_list("file", flat=True))
    _delete_files_on_commit(files)
    changes: dict[str, Any] = {}
    if answers:
        changes["answers removed"] = [answers, None]
    if files:
        changes["evidence files removed"] = [len(files), None]
    return changes


@transaction.atomic
def framework_areas_update(
    *, actor: User, framework: Framework, loaded_version: int, name: str, areas: Sequence[AreaData]
) -> Framework:
    """Rename the framework and replace its areas, in order: existing areas (by id) are renamed and moved, new ones
    added, those left out removed with their statements and the agencies' answers and files for them. Only those who
    change the framework (the coordinators and the audit's lead) may, until an agency submits."""
    require_perm(actor, "selfassessment.change_framework", framework.audit)
    refuse_if_closed(framework.audit)
    _claim_editable(framework, loaded_version)
    errors: dict[str, list[str]] = {}
    name = text(name)
    _check_length(name, NAME_LENGTH, "name", "the name of the framework", errors)
    if not areas:
        errors.setdefault("areas", []).append("Keep at least one area")
    seen: set[str] = set()
    for position, area in enumerate(areas, start=1):
        area_name, description = text(area.name), text(area.description)
        _check_length(area_name, AREA_NAME_LENGTH, "areas", f"the name of area {position}", errors)
        if description:
            _check_length(description, DESCRIPTION_LENGTH, "areas", f"the description of area {position}", errors)
        if normalise(area_name) in seen:
            errors.setdefault("areas", []).append(f"Area {position}: the area {area_name} is given twice")
        seen.add(normalise(area_name))
    if errors:
        raise ValidationError(errors)
    existing = {area.pk: area for area in framework.areas.all()}
    _known_ids([area.id for area in areas], existing, "area")
    before = {"name": framework.name, "areas": [area.name for area in existing.values()]}
    kept_ids = {area.id for area in areas if area.id is not None}
    gone = framework.areas.exclude(pk__in=kept_ids)
    changes = _removed_data(Statement.objects.filter(area__in=gone), gone)
    gone.delete()
    _make_room(Area, framework=framework)
    for position, area in enumerate(areas, start=1):
        values = {"position": position, "name": text(area.name), "description": text(area.description)}
        if area.id is None:
            Area.objects.create(framework=framework, **values)
        else:
            Area.objects.filter(pk=area.id).update(**values)
    framework.name = name
    framework.save()
    after = {"name": framework.name, "areas": list(framework.areas.order_by("position").values_list("name", flat=True))}
    changes.update({key: [before[key], after[key]] for key in after if before[key] != after[key]})
    _log(actor, framework.audit, AccessAction.CHANGED, framework, changes)
    return framework


@transaction.atomic
def framework_statements_update(
    *, actor: User, area: Area, loaded_version: int, statements: Sequence[StatementData]
) -> Area:
    """Replace an area's statements, in order: existing ones (by id) are reworded and moved (agencies' answers stay
    with them), new ones added, those left out removed with the agencies' answers for them. Only those who change the
    framework (the coordinators and the audit's lead) may, until an agency submits."""
    framework = area.framework
    require_perm(actor, "selfassessment.change_framework", framework.audit)
    refuse_if_closed(framework.audit)
    _claim_editable(framework, loaded_version)
    errors: dict[str, list[str]] = {}
    if not statements:
        errors.setdefault("statements", []).append("Keep at least one statement in the area")
    for position, statement in enumerate(statements, start=1):
        _check_length(text(statement.text), STATEMENT_LENGTH, "statements", f"statement {position}", errors)
        hint = text(statement.hint)
        if hint:
            _check_length(hint, HINT_LENGTH, "statements", f"the hint of statement {position}", errors)
    if errors:
        raise ValidationError(errors)
    existing = {statement.pk: statement for statement in area.statements.all()}
    _known_ids([statement.id for statement in statements], existing, "statement")
    before = [statement.text for statement in existing.values()]
    kept_ids = {statement.id for statement in statements if statement.id is not None}
    gone = area.statements.exclude(pk__in=kept_ids)
    changes = _removed_data(gone, Area.objects.none())
    gone.delete()
    _make_room(Statement, area=area)
    for position, statement in enumerate(statements, start=1):
        values = {"position": position, "text": text(statement.text), "hint": text(statement.hint)}
        if statement.id is None:
            Statement.objects.create(area=area, **values)
        else:
            Statement.objects.filter(pk=statement.id).update(**values)
    framework.save()
    after = list(area.statements.order_by("position").values_list("text", flat=True))
    if before != after:
        changes[f"statements of {area.name}"] = [before, after]
    _log(actor, framework.audit, AccessAction.CHANGED, framework, changes)
    return area


# --- An agency's self-assessment ------------------------------------------------------------------------------


def _check_agency(audit: Audit, agency: Agency) -> None:
    if agency.pk not in wider_agency_ids(audit):
        raise ValidationError(f"{agency} does not take part in the wider partnership audit of {audit}.")
    if not audit.tor_versions.exists():
        raise ValidationError("The self-assessment starts once the Terms of Reference has been approved.")


def _refuse_submitted(assessment: SelfAssessment) -> None:
    if assessment.state == State.SUBMITTED:
        raise ValidationError(
            f"The self-assessment of {assessment.agency} has been submitted: ask the coordinator to return it to "
            "change it."
        )


def _answer_changes(
    area: Area, answers: Mapping[int, AnswerData], current: Mapping[int, Answer]
) -> tuple[dict[str, list[str]], dict[int, tuple[str, str]]]:
    """The problems with the answers given for an area (by field), and the answers that change (by statement)."""
    statements = {statement.pk: statement for statement in area.statements.all()}
    if any(pk not in statements for pk in answers):
        raise ValidationError("The statements of this area have changed since this page was loaded: reload the page.")
    problems: dict[str, list[str]] = {}
    changed: dict[int, tuple[str, str]] = {}
    for pk, given in answers.items():
        label = statement_label(area, statements[pk])
        evidence = text(given.evidence)
        if given.rating not in ("", *Rating.values):
            problems[f"rating_{pk}"] = [f"Statement {label}: select not in place, partly in place or fully in place"]
        if len(evidence) > EVIDENCE_LENGTH:
            problems[f"evidence_{pk}"] = [
                f"Evidence for statement {label} must be {EVIDENCE_LENGTH:,} characters or fewer"
            ]
        elif "\x00" in evidence:
            problems[f"evidence_{pk}"] = [f"Evidence for statement {label} must not contain null characters"]
        answer = current.get(pk)
        now = (answer.rating, answer.evidence) if answer else ("", "")
        if (given.rating, evidence) != now:
            changed[pk] = (given.rating, evidence)
    return problems, changed


@transaction.atomic
def self_assessment_save_area(
    *,
    actor: User,
    audit: Audit,
    agency: Agency,
    area: Area,
    answers: Mapping[int, AnswerData],
    evidence: Sequence[CheckedEvidence] = (),
) -> SelfAssessment:
    """Save an agency's ratings and evidence for the statements of one area, and any evidence files for it.

    The self-assessment is started by the first save. Refused (PermissionDenied) to anyone but the agency's leads and
    auditors; refused (ChangedSinceLoaded) when someone else changed one of these answers since the page showed it;
    refused (ValidationError) once it is submitted, or for a rating not on the scale, evidence too long, or more
    files than an area takes.
    """
    require_perm(actor, "selfassessment.fill_in", AgencyPart(audit, agency))
    refuse_if_closed(audit)
    _check_agency(audit, agency)
    if area.framework.audit_id != audit.pk:
        raise ValidationError("This area is not part of the audit's framework.")
    assessment = SelfAssessment.objects.select_for_update().filter(audit=audit, agency=agency).first()
    if assessment is None:
        Audit.objects.select_for_update().values_list("pk", flat=True).get(pk=audit.pk)  # One first save at a time.
        assessment = SelfAssessment.objects.filter(audit=audit, agency=agency).first()
    created = assessment is None
    if assessment is None:
        assessment = SelfAssessment(audit=audit, agency=agency, started_by=actor)
    else:
        _refuse_submitted(assessment)
    current = (
        {} if created else {answer.statement_id: answer for answer in assessment.answers.filter(statement__area=area)}
    )
    problems, changed = _answer_changes(area, answers, current)
    for pk, given in answers.items():
        answer = current.get(pk)
        if answer_digest(*((answer.rating, answer.evidence) if answer else ("", ""))) != given.loaded:
            raise ChangedSinceLoaded(assessment)
    files_before = 0 if created else assessment.evidence_files.filter(area=area).count()
    if evidence and files_before + len(evidence) > MAX_FILES_PER_AREA:
        problems["file"] = [
            f"An area takes at most {MAX_FILES_PER_AREA} evidence files: remove one before adding another"
        ]
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    assessment.updated_at = now
    assessment.version = 1 if created else assessment.version + 1
    assessment.save()
    log: dict[str, Any] = {}
    statements = {statement.pk: statement for statement in area.statements.all()}
    for pk, (rating, evidence_text) in changed.items():
        label = statement_label(area, statements[pk])
        answer = current.get(pk) or Answer(self_assessment=assessment, statement=statements[pk])
        if answer.rating != rating:
            log[f"{label} rating"] = [answer.rating or None, rating or None]
        if answer.evidence != evidence_text:
            log[f"{label} evidence"] = [_clip(answer.evidence) or None, _clip(evidence_text) or None]
        answer.rating, answer.evidence, answer.updated_at, answer.updated_by = rating, evidence_text, now, actor
        answer.save()
    stored: list[str] = []
    try:
        for checked in evidence:
            item = EvidenceFile(
                self_assessment=assessment,
                area=area,
                name=checked.name,
                content_type=checked.content_type,
                size=checked.size,
                uploaded_by=actor,
            )
            checked.upload.seek(0)
            item.file.save(checked.name, checked.upload, save=False)
            stored.append(item.file.name)
            item.save()
            log[f"{area.position}: evidence files added"] = None
        _log(actor, audit, AccessAction.CREATED if created else AccessAction.CHANGED, assessment, fields_only(log))
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise
    return assessment


@transaction.atomic
def evidence_file_remove(*, actor: User, evidence: EvidenceFile) -> None:
    """The agency's leads and auditors remove an evidence file from its self-assessment not yet submitted; the stored
    file goes once committed."""
    assessment = SelfAssessment.objects.select_for_update().get(pk=evidence.self_assessment_id)
    require_perm(actor, "selfassessment.fill_in", AgencyPart(assessment.audit, assessment.agency))
    refuse_if_closed(assessment.audit)
    _refuse_submitted(assessment)
    assessment.version += 1
    assessment.updated_at = timezone.now()
    assessment.save(update_fields=["version", "updated_at"])
    _log(
        actor,
        assessment.audit,
        AccessAction.CHANGED,
        assessment,
        fields_only({f"{evidence.area.position}: evidence file removed": None}),
    )
    _delete_files_on_commit([evidence.file.name])
    evidence.delete()


def leads_of(agency: Agency) -> list[User]:
    """The agency's leads: the people who sign off and submit its self-assessment."""
    return list(
        User.objects.filter(memberships__agency=agency, memberships__role=Role.AGENCY_LEAD, is_active=True).distinct()
    )


@transaction.atomic
def self_assessment_submit(*, actor: User, self_assessment: SelfAssessment, loaded_version: int) -> SelfAssessment:
    """The agency's lead signs off and submits the self-assessment: every statement rated, and evidence for every
    statement rated partly or fully in place. Refused (PermissionDenied) to anyone but the agency's leads, and if it
    changed since the lead checked it."""
    assessment = self_assessment
    require_perm(actor, "selfassessment.submit", AgencyPart(assessment.audit, assessment.agency))
    refuse_if_closed(assessment.audit)
    claim_version(assessment, loaded_version)
    assessment.refresh_from_db(fields=["state"])
    _refuse_submitted(assessment)
    framework = Framework.objects.filter(audit=assessment.audit).first()
    areas = list(framework.areas.prefetch_related("statements")) if framework else []
    if not any(area.statements.all() for area in areas):
        raise ValidationError("The framework has no statements to rate yet.")
    answers = {answer.statement_id: answer for answer in assessment.answers.all()}
    gaps = submission_gaps(areas, answers)
    if gaps:
        raise ValidationError([gap.message for gap in gaps])
    before = assessment.state
    assessment.state = State.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.submitted_by = actor
    assessment.submitted_by_name = actor.full_name or actor.email
    assessment.save()
    _log(actor, assessment.audit, AccessAction.CHANGED, assessment, {"state": [before, State.SUBMITTED.value]})
    return assessment


@transaction.atomic
def self_assessment_return(
    *, actor: User, self_assessment: SelfAssessment, reason: str, base_url: str = ""
) -> SelfAssessment:
    """The coordinator or audit lead returns a submitted self-assessment to the agency for changes, saying why;
    the agency's leads are told by e-mail once it is saved (with a link on `base_url`, the site's address)."""
    assessment = SelfAssessment.objects.select_for_update().select_related("audit", "agency").get(pk=self_assessment.pk)
    require_perm(actor, "selfassessment.return", AgencyPart(assessment.audit, assessment.agency))
    refuse_if_closed(assessment.audit)
    if assessment.state != State.SUBMITTED:
        raise ValidationError("Only a submitted self-assessment can be returned.")
    reason = text(reason)
    if not reason:
        raise ValidationError({"reason": "Give the reason for returning the self-assessment"})
    if len(reason) > REASON_LENGTH or "\x00" in reason:
        raise ValidationError({"reason": f"The reason must be {REASON_LENGTH:,} characters or fewer"})
    assessment.state = State.RETURNED
    assessment.returned_at, assessment.returned_by, assessment.return_reason = timezone.now(), actor, reason
    assessment.version += 1
    assessment.save()
    _log(
        actor,
        assessment.audit,
        AccessAction.CHANGED,
        assessment,
        {"state": [State.SUBMITTED.value, State.RETURNED.value], "reason": [None, reason]},
    )
    leads = [lead.email for lead in leads_of(assessment.agency)]
    if leads:
        audit = assessment.audit
        body = render_to_string(
            "selfassessment/email/returned.txt",
            {
                "audit": audit,
                "agency": assessment.agency,
                "actor": actor,
                "reason": reason,
                "link": base_url.rstrip("/")
                + reverse("selfassessment:agency", args=[audit.reference, assessment.agency.short_code]),
            },
        )
        subject = f"Self-assessment returned for changes: {audit.short_title or audit.title}"
        transaction.on_commit(lambda: send_message(subject, body, leads, what="a returned self-assessment"))
    return assessment
