"""The audit definition: everything a Terms of Reference says, as one document (the YAML file people exchange).

This module is the schema: `AuditDefinition` validates a file (unknown keys and wrong types are refused), and
`maca.audits.definition` moves definitions in and out of the database. `docs/audit-definition.md` documents it
with an example; `AuditDefinition.model_json_schema()` gives the JSON Schema.

Prose (background, definitions, purpose, objectives, ...) uses the markup of `maca.common.richtext`: paragraphs
separated by a blank line, "- " bullets, and `[^...]` footnotes.
"""

import datetime
import re
from enum import StrEnum
from typing import Annotated, Any, Literal, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from maca.common.characters import unshowable_character

SCHEMA_ID = "maca-audit/1"


def _shows(text: str) -> str:
    """Text every character of which shows on screen and can go in a Word or PDF document."""
    unshowable = unshowable_character(text)
    if unshowable:
        raise ValueError(f"contains {unshowable}, which does not show on screen: type the text again without it")
    return text


Shown = AfterValidator(_shows)
# Lengths match the database's columns, so that anything the schema accepts can be stored.
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50_000), Shown]
OptionalText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=50_000), Shown]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), Shown]
OptionalName = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), Shown]
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300), Shown]
Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
Reference = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=60)]
AgencyCode = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9][A-Z0-9-]{0,15}$")]

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Choice(Strict):
    """One option of a choice: the value stored (stable) and the label people see."""

    value: Key
    label: Line


class AnswerType(StrEnum):
    GRADE = "grade"  # a graded judgement on the audit's grading scale
    YES_NO = "yes_no"  # yes / no / not known
    CHOICE = "choice"  # one of `choices`
    NUMBER = "number"
    DATE = "date"
    TEXT = "text"


class Question(Strict):
    """A question every involved agency answers for a case, under one theme."""

    key: Key
    text: Text
    answer: AnswerType
    choices: list[Choice] = Field(default_factory=list)
    help: OptionalText = ""
    required: bool = True

    @model_validator(mode="after")
    def _choices_only_for_choice(self) -> Self:
        if self.answer == AnswerType.CHOICE and len(self.choices) < 2:
            raise ValueError("a question answered by a choice needs at least two choices")
        if self.answer != AnswerType.CHOICE and self.choices:
            raise ValueError(f"only questions answered by a choice have choices (this one is {self.answer.value})")
        _unique([choice.value for choice in self.choices], "choice value")
        return self


class Theme(Strict):
    """A named theme of the audit: its objectives (prose) and the questions asked under it."""

    name: Name
    objectives: list[Text] = Field(min_length=1)
    questions: list[Question] = Field(default_factory=list)


class CaseFieldType(StrEnum):
    CHOICE = "choice"
    MULTI_CHOICE = "multi_choice"
    YES_NO = "yes_no"
    TEXT = "text"


class CaseField(Strict):
    """A field of the case profile specific to the audit's topic (e.g. where behaviour sits on a continuum).

    `ordinal`: the choices are an ordered scale, from the first to the last (agreement is then measured as ordinal).
    `per_agency`: each involved agency also gives its own answer in its return.
    """

    key: Key
    label: Line
    type: CaseFieldType
    choices: list[Choice] = Field(default_factory=list)
    ordinal: bool = False
    per_agency: bool = False
    help: OptionalText = ""

    @model_validator(mode="after")
    def _choices(self) -> Self:
        has_choices = self.type in (CaseFieldType.CHOICE, CaseFieldType.MULTI_CHOICE)
        if has_choices and len(self.choices) < 2:
            raise ValueError(f"a {self.type.value} field needs at least two choices")
        if not has_choices and self.choices:
            raise ValueError(f"only choice fields have choices (this one is {self.type.value})")
        if self.ordinal and self.type != CaseFieldType.CHOICE:
            raise ValueError("only a single choice can be an ordinal scale")
        _unique([choice.value for choice in self.choices], "choice value")
        return self


YES_NO_VALUES = ("yes", "no", "not_known")


def field_values(case_field: CaseField) -> list[str]:
    """The values a case field can hold (a yes/no field: yes, no, not known)."""
    if case_field.type == CaseFieldType.YES_NO:
        return list(YES_NO_VALUES)
    return [choice.value for choice in case_field.choices]


class FieldCriterion(Strict):
    """A per-case criterion on a topic case field: the case's value is one of `values` (for a multiple choice, at
    least one of the values chosen is). A field of free text cannot be a criterion."""

    field: Key
    values: list[Key] = Field(min_length=1)

    @model_validator(mode="after")
    def _distinct(self) -> Self:
        _unique(self.values, f"value of the criterion on {self.field}")
        return self


def criteria_problems(criteria: list[FieldCriterion], case_fields: list[CaseField]) -> list[str]:
    """What is wrong with per-case criteria against the audit's case fields (empty when nothing is)."""
    fields = {case_field.key: case_field for case_field in case_fields}
    problems = []
    seen: set[str] = set()
    for criterion in criteria:
        case_field = fields.get(criterion.field)
        if criterion.field in seen:
            problems.append(f"there are two criteria on the case field {criterion.field!r}")
        seen.add(criterion.field)
        if case_field is None:
            problems.append(f"the criterion names {criterion.field!r}, which is not a case field of the audit")
        elif case_field.type == CaseFieldType.TEXT:
            problems.append(f"the case field {criterion.field!r} is free text, so it cannot be a criterion")
        else:
            allowed = field_values(case_field)
            for value in criterion.values:
                if value not in allowed:
                    problems.append(f"{value!r} is not a value of the case field {criterion.field!r}")
    return problems


