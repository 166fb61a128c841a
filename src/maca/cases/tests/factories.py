"""Cases for tests."""

import datetime

from maca.accounts.models import User
from maca.audits.models import Audit
from maca.cases.codes import Gender, SpecialNeeds, YesNoNotKnown
from maca.cases.models import Case
from maca.cases.services import CaseProfile, case_nominate
from maca.partnerships.models import Agency


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
