"""An audit to analyse, in the cast's partnership: the small test definition with questions the analysis reads (how
the child's voice is recorded, transition planning, an answer in words) and an ordinal scale each agency answers;
then as many included cases and agencies as a test asks, every agency with an accepted return for every case.

Cases and returns are written straight to the database (the services that make them one by one are tested in
their own apps): a test of 200 cases and 15 agencies needs 3,000 returns. Everything here is invented.
"""

import datetime
from typing import Any

from maca.accounts.models import User
from maca.accounts.tests.factories import UserFactory, enrol_totp
from maca.audits.models import Audit
from maca.audits.tests.factories import make_approved_audit
from maca.cases.codes import Gender, SpecialNeeds, YesNoNotKnown
from maca.cases.models import Case, Decision
from maca.partnerships.models import Agency, Role
from maca.partnerships.tests.factories import AgencyFactory, MembershipFactory
from maca.returns.models import AgencyReturn, ReturnStatus
from maca.tests.cast import Cast

REFERENCE = "anytown-analysis-2025"
SCALE = ["none", "low", "medium", "high", "severe"]
THEMES: list[dict[str, Any]] = [
    {
        "name": "Recognition",
        "objectives": ["Understand how the concern was recognised."],
        "questions": [
            {"key": "seen", "text": "Was the child seen?", "answer": "yes_no"},
            {
                "key": "voice_recorded",
                "text": "How is the child’s voice recorded?",
                "answer": "choice",
                "choices": [
                    {"value": "own_words", "label": "In the child’s own words"},
                    {"value": "practitioner_summary", "label": "Summarised by the practitioner"},
                    {"value": "not_recorded", "label": "Not recorded"},
                ],
            },
            {"key": "record_notes", "text": "What does the record say?", "answer": "text", "required": False},
        ],
    },
    {
        "name": "Intervention",
        "objectives": ["Understand what difference the help made."],
        "questions": [
            {
                "key": "transition_planning",
                "text": "Was the transition to adult services planned?",
                "answer": "choice",
                "choices": [
                    {"value": "planned_early", "label": "Planned in good time"},
                    {"value": "not_planned", "label": "Not planned"},
                    {"value": "not_applicable", "label": "Not applicable"},
                ],
            },
        ],
    },
]
CASE_FIELDS: list[dict[str, Any]] = [
    {
        "key": "setting",
        "label": "Where the harm happened",
        "type": "choice",
        "choices": [{"value": "home", "label": "At home"}, {"value": "school", "label": "At school"}],
    },
    {
        "key": "severity",
        "label": "How severe the harm was",
        "type": "choice",
        "ordinal": True,
        "per_agency": True,
        "choices": [{"value": value, "label": f"{value.capitalize()} – as the agency judges it"} for value in SCALE],
    },
]


def make_analysis_audit(cast: Cast) -> Audit:
    lead = cast["audit_lead"]
    assert lead is not None
    return make_approved_audit(cast.partnership, lead=lead, reference=REFERENCE, themes=THEMES, case_fields=CASE_FIELDS)


def add_agencies(cast: Cast, count: int) -> list[Agency]:
    return [
        AgencyFactory.create(partnership=cast.partnership, name=f"Agency {n:02}", short_code=f"AG{n:02}")
        for n in range(1, count + 1)
    ]


def fill(audit: Audit, cast: Cast, *, cases: int, agencies: list[Agency]) -> list[Case]:
    """`cases` included cases, each with an accepted return from every one of `agencies`."""
    themes = list(audit.themes.order_by("position"))
    made = Case.objects.bulk_create(
        Case(
            audit=audit,
            reference=f"C-{n:03}",
            nominated_by=cast.agency_a,
            birth_month=datetime.date(2007 + n % 10, 1 + n % 12, 1),
            gender=Gender.FEMALE if n % 3 else Gender.MALE,
            ethnicity="WBRI" if n % 4 else "",
            send=SpecialNeeds.EHCP if n % 2 else SpecialNeeds.NONE,
            disability=YesNoNotKnown.NO,
            aces=YesNoNotKnown.YES,
            concern_date=datetime.date(2025, 3, 1),
            topic_values={"setting": "home" if n % 7 else "school"},
            decision=Decision.INCLUDED,
        )
        for n in range(1, cases + 1)
    )
    returns = []
    for n, case in enumerate(made):
        for m, agency in enumerate(agencies):
            returns.append(
                AgencyReturn(
                    audit=audit,
                    case=case,
                    agency=agency,
                    status=ReturnStatus.ACCEPTED,
                    answers={
                        "seen": "yes" if (n + m) % 5 else "not_known",
                        "voice_recorded": ["own_words", "practitioner_summary", "not_recorded"][(n + m) % 3],
                        "record_notes": f"Notes of {agency.short_code} on {case.reference}.",
                        "transition_planning": "planned_early" if m % 2 else "not_planned",
                    },
                    judgements={
                        str(theme.pk): {
                            "grade": ["Good", "Requires improvement"][(n + m + theme.position) % 2],
                            "went_well": f"{agency.short_code} kept in touch with {case.reference}.",
                            "worried": "",
                            "child_voice": "Her own words are in the record." if m % 2 else "",
                            "difference": "",
                        }
                        for theme in themes
                    },
                    sharing={
                        "plan_ended": {"happened": "yes", "told": "no" if m == 0 else "yes"},
                        "plan_started": {"happened": "no"},
                        "strategy_discussion": {"happened": "no"},
                    },
                    topic_values={"severity": SCALE[(n + (m == 1)) % len(SCALE)]},
                )
            )
    AgencyReturn.objects.bulk_create(returns, batch_size=500)
    return made


def add_panel_member(cast: Cast) -> User:
    """A panel member of the cast's partnership (for agency B)."""
    user = UserFactory.create(email="panel@example.org", full_name="Pat Panel")
    enrol_totp(user)
    MembershipFactory.create(user=user, partnership=cast.partnership, role=Role.PANEL_MEMBER, agency=cast.agency_b)
    return user
