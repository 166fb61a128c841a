"""Creating audits and the lifecycle of their Terms of Reference: draft → in review → approved → new version."""

import pytest
from django.core.exceptions import ValidationError

from maca.audits.definition import audit_definition, definition_problems, dump_definition
from maca.audits.models import Audit, AuditStatus, TermsOfReferenceVersion
from maca.audits.services import (
    audit_approve,
    audit_copy,
    audit_create,
    audit_from_template,
    audit_return_to_draft,
    audit_set_lead,
    audit_start_new_version,
    audit_submit_for_review,
)
from maca.partnerships.models import AccessAction, AccessLogEntry
from maca.tests.cast import Cast


def _lead(cast: Cast):  # type: ignore[no-untyped-def]
    lead = cast["audit_lead"]
    assert lead is not None
    return lead


def test_the_whole_lifecycle_keeps_every_approved_version(cast: Cast) -> None:
    audit = cast.audit
    assert audit is not None
    lead = _lead(cast)
    audit_submit_for_review(actor=cast.coordinator, audit=audit)
    assert audit.status == AuditStatus.IN_REVIEW
    audit_return_to_draft(actor=lead, audit=audit, reason="Add the police to the case audit.")
    assert audit.status == AuditStatus.DRAFT
    audit_submit_for_review(actor=cast.coordinator, audit=audit)
    first = audit_approve(actor=lead, audit=audit)
    assert (first.number, audit.status, audit.is_locked) == (1, AuditStatus.APPROVED, True)
    approved_text = dump_definition(audit_definition(audit))

    audit_start_new_version(actor=cast.coordinator, audit=audit)
    assert (audit.status, audit.tor_version) == (AuditStatus.DRAFT, 2)
    audit.title = "Changed in version 2"
    audit.save()
    audit_submit_for_review(actor=cast.coordinator, audit=audit)
    second = audit_approve(actor=lead, audit=audit)
    assert second.number == 2
    versions = {v.number: v.definition["title"] for v in TermsOfReferenceVersion.objects.filter(audit=audit)}
    assert versions == {1: "Multi-Agency Case Audit on Neglect", 2: "Changed in version 2"}
    assert "Multi-Agency Case Audit on Neglect" in approved_text
    statuses = [e.changes.get("status") for e in AccessLogEntry.objects.filter(object_id=str(audit.pk))]
    assert ["in_review", "approved"] in statuses
    assert ["approved", "draft"] in statuses


def test_a_draft_with_gaps_cannot_be_sent_for_review(cast: Cast) -> None:
    audit = audit_create(actor=cast.coordinator, partnership=cast.partnership, reference="blank-2026", title="Blank")
    with pytest.raises(ValidationError) as error:
        audit_submit_for_review(actor=cast.coordinator, audit=audit)
    assert any("background: must not be empty" in message for message in error.value.messages)
    assert Audit.objects.get(pk=audit.pk).status == AuditStatus.DRAFT


def test_review_needs_a_lead_and_steps_cannot_be_skipped(cast: Cast) -> None:
    assert cast.audit is not None
    cast.audit.lead = None
    cast.audit.save()
    with pytest.raises(ValidationError, match="Choose the audit lead"):
        audit_submit_for_review(actor=cast.coordinator, audit=cast.audit)
    cast.audit.lead = _lead(cast)
    cast.audit.save()
    with pytest.raises(ValidationError, match="in review"):
        audit_approve(actor=_lead(cast), audit=cast.audit)
    with pytest.raises(ValidationError, match="approved"):
        audit_start_new_version(actor=cast.coordinator, audit=cast.audit)


def test_returning_needs_a_reason(cast: Cast) -> None:
    assert cast.audit is not None
    audit_submit_for_review(actor=cast.coordinator, audit=cast.audit)
    with pytest.raises(ValidationError):
        audit_return_to_draft(actor=_lead(cast), audit=cast.audit, reason="  ")
    assert cast.audit.status == AuditStatus.IN_REVIEW


def test_only_an_audit_lead_of_the_partnership_can_lead(cast: Cast) -> None:
    assert cast.audit is not None
    auditor = cast["auditor_a"]
    assert auditor is not None
    with pytest.raises(ValidationError):
        audit_set_lead(actor=cast.coordinator, audit=cast.audit, lead=auditor)
    audit_set_lead(actor=cast.coordinator, audit=cast.audit, lead=_lead(cast))


def test_a_template_leaves_out_what_the_partnership_lacks_and_says_so(cast: Cast) -> None:
    audit, left_out = audit_from_template(
        actor=cast.coordinator, partnership=cast.partnership, template_key="hsb", reference="hsb-2026", title="HSB"
    )
    assert audit.title == "HSB"
    assert audit.themes.count() == 5
    assert audit.participants.count() == 0
    assert any("the agency YOT, which this partnership does not have" in sentence for sentence in left_out)
    assert "Identification of cases" not in str(left_out)  # what is left out is named, not the section
    problems = [str(problem) for problem in definition_problems(audit)]
    assert any("identifying_agencies" in problem for problem in problems)
    entry = AccessLogEntry.objects.get(object_id=str(audit.pk), action=AccessAction.CREATED)
    assert entry.changes["template"] == [None, "hsb"]


def test_copying_a_past_audit_copies_all_its_terms_of_reference(cast: Cast) -> None:
    assert cast.approved_audit is not None
    copy = audit_copy(actor=cast.coordinator, source=cast.approved_audit, reference="copy-2027", title="Next year")
    assert copy.status == AuditStatus.DRAFT
    assert copy.copied_from == cast.approved_audit
    original = dump_definition(audit_definition(cast.approved_audit))
    copied = dump_definition(audit_definition(copy))
    assert copied == original.replace("anytown-approved-2025", "copy-2027").replace(
        "title: Multi-Agency Case Audit on Neglect", "title: Next year"
    )


def test_an_incomplete_draft_can_be_copied_as_it_is(cast: Cast) -> None:
    blank = audit_create(actor=cast.coordinator, partnership=cast.partnership, reference="blank-2026", title="Blank")
    copy = audit_copy(actor=cast.coordinator, source=blank, reference="blank-copy", title="Blank copy")
    assert copy.themes.count() == 0
    assert definition_problems(copy)


def test_references_are_unique(cast: Cast) -> None:
    assert cast.audit is not None
    with pytest.raises(ValidationError):
        audit_create(actor=cast.coordinator, partnership=cast.partnership, reference=cast.audit.reference, title="X")
