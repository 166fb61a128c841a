"""The demo partnership: the one in the seed Terms of Reference, with its agencies (sections 6a and 6b), governance
groups, and one invented person per role.

Everything here is data for the demo; no other code assumes it. All people are invented.
"""

from dataclasses import dataclass

from django.db import transaction

from maca.accounts.models import User
from maca.partnerships.models import (
    Agency,
    AgencyService,
    AgencyType,
    GovernanceGroup,
    Membership,
    Partnership,
    Role,
)

DEMO_PASSWORD = "demo-maca-2021"  # noqa: S105 (the demo accounts' published password; demo data only)
DEMO_EMAIL_DOMAIN = "demo.maca.invalid"

PARTNERSHIP = {"name": "Torbay Safeguarding Children Partnership", "short_name": "TSCP", "slug": "torbay"}

# (name, short code, type, services or teams)
AGENCIES: list[tuple[str, str, str, list[str]]] = [
    (
        "Children’s Social Care",
        "CSC",
        AgencyType.SOCIAL_CARE,
        [
            "Children’s Disability Team",
            "Operational and Regulated Services",
            "MASH",
            "Early Help",
            "Safeguarding & Reviewing Service",
        ],
    ),
    (
        "Education",
        "EDU",
        AgencyType.EDUCATION,
        [
            "Special Education Needs Team",
            "Vulnerable Pupils",
            "Alternative provisions",
            "Virtual Schools",
            "Torbay Education Safeguarding Service (TESS)",
        ],
    ),
    ("Youth Offending Team", "YOT", AgencyType.YOUTH_JUSTICE, []),
    ("Schools", "SCH", AgencyType.EDUCATION, ["DSLs", "Pastoral & RSE Leads"]),
    (
        "Health",
        "HEALTH",
        AgencyType.HEALTH,
        ["Public Health Nursing (School Nursing)", "Primary Care (GP)", "CAMHS", "Sexual Health Services"],
    ),
    ("SARC", "SARC", AgencyType.HEALTH, []),
    ("Police", "POLICE", AgencyType.POLICE, []),
    ("Voluntary Sector", "VCS", AgencyType.VOLUNTARY, []),
    ("Young Devon/Adopt South West", "YDASW", AgencyType.VOLUNTARY, []),
    ("Action for Children 0 – 19 partnership", "AFC", AgencyType.VOLUNTARY, []),
]

GOVERNANCE_GROUPS: list[tuple[str, str]] = [
    ("Business Group", ""),
    ("Quality and Assurance Group", "QAG"),
    ("Domestic Abuse and Sexual Violence Executive Group", "DASVEG"),
]


@dataclass(frozen=True)
class DemoPerson:
    full_name: str
    email_name: str
    role: Role
    agency_code: str | None = None
    governance_group: str | None = None

    @property
    def email(self) -> str:
        return f"{self.email_name}@{DEMO_EMAIL_DOMAIN}"


PEOPLE: list[DemoPerson] = [
    DemoPerson("Casey Mortimer", "coordinator", Role.COORDINATOR),
    DemoPerson("Avery Lindqvist", "audit.lead", Role.AUDIT_LEAD, "CSC"),
    DemoPerson("Jordan Pellow", "agency.lead", Role.AGENCY_LEAD, "YOT"),
    DemoPerson("Morgan Tregear", "auditor", Role.AUDITOR, "YOT"),
    DemoPerson("Riley Haddon", "auditor.health", Role.AUDITOR, "HEALTH"),
    DemoPerson("Sam Okonjo", "panel.member", Role.PANEL_MEMBER, "POLICE"),
    DemoPerson("Robin Vassallo", "governance.reader", Role.GOVERNANCE_READER, None, "Business Group"),
    DemoPerson("Alex Penhale", "action.owner", Role.ACTION_OWNER, "HEALTH"),
]


def demo_is_loaded() -> bool:
    return Partnership.objects.filter(slug=PARTNERSHIP["slug"]).exists()


@transaction.atomic
def load_partnership_demo() -> Partnership:
    """Create or complete the demo partnership, its agencies, groups and people. Running it again changes nothing."""
    partnership, _ = Partnership.objects.get_or_create(
        slug=PARTNERSHIP["slug"], defaults={"name": PARTNERSHIP["name"], "short_name": PARTNERSHIP["short_name"]}
    )
    agencies: dict[str, Agency] = {}
    for name, code, agency_type, services in AGENCIES:
        agency, _ = Agency.objects.get_or_create(
            partnership=partnership, short_code=code, defaults={"name": name, "agency_type": agency_type}
        )
        agencies[code] = agency
        for service in services:
            AgencyService.objects.get_or_create(agency=agency, name=service)
    groups: dict[str, GovernanceGroup] = {}
    for name, short_name in GOVERNANCE_GROUPS:
        groups[name], _ = GovernanceGroup.objects.get_or_create(
            partnership=partnership, name=name, defaults={"short_name": short_name}
        )
    for person in PEOPLE:
        user = User.objects.filter(email=person.email).first()
        if user is None:
            user = User.objects.create_user(person.email, DEMO_PASSWORD, full_name=person.full_name, is_demo=True)
        Membership.objects.get_or_create(
            user=user,
            partnership=partnership,
            role=person.role,
            agency=agencies[person.agency_code] if person.agency_code else None,
            defaults={"governance_group": groups[person.governance_group] if person.governance_group else None},
        )
    return partnership
