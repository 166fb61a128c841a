"""Partnerships, their agencies, services and governance groups, the people's roles in them, and the access log."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from maca.common.models import VersionedModel

short_code_validator = RegexValidator(
    r"^[A-Z0-9][A-Z0-9-]{0,15}$", "Use up to 16 capital letters, digits and hyphens, for example YOT or CSC."
)
slug_validator = RegexValidator(r"^[a-z0-9]+(-[a-z0-9]+)*$", "Use lower-case letters, digits and single hyphens.")


class Partnership(VersionedModel):
    """A Safeguarding Children Partnership. Nothing in one partnership is visible from another."""

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField("short name", max_length=40, blank=True, help_text="For example TSCP.")
    slug = models.SlugField(max_length=60, unique=True, validators=[slug_validator])
    logo = models.FileField(upload_to="logos/", blank=True, help_text="PNG or JPEG, for documents' title pages.")
    logo_content_type = models.CharField(max_length=20, blank=True)
    # Disclosure control of the partnership's public outputs: counts from 1 to the threshold are not shown, but said
    # in the wording ("{limit}" is the threshold plus one). The default is the Department for Education's.
    disclosure_threshold = models.PositiveSmallIntegerField(
        "largest count that is not shown",
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text="Counts from 1 to this number are not shown in public outputs.",
    )
    disclosure_wording = models.CharField(
        "wording for a count that is not shown",
        max_length=60,
        default="fewer than {limit}",
        help_text="“{limit}” is replaced by the largest hidden count plus one, e.g. “fewer than 6”.",
    )
    # How long a closed audit's case-level data is kept before the retention purge destroys it.
    retention_months = models.PositiveSmallIntegerField(
        "months case-level data is kept after an audit closes",
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text="From 1 to 120 months.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AgencyType(models.TextChoices):
    SOCIAL_CARE = "social_care", "Social care"
    POLICE = "police", "Police"
    HEALTH = "health", "Health"
    EDUCATION = "education", "Education"
    YOUTH_JUSTICE = "youth_justice", "Youth justice"
    VOLUNTARY = "voluntary", "Voluntary sector"
    OTHER = "other", "Other"


class Agency(VersionedModel):
    """An organisation in a partnership (e.g. Police, Children's Social Care), known by name and a short code."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="agencies")
    name = models.CharField(max_length=200)
    short_code = models.CharField("short code", max_length=16, validators=[short_code_validator])
    agency_type = models.CharField("type", max_length=20, choices=AgencyType.choices)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="agency_name_unique_in_partnership"),
            models.UniqueConstraint(fields=["partnership", "short_code"], name="agency_code_unique_in_partnership"),
        ]

    def __str__(self) -> str:
        return self.name


class AgencyService(VersionedModel):
    """A service or team within an agency (e.g. Children's Social Care → MASH)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="services")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["agency", "name"]
        verbose_name = "service"
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="service_name_unique_in_agency")]

    def __str__(self) -> str:
        return self.name

    @property
    def partnership(self) -> Partnership:
        return self.agency.partnership


class GovernanceGroup(VersionedModel):
    """A board or group an audit reports to (e.g. the Business Group)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="governance_groups")
    name = models.CharField(max_length=200)
    short_name = models.CharField("short name", max_length=40, blank=True, help_text="For example DASVEG.")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="group_name_unique_in_partnership"),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    COORDINATOR = "coordinator", "Coordinator"
    AUDIT_LEAD = "audit_lead", "Audit lead"
    AGENCY_LEAD = "agency_lead", "Agency lead"
    AUDITOR = "auditor", "Auditor"
    PANEL_MEMBER = "panel_member", "Panel member"
    GOVERNANCE_READER = "governance_reader", "Governance reader"
    ACTION_OWNER = "action_owner", "Action owner"


# Roles held on behalf of an agency: the membership must name the agency.
AGENCY_ROLES = frozenset({Role.AGENCY_LEAD, Role.AUDITOR, Role.PANEL_MEMBER, Role.ACTION_OWNER})

ROLE_DESCRIPTIONS = {
    Role.COORDINATOR: "Sets up the partnership, its people and audits; sees everything in the partnership.",
    Role.AUDIT_LEAD: "Chairs an audit: approves its terms of reference, chairs moderation, signs off its outputs.",
    Role.AGENCY_LEAD: "Leads an agency's part of an audit: nominates cases, assigns auditors, signs off returns.",
    Role.AUDITOR: "Completes the agency's returns for the cases assigned to them.",
    Role.PANEL_MEMBER: "Represents an agency at moderation and reads every submitted return.",
    Role.GOVERNANCE_READER: "Reads reports and action plans for a governance group; no case-level detail.",
    Role.ACTION_OWNER: "Updates the actions assigned to their agency.",
}


class Membership(models.Model):
    """A role a person holds in a partnership, on behalf of an agency where the role needs one."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships")
    governance_group = models.ForeignKey(
        GovernanceGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["partnership", "role", "agency"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "partnership", "role", "agency"],
                condition=Q(agency__isnull=False),
                name="membership_unique_for_agency",
            ),
            models.UniqueConstraint(
                fields=["user", "partnership", "role"],
                condition=Q(agency__isnull=True),
                name="membership_unique_without_agency",
            ),
            models.CheckConstraint(
                condition=Q(agency__isnull=False) | ~Q(role__in=sorted(AGENCY_ROLES)),
                name="membership_agency_role_has_agency",
            ),
        ]

    def __str__(self) -> str:
        where = f" ({self.agency})" if self.agency_id else ""
        return f"{self.get_role_display()}{where}"


class AccessAction(models.TextChoices):
    VIEWED = "viewed", "Viewed"
    CREATED = "created", "Created"
    CHANGED = "changed", "Changed"
    REMOVED = "removed", "Removed"
    EXPORTED = "exported", "Exported"


class AccessLogEntry(models.Model):
    """Who viewed, changed or exported what, when, and from which agency.

    Written in the same transaction as the change it records.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="access_log")
    # The log is append-only at the database (`partnerships.append_only`): a person or an agency named in it is never
    # deleted (people leave by being deactivated), so the database refuses to, rather than setting it to null.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="access_log_entries"
    )
    # Kept as text too, so that the log still says who after an account is deleted.
    actor_email = models.EmailField()
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    action = models.CharField(max_length=10, choices=AccessAction.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=300)
    # The audit the object belongs to, where it belongs to one: kept as a number, since the log outlives the rows it
    # names (a withdrawn case), so that the retention purge finds every row about an audit's case-level data.
    audit_pk = models.PositiveBigIntegerField("audit", null=True, blank=True, db_index=True)
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "access log entries"
        indexes = [models.Index(fields=["partnership", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_email} {self.action} {self.object_repr}"


class AccessLogRedaction(models.Model):
    """One use of the only route that may change the access log: destroying the values its rows hold (the retention
    purge), keeping who did what, when. While open (inside that route's transaction) the database lets the `changes`
    of log rows be rewritten, and nothing else; once done it stays as the record of the redaction."""

    at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=300)
    entries = models.PositiveIntegerField(default=0)
    # Opened only by `access_log_destroy_values`, which says so; the database lets a redaction only be closed.
    is_open = models.BooleanField(default=False)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.reason} ({self.entries} entries)"
