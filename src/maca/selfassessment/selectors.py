"""Reads of the wider partnership self-assessment, each starting from what the user may see.

- An agency's leads and auditors see their own agency's self-assessment, whatever its state, and its evidence files.
- The partnership's coordinators and the audit's lead see every submitted self-assessment of the audit, and the
  progress of all (`progress`: states and people, never what a draft says).
- Nobody else sees any: no agency ever sees another agency's, and no draft leaves its agency.

`progress` and `awaiting_submission` are what the rest of maca calls (the audit's page, reminders): they take the
audit, not a user, and say nothing a coordinator may not know.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Prefetch, Q, QuerySet

from maca.accounts.models import User
from maca.audits.models import Audit, ParticipationKind
from maca.partnerships.models import Agency, Membership, Role

from .models import Answer, Area, EvidenceFile, Framework, SelfAssessment, State, Statement
from .rules import FILLING_IN_ROLES

AnyUser = User | AnonymousUser


def wider_agencies(audit: Audit) -> list[Agency]:
    """The agencies the Terms of Reference names for the wider partnership audit (section 6b), in its order."""
    participants = audit.participants.filter(kind=ParticipationKind.WIDER_AUDIT).select_related("agency")
    return [participant.agency for participant in participants.order_by("position")]


def agencies_filled_in_by(user: AnyUser) -> QuerySet[Membership, int]:
    """The agencies whose self-assessments the user fills in (as their lead or an auditor)."""
    if not user.is_authenticated or not user.is_active:
        return Membership.objects.none().values_list("agency_id", flat=True)
    return Membership.objects.filter(user=user, role__in=FILLING_IN_ROLES, agency__isnull=False).values_list(
        "agency_id", flat=True
    )


def self_assessments_visible_to(user: AnyUser) -> QuerySet[SelfAssessment]:
    """The self-assessments the user may read: their own agencies' in any state, and, for the coordinators and
    audit leads, every submitted one of their audits."""
    if not user.is_authenticated or not user.is_active:
        return SelfAssessment.objects.none()
    coordinates = Membership.objects.filter(user=user, role=Role.COORDINATOR).values("partnership_id")
    submitted = Q(state=State.SUBMITTED) & (Q(audit__partnership__in=coordinates) | Q(audit__lead=user))
    return (
        SelfAssessment.objects.filter(Q(agency__in=agencies_filled_in_by(user)) | submitted)
        .distinct()
        .select_related("audit__partnership", "agency")
    )


def evidence_files_visible_to(user: AnyUser) -> QuerySet[EvidenceFile]:
    """The evidence files of the self-assessments the user may read."""
    return EvidenceFile.objects.filter(self_assessment__in=self_assessments_visible_to(user)).select_related(
        "self_assessment__audit", "self_assessment__agency", "area"
    )


def framework_of(audit: Audit) -> Framework | None:
    """The audit's framework with its areas and their statements, in order; None until it is first needed."""
    statements = Prefetch("statements", queryset=Statement.objects.order_by("position"))
    areas = Prefetch("areas", queryset=Area.objects.order_by("position").prefetch_related(statements))
    return Framework.objects.filter(audit=audit).prefetch_related(areas).first()


def answers_of(self_assessment: SelfAssessment | None) -> dict[int, Answer]:
    """A self-assessment's answers by statement id (none for one not started)."""
    if self_assessment is None:
        return {}
    return {answer.statement_id: answer for answer in self_assessment.answers.all()}


def files_by_area(self_assessment: SelfAssessment | None) -> dict[int, list[EvidenceFile]]:
    """A self-assessment's evidence files by area id, in the order they were uploaded."""
    grouped: dict[int, list[EvidenceFile]] = {}
    if self_assessment is not None:
        for evidence in self_assessment.evidence_files.order_by("uploaded_at", "pk"):
            grouped.setdefault(evidence.area_id, []).append(evidence)
    return grouped


@dataclass(frozen=True)
class AgencyProgress:
    """Where one agency of section 6b is with its self-assessment, and who holds it.

    `holders` are the agency's leads, who sign it off and submit it; `editors` everyone who may fill it in (its
    leads and auditors). `rated` counts the statements rated so far, of `statements` in the framework.
    """

    agency: Agency
    state: State
    self_assessment: SelfAssessment | None
    rated: int
    statements: int
    holders: tuple[User, ...] = field(default_factory=tuple)
    editors: tuple[User, ...] = field(default_factory=tuple)

    @property
    def is_submitted(self) -> bool:
        return self.state == State.SUBMITTED

    @property
    def remind(self) -> tuple[User, ...]:
        """Whom to remind: the agency's leads, or, when it has none, whoever may fill it in."""
        return self.holders or self.editors


def progress(audit: Audit) -> list[AgencyProgress]:
    """For each agency of section 6b, in the Terms of Reference's order: the state of its self-assessment (not
    started, in progress, submitted, returned), how many statements it has rated, and who holds it.

    Says nothing of what a draft says: callers show it to those who oversee the audit. Five queries whatever the
    number of agencies.
    """
    agencies = wider_agencies(audit)
    ids = [agency.pk for agency in agencies]
    assessments = {sa.agency_id: sa for sa in SelfAssessment.objects.filter(audit=audit, agency_id__in=ids)}
    rated = dict(
        Answer.objects.filter(self_assessment__in=assessments.values())
        .exclude(rating="")
        .values("self_assessment__agency_id")
        .annotate(count=Count("pk"))
        .values_list("self_assessment__agency_id", "count")
    )
    statements = Statement.objects.filter(area__framework__audit=audit).count()
    holders: dict[int, list[User]] = {}
    editors: dict[int, list[User]] = {}
    memberships = Membership.objects.filter(
        partnership_id=audit.partnership_id, agency_id__in=ids, role__in=FILLING_IN_ROLES, user__is_active=True
    ).select_related("user")
    for membership in memberships.order_by("user__full_name", "user__email"):
        assert membership.agency_id is not None
        people = editors.setdefault(membership.agency_id, [])
        if membership.user not in people:
            people.append(membership.user)
        if membership.role == Role.AGENCY_LEAD:
            holders.setdefault(membership.agency_id, []).append(membership.user)
    rows = []
    for agency in agencies:
        assessment = assessments.get(agency.pk)
        rows.append(
            AgencyProgress(
                agency=agency,
                state=State(assessment.state) if assessment else State.NOT_STARTED,
                self_assessment=assessment,
                rated=rated.get(agency.pk, 0),
                statements=statements,
                holders=tuple(holders.get(agency.pk, ())),
                editors=tuple(editors.get(agency.pk, ())),
            )
        )
    return rows


def awaiting_submission(audit: Audit) -> list[AgencyProgress]:
    """The agencies of section 6b whose self-assessment is not submitted (not started, in progress or returned),
    each with the people to remind (`AgencyProgress.remind`)."""
    return [row for row in progress(audit) if not row.is_submitted]


def submitted_self_assessments(audit: Audit, agencies: Sequence[Agency]) -> list[SelfAssessment]:
    """The submitted self-assessments of these agencies, with their answers, in the agencies' order."""
    found = {
        sa.agency_id: sa
        for sa in SelfAssessment.objects.filter(audit=audit, agency__in=agencies, state=State.SUBMITTED)
        .select_related("agency")
        .prefetch_related("answers")
    }
    return [found[agency.pk] for agency in agencies if agency.pk in found]
