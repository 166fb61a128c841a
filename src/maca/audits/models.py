"""An audit and its Terms of Reference: everything the ToR says, the questions agencies answer, and its versions.

The rows here are the editable draft. Each approval freezes the whole definition (the same document as the YAML file
people exchange, see `maca.audits.schema`) as a `TermsOfReferenceVersion`, so every approved version stays readable
after the audit moves on to a new one.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from maca.common.models import VersionedModel
from maca.partnerships.models import Agency, AgencyService, GovernanceGroup, Partnership, slug_validator

from .schema import DEFAULT_GRADES, AnswerType, CaseFieldType, MilestoneKind


class AuditStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    APPROVED = "approved", "Approved"


def default_grades() -> list[str]:
    return list(DEFAULT_GRADES)


def default_headings() -> dict[str, str]:
    return {}


class Audit(VersionedModel):
    """One multi-agency case audit of a partnership, known everywhere by its reference (e.g. torbay-hsb-2021).

    `version` (from VersionedModel) counts saved edits, for optimistic locking; `tor_version` is the number of the
    Terms of Reference the draft will become when approved.
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="audits")
    reference = models.SlugField(max_length=60, unique=True, validators=[slug_validator])
    title = models.CharField(max_length=300)
    short_title = models.CharField("short title", max_length=200, blank=True)
    topic = models.CharField(max_length=200, blank=True)
    version_date = models.DateField("version date", null=True, blank=True)
    status = models.CharField(max_length=20, choices=AuditStatus.choices, default=AuditStatus.DRAFT)
    tor_version = models.PositiveIntegerField("Terms of Reference version", default=1)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audits_led",
        verbose_name="audit lead",
    )
    # Section headings by section key (see schema.Headings); missing keys take the default heading.
    headings = models.JSONField(default=default_headings, blank=True)
    background = models.TextField(blank=True)
    definitions = models.TextField(blank=True)
    purpose = models.TextField(blank=True)
    identification_text = models.TextField("how cases are identified", blank=True)
    identifying_agencies: "models.ManyToManyField[Agency, IdentifyingAgency]" = models.ManyToManyField(
        Agency, through="IdentifyingAgency", related_name="+"
    )
    target_cases = models.PositiveIntegerField("number of cases", null=True, blank=True)
    scope_start = models.DateField(null=True, blank=True)
    scope_end = models.DateField(null=True, blank=True)
    age_min = models.PositiveSmallIntegerField(null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(null=True, blank=True)
    phases = models.JSONField(default=list, blank=True)
    include_send = models.BooleanField("include children with special educational needs", default=False)
    # Per-case criteria on the topic case fields: [{"field": key, "values": [value, ...]}, ...].
    field_criteria = models.JSONField("criteria on the case fields", default=list, blank=True)
    engagement_text = models.TextField(blank=True)
    framework = models.CharField("framework for the wider partnership audit", max_length=300, blank=True)
    governance_groups = models.ManyToManyField(GovernanceGroup, blank=True, related_name="audits")
    grading_scale = models.JSONField(default=default_grades)
    template_key = models.CharField(max_length=60, blank=True, help_text="The template the audit was made from.")
    copied_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # Once the coordinator opens moderation, the panel reads every submitted return of the audit.
    moderation_opened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "reference"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_locked(self) -> bool:
        """An approved Terms of Reference is not edited: a change starts a new version."""
        return self.status != AuditStatus.DRAFT


class Theme(models.Model):
    """A named theme of an audit, in order, with its objectives."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="themes")
    position = models.PositiveIntegerField()
    name = models.CharField(max_length=200)
    objectives = models.JSONField(default=list, help_text="The objective paragraphs, in order.")

    class Meta:
        ordering = ["audit", "position"]
        constraints = [models.UniqueConstraint(fields=["audit", "position"], name="theme_position_unique")]

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    """A question every involved agency answers for a case, under a theme."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField()
    key = models.CharField(max_length=40, help_text="Stable name, used in workbooks and exports.")
    text = models.TextField()
    answer_type = models.CharField(max_length=10, choices=[(t.value, t.value) for t in AnswerType])
    choices = models.JSONField(default=list, blank=True, help_text="[{value, label}] for choice questions.")
    help_text = models.TextField(blank=True)
    required = models.BooleanField(default=True)

    class Meta:
        ordering = ["theme__position", "position"]
        constraints = [models.UniqueConstraint(fields=["theme", "position"], name="question_position_unique")]

    def __str__(self) -> str:
        return self.text


class CaseField(models.Model):
    """A topic-specific field of the case profile (e.g. where the behaviour sits on Hackett's continuum)."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="case_fields")
    position = models.PositiveIntegerField()
    key = models.CharField(max_length=40)
    label = models.CharField(max_length=300)
    field_type = models.CharField(max_length=20, choices=[(t.value, t.value) for t in CaseFieldType])
    choices = models.JSONField(default=list, blank=True)
    ordinal = models.BooleanField(default=False)
    per_agency = models.BooleanField(default=False)
    help_text = models.TextField(blank=True)

    class Meta:
        ordering = ["audit", "position"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "position"], name="case_field_position_unique"),
            models.UniqueConstraint(fields=["audit", "key"], name="case_field_key_unique"),
        ]

    def __str__(self) -> str:
        return self.label


class IdentifyingAgency(models.Model):
    """An agency (optionally one of its services) that nominates cases for the audit."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="identifying")
    position = models.PositiveIntegerField()
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey(AgencyService, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["audit", "position"]

    def __str__(self) -> str:
        return f"{self.agency} ({self.service})" if self.service_id else str(self.agency)


class ParticipationKind(models.TextChoices):
    CASE_AUDIT = "case_audit", "Case audit"
    WIDER_AUDIT = "wider_audit", "Wider partnership audit"


class Participant(models.Model):
    """An agency taking part in the case audit (6a) or the wider partnership audit (6b), with its services."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="participants")
    kind = models.CharField(max_length=20, choices=ParticipationKind.choices)
    position = models.PositiveIntegerField()
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="participations")
    services: "models.ManyToManyField[AgencyService, ParticipantService]" = models.ManyToManyField(
        AgencyService, through="ParticipantService", related_name="+"
    )
    services_text = models.CharField(
        "services, in words", max_length=500, blank=True, help_text="Instead of the list of services."
    )

    class Meta:
        ordering = ["audit", "kind", "position"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "kind", "agency"], name="participant_unique"),
        ]

    def __str__(self) -> str:
        return str(self.agency)


class ParticipantService(models.Model):
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="service_links")
    service = models.ForeignKey(AgencyService, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["participant", "position"]

    def __str__(self) -> str:
        return str(self.service)


class Milestone(models.Model):
    """A step of the audit's timeline: planned for a month or a day, and the day it actually happened."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="milestones")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=[(k.value, k.value.replace("_", " ")) for k in MilestoneKind])
    text = models.CharField(max_length=300)
    planned = models.CharField(max_length=10, help_text="YYYY-MM or YYYY-MM-DD")
    actual = models.DateField(null=True, blank=True)
    reports_to = models.ForeignKey(GovernanceGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["audit", "position"]

    def __str__(self) -> str:
        return f"{self.text} {self.planned}"


class TermsOfReferenceVersion(models.Model):
    """An approved Terms of Reference, frozen: the definition as it was approved, readable for ever."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="tor_versions")
    number = models.PositiveIntegerField()
    definition = models.JSONField()
    # The names as they were when approved, so that renaming an agency later does not change an approved document.
    partnership_name = models.CharField(max_length=200, blank=True)
    agency_names = models.JSONField(default=dict, blank=True, help_text="Agency short code → name.")
    approved_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["audit", "-number"]
        constraints = [models.UniqueConstraint(fields=["audit", "number"], name="tor_version_unique")]

    def __str__(self) -> str:
        return f"{self.audit.reference} version {self.number}"

    @property
    def data(self) -> dict[str, Any]:
        return dict(self.definition)
