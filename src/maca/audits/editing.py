"""Editing a draft audit's Terms of Reference, section by section.

Every service here:
- claims the audit's version (`maca.common.versioning.claim_version`): an edit made from a page loaded before
  someone else's saved edit is refused with ChangedSinceLoaded, whichever section either of them edited;
- refuses an audit whose Terms of Reference is in review or approved (ValidationError);
- checks what it is given by the rules of the definition's schema (`maca.audits.schema`), and that every agency,
  service and governance group it names is the audit's partnership's (ValidationError), before writing anything;
- records one access-log entry naming every value of the definition that changed, by its key path
  (e.g. `themes[0].objectives`), in the same transaction.

So a section saved here is a valid section of a definition, and nothing is ever half-saved.
"""

import datetime
import re
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pydantic
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max

from maca.accounts.models import User
from maca.common.closure import refuse_if_closed
from maca.common.scoping import require_perm
from maca.common.versioning import claim_version
from maca.partnerships.models import AccessAction, Agency, AgencyService, GovernanceGroup
from maca.partnerships.services import access_log_record

from . import schema
from .definition import audit_data
from .models import (
    Audit,
    CaseField,
    IdentifyingAgency,
    Milestone,
    Participant,
    ParticipantService,
    ParticipationKind,
    Question,
    Theme,
)

TEXT_SECTIONS = ("background", "definitions", "purpose")
DEFAULT_HEADINGS: dict[str, str] = schema.Headings().model_dump()

# --- Keys made from words, and text as stored ---------------------------------------------------------------------

KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
KEY_LENGTH = 40
MADE_KEY_LENGTH = 32  # Keys made from words stop at a whole word within this length: short enough to read.


def make_key(words: str, taken: Collection[str], *, fallback: str) -> str:
    """A key made from words ("Was neglect recognised early?" → was_neglect_recognised_early), not in `taken`.

    Lower-case ASCII letters, digits and underscores, starting with a letter (the schema's form of a key); a
    number is added (_2, _3, ...) when the key is taken.
    """
    ascii_words = unicodedata.normalize("NFKD", words).encode("ascii", "ignore").decode().lower()
    parts = re.findall(r"[a-z0-9]+", ascii_words)
    base = ""
    for part in parts:
        longer = f"{base}_{part}" if base else part
        if len(longer) > MADE_KEY_LENGTH:
            break
        base = longer
    if not base:
        base = parts[0][:MADE_KEY_LENGTH] if parts else fallback
    if not base[0].isalpha():
        base = f"{fallback}_{base}"[:MADE_KEY_LENGTH].rstrip("_")
    used = {key.lower() for key in taken}
    key, number = base, 1
    while key in used:
        number += 1
        suffix = f"_{number}"
        key = base[: KEY_LENGTH - len(suffix)].rstrip("_") + suffix
    return key


