"""Audits for tests: a small complete definition that uses the cast's agencies, and helpers to make audits from it."""

import copy
import datetime
from typing import Any

from maca.accounts.models import User
from maca.audits.models import Audit
from maca.audits.schema import AuditDefinition
from maca.audits.services import audit_approve, audit_import, audit_submit_for_review
from maca.partnerships.models import Partnership

SMALL_DEFINITION: dict[str, Any] = {
    "schema": "maca-audit/1",
    "reference": "anytown-neglect-2026",
    "title": "Multi-Agency Case Audit on Neglect",
    "short_title": "MACA on Neglect",
    "topic": "Neglect",
    "version_date": datetime.date(2026, 3, 1),
    "headings": {"definitions": "What is neglect?", "purpose": "Purpose of the audit"},
    "background": "A first paragraph.[^A footnote about the first paragraph.]\n\nA second paragraph.",
    "definitions": "Neglect is:\n\n- persistent\n- harmful",
    "purpose": "This audit will consider:\n\n- how well agencies recognise neglect",
    "themes": [
        {
            "name": "Recognition",
            "objectives": ["Understand how neglect is recognised."],
            "questions": [
                {"key": "recognised", "text": "Was neglect recognised early?", "answer": "yes_no"},
                {"key": "grade_recognition", "text": "Grade the recognition of neglect", "answer": "grade"},
            ],
        },
        {
            "name": "Response",
            "objectives": ["Understand how agencies responded.", "Understand what difference it made."],
            "questions": [
                {
                    "key": "response_speed",
                    "text": "How quickly did the agency respond?",
                    "answer": "choice",
                    "choices": [{"value": "days", "label": "Within days"}, {"value": "weeks", "label": "Weeks"}],
                    "help": "From the first recorded concern.",
                },
            ],
        },
    ],
    "identification": {
        "text": "- Cases will be identified by Agency A",
        "identifying_agencies": [{"agency": "AGA", "service": "Team A1"}],
        "target_cases": 6,
        "scope_start": datetime.date(2025, 1, 1),
        "scope_end": datetime.date(2025, 12, 31),
        "age_min": 0,
        "age_max": 17,
        "phases": ["primary", "secondary"],
        "include_send": True,
    },
    "engagement": {
        "text": "These agencies take part:",
        "case_audit": [{"agency": "AGA", "services": ["Team A1"]}, {"agency": "AGB"}],
        "wider_audit": {"framework": "A framework", "participants": [{"agency": "AGB", "services_text": "All teams"}]},
    },
    "timeline": [
        {"kind": "audit", "text": "Audit to take place in", "planned": "2026-05", "actual": datetime.date(2026, 5, 20)},
        {
            "kind": "report",
            "text": "Report to the Business Group in",
            "planned": "2026-07",
            "reports_to": "Business Group",
        },
    ],
    "governance_groups": ["Business Group"],
    "case_fields": [
        {
            "key": "neglect_type",
            "label": "Type of neglect",
            "type": "choice",
            "choices": [{"value": "physical", "label": "Physical"}, {"value": "emotional", "label": "Emotional"}],
        }
    ],
}


def small_definition(**changes: Any) -> AuditDefinition:
    data = copy.deepcopy(SMALL_DEFINITION)
    data.update(changes)
    return AuditDefinition.model_validate(data)


def make_audit(partnership: Partnership, *, lead: User | None = None, **changes: Any) -> Audit:
    """A complete draft audit of the partnership (whose agencies must include AGA with Team A1, and AGB)."""
    audit = audit_import(actor=None, partnership=partnership, definition=small_definition(**changes))
    if lead is not None:
        audit.lead = lead
        audit.save(update_fields=["lead"])
    return audit


def make_approved_audit(partnership: Partnership, *, lead: User, **changes: Any) -> Audit:
    """A complete audit whose Terms of Reference version 1 has been approved by its lead."""
    audit = make_audit(partnership, lead=lead, **changes)
    audit_submit_for_review(actor=lead, audit=audit)
    audit_approve(actor=lead, audit=audit)
    audit.refresh_from_db()
    return audit
