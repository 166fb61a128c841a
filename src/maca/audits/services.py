"""Writes to audits: creating them (blank, from a file, from a template, as a copy), their Terms of Reference's
lifecycle (draft → in review → approved, then a new version), each logged in the same transaction."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from maca.accounts.models import User
from maca.common.closure import is_closed, refuse_if_closed
from maca.common.scoping import require_perm
from maca.partnerships.models import AccessAction, Partnership, Role
from maca.partnerships.services import access_log_record

from . import library
from .definition import (
    DefinitionError,
    Problem,
    adapt_to_partnership,
    audit_data,
    audit_definition,
    definition_data,
    definition_problems,
    resolve_names,
)
from .models import (
    Audit,
    AuditStatus,
    CaseField,
    IdentifyingAgency,
    Milestone,
    Participant,
    ParticipantService,
    ParticipationKind,
    Question,
    TermsOfReferenceVersion,
    Theme,
)
from .schema import AuditDefinition, Headings


def _log(actor: User, audit: Audit, action: AccessAction, changes: dict[str, Any] | None = None) -> None:
    access_log_record(actor=actor, partnership=audit.partnership, action=action, obj=audit, changes=changes)


def _check_reference_free(reference: str) -> None:
    if Audit.objects.filter(reference=reference).exists():
        raise ValidationError({"reference": f"An audit with the reference {reference} already exists."})


# --- Rows from definition data --------------------------------------------------------------------------------


def _write_rows(audit: Audit, data: dict[str, Any], partnership: Partnership) -> None:
    """Replace everything the audit's Terms of Reference says with what definition data says.

    `data` has the shape of a definition (`AuditDefinition.model_dump()` or `audit_data()`); it may be an
    incomplete draft, but every agency, service and group it names must exist (DefinitionError otherwise).
    """
    resolved = resolve_names(data, partnership)
    defaults = Headings().model_dump()
    audit.title = data["title"]
    audit.short_title = data.get("short_title") or ""
    audit.topic = data.get("topic") or ""
    audit.version_date = data.get("version_date")
    audit.headings = {k: v for k, v in dict(data.get("headings") or {}).items() if v and v != defaults.get(k)}
    audit.background = data.get("background") or ""
    audit.definitions = data.get("definitions") or ""
    audit.purpose = data.get("purpose") or ""
    ident = data["identification"]
    audit.identification_text = ident.get("text") or ""
    audit.target_cases = ident.get("target_cases")
    audit.scope_start, audit.scope_end = ident.get("scope_start"), ident.get("scope_end")
    audit.age_min, audit.age_max = ident.get("age_min"), ident.get("age_max")
    audit.phases = [str(phase) for phase in ident.get("phases", [])]
    audit.include_send = bool(ident.get("include_send"))
    criteria = ident.get("field_criteria", [])
    audit.field_criteria = [{"field": item["field"], "values": list(item["values"])} for item in criteria]
    engagement = data["engagement"]
    audit.engagement_text = engagement.get("text") or ""
    wider = engagement.get("wider_audit")
    audit.framework = wider["framework"] if wider else ""
    audit.grading_scale = list(data["grading_scale"])
    audit.full_clean()
    audit.save()

    audit.themes.all().delete()
    for t_pos, theme_data in enumerate(data["themes"], start=1):
        theme = Theme.objects.create(
            audit=audit, position=t_pos, name=theme_data["name"], objectives=list(theme_data["objectives"])
        )
        Question.objects.bulk_create(
            Question(
                theme=theme,
                position=q_pos,
                key=q["key"],
                text=q["text"],
                answer_type=str(q["answer"]),
                choices=[dict(choice) for choice in q.get("choices", [])],
                help_text=q.get("help") or "",
                required=q.get("required", True),
            )
            for q_pos, q in enumerate(theme_data.get("questions", []), start=1)
        )
    audit.identifying.all().delete()
    IdentifyingAgency.objects.bulk_create(
        IdentifyingAgency(
            audit=audit,
            position=pos,
            agency=resolved.agencies[ref["agency"]],
            service=resolved.services[(ref["agency"], ref["service"])] if ref.get("service") else None,
        )
        for pos, ref in enumerate(ident["identifying_agencies"], start=1)
    )
    audit.participants.all().delete()
    kinds = [(ParticipationKind.CASE_AUDIT, engagement["case_audit"])]
    if wider:
        kinds.append((ParticipationKind.WIDER_AUDIT, wider["participants"]))
    for kind, participants in kinds:
        for pos, p in enumerate(participants, start=1):
            participant = Participant.objects.create(
                audit=audit,
                kind=kind,
                position=pos,
                agency=resolved.agencies[p["agency"]],
                services_text=p.get("services_text") or "",
            )
            ParticipantService.objects.bulk_create(
                ParticipantService(participant=participant, service=resolved.services[(p["agency"], name)], position=i)
                for i, name in enumerate(p.get("services", []), start=1)
            )
    audit.milestones.all().delete()
    Milestone.objects.bulk_create(
        Milestone(
            audit=audit,
            position=pos,
            kind=str(m["kind"]),
            text=m["text"],
            planned=m["planned"],
            actual=m.get("actual"),
            reports_to=resolved.groups[m["reports_to"]] if m.get("reports_to") else None,
        )
        for pos, m in enumerate(data["timeline"], start=1)
    )
    audit.governance_groups.set([resolved.groups[name] for name in data["governance_groups"]])
    audit.case_fields.all().delete()
    CaseField.objects.bulk_create(
        CaseField(
            audit=audit,
            position=pos,
            key=f["key"],
            label=f["label"],
            field_type=str(f["type"]),
            choices=[dict(choice) for choice in f.get("choices", [])],
            ordinal=f.get("ordinal", False),
            per_agency=f.get("per_agency", False),
            help_text=f.get("help") or "",
        )
        for pos, f in enumerate(data["case_fields"], start=1)
    )


# --- Creating audits ------------------------------------------------------------------------------------------


@transaction.atomic
def audit_create(*, actor: User, partnership: Partnership, reference: str, title: str) -> Audit:
    """A new, empty draft audit."""
    require_perm(actor, "audits.add_audit", partnership)
    _check_reference_free(reference)
    audit = Audit(partnership=partnership, reference=reference, title=title)
    audit.full_clean()
    audit.save()
    _log(actor, audit, AccessAction.CREATED, {"reference": [None, reference], "title": [None, title]})
    return audit


@transaction.atomic
def audit_import(
    *, actor: User | None, partnership: Partnership, definition: AuditDefinition, replace: bool = False
) -> Audit:
    """Create an audit from a definition, or (with `replace`) replace a draft's Terms of Reference with it.

    All or nothing: DefinitionError names every agency, service or group the partnership does not have. With no actor
    it is the operator's, on the server's command line (`maca import_audit` without `--as`, the demo).
    """
    if actor is not None:
        require_perm(actor, "audits.add_audit", partnership)
    existing = Audit.objects.select_for_update().filter(reference=definition.reference).first()
    if existing is not None and not replace:
        raise DefinitionError([Problem("reference", f"an audit with the reference {definition.reference} exists")])
    if existing is not None and existing.partnership_id != partnership.pk:
        raise DefinitionError([Problem("reference", f"the reference {definition.reference} is already in use")])
    if existing is not None and existing.is_locked:
        raise DefinitionError(
            [Problem("reference", f"{definition.reference} is {existing.get_status_display().lower()}: it is locked")]
        )
    if existing is not None and actor is not None:
        require_perm(actor, "audits.change_audit", existing)
    if existing is not None and is_closed(existing):
        raise DefinitionError([Problem("reference", f"{definition.reference} is closed: it cannot be replaced")])
    audit = existing or Audit(partnership=partnership, reference=definition.reference)
    if existing is not None:
        audit.version += 1  # a replaced Terms of Reference makes every open edit page stale
    try:
        _write_rows(audit, definition.model_dump(by_alias=True), partnership)
    except ValidationError as error:
        # The schema mirrors the database's limits; should anything still be refused, name it rather than fail.
        raise DefinitionError(
            [
                Problem(field if field != "__all__" else "", " ".join(messages))
                for field, messages in error.message_dict.items()
            ]
        ) from error
    if actor is not None:
        _log(actor, audit, AccessAction.CHANGED if existing else AccessAction.CREATED, {"imported": [None, True]})
    return audit


@transaction.atomic
def audit_from_template(
    *, actor: User, partnership: Partnership, template_key: str, reference: str, title: str
) -> tuple[Audit, list[str]]:
    """A new draft audit from a template of the library; also says what of the template this partnership lacks."""
    require_perm(actor, "audits.add_audit", partnership)
    _check_reference_free(reference)
    data = library.load_template(template_key).model_dump(by_alias=True)
    left_out = adapt_to_partnership(data, partnership)
    data.update(reference=reference, title=title)
    audit = Audit(partnership=partnership, reference=reference, template_key=template_key)
    _write_rows(audit, data, partnership)
    _log(actor, audit, AccessAction.CREATED, {"template": [None, template_key], "title": [None, title]})
    return audit, left_out


@transaction.atomic
def audit_copy(*, actor: User, source: Audit, reference: str, title: str) -> Audit:
    """A new draft audit with everything the source audit's Terms of Reference says, complete or not."""
    require_perm(actor, "audits.add_audit", source.partnership)
    _check_reference_free(reference)
    data = audit_data(source)
    data.update(reference=reference, title=title)
    audit = Audit(partnership=source.partnership, reference=reference, copied_from=source)
    _write_rows(audit, data, source.partnership)
    _log(actor, audit, AccessAction.CREATED, {"copied from": [None, source.reference], "title": [None, title]})
    return audit