def prose(text: str) -> str:
    """Marked-up text as stored: Unix line ends, no spaces at the ends of lines, no blank lines at either end."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(lines).strip("\n").strip()


# --- What the services are given ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionData:
    """A question as edited; an empty key is made from the text."""

    text: str
    answer: str
    key: str = ""
    choices: Sequence[dict[str, str]] = ()
    help: str = ""
    required: bool = True


@dataclass(frozen=True)
class AgencyChoice:
    """An agency of the partnership, or one of its services."""

    agency: Agency
    service: AgencyService | None = None


@dataclass(frozen=True)
class ParticipantData:
    """An agency taking part, with the services that take part or a sentence naming them (or neither)."""

    agency: Agency
    services: Sequence[AgencyService] = field(default_factory=tuple)
    services_text: str = ""


@dataclass(frozen=True)
class MilestoneData:
    kind: str
    text: str
    planned: str
    actual: datetime.date | None = None
    reports_to: GovernanceGroup | None = None


@dataclass(frozen=True)
class CaseFieldData:
    """A field of the case profile as edited; an empty key is made from the label."""

    label: str
    field_type: str
    key: str = ""
    choices: Sequence[dict[str, str]] = ()
    ordinal: bool = False
    per_agency: bool = False
    help: str = ""


# --- Shared steps -------------------------------------------------------------------------------------------------


def _claim(actor: User, audit: Audit, loaded_version: int) -> dict[str, Any]:
    """Start an edit: refuse an actor who may not change the audit, lock the audit's row, refuse a stale page or a
    locked audit; the definition data before."""
    require_perm(actor, "audits.change_audit", audit)
    refuse_if_closed(audit)
    claim_version(audit, loaded_version)
    claimed = audit.version
    audit.refresh_from_db()
    audit.version = claimed
    if audit.is_locked:
        raise ValidationError(
            f"The Terms of Reference is {audit.get_status_display().lower()}, so it cannot be changed."
        )
    return _flat(audit_data(audit))


def _finish(actor: User, audit: Audit, before: dict[str, Any]) -> None:
    """Save the audit (with its new version) and log what changed in its definition."""
    audit.full_clean()
    audit.save()
    after = _flat(audit_data(audit))
    changes = {key: [before.get(key), after.get(key)] for key in [*after, *before] if before.get(key) != after.get(key)}
    access_log_record(
        actor=actor, partnership=audit.partnership, action=AccessAction.CHANGED, obj=audit, changes=changes
    )


def _flat(value: Any, path: str = "") -> dict[str, Any]:
    """Definition data as key path → value (themes[0].questions[1].text → ...), dates as text."""
    if isinstance(value, dict):
        flat: dict[str, Any] = {}
        for key, item in value.items():
            flat.update(_flat(item, f"{path}.{key}" if path else str(key)))
        return flat
    records = isinstance(value, list) and value and all(isinstance(item, dict) for item in value)
    if records and not path.endswith("choices"):
        flat = {}
        for index, item in enumerate(value):
            flat.update(_flat(item, f"{path}[{index}]"))
        return flat
    if isinstance(value, datetime.date):
        return {path: value.isoformat()}
    return {path: value}


P = TypeVar("P", bound=pydantic.BaseModel)


def _validated(model: type[P], data: dict[str, Any], where: str) -> P:
    """Data checked by a model of the schema; ValidationError saying what is wrong, and where."""
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as error:
        messages = []
        for item in error.errors():
            place = ".".join(str(part) for part in item["loc"])
            message = str(item["msg"]).removeprefix("Value error, ")
            messages.append(f"{where}: {place} {message}" if place else f"{where}: {message}")
        raise ValidationError(messages) from error


def _set_heading(audit: Audit, key: str, heading: str) -> None:
    """Keep a section's heading; the default heading is not stored (so a new default applies)."""
    heading = " ".join(heading.split())
    if not heading:
        raise ValidationError("Enter the heading of the section.")
    headings = {name: value for name, value in dict(audit.headings).items() if name != key}
    if heading != DEFAULT_HEADINGS[key]:
        headings[key] = heading
    audit.headings = headings


