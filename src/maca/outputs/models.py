"""What an audit's outputs need beyond its data, and what was published.

- `BriefingText`: the words of the learning briefing that no data gives (its purpose in a sentence, why it matters,
  questions for reflection, further reading), and the group that issues it; written by the audit lead or the
  coordinator. Every figure around them is computed.
- `Publication`: a briefing the audit lead published, frozen as the files that were published (`PublishedFile`),
  with its date, version, audience and what disclosure control changed. A public publication has a page anyone can
  read; publishing a public briefing without the control needs a recorded reason.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone

from maca.audits.models import Audit
from maca.common.models import VersionedModel
from maca.partnerships.models import GovernanceGroup


class BriefingText(VersionedModel):
    """The learning briefing's own words for one audit. Blank fields fall back to what the Terms of Reference says
    (the purpose, the background) or are left out of the briefing."""

    audit = models.OneToOneField(Audit, on_delete=models.CASCADE, related_name="briefing_text")
    issued_by = models.ForeignKey(
        GovernanceGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="group that issues the briefing",
    )
    purpose = models.TextField("purpose of the audit, in a sentence", blank=True)
    why_it_matters = models.TextField("why it matters", blank=True)
    reflection = models.TextField("questions for reflection", blank=True)
    further_reading = models.TextField("further reading", blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Briefing text of {self.audit}"


class Layout(models.TextChoices):
    BRIEFING = "briefing", "Learning briefing"
    SEVEN_MINUTE = "seven-minute", "Seven-minute briefing"
    REPORT = "report", "Report for the governance group"


class Audience(models.TextChoices):
    PROFESSIONALS = "professionals", "Partnership professionals"
    PUBLIC = "public", "The public"


class Publication(models.Model):
    """A published briefing: version `number` of the audit's publications, frozen as its files."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="publications")
    number = models.PositiveIntegerField()
    layout = models.CharField(max_length=20, choices=Layout.choices)
    audience = models.CharField(max_length=20, choices=Audience.choices)
    title = models.CharField(max_length=400)
    findings_version = models.PositiveIntegerField()
    controlled = models.BooleanField("disclosure control applied", default=True)
    reason = models.TextField("reason for publishing without disclosure control", blank=True)
    changes = models.JSONField(default=list, blank=True, help_text="What disclosure control changed.")
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    # Kept as text too, so that the publication still says who published it after an account is deleted.
    published_by_name = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["audit", "-number"]
        constraints = [models.UniqueConstraint(fields=["audit", "number"], name="publication_number_unique")]

    def __str__(self) -> str:
        return f"{self.title}, version {self.number}"

    @property
    def is_public(self) -> bool:
        return self.audience == Audience.PUBLIC


class PublishedFile(models.Model):
    """One file of a publication, exactly as published: the briefing as HTML, DOCX or PDF, or the Terms of
    Reference it links to (as PDF)."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(
        max_length=40, help_text="briefing.html, briefing.docx, briefing.pdf, terms-of-reference.pdf"
    )
    content_type = models.CharField(max_length=100)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["publication", "name"]
        constraints = [models.UniqueConstraint(fields=["publication", "name"], name="published_file_name_unique")]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def digest(content: bytes) -> str:
        return hashlib.sha256(content).hexdigest()

    @property
    def size(self) -> int:
        return len(bytes(self.content))