class Phase(StrEnum):
    EARLY_YEARS = "early_years"
    PRIMARY = "primary"
    SECONDARY = "secondary"
    POST_16 = "post_16"


class AgencyRef(Strict):
    """An agency of the partnership by its short code, optionally one of its services by name."""

    agency: AgencyCode
    service: OptionalName = ""


class Identification(Strict):
    """How cases are identified: who nominates them, how many, and the criteria for a case and for the set."""

    text: Text
    identifying_agencies: list[AgencyRef] = Field(min_length=1)
    target_cases: int = Field(ge=1, le=1000)
    scope_start: datetime.date
    scope_end: datetime.date
    age_min: int | None = Field(default=None, ge=0, le=25)
    age_max: int | None = Field(default=None, ge=0, le=25)
    phases: list[Phase] = Field(default_factory=list)
    include_send: bool = False
    field_criteria: list[FieldCriterion] = Field(default_factory=list)

    @model_validator(mode="after")
    def _ranges(self) -> Self:
        if self.scope_end < self.scope_start:
            raise ValueError("scope_end is before scope_start")
        if self.age_min is not None and self.age_max is not None and self.age_max < self.age_min:
            raise ValueError("age_max is below age_min")
        return self


class Participant(Strict):
    """An agency taking part, with the services or teams that take part (or a sentence naming them)."""

    agency: AgencyCode
    services: list[Name] = Field(default_factory=list)
    services_text: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500), Shown] = ""

    @model_validator(mode="after")
    def _one_way_of_naming_services(self) -> Self:
        if self.services and self.services_text:
            raise ValueError("give either services or services_text, not both")
        return self


class WiderAudit(Strict):
    """The wider partnership self-assessment (6b): the framework it uses and the agencies that rate themselves."""

    framework: Line
    participants: list[Participant] = Field(default_factory=list)


class Engagement(Strict):
    text: Text
    case_audit: list[Participant] = Field(min_length=1)
    wider_audit: WiderAudit | None = None


class MilestoneKind(StrEnum):
    AUDIT = "audit"
    REPORT = "report"
    SEMINAR = "seminar"
    DIP_SAMPLE = "dip_sample"
    OTHER = "other"


class Milestone(Strict):
    """A step of the timeline. `planned` is a month (2021-07) or a day (2021-07-15); `actual` the day it happened."""

    kind: MilestoneKind
    text: Line
    planned: str
    actual: datetime.date | None = None
    reports_to: OptionalName = ""

    @field_validator("planned", mode="before")
    @classmethod
    def _planned(cls, value: Any) -> str:
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, str) and MONTH.match(value.strip()):
            return value.strip()
        if isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value.strip()).isoformat()
            except ValueError:
                pass
        raise ValueError("must be a month (YYYY-MM) or a date (YYYY-MM-DD) that exists")

    @property
    def planned_date(self) -> datetime.date:
        return datetime.date.fromisoformat(self.planned if len(self.planned) == 10 else f"{self.planned}-01")

    @property
    def planned_is_month(self) -> bool:
        return len(self.planned) == 7


class Headings(Strict):
    """The headings of the Terms of Reference's sections, as the partnership words them."""

    background: Line = "Background"
    definitions: Line = "Definitions"
    purpose: Line = "Purpose"
    objectives: Line = "Objectives of the Audit"
    identification: Line = "Identification of Cases"
    engagement: Line = "Professional engagement in the MACA"
    case_audit: Line = "Case Audit – where involved"
    wider_audit: Line = "Wider Partnership audit"
    timeline: Line = "Timeline for Audit"


DEFAULT_GRADES = ["Outstanding", "Good", "Requires improvement", "Inadequate"]


class AuditDefinition(Strict):
    """A whole audit definition. Agencies are named by short code, governance groups and services by name."""

    schema_: Literal["maca-audit/1"] = Field(alias="schema", default="maca-audit/1")
    reference: Reference
    title: Line
    short_title: Name
    topic: Name
    version_date: datetime.date
    headings: Headings = Field(default_factory=Headings)
    background: Text
    definitions: OptionalText = ""
    purpose: Text
    themes: list[Theme] = Field(min_length=1)
    identification: Identification
    engagement: Engagement
    timeline: list[Milestone] = Field(default_factory=list)
    governance_groups: list[Name] = Field(default_factory=list)
    grading_scale: list[Name] = Field(default_factory=lambda: list(DEFAULT_GRADES), min_length=2)
    case_fields: list[CaseField] = Field(default_factory=list)

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, populate_by_name=True)

    @model_validator(mode="after")
    def _unique_keys(self) -> Self:
        _unique([theme.name for theme in self.themes], "theme name")
        _unique([q.key for theme in self.themes for q in theme.questions], "question key")
        _unique([f.key for f in self.case_fields], "case field key")
        _unique(self.grading_scale, "grade")
        _unique(self.governance_groups, "governance group")
        problems = criteria_problems(self.identification.field_criteria, self.case_fields)
        if problems:
            raise ValueError(f"identification.field_criteria: {'; '.join(problems)}")
        return self

    def to_data(self) -> dict[str, Any]:
        """The definition as plain data, in the order a file lists it (what `maca export_audit` writes)."""
        data: dict[str, Any] = self.model_dump(mode="json", by_alias=True, exclude_defaults=False)
        return data


def _unique(values: list[str], what: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value.lower() in seen:
            raise ValueError(f"the {what} {value!r} appears twice")
        seen.add(value.lower())