def _unique(values: Sequence[str], what: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value.lower() in seen:
            raise ValidationError(f"The {what} {value!r} appears twice.")
        seen.add(value.lower())


def _check_agency(audit: Audit, agency: Agency, services: Sequence[AgencyService] = ()) -> None:
    if agency.partnership_id != audit.partnership_id:
        raise ValidationError(f"{agency.name} is not an agency of {audit.partnership.name}.")
    for service in services:
        if service.agency_id != agency.pk:
            raise ValidationError(f"{service.name} is not a service of {agency.name}.")


def _check_group(audit: Audit, group: GovernanceGroup) -> None:
    if group.partnership_id != audit.partnership_id:
        raise ValidationError(f"{group.name} is not a governance group of {audit.partnership.name}.")


def _check_theme(audit: Audit, theme: Theme) -> None:
    if theme.audit_id != audit.pk:
        raise ValidationError(f"The theme {theme.name} is not a theme of this audit.")


# --- Details and text ---------------------------------------------------------------------------------------------


@transaction.atomic
def tor_details_update(
    *,
    actor: User,
    audit: Audit,
    loaded_version: int,
    title: str,
    short_title: str,
    topic: str,
    version_date: datetime.date,
    governance_groups: Sequence[GovernanceGroup],
) -> Audit:
    """Change the audit's title, short title, topic, version date and the governance groups it reports to."""
    before = _claim(actor, audit, loaded_version)
    for value, what in ((title, "title"), (short_title, "short title"), (topic, "topic")):
        if not value.strip():
            raise ValidationError(f"Enter the {what}.")
    for group in governance_groups:
        _check_group(audit, group)
    audit.title, audit.short_title, audit.topic = title.strip(), short_title.strip(), topic.strip()
    audit.version_date = version_date
    audit.governance_groups.set(governance_groups)
    _finish(actor, audit, before)
    return audit


@transaction.atomic
def tor_text_update(*, actor: User, audit: Audit, loaded_version: int, section: str, text: str, heading: str) -> Audit:
    """Change the text (and heading) of the background, definitions or purpose; only definitions may be empty."""
    if section not in TEXT_SECTIONS:
        raise ValidationError(f"{section} is not a section of text.")
    before = _claim(actor, audit, loaded_version)
    text = prose(text)
    if not text and section != "definitions":
        raise ValidationError(f"Enter the text of the {section}.")
    setattr(audit, section, text)
    _set_heading(audit, section, heading)
    _finish(actor, audit, before)
    return audit


@transaction.atomic
def tor_heading_update(*, actor: User, audit: Audit, loaded_version: int, section: str, heading: str) -> Audit:
    """Change the heading of a section of the Terms of Reference (a key of `schema.Headings`)."""
    if section not in DEFAULT_HEADINGS:
        raise ValidationError(f"{section} is not a section of the Terms of Reference.")
    before = _claim(actor, audit, loaded_version)
    _set_heading(audit, section, heading)
    _finish(actor, audit, before)
    return audit


@transaction.atomic
def grading_scale_update(*, actor: User, audit: Audit, loaded_version: int, grades: Sequence[str]) -> Audit:
    """Replace the grading scale: at least two grades, best first, each named once."""
    before = _claim(actor, audit, loaded_version)
    grades = [" ".join(grade.split()) for grade in grades if grade.strip()]
    if len(grades) < 2:
        raise ValidationError("Give at least two grades.")
    _unique(grades, "grade")
    audit.grading_scale = grades
    _finish(actor, audit, before)
    return audit


# --- Themes and their questions -----------------------------------------------------------------------------------


def _theme_checked(audit: Audit, name: str, objectives: Sequence[str], current: Theme | None) -> schema.Theme:
    objectives = [prose(objective) for objective in objectives if objective.strip()]
    checked = _validated(schema.Theme, {"name": name, "objectives": objectives}, "Theme")
    others = audit.themes.exclude(pk=current.pk) if current else audit.themes.all()
    if others.filter(name__iexact=checked.name).exists():
        raise ValidationError(f"The audit already has a theme called {checked.name}.")
    return checked


@transaction.atomic
def theme_create(*, actor: User, audit: Audit, loaded_version: int, name: str, objectives: Sequence[str]) -> Theme:
    """Add a theme, after the others. It needs at least one objective."""
    before = _claim(actor, audit, loaded_version)
    checked = _theme_checked(audit, name, objectives, None)
    last = audit.themes.aggregate(last=Max("position"))["last"] or 0
    theme = Theme.objects.create(audit=audit, position=last + 1, name=checked.name, objectives=checked.objectives)
    _finish(actor, audit, before)
    return theme


@transaction.atomic
def theme_update(
    *, actor: User, audit: Audit, loaded_version: int, theme: Theme, name: str, objectives: Sequence[str]
) -> Theme:
    """Change a theme's name and objectives. It needs at least one objective."""
    before = _claim(actor, audit, loaded_version)
    _check_theme(audit, theme)
    checked = _theme_checked(audit, name, objectives, theme)
    theme.name, theme.objectives = checked.name, list(checked.objectives)
    theme.save(update_fields=["name", "objectives"])
    _finish(actor, audit, before)
    return theme


# Added to positions while they are renumbered, so that no two themes ever share a position on the way.
_RENUMBERING = 1_000_000


@transaction.atomic
def theme_remove(*, actor: User, audit: Audit, loaded_version: int, theme: Theme) -> None:
    """Remove a theme with its questions; the themes after it move up. An audit keeps at least one theme."""
    before = _claim(actor, audit, loaded_version)
    _check_theme(audit, theme)
    if audit.themes.count() == 1:
        raise ValidationError("An audit needs at least one theme: add another theme before removing this one.")
    position = theme.position
    theme.delete()
    audit.themes.filter(position__gt=position).update(position=F("position") + _RENUMBERING)
    audit.themes.filter(position__gt=_RENUMBERING).update(position=F("position") - _RENUMBERING - 1)
    _finish(actor, audit, before)


@transaction.atomic
def theme_questions_update(
    *, actor: User, audit: Audit, loaded_version: int, theme: Theme, questions: Sequence[QuestionData]
) -> Theme:
    """Replace a theme's questions, in order. Keys are unique in the audit; an empty key is made from the text."""
    before = _claim(actor, audit, loaded_version)
    _check_theme(audit, theme)
    other_keys = set(Question.objects.filter(theme__audit=audit).exclude(theme=theme).values_list("key", flat=True))
    given = [question.key for question in questions if question.key]
    _unique([*other_keys, *given], "question key")
    taken = other_keys | set(given)
    rows = []
    for position, question in enumerate(questions, start=1):
        key = question.key or make_key(question.text, taken, fallback="question")
        taken.add(key)
        data = {
            "key": key,
            "text": prose(question.text),
            "answer": question.answer,
            "choices": list(question.choices),
            "help": prose(question.help),
            "required": question.required,
        }
        checked = _validated(schema.Question, data, f"Question {position}")
        rows.append(
            Question(
                theme=theme,
                position=position,
                key=checked.key,
                text=checked.text,
                answer_type=checked.answer.value,
                choices=[choice.model_dump() for choice in checked.choices],
                help_text=checked.help,
                required=checked.required,
            )
        )
    theme.questions.all().delete()
    Question.objects.bulk_create(rows)
    _finish(actor, audit, before)
    return theme


# --- Identification and engagement --------------------------------------------------------------------------------


@transaction.atomic
def identification_update(
    *,
    actor: User,
    audit: Audit,
    loaded_version: int,
    heading: str,
    text: str,
    identifying_agencies: Sequence[AgencyChoice],
    target_cases: int,
    scope_start: datetime.date,
    scope_end: datetime.date,
    age_min: int | None,
    age_max: int | None,
    phases: Sequence[str],
    include_send: bool,
    field_criteria: Sequence[tuple[str, Sequence[str]]] = (),
) -> Audit:
    """Change how cases are identified: by whom (at least one agency or service), how many, and the criteria
    (`field_criteria`: the values a case must have in the topic's case fields, by the field's key)."""
    before = _claim(actor, audit, loaded_version)
    for choice in identifying_agencies:
        _check_agency(audit, choice.agency, [choice.service] if choice.service else [])
    refs = [
        {"agency": choice.agency.short_code, "service": choice.service.name if choice.service else ""}
        for choice in identifying_agencies
    ]
    _unique([f"{ref['agency']} {ref['service']}".strip() for ref in refs], "identifying agency")
    data = {
        "text": prose(text),
        "identifying_agencies": refs,
        "target_cases": target_cases,
        "scope_start": scope_start,
        "scope_end": scope_end,
        "age_min": age_min,
        "age_max": age_max,
        "phases": list(phases),
        "include_send": include_send,
        "field_criteria": [{"field": key, "values": list(values)} for key, values in field_criteria],
    }
    checked = _validated(schema.Identification, data, "Identification of cases")
    problems = schema.criteria_problems(checked.field_criteria, _case_field_schemas(audit))
    if problems:
        raise ValidationError(f"Identification of cases: {'; '.join(problems)}.")
    audit.identification_text = checked.text
    audit.target_cases = checked.target_cases
    audit.scope_start, audit.scope_end = checked.scope_start, checked.scope_end
    audit.age_min, audit.age_max = checked.age_min, checked.age_max
    audit.phases = [phase.value for phase in checked.phases]
    audit.include_send = checked.include_send
    audit.field_criteria = [criterion.model_dump() for criterion in checked.field_criteria]
    _set_heading(audit, "identification", heading)
    audit.identifying.all().delete()
    IdentifyingAgency.objects.bulk_create(
        IdentifyingAgency(audit=audit, position=position, agency=choice.agency, service=choice.service)
        for position, choice in enumerate(identifying_agencies, start=1)
    )
    _finish(actor, audit, before)
    return audit


@transaction.atomic
def engagement_update(
    *, actor: User, audit: Audit, loaded_version: int, heading: str, text: str, framework: str
) -> Audit:
    """Change the text on professional engagement, and the framework of the wider partnership audit.

    Without a framework there is no wider partnership audit in the Terms of Reference (its agencies are kept,
    and come back with a framework).
    """
    before = _claim(actor, audit, loaded_version)
    text = prose(text)
    if not text:
        raise ValidationError("Enter the text on professional engagement.")
    audit.engagement_text = text
    audit.framework = " ".join(framework.split())
    _set_heading(audit, "engagement", heading)
    _finish(actor, audit, before)
    return audit


def _in_order(current: Sequence[int], chosen: Sequence[int]) -> list[int]:
    """The chosen ids, those already listed in their current order first, then the new ones as chosen."""
    kept = [pk for pk in current if pk in chosen]
    return kept + [pk for pk in chosen if pk not in kept]


@transaction.atomic
def participants_update(
    *,
    actor: User,
    audit: Audit,
    loaded_version: int,
    kind: str,
    heading: str,
    participants: Sequence[ParticipantData],
) -> Audit:
    """Replace the agencies taking part in the case audit (at least one) or the wider partnership audit.

    Agencies already taking part keep their place in the list; agencies added come after them.
    """
    if kind not in ParticipationKind.values:
        raise ValidationError(f"{kind} is not a kind of participation.")
    before = _claim(actor, audit, loaded_version)
    by_agency: dict[int, ParticipantData] = {}
    for participant in participants:
        _check_agency(audit, participant.agency, participant.services)
        if participant.agency.pk in by_agency:
            raise ValidationError(f"{participant.agency.name} is listed twice.")
        by_agency[participant.agency.pk] = participant
        data = {
            "agency": participant.agency.short_code,
            "services": [service.name for service in participant.services],
            "services_text": participant.services_text,
        }
        _validated(schema.Participant, data, participant.agency.name)
    if kind == ParticipationKind.CASE_AUDIT and not participants:
        raise ValidationError("At least one agency must take part in the case audit.")
    existing = list(audit.participants.filter(kind=kind).prefetch_related("service_links"))
    current_order = [row.agency_id for row in existing]
    current_services = {row.agency_id: [link.service_id for link in row.service_links.all()] for row in existing}
    _set_heading(audit, kind, heading)
    audit.participants.filter(kind=kind).delete()
    for position, agency_id in enumerate(_in_order(current_order, list(by_agency)), start=1):
        participant = by_agency[agency_id]
        row = Participant.objects.create(
            audit=audit,
            kind=kind,
            position=position,
            agency=participant.agency,
            services_text=" ".join(participant.services_text.split()),
        )
        services = {service.pk: service for service in participant.services}
        ParticipantService.objects.bulk_create(
            ParticipantService(participant=row, service=services[pk], position=number)
            for number, pk in enumerate(_in_order(current_services.get(agency_id, []), list(services)), start=1)
        )
    _finish(actor, audit, before)
    return audit


# --- Timeline and case fields -------------------------------------------------------------------------------------


@transaction.atomic
def timeline_update(
    *, actor: User, audit: Audit, loaded_version: int, heading: str, milestones: Sequence[MilestoneData]
) -> Audit:
    """Replace the timeline's steps, in order; each planned for a month or a day."""
    before = _claim(actor, audit, loaded_version)
    rows = []
    for position, milestone in enumerate(milestones, start=1):
        if milestone.reports_to is not None:
            _check_group(audit, milestone.reports_to)
        data = {
            "kind": milestone.kind,
            "text": milestone.text,
            "planned": milestone.planned,
            "actual": milestone.actual,
        }
        checked = _validated(schema.Milestone, data, f"Step {position} of the timeline")
        rows.append(
            Milestone(
                audit=audit,
                position=position,
                kind=checked.kind.value,
                text=checked.text,
                planned=checked.planned,
                actual=checked.actual,
                reports_to=milestone.reports_to,
            )
        )
    _set_heading(audit, "timeline", heading)
    audit.milestones.all().delete()
    Milestone.objects.bulk_create(rows)
    _finish(actor, audit, before)
    return audit


@transaction.atomic
def case_fields_update(*, actor: User, audit: Audit, loaded_version: int, fields: Sequence[CaseFieldData]) -> Audit:
    """Replace the topic's fields of the case profile, in order. Keys are unique; an empty key is made from the
    label."""
    before = _claim(actor, audit, loaded_version)
    given = [case_field.key for case_field in fields if case_field.key]
    _unique(given, "case field key")
    taken = set(given)
    rows = []
    checked_fields: list[schema.CaseField] = []
    for position, case_field in enumerate(fields, start=1):
        key = case_field.key or make_key(case_field.label, taken, fallback="field")
        taken.add(key)
        data = {
            "key": key,
            "label": case_field.label,
            "type": case_field.field_type,
            "choices": list(case_field.choices),
            "ordinal": case_field.ordinal,
            "per_agency": case_field.per_agency,
            "help": prose(case_field.help),
        }
        checked = _validated(schema.CaseField, data, f"Case field {position}")
        checked_fields.append(checked)
        rows.append(
            CaseField(
                audit=audit,
                position=position,
                key=checked.key,
                label=checked.label,
                field_type=checked.type.value,
                choices=[choice.model_dump() for choice in checked.choices],
                ordinal=checked.ordinal,
                per_agency=checked.per_agency,
                help_text=checked.help,
            )
        )
    audit.case_fields.all().delete()
    CaseField.objects.bulk_create(rows)
    audit.field_criteria = _criteria_kept(audit.field_criteria, checked_fields)
    _finish(actor, audit, before)
    return audit


def _case_field_schemas(audit: Audit) -> list[schema.CaseField]:
    return [
        schema.CaseField(
            key=row.key,
            label=row.label,
            type=schema.CaseFieldType(row.field_type),
            choices=[schema.Choice(**choice) for choice in row.choices],
            ordinal=row.ordinal,
            per_agency=row.per_agency,
        )
        for row in audit.case_fields.all()
    ]


def _criteria_kept(criteria: Sequence[dict[str, Any]], fields: Sequence[schema.CaseField]) -> list[dict[str, Any]]:
    """The criteria on case fields that still make sense after the fields changed: those on a removed field, or on
    one that became free text, are dropped, and values no longer offered are left out (the change is logged)."""
    by_key = {case_field.key: case_field for case_field in fields}
    kept = []
    for criterion in criteria:
        case_field = by_key.get(criterion["field"])
        if case_field is None or case_field.type == schema.CaseFieldType.TEXT:
            continue
        values = [value for value in criterion["values"] if value in schema.field_values(case_field)]
        if values:
            kept.append({"field": criterion["field"], "values": values})
    return kept
