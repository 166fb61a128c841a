"""Every write service of audits refuses, by itself, whoever its page refuses: the coordinator creates audits; the
coordinator and the audit's lead edit its Terms of Reference and send it for review; its lead approves it; the
coordinator names the lead. Nothing is saved or logged when refused, and a locked Terms of Reference stays locked."""

import datetime
import re
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from maca.accounts.models import User
from maca.audits import editing, services
from maca.audits.models import Audit, AuditStatus, Theme
from maca.audits.tests.factories import small_definition
from maca.partnerships.models import AccessLogEntry
from maca.tests.cast import Cast

pytestmark = pytest.mark.django_db

Call = Callable[[Cast, User], object]


def _draft(cast: Cast) -> Audit:
    assert cast.audit is not None
    return cast.audit


def _theme(cast: Cast) -> Theme:
    return _draft(cast).themes.order_by("position").first()  # type: ignore[return-value]


def _edit(function: Callable[..., object], **arguments: object) -> Call:
    return lambda cast, actor: function(
        actor=actor, audit=_draft(cast), loaded_version=_draft(cast).version, **arguments
    )


# Creating audits: the coordinator alone.
CREATING: dict[str, Call] = {
    "services.audit_create": lambda cast, actor: services.audit_create(
        actor=actor, partnership=cast.partnership, reference="anytown-new-2026", title="New"
    ),
    "services.audit_import": lambda cast, actor: services.audit_import(
        actor=actor, partnership=cast.partnership, definition=small_definition(reference="anytown-imported-2026")
    ),
    "services.audit_from_template": lambda cast, actor: services.audit_from_template(
        actor=actor, partnership=cast.partnership, template_key="neglect", reference="anytown-t-2026", title="T"
    ),
    "services.audit_copy": lambda cast, actor: services.audit_copy(
        actor=actor, source=_draft(cast), reference="anytown-copy-2026", title="Copy"
    ),
    "services.audit_set_lead": lambda cast, actor: services.audit_set_lead(actor=actor, audit=_draft(cast), lead=actor),
}
# Editing the draft Terms of Reference, and sending it for review: the coordinator and the audit's lead.
EDITING: dict[str, Call] = {
    "editing.tor_details_update": _edit(
        editing.tor_details_update,
        title="T",
        short_title="T",
        topic="neglect",
        version_date=datetime.date(2026, 1, 1),
        governance_groups=[],
    ),
    "editing.tor_text_update": _edit(editing.tor_text_update, section="background", text="Words.", heading=""),
    "editing.tor_heading_update": _edit(editing.tor_heading_update, section="purpose", heading="Why"),
    "editing.grading_scale_update": _edit(editing.grading_scale_update, grades=["Good", "Poor"]),
    "editing.theme_create": _edit(editing.theme_create, name="New theme", objectives=["Learn."]),
    "editing.theme_update": lambda cast, actor: editing.theme_update(
        actor=actor,
        audit=_draft(cast),
        loaded_version=_draft(cast).version,
        theme=_theme(cast),
        name="X",
        objectives=[],
    ),
    "editing.theme_remove": lambda cast, actor: editing.theme_remove(
        actor=actor, audit=_draft(cast), loaded_version=_draft(cast).version, theme=_theme(cast)
    ),
    "editing.theme_questions_update": lambda cast, actor: editing.theme_questions_update(
        actor=actor, audit=_draft(cast), loaded_version=_draft(cast).version, theme=_theme(cast), questions=[]
    ),
    "editing.identification_update": _edit(
        editing.identification_update,
        heading="",
        text="",
        identifying_agencies=[],
        target_cases=1,
        scope_start=None,
        scope_end=None,
        age_min=None,
        age_max=None,
        phases=[],
        include_send=True,
    ),
    "editing.engagement_update": _edit(editing.engagement_update, heading="", text="", framework=""),
    "editing.participants_update": _edit(editing.participants_update, kind="case_audit", heading="", participants=[]),
    "editing.timeline_update": _edit(editing.timeline_update, heading="", milestones=[]),
    "editing.case_fields_update": _edit(editing.case_fields_update, fields=[]),
    "services.audit_submit_for_review": lambda cast, actor: services.audit_submit_for_review(
        actor=actor, audit=_draft(cast)
    ),
    "services.audit_start_new_version": lambda cast, actor: services.audit_start_new_version(
        actor=actor, audit=_draft(cast)
    ),
    "services.audit_return_to_draft": lambda cast, actor: services.audit_return_to_draft(
        actor=actor, audit=_draft(cast), reason="Add the scope."
    ),
}
# Approving: the audit's lead alone.
APPROVING: dict[str, Call] = {
    "services.audit_approve": lambda cast, actor: services.audit_approve(actor=actor, audit=_draft(cast)),
}
REFUSED_SERVICES = {f"maca.audits.{name}" for name in (*CREATING, *EDITING, *APPROVING)}

OUTSIDE_THE_AUDIT = ("agency_lead_a", "auditor_a", "auditor_b", "governance_reader", "outsider")


def _person(cast: Cast, name: str) -> User:
    user = cast[name]
    assert user is not None
    return user


def _refused(cast: Cast, call: Call, names: tuple[str, ...]) -> None:
    logged, audits, version = AccessLogEntry.objects.count(), Audit.objects.count(), _draft(cast).version
    for name in names:
        with pytest.raises(PermissionDenied, match=re.escape(_person(cast, name).email)):
            call(cast, _person(cast, name))
    lead = _person(cast, "audit_lead")
    lead.is_active = False
    lead.save()
    cast.coordinator.is_active = False
    cast.coordinator.save()
    for inactive in (lead, cast.coordinator):
        with pytest.raises(PermissionDenied):
            call(cast, inactive)
    _draft(cast).refresh_from_db()
    assert (AccessLogEntry.objects.count(), Audit.objects.count()) == (logged, audits)
    assert (_draft(cast).version, _draft(cast).status) == (version, AuditStatus.DRAFT)


@pytest.mark.parametrize("service", sorted(CREATING))
def test_audits_are_created_and_led_as_the_coordinator_says(cast: Cast, service: str) -> None:
    _refused(cast, CREATING[service], ("audit_lead", *OUTSIDE_THE_AUDIT))


@pytest.mark.parametrize("service", sorted(EDITING))
def test_the_terms_of_reference_are_changed_by_the_coordinator_and_the_lead(cast: Cast, service: str) -> None:
    _refused(cast, EDITING[service], OUTSIDE_THE_AUDIT)


def test_only_the_lead_approves(cast: Cast) -> None:
    services.audit_submit_for_review(actor=cast.coordinator, audit=_draft(cast))
    with pytest.raises(PermissionDenied, match=re.escape("coordinator@example.org")):
        APPROVING["services.audit_approve"](cast, cast.coordinator)
    _draft(cast).refresh_from_db()
    assert _draft(cast).status == AuditStatus.IN_REVIEW


def test_an_approved_terms_of_reference_is_not_edited_even_by_its_lead(cast: Cast) -> None:
    lead = _person(cast, "audit_lead")
    services.audit_submit_for_review(actor=cast.coordinator, audit=_draft(cast))
    services.audit_approve(actor=lead, audit=_draft(cast))
    logged = AccessLogEntry.objects.count()
    for name, call in EDITING.items():
        if name.startswith("editing."):
            _draft(cast).refresh_from_db()
            with pytest.raises(ValidationError, match="approved, so it cannot be changed"):
                call(cast, lead)
    assert AccessLogEntry.objects.count() == logged
