"""The demo cases of the demo audit: ten nominated by the identifying agencies, eight of whom met the criteria and
were included, with the agencies involved with each child. Every child here is invented.

Figures such as "aged 10 to 19, all male, 4 of 8 with an EHCP" are not written anywhere: they follow from these
profiles, and the analysis computes them.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from maca.accounts.models import User
from maca.audits.models import Audit
from maca.partnerships.models import Agency

from .codes import Gender, SpecialNeeds, YesNoNotKnown
from .models import AgencyRecordNumber, Case, Decision, Involvement

D = datetime.date


@dataclass(frozen=True)
class DemoCase:
    reference: str
    nominated_by: str  # agency short code
    birth_month: datetime.date
    ethnicity: str
    send: SpecialNeeds
    disability: YesNoNotKnown
    concern_date: datetime.date
    involvement: str
    needs: tuple[str, ...]
    involved: tuple[str, ...]  # agency short codes, with "CODE:Service name" for a service
    decision: Decision
    reason: str


INCLUDED = "Meets the criteria of the Terms of Reference."
# (a) HSB displayed or experienced between 1 April 2019 and 30 July 2020 — checked against the scope dates.
CASES: list[DemoCase] = [
    DemoCase(
        "HSB-01",
        "YOT",
        D(2002, 5, 1),
        "WBRI",
        SpecialNeeds.SEN_SUPPORT,
        YesNoNotKnown.NO,
        D(2019, 6, 14),
        "displayed",
        ("low_self_esteem", "substance_misuse"),
        ("YOT", "POLICE", "HEALTH:Primary Care (GP)", "CSC:Early Help"),
        Decision.INCLUDED,
        INCLUDED,
    ),
    DemoCase(
        "HSB-02",
        "EDU",
        D(2011, 6, 1),
        "WBRI",
        SpecialNeeds.EHCP,
        YesNoNotKnown.YES,
        D(2019, 10, 3),
        "both",
        ("low_self_esteem", "learning_difficulties", "own_abuse"),
        ("EDU", "SCH", "CSC:Children’s Disability Team", "HEALTH:Public Health Nursing (School Nursing)"),
        Decision.INCLUDED,
        INCLUDED,
    ),
    DemoCase(
        "HSB-03",
        "YOT",
        D(2004, 3, 1),
        "WOTH",
        SpecialNeeds.NONE,
        YesNoNotKnown.NO,
        D(2019, 11, 21),
        "displayed",
        ("low_self_esteem", "mental_health"),
        ("YOT", "POLICE", "CSC:MASH", "HEALTH:Primary Care (GP)"),
        Decision.INCLUDED,
        INCLUDED,
    ),
    DemoCase(
        "HSB-04",
        "EDU",
        D(2007, 4, 1),
        "WBRI",
        SpecialNeeds.EHCP,
        YesNoNotKnown.YES,
        D(2019, 9, 9),
        "displayed",
        ("low_self_esteem", "neurodivergence"),
        ("EDU", "SCH", "CSC:Children’s Disability Team", "HEALTH:Primary Care (GP)"),
        Decision.INCLUDED,
        INCLUDED,
    ),
    DemoCase(
        "HSB-05",
        "YOT",
        D(2005, 1, 1),
        "MWBC",
        SpecialNeeds.SEN_SUPPORT,
        YesNoNotKnown.NO,
        D(2020, 1, 27),
        "both",
        ("low_self_esteem", "exploitation_risk", "missing_episodes"),
        ("YOT", "POLICE", "CSC:Operational and Regulated Services", "HEALTH:Primary Care (GP)"),
        Decision.INCLUDED,
        INCLUDED,
    ),
    DemoCase(
        "HSB-06",
        "EDU",
        D(2008, 11, 1),
        "WBRI",
        SpecialNeeds.EHCP,
        YesNoNotKnown.NO,
        D(2020, 3, 2),
        "experienced",
        ("low_self_esteem", "speech_language"),
        ("EDU", "SCH", "CSC:Early Help", "HEALTH:Public Health Nursing (School Nursing)"),
        Decision.INCLUDED,
        INCLUDED,
    ),
    DemoCase(
        "HSB-07",
        "YOT",
        D(2006, 8, 1),
        "WBRI",
        SpecialNeeds.NOT_KNOWN,
        YesNoNotKnown.NOT_KNOWN,
        D(2020, 5, 18),
        "displayed",
        ("low_self_esteem", "adverse_experiences"),
        ("YOT", "POLICE", "CSC:MASH", "HEALTH:Primary Care (GP)"),
        Decision.INCLUDED,
        INCLUDED,
    ),
    DemoCase(
        "HSB-08",
        "EDU",
        D(2009, 2, 1),
        "WBRI",
        SpecialNeeds.EHCP,
        YesNoNotKnown.YES,
        D(2020, 7, 6),
        "both",
        ("low_self_esteem", "learning_difficulties"),
        ("EDU", "SCH", "CSC:Children’s Disability Team", "HEALTH:Primary Care (GP)", "POLICE"),
        Decision.INCLUDED,
        INCLUDED,
    ),
    DemoCase(
        "HSB-09",
        "YOT",
        D(2003, 9, 1),
        "WBRI",
        SpecialNeeds.NONE,
        YesNoNotKnown.NO,
        D(2018, 11, 12),
        "displayed",
        ("low_self_esteem",),
        ("YOT", "POLICE"),
        Decision.EXCLUDED,
        "The concern was first recorded before the scope of the audit (1 April 2019).",
    ),
    DemoCase(
        "HSB-10",
        "EDU",
        D(2010, 12, 1),
        "WBRI",
        SpecialNeeds.SEN_SUPPORT,
        YesNoNotKnown.NO,
        D(2020, 10, 5),
        "experienced",
        ("low_self_esteem",),
        ("EDU", "SCH"),
        Decision.EXCLUDED,
        "The concern was first recorded after the scope of the audit (30 July 2020).",
    ),
]

NOMINATED_BY_EMAIL = "agency.lead@demo.maca.invalid"
DECIDED_BY_EMAIL = "coordinator@demo.maca.invalid"


def _agency(agencies: dict[str, Agency], code: str) -> Agency:
    return agencies[code.split(":", 1)[0]]


@transaction.atomic
def load_case_demo(audit: Audit) -> list[Case]:
    """The demo cases, created once; involvement confirmed by each agency as at the audit."""
    if audit.cases.exists():
        return list(audit.cases.all())
    agencies = {agency.short_code: agency for agency in audit.partnership.agencies.prefetch_related("services")}
    nominator = User.objects.get(email=NOMINATED_BY_EMAIL)
    coordinator = User.objects.get(email=DECIDED_BY_EMAIL)
    decided_at = timezone.make_aware(datetime.datetime(2021, 8, 2, 10, 0))
    created: list[Case] = []
    for item in CASES:
        case = Case.objects.create(
            audit=audit,
            reference=item.reference,
            nominated_by=agencies[item.nominated_by],
            nominated_by_user=nominator,
            birth_month=item.birth_month,
            gender=Gender.MALE,
            ethnicity=item.ethnicity,
            send=item.send,
            disability=item.disability,
            aces=YesNoNotKnown.YES,
            concern_date=item.concern_date,
            topic_values={"involvement": item.involvement, "needs": list(item.needs)},
            decision=item.decision,
            decision_reason=item.reason,
            decided_by=coordinator,
            decided_at=decided_at,
        )
        AgencyRecordNumber.objects.create(
            case=case, agency=agencies[item.nominated_by], number=f"{item.nominated_by}-{4100 + len(created)}"
        )
        involvements: dict[str, Involvement] = {}
        for entry in item.involved:
            agency = _agency(agencies, entry)
            involvement = involvements.get(agency.short_code)
            if involvement is None:
                involvement = Involvement.objects.create(
                    case=case, agency=agency, confirmed_at=decided_at if item.decision == Decision.INCLUDED else None
                )
                involvements[agency.short_code] = involvement
            if ":" in entry:
                involvement.services.add(agency.services.get(name=entry.split(":", 1)[1]))
        created.append(case)
    return created
