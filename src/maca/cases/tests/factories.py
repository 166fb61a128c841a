"""Cases for tests."""

import datetime
from typing import TYPE_CHECKING

from maca.accounts.models import User
from maca.audits.models import Audit
from maca.audits.services import audit_approve, audit_submit_for_review
from maca.cases.codes import Gender, SpecialNeeds, YesNoNotKnown
from maca.cases.models import Case
from maca.cases.services import CaseProfile, case_nominate
from maca.partnerships.models import Agency

if TYPE_CHECKING:  # the cast is made with these factories
    from maca.tests.cast import Cast


def profile(reference: str = "NEG-01", **changes: object) -> CaseProfile:
    """A profile that meets the small test audit's criteria (scope 2025; ages 0 to 17)."""
    values: dict[str, object] = {
        "reference": reference,
        "birth_month": datetime.date(2012, 3, 1),
        "gender": Gender.FEMALE,
        "ethnicity": "WBRI",
        "send": SpecialNeeds.SEN_SUPPORT,
        "disability": YesNoNotKnown.NO,
        "aces": YesNoNotKnown.YES,
        "concern_date": datetime.date(2025, 4, 2),
        "topic_values": {"neglect_type": "physical"},
        **changes,
    }
    return CaseProfile(**values)  # type: ignore[arg-type]


def make_case(audit: Audit, agency: Agency, actor: User, reference: str = "NEG-01", **changes: object) -> Case:
    """A case nominated by `agency` (an identifying agency of the audit), with its record number A-12345."""
    return case_nominate(
        actor=actor, audit=audit, agency=agency, profile=profile(reference, **changes), record_number="A-12345"
    )


def open_for_cases(cast: "Cast") -> Audit:
    """The cast's draft audit with its Terms of Reference approved by its lead, so that cases can be nominated."""
    audit = cast.audit
    assert audit is not None
    assert audit.lead is not None
    if not audit.tor_versions.exists():
        audit_submit_for_review(actor=cast.coordinator, audit=audit)
        audit_approve(actor=audit.lead, audit=audit)
        audit.refresh_from_db()
    return audit