# --- The lifecycle of the Terms of Reference -----------------------------------------------------------------


def frozen_names(audit: Audit) -> dict[str, Any]:
    """The partnership's and agencies' names, to keep with an approved version."""
    return {
        "partnership_name": audit.partnership.name,
        "agency_names": dict(audit.partnership.agencies.values_list("short_code", "name")),
    }


def _require_status(audit: Audit, *statuses: AuditStatus) -> None:
    if audit.status not in statuses:
        allowed = " or ".join(str(s.label).lower() for s in statuses)
        raise ValidationError(f"This can only be done when the Terms of Reference is {allowed}.")


def _step(audit: Audit, *statuses: AuditStatus) -> None:
    """Lock the audit's row for a lifecycle step: re-read its status there, check it, and raise its version.

    Two people taking the same step at once are served one after the other (the second is refused), and any edit
    page loaded before the step is then stale.
    """
    audit.status, audit.version = Audit.objects.select_for_update().values_list("status", "version").get(pk=audit.pk)
    _require_status(audit, *statuses)
    audit.version += 1


@transaction.atomic
def audit_submit_for_review(*, actor: User, audit: Audit) -> Audit:
    """Send a complete draft to the audit lead for approval; a draft with gaps is refused with every gap named."""
    require_perm(actor, "audits.change_audit", audit)
    _step(audit, AuditStatus.DRAFT)
    problems = definition_problems(audit)
    if problems:
        raise ValidationError([str(problem) for problem in problems])
    if audit.lead is None:
        raise ValidationError("Choose the audit lead who will approve the Terms of Reference.")
    audit.status = AuditStatus.IN_REVIEW
    audit.save(update_fields=["status", "version"])
    _log(actor, audit, AccessAction.CHANGED, {"status": ["draft", "in_review"]})
    return audit


