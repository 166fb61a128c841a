"""The standard test cast that every view test and the URL × role test use.

Two agencies in one partnership, a second partnership for the outsider, and one person per part:
a coordinator, an audit lead, an agency lead and an auditor in agency A, an auditor in agency B, a governance
reader, an outsider (the coordinator of another partnership), and anonymous. Everyone has enrolled a second factor.

The partnership has two audits: `audit`, a draft led by the audit lead, and `approved_audit`, whose Terms of
Reference version 1 the audit lead has approved and for which agency A nominated the case `case` (NEG-01).
"""

from dataclasses import dataclass, field

from maca.accounts.models import User
from maca.accounts.tests.factories import UserFactory, enrol_totp
from maca.audits.models import Audit
from maca.audits.tests.factories import make_approved_audit, make_audit
from maca.cases.models import Case
from maca.cases.tests.factories import make_case
from maca.partnerships.models import Agency, GovernanceGroup, Partnership, Role
from maca.partnerships.tests.factories import (
    AgencyFactory,
    AgencyServiceFactory,
    GovernanceGroupFactory,
    MembershipFactory,
    PartnershipFactory,
)

CAST = (
    "coordinator",
    "audit_lead",
    "agency_lead_a",
    "auditor_a",
    "auditor_b",
    "governance_reader",
    "outsider",
    "anonymous",
)


@dataclass
class Cast:
    partnership: Partnership
    agency_a: Agency
    agency_b: Agency
    group: GovernanceGroup
    other_partnership: Partnership
    people: dict[str, User | None] = field(default_factory=dict)
    audit: Audit | None = None
    approved_audit: Audit | None = None
    case: Case | None = None

    def __getitem__(self, name: str) -> User | None:
        return self.people[name]

    @property
    def coordinator(self) -> User:
        user = self.people["coordinator"]
        assert user is not None
        return user


def _person(email: str, name: str, partnership: Partnership, role: Role, **extra: object) -> User:
    user = UserFactory.create(email=email, full_name=name)
    enrol_totp(user)
    MembershipFactory.create(user=user, partnership=partnership, role=role, **extra)
    return user


def make_cast() -> Cast:
    partnership = PartnershipFactory.create(name="Anytown Safeguarding Children Partnership", slug="anytown")
    agency_a = AgencyFactory.create(partnership=partnership, name="Agency A", short_code="AGA")
    agency_b = AgencyFactory.create(partnership=partnership, name="Agency B", short_code="AGB")
    AgencyServiceFactory.create(agency=agency_a, name="Team A1")
    group = GovernanceGroupFactory.create(partnership=partnership, name="Business Group")
    other = PartnershipFactory.create(name="Elsewhere Safeguarding Children Partnership", slug="elsewhere")
    AgencyFactory.create(partnership=other, name="Agency X", short_code="AGX")
    cast = Cast(partnership, agency_a, agency_b, group, other)
    cast.people = {
        "coordinator": _person("coordinator@example.org", "Cora Coordinator", partnership, Role.COORDINATOR),
        "audit_lead": _person("audit.lead@example.org", "Ali Lead", partnership, Role.AUDIT_LEAD),
        "agency_lead_a": _person("lead.a@example.org", "Lee Lead", partnership, Role.AGENCY_LEAD, agency=agency_a),
        "auditor_a": _person("auditor.a@example.org", "Ada Auditor", partnership, Role.AUDITOR, agency=agency_a),
        "auditor_b": _person("auditor.b@example.org", "Bo Auditor", partnership, Role.AUDITOR, agency=agency_b),
        "governance_reader": _person(
            "reader@example.org", "Gwen Reader", partnership, Role.GOVERNANCE_READER, governance_group=group
        ),
        "outsider": _person("outsider@example.org", "Otto Outsider", other, Role.COORDINATOR),
        "anonymous": None,
    }
    lead = cast.people["audit_lead"]
    assert lead is not None
    cast.audit = make_audit(partnership, lead=lead)
    cast.approved_audit = make_approved_audit(partnership, lead=lead, reference="anytown-approved-2025")
    agency_lead = cast.people["agency_lead_a"]
    assert agency_lead is not None
    cast.case = make_case(cast.approved_audit, agency_a, agency_lead)
    return cast
