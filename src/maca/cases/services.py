"""Writes to cases: nominating, deciding, involvement and record numbers, each logged in the same transaction."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from maca.accounts.models import User
from maca.audits.models import Audit, CaseField
from maca.common.closure import refuse_if_closed
from maca.common.scoping import require_perm
from maca.partnerships.models import AccessAction, Agency, AgencyService
from maca.partnerships.services import access_log_record

from .criteria import value_labels
from .models import AgencyRecordNumber, Case, Decision, Involvement
from .signals import case_changed


@dataclass(frozen=True)
class CaseProfile:
    """What is known of a nominated child: never a name, an address or a full date of birth."""

    reference: str
    birth_month: datetime.date
    gender: str
    ethnicity: str
    send: str
    disability: str
    aces: str
    concern_date: datetime.date
    topic_values: dict[str, Any] = field(default_factory=dict)


def identifying_agencies(audit: Audit) -> list[Agency]:
    """The agencies that nominate cases for the audit."""
    return [row.agency for row in audit.identifying.select_related("agency")]


def check_topic_values(audit: Audit, values: dict[str, Any]) -> dict[str, str]:
    """Problems with topic-specific values, by field key (unknown keys, values not among the field's choices)."""
    fields = {f.key: f for f in CaseField.objects.filter(audit=audit)}
    problems = {}
    for key, value in values.items():
        case_field = fields.get(key)
        if case_field is None:
            problems[key] = f"{key} is not a case field of this audit."
            continue
        allowed = value_labels(case_field)
        chosen = value if isinstance(value, list) else [value]
        if allowed and any(v not in allowed for v in chosen if v not in ("", None)):
            problems[key] = f"{case_field.label}: choose from {', '.join(allowed.values())}."
    return problems


def _log(
    actor: User, case: Case, action: AccessAction, changes: dict[str, Any] | None = None, agency: Agency | None = None
) -> None:
    access_log_record(
        actor=actor, partnership=case.audit.partnership, action=action, obj=case, changes=changes, agency=agency
    )


NOT_YET_APPROVED = "Cases are nominated once the Terms of Reference has been approved."


def require_nominations_open(actor: User, audit: Audit) -> None:
    """Refuse an actor who may not nominate the audit's cases (PermissionDenied), or an audit whose Terms of
    Reference has never been approved (ValidationError)."""
    require_perm(actor, "cases.nominate", audit)
    refuse_if_closed(audit)
    if not audit.tor_versions.exists():
        raise ValidationError(NOT_YET_APPROVED)


@transaction.atomic
def case_nominate(
    *,
    actor: User,
    audit: Audit,
    agency: Agency,
    profile: CaseProfile,
    involved: Iterable[Agency] = (),
    record_number: str = "",
) -> Case:
    """Nominate a case for the audit on behalf of an identifying agency. Involvement with other agencies may be
    proposed; each agency's lead confirms its own. The coordinator nominates for any identifying agency, an
    agency's lead for their own."""
    require_nominations_open(actor, audit)
    if not actor.has_perm("cases.nominate_for", Case(audit=audit, nominated_by=agency)):
        raise ValidationError({"nominated_by": f"You do not nominate cases for {agency}: only its lead does."})
    if agency not in identifying_agencies(audit):
        raise ValidationError({"nominated_by": f"{agency} is not an identifying agency of this audit."})
    if Case.objects.filter(audit=audit, reference__iexact=profile.reference).exists():
        raise ValidationError({"reference": f"A case with the reference {profile.reference} already exists."})
    problems = check_topic_values(audit, profile.topic_values)
    if problems:
        raise ValidationError(problems)
    case = Case(
        audit=audit,
        nominated_by=agency,
        nominated_by_user=actor,
        reference=profile.reference,
        birth_month=profile.birth_month.replace(day=1),
        gender=profile.gender,
        ethnicity=profile.ethnicity,
        send=profile.send,
        disability=profile.disability,
        aces=profile.aces,
        concern_date=profile.concern_date,
        topic_values=profile.topic_values,
    )
    case.full_clean()
    if case.birth_month > case.concern_date:
        raise ValidationError({"birth_month": "The month of birth must be before the date of the concern."})
    case.save()
    for other in {*involved, agency}:
        Involvement.objects.create(case=case, agency=other)
    if record_number:
        AgencyRecordNumber.objects.create(case=case, agency=agency, number=record_number)
    _log(actor, case, AccessAction.CREATED, {"nominated by": [None, agency.name]}, agency=agency)
    return case


@transaction.atomic
def case_decide(*, actor: User, case: Case, decision: str, reason: str) -> Case:
    """Include or exclude a case, with the reason recorded."""
    require_perm(actor, "cases.decide_case", case)
    refuse_if_closed(case.audit)
    if decision not in (Decision.INCLUDED, Decision.EXCLUDED):
        raise ValidationError({"decision": "Choose whether to include or exclude the case."})
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for the decision."})
    before = case.decision
    case.decision, case.decision_reason = decision, reason.strip()
    case.decided_by, case.decided_at = actor, timezone.now()
    case.save(update_fields=["decision", "decision_reason", "decided_by", "decided_at"])
    _log(actor, case, AccessAction.CHANGED, {"decision": [before, decision], "reason": [None, case.decision_reason]})
    case_changed.send(sender=Case, case=case)
    return case


@transaction.atomic
def involvement_confirm(*, actor: User, involvement: Involvement, services: Iterable[AgencyService]) -> Involvement:
    """The agency's lead confirms that the agency (and which of its services) was involved with the child."""
    require_perm(actor, "cases.confirm_involvement", involvement)
    refuse_if_closed(involvement.case.audit)
    services = list(services)
    foreign = [s for s in services if s.agency_id != involvement.agency_id]
    if foreign:
        raise ValidationError({"services": f"{foreign[0]} is not a service of {involvement.agency}."})
    involvement.services.set(services)
    involvement.confirmed_by, involvement.confirmed_at = actor, timezone.now()
    involvement.save(update_fields=["confirmed_by", "confirmed_at"])
    _log(
        actor,
        involvement.case,
        AccessAction.CHANGED,
        {"involvement confirmed": [None, f"{involvement.agency}: {', '.join(s.name for s in services) or 'all'}"]},
        agency=involvement.agency,
    )
    case_changed.send(sender=Case, case=involvement.case)
    return involvement


@transaction.atomic
def involvement_add(*, actor: User, case: Case, agency: Agency) -> Involvement:
    """Record that another agency of the partnership was involved with the child; its lead then confirms it."""
    require_perm(actor, "cases.add_involvement", case)
    refuse_if_closed(case.audit)
    if agency.partnership_id != case.audit.partnership_id:
        raise ValidationError({"agency": "Choose an agency of this partnership."})
    if case.involvements.filter(agency=agency).exists():
        raise ValidationError({"agency": f"{agency} is already involved with {case}."})
    involvement = Involvement.objects.create(case=case, agency=agency)
    _log(actor, case, AccessAction.CHANGED, {"involved": [None, agency.name]})
    return involvement


@transaction.atomic
def involvement_remove(*, actor: User, involvement: Involvement, reason: str) -> None:
    """Remove an agency recorded as involved by mistake, with the reason logged.

    A case keeps at least one involved agency: the last one is replaced by adding the right agency first.
    """
    require_perm(actor, "cases.remove_involvement", involvement)
    refuse_if_closed(involvement.case.audit)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Give the reason for removing the agency."})
    case = Case.objects.select_for_update().get(pk=involvement.case_id)
    if not case.involvements.exclude(pk=involvement.pk).exists():
        raise ValidationError(
            f"{involvement.agency} is the only agency involved with {case}: add the agency that was involved first."
        )
    _log(actor, case, AccessAction.REMOVED, {"involved": [involvement.agency.name, None], "reason": [None, reason]})
    involvement.delete()
    case_changed.send(sender=Case, case=case)


PROFILE_FIELDS = (
    "reference",
    "birth_month",
    "gender",
    "ethnicity",
    "send",
    "disability",
    "aces",
    "concern_date",
    "topic_values",
)


def _require_undecided(case: Case) -> None:
    if case.decision != Decision.PENDING:
        raise ValidationError(f"{case} has been {case.get_decision_display().lower()}: its nomination is settled.")


@transaction.atomic
def case_update(*, actor: User, case: Case, profile: CaseProfile) -> Case:
    """Correct the profile of a case not yet decided on; the fields changed are logged."""
    require_perm(actor, "cases.change_case", case)
    refuse_if_closed(case.audit)
    case = Case.objects.select_for_update().get(pk=case.pk)
    _require_undecided(case)
    if Case.objects.filter(audit=case.audit, reference__iexact=profile.reference).exclude(pk=case.pk).exists():
        raise ValidationError({"reference": f"A case with the reference {profile.reference} already exists."})
    problems = check_topic_values(case.audit, profile.topic_values)
    if problems:
        raise ValidationError(problems)
    before = {name: str(getattr(case, name)) for name in PROFILE_FIELDS}
    for name in PROFILE_FIELDS:
        setattr(case, name, getattr(profile, name))
    case.birth_month = case.birth_month.replace(day=1)
    case.full_clean()
    if case.birth_month > case.concern_date:
        raise ValidationError({"birth_month": "The month of birth must be before the date of the concern."})
    case.save()
    after = {name: str(getattr(case, name)) for name in PROFILE_FIELDS}
    _log(actor, case, AccessAction.CHANGED, {k: [before[k], after[k]] for k in after if before[k] != after[k]})
    return case


@transaction.atomic
def case_withdraw(*, actor: User, case: Case) -> None:
    """Withdraw a nomination not yet decided on: the case and its profile are removed, the log keeps who did it."""
    require_perm(actor, "cases.change_case", case)
    refuse_if_closed(case.audit)
    case = Case.objects.select_for_update().get(pk=case.pk)
    _require_undecided(case)
    _log(actor, case, AccessAction.REMOVED, {"withdrawn": [case.reference, None]})
    case.delete()
