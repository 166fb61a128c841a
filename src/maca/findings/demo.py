"""The demo moderation: the seed learning briefing's findings, word for word under its five headings, each linked to
the demo returns and their narrative answers, and many to the analysis's figures (those it computes); two grades the
panel moderated; recommendations to the demo audit's governance groups; signed off by the demo audit lead as
version 1.

The findings' words are the seed briefing's own. The seed does not give its hyperlinks' addresses: the demo links
"here and here" to invented training pages on example.org. The headings keep the briefing's capitalisation, as the
demo partnership writes them, which shows a partnership changing the default set. The recommendations, reasons and
dates are invented. Everything is written through the services, as the panel would at its meeting, so the evidence is
checked and snapshotted the same way.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from maca.accounts.models import User
from maca.analysis.figures import figures
from maca.audits.models import Audit, Theme
from maca.partnerships.models import GovernanceGroup
from maca.returns.models import AgencyReturn

from . import services
from .models import BriefingHeading, Finding, FindingsVersion, ModeratedGrade, Moderation

COORDINATOR_EMAIL = "coordinator@demo.maca.invalid"
LEAD_EMAIL = "audit.lead@demo.maca.invalid"
PANEL_EMAIL = "panel.member@demo.maca.invalid"
# The panel met on the day of the audit; the audit lead signed the findings off two weeks later.
SIGNED_OFF_AT = datetime.datetime(2021, 10, 4, 10, 0)

# Evidence, by what identifies it in any copy of the demo: a return as (case, agency code); a narrative answer as
# (case, agency code, theme name, kind); a figure by its key.
Ret = tuple[str, str]
Answer = tuple[str, str, str, str]
RESPONSES, ASSESSMENT, INTERVENTION, PREVENTION = (
    "Responses",
    "Assessment and referral pathways",
    "Approach to intervention",
    "Prevention",
)

# (heading, finding, returns, answers), in the briefing's order.
FINDINGS: list[tuple[str, str, list[Ret], list[Answer]]] = [
    (
        "What are we worried about?",
        "There was a concern about professionals' ability to identify and use appropriate language for addressing "
        "harmful sexual behaviour versus normal developmentally appropriate behaviour, or behaviour in response to "
        "child sexual abuse. There was a concern about the thresholds of services available to young people when "
        "transitioning into adult services.",
        [("HSB-01", "CSC"), ("HSB-03", "HEALTH")],
        [("HSB-01", "CSC", RESPONSES, "worried"), ("HSB-02", "HEALTH", RESPONSES, "worried")],
    ),
    (
        "What can I do differently?",
        "Take up the CPD offers on iLearn available [here](https://www.example.org/ilearn/harmful-sexual-behaviour) "
        "and [here](https://www.example.org/ilearn/brook-traffic-light-tool)",
        [],
        [("HSB-03", "YOT", RESPONSES, "worried")],
    ),
    (
        "What can I do differently?",
        "Commence transition planning at the earliest stage, what pathways are available to keep this young person "
        "safe",
        [("HSB-01", "YOT"), ("HSB-03", "POLICE")],
        [],
    ),
    (
        "What can I do differently?",
        "Make use of the safeguarding leads in your organisation if you are unsure",
        [],
        [("HSB-05", "YOT", RESPONSES, "worried")],
    ),
    (
        "What can I do differently?",
        "Ask curious questions and use the assessment tools available",
        [],
        [("HSB-05", "CSC", ASSESSMENT, "worried")],
    ),
    (
        "What is life like for our young people?",
        "We don't know what our young people have to say about their experiences of harmful sexual behaviour",
        [],
        [("HSB-02", "CSC", RESPONSES, "child_voice"), ("HSB-04", "EDU", RESPONSES, "child_voice")],
    ),
    (
        "What is life like for our young people?",
        "We don't know how well young people are recovering from their experiences",
        [],
        [("HSB-01", "CSC", INTERVENTION, "difference"), ("HSB-03", "HEALTH", INTERVENTION, "child_voice")],
    ),
    (
        "What is life like for our young people?",
        "Practitioners should use tools and training available and ask key questions to support appropriate "
        "interventions",
        [],
        [("HSB-03", "HEALTH", ASSESSMENT, "worried")],
    ),
    (
        "What Good Practice did we see?",
        "Evidence of professionals having good quality relationships with the young people they work with",
        [],
        [("HSB-01", "YOT", INTERVENTION, "went_well"), ("HSB-02", "EDU", INTERVENTION, "went_well")],
    ),
    (
        "What Good Practice did we see?",
        "Effective working relationships between key partners keeping the young person at the centre of their work",
        [("HSB-04", "EDU"), ("HSB-04", "SCH")],
        [],
    ),
    (
        "What Good Practice did we see?",
        "Emerging good practice of information sharing across the Partnership",
        [("HSB-02", "CSC"), ("HSB-06", "EDU")],
        [],
    ),
    (
        "What Good Practice did we see?",
        "The tenacity and creativity of professionals in maintaining contact with young people through the challenges "
        "of a changing environment",
        [],
        [("HSB-02", "CSC", INTERVENTION, "went_well"), ("HSB-06", "SCH", INTERVENTION, "went_well")],
    ),
    (
        "Themes for Learning",
        "We need to value confidential consistent spaces to enable us to work effectively with our young people",
        [],
        [("HSB-04", "SCH", INTERVENTION, "went_well")],
    ),
    (
        "Themes for Learning",
        "Age and ability appropriate relationship and sex education supports prevention and recovery from harmful "
        "sexual behaviour. Knowledge and skills are fundamental to professional practice across all sectors",
        [("HSB-02", "SCH")],
        [("HSB-02", "SCH", PREVENTION, "went_well")],
    ),
    (
        "Themes for Learning",
        "Encourage parents and foster carers to have discussions with their children and young people about sex and "
        "relationships to normalise and understand healthy sexual development",
        [("HSB-01", "CSC")],
        [],
    ),
    (
        "Themes for Learning",
        "The inconsistency in access to the Brook Assessment Tool is creating professional anxiety in identifying "
        "harmful sexual behaviour",
        [("HSB-02", "EDU"), ("HSB-01", "HEALTH")],
        [("HSB-01", "POLICE", ASSESSMENT, "worried")],
    ),
    (
        "Themes for Learning",
        "GP's were not receiving notification when children were removed or stepped down from CPP/CIN plans",
        [("HSB-01", "HEALTH"), ("HSB-03", "HEALTH"), ("HSB-05", "HEALTH")],
        [],
    ),
]

# The figures each finding cites, by its number in the briefing. A figure the analysis does not compute is left out,
# so that the demo loads whatever set of figures the analysis has (its keys are stable; the set grows).
FIGURES: dict[int, list[str]] = {
    1: ["agreement.continuum.alpha", "transition.older", "transition.plan_recorded"],
    2: ["grades.theme1.requires_improvement"],
    3: ["transition.older", "transition.plan_recorded"],
    5: ["grades.theme3.requires_improvement"],
    6: ["funnel.included", "voice.recorded", "voice.own_words"],
    7: ["cohort.size", "voice.own_words"],
    8: ["grades.theme3.requires_improvement"],
    9: ["grades.theme4.good"],
    10: ["grades.all.good"],
    11: ["sharing.strategy_discussion.not_told"],
    14: ["grades.theme2.good"],
    16: ["grades.theme3.requires_improvement"],
    17: ["sharing.plan_ended.not_told", "sharing.plan_ended.not_told.HEALTH"],
}

HEADINGS = [
    "What are we worried about?",
    "What can I do differently?",
    "What is life like for our young people?",
    "What Good Practice did we see?",
    "Themes for Learning",
]

# (case, agency code, theme name, the panel's grade, the reason)
GRADES: list[tuple[str, str, str, str, str]] = [
    (
        "HSB-02",
        "EDU",
        RESPONSES,
        "Requires improvement",
        "The return records that the behaviour was not told apart from developmentally expected behaviour, and "
        "names no shared language for it: the panel agreed the response requires improvement.",
    ),
    (
        "HSB-01",
        "HEALTH",
        ASSESSMENT,
        "Inadequate",
        "No tool was available to assess the behaviour and the GP was not told when the plan ended, so the "
        "assessment rested on incomplete information.",
    ),
]

# (governance group, recommendation, the numbers of the findings that support it)
RECOMMENDATIONS: list[tuple[str, str, list[int]]] = [
    (
        "Business Group",
        "Make the Brook Sexual Behaviours Traffic Light Tool, and training in using it, available to every agency of "
        "the partnership.",
        [5, 8, 16],
    ),
    (
        "Business Group",
        "Agree how GPs are told when a child’s child protection or child in need plan ends or steps down, and check "
        "it in the dip sample.",
        [11, 17],
    ),
    (
        "Domestic Abuse and Sexual Violence Executive Group",
        "Agree with adult services a pathway for young people with harmful sexual behaviour who are moving to adult "
        "services, with planning started early.",
        [1, 3],
    ),
    (
        "Domestic Abuse and Sexual Violence Executive Group",
        "Find ways for practitioners to hear and record young people’s own words about their experiences of harmful "
        "sexual behaviour and their recovery.",
        [6, 7],
    ),
]


def _return(audit: Audit, case: str, code: str) -> AgencyReturn:
    return AgencyReturn.objects.select_related("case", "agency", "audit__partnership").get(
        audit=audit, case__reference=case, agency__short_code=code
    )


def _theme(audit: Audit, name: str) -> Theme:
    return Theme.objects.get(audit=audit, name=name)


@transaction.atomic
def load_findings_demo(audit: Audit) -> FindingsVersion | None:
    """The demo moderation, made once and signed off as version 1, which is returned. Loading again changes nothing,
    and nothing is loaded over moderation someone has started by hand (None is then returned unless they have
    signed off). Needs the demo returns (`maca.returns.demo.load_return_demo`), which open moderation."""
    started = Finding.objects.filter(audit=audit).exists() or ModeratedGrade.objects.filter(audit=audit).exists()
    if started or FindingsVersion.objects.filter(audit=audit).exists():
        return FindingsVersion.objects.filter(audit=audit).order_by("number").first()
    coordinator = User.objects.get(email=COORDINATOR_EMAIL)
    lead = User.objects.get(email=LEAD_EMAIL)
    panel = User.objects.get(email=PANEL_EMAIL)
    moderation = services.moderation_for(audit)
    current = list(BriefingHeading.objects.filter(audit=audit).order_by("position"))
    services.headings_update(
        actor=coordinator,
        audit=audit,
        loaded_version=moderation.version,
        headings=[
            services.HeadingData(text, current[index].pk if index < len(current) else None)
            for index, text in enumerate(HEADINGS)
        ],
    )
    for case, code, theme_name, grade, reason in GRADES:
        agency_return = _return(audit, case, code)
        services.grade_moderate(
            actor=panel,
            agency_return=agency_return,
            theme_id=_theme(audit, theme_name).pk,
            grade=grade,
            reason=reason,
            loaded_version=0,
        )
    headings = {heading.text: heading for heading in BriefingHeading.objects.filter(audit=audit)}
    computed = figures(audit)
    known = {figure.key for figure in computed}
    made: list[Finding] = []
    for number, (heading, wording, returns, answers) in enumerate(FINDINGS, start=1):
        finding = services.finding_add(actor=lead, audit=audit, heading=headings[heading], text=wording)
        if returns:
            services.evidence_set_returns(
                actor=lead,
                finding=finding,
                loaded_version=finding.version,
                returns=[_return(audit, case, code) for case, code in returns],
            )
        by_return: dict[Ret, list[tuple[int, str]]] = {}
        for case, code, theme_name, kind in answers:
            by_return.setdefault((case, code), []).append((_theme(audit, theme_name).pk, kind))
        for (case, code), pairs in by_return.items():
            services.evidence_set_answers(
                actor=lead,
                finding=finding,
                loaded_version=finding.version,
                agency_return=_return(audit, case, code),
                answers=pairs,
            )
        keys = [key for key in FIGURES.get(number, []) if key in known]
        if keys:
            services.evidence_set_figures(
                actor=lead, finding=finding, loaded_version=finding.version, keys=keys, computed=computed
            )
        made.append(finding)
    groups = {group.name: group for group in GovernanceGroup.objects.filter(audits=audit)}
    for group, wording, numbers in RECOMMENDATIONS:
        services.recommendation_add(
            actor=lead,
            audit=audit,
            text=wording,
            governance_group=groups[group],
            findings=[made[number - 1] for number in numbers],
        )
    revision = Moderation.objects.values_list("revision", flat=True).get(audit=audit)
    version = services.findings_sign_off(actor=lead, audit=audit, loaded_revision=revision)
    signed_off_at = timezone.make_aware(SIGNED_OFF_AT)
    if timezone.now() > signed_off_at:
        version.signed_off_at = signed_off_at
        version.save(update_fields=["signed_off_at"])
    return version
