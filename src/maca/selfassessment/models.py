"""The wider partnership self-assessment (6b): each agency named in section 6b of the Terms of Reference rates
itself against the audit's framework, statement by statement, with its evidence.

- `Framework`: the audit's own copy of a framework (areas in order, each with statements in order), made from the
  library's default when first needed and edited by the coordinator or the audit lead until an agency submits.
- `SelfAssessment`: one per agency per audit: in progress → submitted (signed off by the agency's lead) → possibly
  returned by the coordinator or audit lead with a reason, then submitted again.
- `Answer`: an agency's rating of one statement (not / partly / fully in place) and its evidence in words.
- `EvidenceFile`: a document an agency attaches to an area, checked by its content and served only through a
  scoped, logged view.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from maca.audits.models import Audit
from maca.common.models import VersionedModel
from maca.partnerships.models import Agency, Partnership


class Framework(VersionedModel):
    """The framework an audit's wider partnership agencies rate themselves against.

    `version` (from VersionedModel) counts saved edits of the framework, its areas and statements, for optimistic
    locking. `source` is the key of the library framework it was copied from (empty if it was built by hand).
    """

    audit = models.OneToOneField(Audit, on_delete=models.CASCADE, related_name="self_assessment_framework")
    name = models.CharField(max_length=300)
    source = models.CharField("copied from", max_length=60, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name

    @property
    def partnership(self) -> Partnership:
        return self.audit.partnership


class Area(models.Model):
    """An area of the framework (e.g. "Interventions"), in order, with its statements."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="areas")
    position = models.PositiveIntegerField()
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["framework", "position"]
        constraints = [models.UniqueConstraint(fields=["framework", "position"], name="sa_area_position_unique")]

    def __str__(self) -> str:
        return self.name


class Statement(models.Model):
    """Something that should be in place, which an agency rates, with a hint on the evidence that would show it."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="statements")
    position = models.PositiveIntegerField()
    text = models.TextField()
    hint = models.TextField(blank=True)

    class Meta:
        ordering = ["area__position", "position"]
        constraints = [models.UniqueConstraint(fields=["area", "position"], name="sa_statement_position_unique")]

    def __str__(self) -> str:
        return self.text


class Rating(models.TextChoices):
    """How far what a statement describes is in place in the agency, worst first."""

    NOT_IN_PLACE = "not", "Not in place"
    PARTLY = "partly", "Partly in place"
    FULLY = "fully", "Fully in place"


# Ratings whose claim needs evidence before the self-assessment can be submitted.
NEEDS_EVIDENCE = frozenset({Rating.PARTLY, Rating.FULLY})


class State(models.TextChoices):
    """Where an agency's self-assessment is. "Not started" is never stored: it is the absence of a row."""

    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned for changes"


class SelfAssessment(VersionedModel):
    """One agency's self-assessment for one audit. Only a submitted one is seen outside the agency."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="self_assessments")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="self_assessments")
    state = models.CharField(max_length=20, choices=State.choices, default=State.IN_PROGRESS)
    started_at = models.DateTimeField(default=timezone.now)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Kept as text too, so that the sign-off still says who after an account is deleted.
    submitted_by_name = models.CharField("signed off by", max_length=200, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    return_reason = models.TextField("reason for returning it", blank=True)

    class Meta:
        ordering = ["audit", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "agency"], name="self_assessment_unique"),
            models.CheckConstraint(condition=~Q(state="not_started"), name="self_assessment_state_stored"),
        ]

    def __str__(self) -> str:
        return f"Self-assessment of {self.agency}"

    @property
    def partnership(self) -> Partnership:
        return self.audit.partnership

    @property
    def is_submitted(self) -> bool:
        return self.state == State.SUBMITTED


class Answer(models.Model):
    """An agency's rating of one statement, and its evidence in words (either may still be empty in a draft)."""

    self_assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="answers")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="answers")
    rating = models.CharField(max_length=10, choices=Rating.choices, blank=True)
    evidence = models.TextField(blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["self_assessment", "statement__area__position", "statement__position"]
        constraints = [
            models.UniqueConstraint(fields=["self_assessment", "statement"], name="sa_answer_unique"),
            models.CheckConstraint(condition=Q(rating__in=["", *Rating.values]), name="sa_answer_rating_on_scale"),
        ]

    def __str__(self) -> str:
        return f"{self.statement}: {self.get_rating_display() or 'not rated'}"


def evidence_upload_to(instance: "EvidenceFile", filename: str) -> str:
    """Where an evidence file is stored: under the audit and agency, with a random name (never the one uploaded)."""
    assessment = instance.self_assessment
    extension = EVIDENCE_EXTENSIONS.get(instance.content_type, "bin")
    return f"self-assessment/{assessment.audit.reference}/{assessment.agency.short_code}/{uuid.uuid4().hex}.{extension}"


EVIDENCE_EXTENSIONS = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "image/png": "png",
    "image/jpeg": "jpg",
}


class EvidenceFile(models.Model):
    """A document an agency attaches to one area of its self-assessment as evidence."""

    self_assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="evidence_files")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="evidence_files")
    file = models.FileField(upload_to=evidence_upload_to, max_length=255)
    name = models.CharField("file name", max_length=200, help_text="The name it was uploaded with.")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["self_assessment", "area__position", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def partnership(self) -> Partnership:
        return self.self_assessment.audit.partnership
