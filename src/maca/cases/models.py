"""Cases of an audit: pseudonymous profiles nominated by the identifying agencies, the coordinator's decision to
include or exclude each, and the agencies involved with each included child.

No names, addresses or full dates of birth: a case has a reference, and age is kept as the month and year of birth.
"""

from typing import Any

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone

from maca.audits.models import Audit
from maca.partnerships.models import Agency, AgencyService

from .codes import ETHNICITY_CHOICES, Gender, SpecialNeeds, YesNoNotKnown

case_reference_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9-]{0,39}$", "Use letters, digits and hyphens only, for example HSB-01."
)


class Decision(models.TextChoices):
    PENDING = "pending", "Not decided"
    INCLUDED = "included", "Included"
    EXCLUDED = "excluded", "Excluded"


class Case(models.Model):
    """A child's case nominated for an audit, known only by its reference."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="cases")
    reference = models.CharField(max_length=40, validators=[case_reference_validator])
    nominated_by = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="nominated_cases")
    nominated_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    nominated_at = models.DateTimeField(default=timezone.now)
    # The first day of the month of birth: the day itself is never kept.
    birth_month = models.DateField("month and year of birth")
    gender = models.CharField(max_length=10, choices=Gender.choices, default=Gender.NOT_KNOWN)
    ethnicity = models.CharField(max_length=4, choices=ETHNICITY_CHOICES, blank=True)
    send = models.CharField(
        "special educational needs", max_length=12, choices=SpecialNeeds.choices, default=SpecialNeeds.NOT_KNOWN
    )
    disability = models.CharField(max_length=10, choices=YesNoNotKnown.choices, default=YesNoNotKnown.NOT_KNOWN)
    aces = models.CharField(
        "adverse childhood experiences", max_length=10, choices=YesNoNotKnown.choices, default=YesNoNotKnown.NOT_KNOWN
    )
    concern_date = models.DateField("date the concern was first recorded")
    # The audit's topic-specific case fields, by key: a choice's value, or a list of values for a multiple choice.
    topic_values = models.JSONField(default=dict, blank=True)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decision_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["audit", "reference"]
        constraints = [models.UniqueConstraint(fields=["audit", "reference"], name="case_reference_unique")]

    def __str__(self) -> str:
        return self.reference

    @property
    def partnership(self) -> Any:
        return self.audit.partnership


class AgencyRecordNumber(models.Model):
    """An agency's own record number for a case: seen by that agency alone."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="record_numbers")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    number = models.CharField(max_length=60)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "agency"], name="record_number_unique")]

    def __str__(self) -> str:
        return f"{self.agency}: {self.number}"


class Involvement(models.Model):
    """An agency (and its services) involved with the child of an included case, once its lead confirms it.

    Confirmed involvement is what later gives the agency a return to complete for the case.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="involvements")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="involvements")
    services = models.ManyToManyField(AgencyService, blank=True, related_name="+")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["case", "agency__name"]
        constraints = [models.UniqueConstraint(fields=["case", "agency"], name="involvement_unique")]

    def __str__(self) -> str:
        return f"{self.agency} with {self.case}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None
