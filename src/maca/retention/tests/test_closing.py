"""Closing an audit, legal holds and the retention period, through their pages: the coordinator is warned, the
audit's page says what happens when, each step is logged, and bad input is refused by its field."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from maca.audits.models import Audit
from maca.common.closure import is_closed, refuse_if_closed
from maca.partnerships.models import AccessLogEntry
from maca.retention import services
from maca.retention.models import AuditClosure, LegalHold, add_months
from maca.tests.cast import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def audit(cast: Cast) -> Audit:
    assert cast.approved_audit is not None
    return cast.approved_audit


@pytest.fixture
def coordinator(cast: Cast) -> Client:
    client = Client()
    client.force_login(cast.coordinator)
    return client


def _page(client: Client, audit: Audit) -> str:
    return client.get(reverse("audits:detail", args=[audit.reference])).content.decode()


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2026, 1, 31), 1, datetime.date(2026, 2, 28)),
        (datetime.date(2028, 1, 31), 1, datetime.date(2028, 2, 29)),
        (datetime.date(2026, 12, 7), 12, datetime.date(2027, 12, 7)),
        (datetime.date(2026, 11, 30), 3, datetime.date(2027, 2, 28)),
        (datetime.date(2026, 5, 15), 120, datetime.date(2036, 5, 15)),
    ],
)
def test_a_retention_period_runs_in_calendar_months(day: datetime.date, months: int, expected: datetime.date) -> None:
    assert add_months(day, months) == expected


def test_the_coordinator_closes_an_audit_warned_of_what_goes_and_when(
    cast: Cast, audit: Audit, coordinator: Client
) -> None:
    cast.partnership.retention_months = 18
    cast.partnership.save()
    due = add_months(timezone.localdate(), 18)
    assert "Close the audit" in _page(coordinator, audit)

    warning = coordinator.get(reverse("retention:close", args=[audit.reference])).content.decode()
    assert "govuk-warning-text" in warning
    assert f"on {due.day} {due:%B %Y} (18 months from today) it will be destroyed" in warning
    assert "data-maca-working" in warning

    response = coordinator.post(reverse("retention:close", args=[audit.reference]))
    assert response.status_code == 302
    closure = AuditClosure.objects.get(audit=audit)
    assert (closure.closed_by, closure.retention_months, closure.destroy_on) == (cast.coordinator, 18, due)
    assert {figure["key"] for figure in closure.figures} >= {"funnel.nominated", "cohort.size"}
    page = _page(coordinator, audit)
    assert f"its case-level data will be destroyed on {due.day} {due:%B %Y}." in page
    assert "Closed on " in page
    entry = AccessLogEntry.objects.get(object_id=str(closure.pk), content_type__model="auditclosure")
    assert entry.actor == cast.coordinator
    assert entry.changes["destroy on"] == [None, due.isoformat()]

    again = coordinator.post(reverse("retention:close", args=[audit.reference]))
    assert again.status_code == 400
    assert "This audit is already closed." in again.content.decode()
    assert AuditClosure.objects.count() == 1
    with pytest.raises(ValidationError, match="already closed"):
        services.audit_close(actor=cast.coordinator, audit=audit)


def test_a_legal_hold_needs_a_reason_to_be_placed_and_to_be_lifted(
    cast: Cast, audit: Audit, coordinator: Client
) -> None:
    services.audit_close(actor=cast.coordinator, audit=audit)
    refused = coordinator.post(reverse("retention:hold", args=[audit.reference]), {"reason": "   "})
    assert refused.status_code == 400
    assert "Enter the reason" in refused.content.decode()
    assert not LegalHold.objects.exists()
    with pytest.raises(ValidationError, match="Enter the reason for the legal hold"):
        services.legal_hold_place(actor=cast.coordinator, audit=audit, reason="")

    placed = coordinator.post(reverse("retention:hold", args=[audit.reference]), {"reason": "A family court order."})
    assert placed.status_code == 302
    hold = LegalHold.objects.get(audit=audit)
    assert "but a legal hold stops it" in _page(coordinator, audit)
    assert AccessLogEntry.objects.get(content_type__model="legalhold", object_id=str(hold.pk)).changes == {
        "legal hold placed": [None, "A family court order."]
    }
    with pytest.raises(ValidationError, match="already under a legal hold"):
        services.legal_hold_place(actor=cast.coordinator, audit=audit, reason="Another.")

    assert coordinator.post(reverse("retention:lift", args=[audit.reference]), {"reason": ""}).status_code == 400
    lifted = coordinator.post(reverse("retention:lift", args=[audit.reference]), {"reason": "The order has ended."})
    assert lifted.status_code == 302
    hold.refresh_from_db()
    assert (hold.lifted_by, hold.lift_reason) == (cast.coordinator, "The order has ended.")
    assert "but a legal hold stops it" not in _page(coordinator, audit)
    history = coordinator.get(reverse("retention:audit", args=[audit.reference])).content.decode()
    assert "A family court order." in history
    assert "The order has ended." in history
    with pytest.raises(ValidationError, match="not under a legal hold"):
        services.legal_hold_lift(actor=cast.coordinator, audit=audit, reason="Again.")


@pytest.mark.parametrize(
    ("months", "message"),
    [("0", "must be 1 or more"), ("121", "must be 120 or less"), ("a year", "must be a whole number"), ("", "Enter")],
)
def test_the_retention_period_is_refused_outside_1_to_120_months(
    cast: Cast, coordinator: Client, months: str, message: str
) -> None:
    response = coordinator.post(
        reverse("retention:settings", args=[cast.partnership.slug]), {"retention_months": months}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    cast.partnership.refresh_from_db()
    assert cast.partnership.retention_months == 12


def test_the_retention_period_is_set_beside_the_other_settings_and_logged(
    cast: Cast, audit: Audit, coordinator: Client
) -> None:
    detail = coordinator.get(reverse("partnerships:detail", args=[cast.partnership.slug])).content.decode()
    assert reverse("retention:settings", args=[cast.partnership.slug]) in detail
    assert "kept for 12 months after an audit closes" in detail
    response = coordinator.post(reverse("retention:settings", args=[cast.partnership.slug]), {"retention_months": "6"})
    assert response.status_code == 302
    cast.partnership.refresh_from_db()
    assert cast.partnership.retention_months == 6
    entry = AccessLogEntry.objects.get(changes__has_key="retention_months")
    assert entry.changes == {"retention_months": [12, 6]}
    assert "its case-level data is kept for 6 months" in _page(coordinator, audit)
    with pytest.raises(ValidationError, match="from 1 to 120 months"):
        services.partnership_set_retention(actor=cast.coordinator, partnership=cast.partnership, months=121)


def test_the_earlier_apps_learn_of_a_closure_through_common(cast: Cast, audit: Audit) -> None:
    assert not is_closed(audit)
    refuse_if_closed(audit)
    services.audit_close(actor=cast.coordinator, audit=audit)
    assert is_closed(audit)
    with pytest.raises(ValidationError, match="This audit is closed"):
        refuse_if_closed(audit)
    assert cast.audit is not None
    assert not is_closed(cast.audit)