@transaction.atomic
def audit_return_to_draft(*, actor: User, audit: Audit, reason: str) -> Audit:
    """Send a Terms of Reference in review back for changes, saying why."""
    require_perm(actor, "audits.return_audit", audit)
    if not reason.strip():
        raise ValidationError({"reason": "Say what needs to change."})
    _step(audit, AuditStatus.IN_REVIEW)
    audit.status = AuditStatus.DRAFT
    audit.save(update_fields=["status", "version"])
    _log(actor, audit, AccessAction.CHANGED, {"status": ["in_review", "draft"], "reason": [None, reason.strip()]})
    return audit


@transaction.atomic
def audit_approve(*, actor: User, audit: Audit) -> TermsOfReferenceVersion:
    """Approve the Terms of Reference: it is frozen as version N and locked."""
    require_perm(actor, "audits.approve_audit", audit)
    _step(audit, AuditStatus.IN_REVIEW)
    definition = audit_definition(audit)
    version = TermsOfReferenceVersion.objects.create(
        audit=audit,
        number=audit.tor_version,
        definition=definition_data(definition),
        approved_by=actor,
        **frozen_names(audit),
    )
    audit.status = AuditStatus.APPROVED
    audit.save(update_fields=["status", "version"])
    _log(actor, audit, AccessAction.CHANGED, {"status": ["in_review", "approved"], "version": [None, version.number]})
    return version


@transaction.atomic
def audit_start_new_version(*, actor: User, audit: Audit) -> Audit:
    """Open an approved Terms of Reference for changes as the draft of its next version; the approved one stays."""
    require_perm(actor, "audits.change_audit", audit)
    refuse_if_closed(audit)
    _step(audit, AuditStatus.APPROVED)
    audit.status = AuditStatus.DRAFT
    audit.tor_version += 1
    audit.save(update_fields=["status", "tor_version", "version"])
    _log(actor, audit, AccessAction.CHANGED, {"status": ["approved", "draft"], "version": [None, audit.tor_version]})
    return audit


@transaction.atomic
def audit_set_lead(*, actor: User, audit: Audit, lead: User) -> Audit:
    """Name the person who leads the audit (the coordinator does); they must hold the audit lead role in the
    partnership."""
    require_perm(actor, "audits.change_audit", audit)
    require_perm(actor, "partnerships.change_partnership", audit.partnership)
    if lead not in audit_lead_candidates(audit.partnership):
        raise ValidationError({"lead": f"{lead} does not have the role of audit lead in {audit.partnership}."})
    _step(audit, AuditStatus.DRAFT, AuditStatus.IN_REVIEW, AuditStatus.APPROVED)
    before = str(audit.lead) if audit.lead else None
    audit.lead = lead
    audit.save(update_fields=["lead", "version"])
    _log(actor, audit, AccessAction.CHANGED, {"audit lead": [before, str(lead)]})
    return audit


def audit_lead_candidates(partnership: Partnership) -> list[User]:
    """The people who may lead an audit: those with the audit lead role in the partnership."""
    return list(
        User.objects.filter(memberships__partnership=partnership, memberships__role=Role.AUDIT_LEAD)
        .distinct()
        .order_by("full_name")
    )
