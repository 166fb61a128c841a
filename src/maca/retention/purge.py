"""The retention purge: destroying a closed audit's case-level data once the partnership's retention period has run
out, unless a legal hold is in force.

Run by the system (the daily task, `maca purge`), never by a person: there is no actor to ask permissions of, and
the access log names it as `PURGE_ACTOR`. What it destroys, for each audit due:

- the cases (profiles, topic values, decisions' reasons), the agencies' record numbers for them and the agencies
  involved: the rows are deleted, since nothing that stays needs them (a finding's evidence keeps the case's
  reference and the agency as cited, and its link to the return is emptied);
- the agencies' returns (answers, narrative, judgements, sharing, topic values) with their history, and the panel's
  grades of them;
- the narrative quoted in the findings' evidence, live and in the signed-off versions, and the panel's reasons for
  its grades in the signed-off versions (the grades themselves, being figures, stay);
- the self-assessments' evidence in words and their evidence files, deleted from storage once the transaction
  commits; the ratings stay (they are the self-assessment's figures);
- the values held by the access log's rows about all of these (`access_log_destroy_values`): who did what, to
  which record, when, stays.

What stays: the audit and its Terms of Reference, the findings and recommendations, the signed-off versions
(reduced as above), the publications (their files hold computed figures and the findings, never a return's words),
the analysis figures frozen at closure (`AuditClosure.figures`) and the log's who-did-what-when.

Each audit is purged in one transaction; a dry run reports the same without changing anything.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.storage import Storage
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from maca.audits.models import Audit
from maca.cases.models import AgencyRecordNumber, Case, Involvement
from maca.findings.models import Evidence, EvidenceKind, FindingsVersion, ModeratedGrade
from maca.partnerships.append_only import access_log_destroy_values, holds_values
from maca.partnerships.models import AccessAction, AccessLogEntry
from maca.returns.models import AgencyReturn, ReturnEvent
from maca.selfassessment.models import Answer, EvidenceFile, SelfAssessment

from .models import AuditClosure, LegalHold
from .selectors import closures_due

# Who the access log says destroyed the data: the schedule, not a person.
PURGE_ACTOR = "retention-schedule@maca.invalid"
REDACTION_REASON = "Retention period of audit {reference} ran out on {day}: case-level data destroyed."

# What a purge counts, in the order it says them.
KINDS = (
    ("cases", "cases"),
    ("record_numbers", "record numbers"),
    ("involvements", "agencies involved"),
    ("returns", "returns"),
    ("return_events", "return history entries"),
    ("moderated_grades", "panel grades"),
    ("quotes", "quotes in findings"),
    ("self_assessment_texts", "self-assessment evidence texts"),
    ("evidence_files", "evidence files"),
    ("log_entries", "access log entries"),
)


@dataclass(frozen=True)
class AuditPurge:
    """What the purge of one audit destroyed (or, in a dry run, would destroy), counted by kind."""

    reference: str
    destroy_on: datetime.date
    counts: dict[str, int]

    @property
    def line(self) -> str:
        """The audit, its date and its counts in one line."""
        counted = ", ".join(f"{self.counts.get(key, 0)} {label}" for key, label in KINDS)
        return f"{self.reference} (due {self.destroy_on.isoformat()}): {counted}"


@dataclass
class PurgeReport:
    """One run of the purge: the audits purged (or that would be), and the audits due but under a legal hold."""

    today: datetime.date
    dry_run: bool
    audits: list[AuditPurge] = field(default_factory=list)
    held: list[str] = field(default_factory=list)


def _ids(queryset: "models.QuerySet[Any]") -> list[str]:
    return [str(pk) for pk in queryset.values_list("pk", flat=True)]


def _log_entries(
    audit: Audit, targets: dict[type[models.Model], "models.QuerySet[Any]"]
) -> "models.QuerySet[AccessLogEntry]":
    """The access log's rows about the audit's case-level data: those recorded against the audit (which finds the
    rows about records deleted before it closed, a withdrawn case say), and those about any of the targets."""
    kinds = [ContentType.objects.get_for_model(model, for_concrete_model=False) for model in targets]
    condition = Q(audit_pk=audit.pk, content_type__in=kinds)
    for kind, queryset in zip(kinds, targets.values(), strict=True):
        condition |= Q(content_type=kind, object_id__in=_ids(queryset))
    return AccessLogEntry.objects.filter(condition)


def _reduced(content: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """A signed-off snapshot without the returns' words: narrative quoted as evidence and the panel's reasons for
    its grades of cases are emptied; everything else (the findings, figures, grades) stays. And how many quotes it
    emptied."""
    emptied = 0
    headings = []
    for heading in content.get("headings", []):
        findings = []
        for finding in heading.get("findings", []):
            evidence = []
            for item in finding.get("evidence", []):
                if item.get("kind") == EvidenceKind.ANSWER and item.get("text"):
                    item = {**item, "text": ""}
                    emptied += 1
                evidence.append(item)
            findings.append({**finding, "evidence": evidence})
        headings.append({**heading, "findings": findings})
    grades = [{**grade, "reason": ""} for grade in content.get("grades", [])]
    return {**content, "headings": headings, "grades": grades}, emptied


def _delete_files_on_commit(files: list[tuple[Storage, str]]) -> None:
    for storage, name in files:
        transaction.on_commit(partial(storage.delete, name))


def _record(closure: AuditClosure, counts: dict[str, int]) -> None:
    """Log the destruction, by the schedule, with what was destroyed counted and none of it said."""
    AccessLogEntry.objects.create(
        partnership=closure.audit.partnership,
        actor=None,
        actor_email=PURGE_ACTOR,
        agency=None,
        action=AccessAction.REMOVED,
        content_type=ContentType.objects.get_for_model(AuditClosure),
        object_id=str(closure.pk),
        object_repr=str(closure)[:300],
        changes={"case-level data destroyed": [None, ", ".join(f"{key}: {count}" for key, count in counts.items())]},
    )


@transaction.atomic
def audit_purge(*, audit: Audit, today: datetime.date, dry_run: bool) -> AuditPurge:
    """Destroy (or, with `dry_run`, count) the case-level data of one closed audit whose retention period has run
    out by `today` and which has no legal hold in force; ValidationError (saying why) for any other audit.

    All in one transaction: nothing is half-destroyed. Evidence files leave storage only once it commits.
    """
    # The audit's row is the one a legal hold locks too: a hold placed while this runs waits, then is seen.
    Audit.objects.select_for_update().filter(pk=audit.pk).first()
    closure = AuditClosure.objects.select_for_update().select_related("audit__partnership").filter(audit=audit).first()
    if closure is None:
        raise ValidationError(f"{audit.reference} is not closed.")
    if closure.is_purged:
        raise ValidationError(f"{audit.reference}’s case-level data has already been destroyed.")
    if not closure.is_due(today):
        raise ValidationError(f"{audit.reference}’s case-level data is kept until {closure.destroy_on.isoformat()}.")
    if LegalHold.objects.filter(audit=audit, lifted_at__isnull=True).exists():
        raise ValidationError(f"{audit.reference} is under a legal hold.")

    cases = Case.objects.filter(audit=audit)
    returns = AgencyReturn.objects.filter(audit=audit)
    quotes = Evidence.objects.filter(finding__audit=audit, kind=EvidenceKind.ANSWER).exclude(text="")
    assessments = SelfAssessment.objects.filter(audit=audit)
    texts = Answer.objects.filter(self_assessment__audit=audit).exclude(evidence="")
    files = EvidenceFile.objects.filter(self_assessment__audit=audit)
    targets: dict[type[models.Model], models.QuerySet[Any]] = {
        Case: cases,
        AgencyRecordNumber: AgencyRecordNumber.objects.filter(case__audit=audit),
        Involvement: Involvement.objects.filter(case__audit=audit),
        AgencyReturn: returns,
        ReturnEvent: ReturnEvent.objects.filter(agency_return__audit=audit),
        ModeratedGrade: ModeratedGrade.objects.filter(audit=audit),
        Evidence: Evidence.objects.filter(finding__audit=audit, kind=EvidenceKind.ANSWER),
        SelfAssessment: assessments,
        Answer: Answer.objects.filter(self_assessment__audit=audit),
        EvidenceFile: files,
    }
    entries = _log_entries(audit, targets)
    versions = list(FindingsVersion.objects.select_for_update().filter(audit=audit))
    reduced = [(version, *_reduced(version.data)) for version in versions]
    counts = {
        "cases": cases.count(),
        "record_numbers": targets[AgencyRecordNumber].count(),
        "involvements": targets[Involvement].count(),
        "returns": returns.count(),
        "return_events": targets[ReturnEvent].count(),
        "moderated_grades": targets[ModeratedGrade].count(),
        "quotes": quotes.count() + sum(emptied for _, _, emptied in reduced),
        "self_assessment_texts": texts.count(),
        "evidence_files": files.count(),
        "log_entries": sum(1 for changes in entries.values_list("changes", flat=True) if holds_values(changes)),
    }
    result = AuditPurge(audit.reference, closure.destroy_on, counts)
    if dry_run:
        return result

    # The log's rows first, while the rows they name still exist to be found.
    access_log_destroy_values(entries, reason=REDACTION_REASON.format(reference=audit.reference, day=today))
    stored = [(item.file.storage, item.file.name) for item in files if item.file.name]
    files.delete()
    texts.update(evidence="")
    assessments.exclude(return_reason="").update(return_reason="")
    quotes.update(text="")
    for version, content, _ in reduced:
        version.content = content
        version.save(update_fields=["content"])
    # Deleting the cases deletes their record numbers, involvements, returns, the returns' history and the panel's
    # grades of them; the findings' evidence keeps what it cited, without the link.
    cases.delete()
    returns.delete()
    _delete_files_on_commit(stored)
    closure.purged_at = timezone.now()
    closure.purged_counts = counts
    closure.save(update_fields=["purged_at", "purged_counts"])
    _record(closure, counts)
    return result


def purge_due(*, today: datetime.date, dry_run: bool, say: Callable[[str], None] | None = None) -> PurgeReport:
    """Purge every closed audit whose retention period has run out by `today` and that has no legal hold in force,
    each in its own transaction; with `dry_run`, report the same and change nothing. `say` hears progress."""
    report = PurgeReport(today=today, dry_run=dry_run)
    report.held = list(
        AuditClosure.objects.filter(destroy_on__lte=today, purged_at__isnull=True)
        .filter(audit__legal_holds__lifted_at__isnull=True, audit__legal_holds__isnull=False)
        .values_list("audit__reference", flat=True)
        .distinct()
        .order_by("audit__reference")
    )
    due = list(closures_due(today))
    for index, closure in enumerate(due, start=1):
        if say is not None:
            say(
                f"{'Counting' if dry_run else 'Destroying'} the case-level data of {closure.audit.reference} "
                f"({index} of {len(due)})…"
            )
        try:
            report.audits.append(audit_purge(audit=closure.audit, today=today, dry_run=dry_run))
        except ValidationError:
            # Held (or purged) since it was found due: the others are purged all the same.
            report.held.append(closure.audit.reference)
    return report
