"""The demo self-assessments: every agency of the demo audit's section 6b rated itself against the default
framework (the NSPCC Harmful Sexual Behaviour Framework's five operational areas) in September 2021, before the
audit's meeting, and submitted it.

Everything here is invented. The ratings are a profile per agency (one letter per statement: F fully, P partly,
N not in place); the evidence is written per statement and worded for each agency. The results page computes every
figure from these answers.

The agencies' sign-off: the demo partnership has one agency lead, of the Youth Offending Team, who signed off its
own; the other agencies sent theirs signed off by e-mail, and the sign-off records the role that signed.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction

from maca.accounts.models import User
from maca.audits.models import Audit

from .models import Answer, Rating, SelfAssessment, State
from .selectors import framework_of, wider_agencies
from .services import framework_copy

LETTERS = {"F": Rating.FULLY, "P": Rating.PARTLY, "N": Rating.NOT_IN_PLACE}
YOT_LEAD_EMAIL = "agency.lead@demo.maca.invalid"


@dataclass(frozen=True)
class DemoAgency:
    """How an agency rated itself (one string of letters per area) and the words its evidence uses."""

    profile: tuple[str, ...]
    staff: str  # who does the work, e.g. "social workers"
    records: str  # where it is written down
    signed_off_by: str  # the role that signed it off, when the agency has no lead in maca
    day: int  # the day of September 2021 it was submitted


AGENCIES: dict[str, DemoAgency] = {
    "CSC": DemoAgency(
        ("FPFPP", "PFPFPN", "FFPFPP", "PPFPFN", "PFPNP"),
        "social workers",
        "case records",
        "Head of Safeguarding and Reviewing, Children’s Social Care",
        6,
    ),
    "EDU": DemoAgency(
        ("PPFPN", "FFPPPN", "PNPPPP", "PNPPNN", "PPNPN"),
        "education officers",
        "pupil and casework records",
        "Head of Inclusion, Education",
        14,
    ),
    "YOT": DemoAgency(
        ("FFFPF", "PPFFPP", "FFFFFP", "FFPFPF", "FFPPF"),
        "case managers",
        "youth justice case records",
        "",
        7,
    ),
    "SCH": DemoAgency(
        ("PPPPN", "FFPPPN", "FPNPPN", "PNPPNN", "PPNPP"),
        "designated safeguarding leads",
        "safeguarding logs",
        "Chair of the Designated Safeguarding Leads’ network, Schools",
        16,
    ),
    "HEALTH": DemoAgency(
        ("PPFPN", "PPFPPN", "PFPPFP", "PFFPPP", "PPNPP"),
        "school nurses, GPs and CAMHS clinicians",
        "clinical records",
        "Designated Nurse for Safeguarding Children, Health",
        12,
    ),
    "SARC": DemoAgency(
        ("PPFFP", "NPPFPN", "PFFPPF", "NPFPFP", "FFPPF"),
        "crisis workers and forensic practitioners",
        "client records",
        "Service Manager, SARC",
        20,
    ),
    "POLICE": DemoAgency(
        ("PPPFN", "NNPFFP", "FPPFPF", "NPNPPN", "PPPPF"),
        "officers and staff",
        "crime and intelligence records",
        "Detective Inspector, Public Protection Unit, Police",
        10,
    ),
    "VCS": DemoAgency(
        ("PPNPF", "FPNPPN", "NPPNPN", "PNPPFN", "PNNPP"),
        "youth workers and volunteers",
        "case notes",
        "Safeguarding Lead, Voluntary Sector forum",
        15,
    ),
    "YDASW": DemoAgency(
        ("PFPFF", "PFPPNN", "PPPFPP", "PPPFFN", "FPPPP"),
        "support workers",
        "client records",
        "Operations Manager, Young Devon/Adopt South West",
        13,
    ),
    "AFC": DemoAgency(
        ("FPPPP", "FFFPFP", "PPPPPN", "PNPFPN", "PFPPN"),
        "family support workers and health visitors",
        "family records",
        "Service Manager, Action for Children 0 – 19 partnership",
        8,
    ),
}

# For each statement (area position, statement position): what shows it is in place, and what is still missing.
# "{staff}" and "{records}" take the agency's words.
EVIDENCE: dict[tuple[int, int], tuple[str, str]] = {
    (1, 1): (
        "Our safeguarding policy adopted the partnership’s HSB practice guidance in March 2021, with its continuum "
        "of sexual behaviours, and {staff} were briefed on it in team meetings.",
        "not every team has been briefed on the guidance yet; the remaining briefings are planned for September.",
    ),
    (1, 2): (
        "Our procedures include a one-page flowchart from advice to specialist referral; {staff} used it in 9 of "
        "the 10 cases we sampled.",
        "{staff} told us in supervision that they are unsure where early help ends and a statutory response begins.",
    ),
    (1, 3): (
        "Our policy says in terms that a child displaying HSB is a child first; the plans we sampled covered the "
        "child’s own needs as well as the risk.",
        "plans we sampled were mostly about managing risk, with little about the child’s own needs.",
    ),
    (1, 4): (
        "Strategy discussion minutes we sampled name a plan for each child involved, including children who saw it.",
        "plans for the children harmed are made elsewhere and we rarely see them.",
    ),
    (1, 5): (
        "Young people’s feedback after our group work changed the session times and materials (summary, May 2021).",
        "we have no way yet of hearing from children and families about how we responded.",
    ),
    (2, 1): (
        "Sessions on healthy relationships, consent and online safety are part of our universal offer; 420 young "
        "people attended in 2020/21.",
        "sessions were paused during the pandemic and have only restarted in some settings.",
    ),
    (2, 2): (
        "A parents’ leaflet on healthy sexual development is given out at first contact and is on our web pages.",
        "we have no information for parents and carers of our own, and rely on the partnership’s web page.",
    ),
    (2, 3): (
        "{staff} are trained in the Brook Traffic Light Tool; our records audit found it used where it should be.",
        "access to the Brook Traffic Light Tool is inconsistent: some {staff} have never been trained in it.",
    ),
    (2, 4): (
        "A records audit (June 2021) found concerns described in plain words in {records}, and shared with partners "
        "within a day.",
        "{records} often use vague words such as “inappropriate behaviour”, and sharing with partners is not always "
        "recorded.",
    ),
    (2, 5): (
        "Early help assessments for concerns about sexual behaviour started within 10 working days in 2020/21.",
        "there is no early help route for concerns below the threshold for a statutory response.",
    ),
    (2, 6): (
        "Our quarterly report counts HSB concerns by age, gender, ethnicity and disability; it informed the 2021 "
        "service plan.",
        "{records} cannot yet be searched for concerns about sexual behaviour, so we cannot count them.",
    ),
    (3, 1): (
        "The referral pathway is on the intranet’s front page and in the induction pack; {staff} found it in a spot "
        "check.",
        "the pathway is published but {staff} asked in our survey could not say where to find it.",
    ),
    (3, 2): (
        "Four practitioners are trained in the AIM3 assessment model and carry out every HSB assessment.",
        "only one practitioner is trained in a recognised assessment model, so assessments wait for them.",
    ),
    (3, 3): (
        "The assessments we sampled covered family, peers, school, community and online life, and the child’s own "
        "experience of abuse.",
        "the assessments we sampled rarely considered the child’s online life or peer group.",
    ),
    (3, 4): (
        "We attended every strategy discussion about HSB we were invited to in 2020/21, and the minutes name a plan "
        "for every child.",
        "we are not always invited to strategy discussions about children we know.",
    ),
    (3, 5): (
        "Safety plans are agreed with the child, family and school and reviewed at each change (sample of 8 plans).",
        "safety plans are agreed but seldom reviewed when a child changes school or placement.",
    ),
    (3, 6): (
        "Referrers receive the outcome of every referral within 5 working days; we check this monthly.",
        "referrers are not told the outcome of their referrals as a rule.",
    ),
    (4, 1): (
        "We offer brief focused work and, with a commissioned service, specialist therapeutic work; the wait is "
        "under 6 weeks.",
        "there is no specialist therapeutic help locally, and the nearest service has a long waiting list.",
    ),
    (4, 2): (
        "Practitioners who deliver interventions have specialist training and monthly clinical supervision.",
        "practitioners deliver interventions without specialist supervision.",
    ),
    (4, 3): (
        "We use adapted materials for younger children and for children with learning difficulties, and bring in "
        "speech and language support.",
        "we have no adapted materials for children with learning difficulties or communication needs.",
    ),
    (4, 4): (
        "Parents and carers join sessions and help write their child’s safety plan.",
        "parents and carers are rarely involved in the work beyond being told about it.",
    ),
    (4, 5): (
        "Children harmed are referred for recovery support; 11 of 12 took it up in 2020/21.",
        "support for the children harmed depends on a referral elsewhere, which is not always made.",
    ),
    (4, 6): (
        "Closing summaries record outcomes, and transition plans for young people aged 17 are agreed before work ends.",
        "outcomes are not measured, and transition to adult services is not planned before work ends.",
    ),
    (5, 1): (
        "Our training plan sets HSB training by role; 86% of {staff} have completed their level.",
        "HSB training is not yet part of our training plan, and uptake depends on the team.",
    ),
    (5, 2): (
        "Supervision policy asks for HSB cases to be discussed monthly; group reflective sessions run each quarter.",
        "supervision rarely gives time to reflect on HSB cases or on how the work affects {staff}.",
    ),
    (5, 3): (
        "A staff survey (April 2021) measured confidence in responding to HSB; its action plan is under way.",
        "we do not know how confident {staff} feel about responding to HSB.",
    ),
    (5, 4): (
        "Training on online harm, including image sharing, was given to all {staff} in 2020/21.",
        "{staff} have had no training on harmful sexual behaviour online.",
    ),
    (5, 5): (
        "The briefing on the 2019 thematic review was shared with all teams, and our records audit shows changed "
        "practice.",
        "learning from the 2019 thematic review has not reached all {staff}.",
    ),
}
FALLBACK = (
    "Our policy and a sample of {records} show this in place.",
    "a sample of {records} shows this is not yet consistent.",
)


def _other_agency(name: str, index: int) -> DemoAgency:
    """An agency the demo does not know (the demo audit's 6b changed): a profile of the others, in plain words."""
    profile = list(AGENCIES.values())[index % len(AGENCIES)].profile
    return DemoAgency(profile, "practitioners", "records", f"Safeguarding lead, {name}", 17)


def evidence_text(area: int, statement: int, rating: Rating, agency: DemoAgency) -> str:
    """The evidence an agency gave for a statement, worded for its rating."""
    in_place, missing = EVIDENCE.get((area, statement), FALLBACK)
    if rating == Rating.FULLY:
        text = in_place
    elif rating == Rating.PARTLY:
        text = f"{in_place} However, {missing}"
    else:
        text = f"Not in place: {missing}"
    words = text.format(staff=agency.staff, records=agency.records)
    return words[0].upper() + words[1:]


def rating_for(profile: tuple[str, ...], area: int, statement: int) -> Rating:
    """The rating a profile gives a statement (the letters repeat if the framework has grown since)."""
    letters = profile[(area - 1) % len(profile)]
    return LETTERS[letters[(statement - 1) % len(letters)]]


@transaction.atomic
def load_self_assessment_demo(audit: Audit) -> list[SelfAssessment]:
    """A submitted self-assessment for every agency of the audit's section 6b, created once: loading it again
    changes nothing (an agency that already has one keeps it)."""
    framework_copy(audit)
    framework = framework_of(audit)
    assert framework is not None
    areas = list(framework.areas.all())
    yot_lead = User.objects.filter(email=YOT_LEAD_EMAIL).first()
    made = []
    for agency in wider_agencies(audit):
        existing = SelfAssessment.objects.filter(audit=audit, agency=agency).first()
        if existing is not None:
            made.append(existing)
            continue
        demo = AGENCIES.get(agency.short_code) or _other_agency(agency.name, len(made))
        day = datetime.datetime(2021, 9, demo.day, 15, 30, tzinfo=datetime.UTC)
        signer = yot_lead if agency.short_code == "YOT" and yot_lead is not None else None
        assessment = SelfAssessment.objects.create(
            audit=audit,
            agency=agency,
            state=State.SUBMITTED,
            started_at=day - datetime.timedelta(days=12),
            started_by=signer,
            updated_at=day,
            submitted_at=day,
            submitted_by=signer,
            submitted_by_name=signer.full_name if signer else demo.signed_off_by,
        )
        answers = []
        for area in areas:
            for statement in area.statements.all():
                rating = rating_for(demo.profile, area.position, statement.position)
                evidence = evidence_text(area.position, statement.position, rating, demo)
                answers.append(
                    Answer(
                        self_assessment=assessment,
                        statement=statement,
                        rating=rating,
                        evidence=evidence,
                        updated_at=day,
                        updated_by=signer,
                    )
                )
        Answer.objects.bulk_create(answers)
        made.append(assessment)
    return made
