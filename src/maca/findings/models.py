"""Moderation: the panel's grades where they differ from an agency's, the findings under the briefing's headings
with the evidence behind each, the recommendations to the governance groups, and the signed-off versions.

- `Moderation`: one per audit, made when first needed. It holds the state of the findings (being drafted, or signed
  off and locked) and the number the draft becomes when the audit lead signs it off, as `Audit` does for the Terms
  of Reference.
- `BriefingHeading`: the headings the findings are written under, in order. They belong to the audit, and a new
  audit starts with the set of the partnership's latest audit that has one (else the five headings of the learning
  briefing): a partnership that changes its set keeps it from audit to audit, while a signed-off audit's headings
  never change under it.
- `ModeratedGrade`: the panel's grade for one theme of one submitted return, with its reason.
- `Finding` and its `Evidence`: a return, a narrative answer of a return (its text kept as cited) or a computed
  figure (cited by key, its label and text kept as cited).
- `Recommendation`: addressed to one of the audit's governance groups, with the findings that support it.
- `FindingsVersion`: the signed-off findings, evidence, recommendations and grades, frozen as a snapshot.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from maca.audits.models import Audit
from maca.common.models import VersionedModel
from maca.partnerships.models import GovernanceGroup, Partnership
from maca.returns.models import AgencyReturn

# The headings of the learning briefing that a partnership's first audit starts with, in order.
DEFAULT_HEADINGS = (
    "What are we worried about?",
    "What can I do differently?",
    "What is life like for our young people?",
    "What good practice did we see?",
    "Themes for learning",
)


class ModerationStatus(models.TextChoices):
    OPEN = "open", "Being drafted"
    SIGNED_OFF = "signed_off", "Signed off"


class Moderation(VersionedModel):
    """The moderation of one audit.

    `version` (from VersionedModel) counts changes to the headings and to the state, for optimistic locking of the
    headings editor; `revision` counts every change to the grades, findings, evidence, recommendations and headings,
    so that the audit lead signs off exactly what the sign-off page showed. `number` is the number the findings take
    when signed off.
    """

    audit = models.OneToOneField(Audit, on_delete=models.CASCADE, related_name="moderation")
    status = models.CharField(max_length=12, choices=ModerationStatus.choices, default=ModerationStatus.OPEN)
    number = models.PositiveIntegerField("version of the findings", default=1)
    revision = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Moderation of {self.audit}"

    @property
    def partnership(self) -> Partnership:
        return self.audit.partnership

    @property
    def is_signed_off(self) -> bool:
        return self.status == ModerationStatus.SIGNED_OFF


class BriefingHeading(models.Model):
    """A heading of the learning briefing that findings are written under (e.g. "What are we worried about?")."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="briefing_headings")
    position = models.PositiveIntegerField()
    text = models.CharField(max_length=200)

    class Meta:
        ordering = ["audit", "position"]
        constraints = [models.UniqueConstraint(fields=["audit", "position"], name="briefing_heading_position_unique")]

    def __str__(self) -> str:
        return self.text


class ModeratedGrade(VersionedModel):
    """The panel's grade for one theme of a submitted return, where it differs from the agency's, and why.

    The theme is kept by its id (as the return's judgements key it) with its name as it was, so that the grade
    outlives a rewritten theme row; `agency_grade` is the agency's grade the panel moderated.
    """

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="moderated_grades")
    agency_return = models.ForeignKey(AgencyReturn, on_delete=models.CASCADE, related_name="moderated_grades")
    theme_id = models.PositiveIntegerField()
    theme_name = models.CharField(max_length=200)
    agency_grade = models.CharField("agency’s grade", max_length=100, blank=True)
    grade = models.CharField("panel’s grade", max_length=100)
    reason = models.TextField()
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    moderated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["audit", "agency_return", "theme_id"]
        constraints = [
            models.UniqueConstraint(fields=["agency_return", "theme_id"], name="moderated_grade_per_return_and_theme")
        ]

    def __str__(self) -> str:
        return f"{self.theme_name}: {self.grade}"


class Finding(VersionedModel):
    """One finding of the panel, under a heading, in order; `version` counts its edits and its evidence's."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="findings")
    heading = models.ForeignKey(BriefingHeading, on_delete=models.PROTECT, related_name="findings")
    position = models.PositiveIntegerField()
    text = models.TextField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["audit", "heading__position", "position", "pk"]

    def __str__(self) -> str:
        return self.text if len(self.text) <= 80 else self.text[:79] + "…"


class EvidenceKind(models.TextChoices):
    RETURN = "return", "Return"
    ANSWER = "answer", "Narrative answer"
    FIGURE = "figure", "Figure"


class Evidence(models.Model):
    """What a finding rests on: a return, a narrative answer of a return, or a computed figure.

    Everything cited is kept as it was when cited (`return_label`, `text`, `label`), so that a signed-off finding
    still says what it rested on after the return is re-opened, the figure changes or the case-level data is
    destroyed at the end of the retention period (the return link is then empty).
    """

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=10, choices=EvidenceKind.choices)
    agency_return = models.ForeignKey(
        AgencyReturn, on_delete=models.SET_NULL, null=True, blank=True, related_name="cited_by"
    )
    return_label = models.CharField(max_length=300, blank=True, help_text="The case and the agency, as cited.")
    theme_id = models.PositiveIntegerField(null=True, blank=True)
    theme_name = models.CharField(max_length=200, blank=True)
    answer_kind = models.CharField(max_length=20, blank=True, help_text="went_well, worried, child_voice, difference")
    figure_key = models.CharField(max_length=100, blank=True)
    label = models.CharField(max_length=300, blank=True, help_text="A figure's label as cited.")
    text = models.TextField(blank=True, help_text="The narrative answer or the figure as cited.")
    cited_by_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    cited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["finding", "pk"]
        verbose_name_plural = "evidence"
        constraints = [
            models.UniqueConstraint(
                fields=["finding", "agency_return"], condition=Q(kind="return"), name="evidence_return_once"
            ),
            models.UniqueConstraint(
                fields=["finding", "agency_return", "theme_id", "answer_kind"],
                condition=Q(kind="answer"),
                name="evidence_answer_once",
            ),
            models.UniqueConstraint(
                fields=["finding", "figure_key"], condition=Q(kind="figure"), name="evidence_figure_once"
            ),
        ]

    def __str__(self) -> str:
        if self.kind == EvidenceKind.FIGURE:
            return f"{self.label}: {self.text}"
        if self.kind == EvidenceKind.ANSWER:
            return f"{self.return_label}, {self.theme_name}"
        return self.return_label


class Recommendation(VersionedModel):
    """A recommendation addressed to one of the audit's governance groups, with the findings that support it."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="recommendations")
    position = models.PositiveIntegerField()
    text = models.TextField()
    governance_group = models.ForeignKey(GovernanceGroup, on_delete=models.PROTECT, related_name="+")
    findings = models.ManyToManyField(Finding, blank=True, related_name="recommendations")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["audit", "position", "pk"]

    def __str__(self) -> str:
        return self.text if len(self.text) <= 80 else self.text[:79] + "…"


class FindingsVersion(models.Model):
    """Signed-off findings, frozen: the headings with their findings and evidence, the recommendations and the
    moderated grades as they were signed off (see `maca.findings.snapshot`), readable for ever."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="findings_versions")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    signed_off_at = models.DateTimeField(default=timezone.now)
    signed_off_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    # Kept as text too, so that the version still says who signed it off after an account is deleted.
    signed_off_by_name = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["audit", "-number"]
        constraints = [models.UniqueConstraint(fields=["audit", "number"], name="findings_version_unique")]

    def __str__(self) -> str:
        return f"{self.audit.reference} findings version {self.number}"

    @property
    def data(self) -> dict[str, Any]:
        return dict(self.content)
