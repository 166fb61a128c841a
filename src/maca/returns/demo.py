"""The demo returns: every agency involved with an included demo case has a submitted, accepted return.

The answers are invented, written to agree with the seed briefing's findings: good relationships with the young
people and tenacity in keeping contact through the pandemic; language for harmful sexual behaviour used
inconsistently; the Brook tool not available to every agency; the GP not told when a plan ended; no direct words
from the young people. No figure is written here: the analysis computes them from these answers.
"""

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from maca.accounts.models import User
from maca.audits.models import Audit, Question
from maca.cases.criteria import age_on, audit_date
from maca.cases.models import Case, Decision
from maca.partnerships.models import Membership, Role

from .models import AgencyReturn, ReturnEvent, ReturnStatus
from .services import sync_case_returns

# Agencies that had the Brook Sexual Behaviours Traffic Light Tool; the others had no access to it.
HAD_THE_TOOL = {"YOT", "EDU", "SCH"}
LANGUAGE = ["named_hsb", "described_not_named", "minimised", "adult_terms"]
CONTINUUM = ["problematic", "abusive"]
SUBMITTED_AT = datetime.datetime(2021, 9, 6, 15, 0)
ACCEPTED_AT = datetime.datetime(2021, 9, 10, 11, 0)
MODERATION_OPENED_AT = datetime.datetime(2021, 9, 13, 9, 0)


def _answer(question: Question, case: Case, code: str, turn: int, older: bool) -> Any:
    """The invented answer of agency `code` to one question for one case (`turn` varies the answers)."""
    key = question.key
    tool = code in HAD_THE_TOOL
    specific: dict[str, Any] = {
        "behaviour_language": LANGUAGE[turn % len(LANGUAGE)],
        "behaviour_differentiated": "yes" if turn % 3 == 0 else "no",
        "incidents_recorded": 1 + turn % 3,
        "earlier_response": ["early_help", "referred", "single_agency"][turn % 3],
        "adverse_experiences": "yes",
        "parents_supported": "no" if turn % 2 else "yes",
        "first_concern_date": case.concern_date.isoformat(),
        "tool_access": "used" if tool else "no_access",
        "assessment_holistic": "holistic" if tool else "partly",
        "referral_pathway": "timely" if turn % 4 else "unsure_of_pathway",
        "voice_of_child": "His views were summarised by the practitioner; his own words are not recorded.",
        "voice_recorded": "practitioner_summary" if turn % 2 else "not_recorded",
        "intervention_tailored": "fully" if tool else "partly",
        "vulnerabilities_addressed": "Self-esteem work and support with the effects of adverse childhood experiences.",
        "voice_influenced_plan": "no",
        "difference_made": "some_improvement" if turn % 3 else "clear_improvement",
        "transition_planning": ("planned_late" if turn % 2 else "below_threshold") if older else "not_applicable",
        "information_shared": "timely" if turn % 3 else "delayed",
        "agency_told_plan_ended": "yes",
        "gp_told_plan_ended": "no",
    }
    if key in specific:
        return specific[key]
    if question.answer_type == "yes_no":
        return "yes"
    if question.answer_type == "choice":
        return question.choices[0]["value"]
    return ""


def _judgement(theme_name: str, code: str, turn: int, pandemic: bool) -> dict[str, str]:
    tool = code in HAD_THE_TOOL
    grade = "Good"
    worried = ""
    if theme_name == "Responses" and turn % 2:
        grade, worried = "Requires improvement", "The behaviour was described in different words by each worker."
    if theme_name == "Assessment and referral pathways" and not tool:
        grade, worried = "Requires improvement", "No recognised tool was available to assess the sexual behaviour."
    went_well = "A trusted, consistent relationship between the young person and his worker."
    if pandemic:
        went_well += " Contact was kept up through lockdown by doorstep and video visits."
    return {
        "grade": grade,
        "went_well": went_well,
        "worried": worried,
        "child_voice": "Not recorded in his own words.",
        "difference": "He engaged with the work offered." if turn % 2 else "",
    }


def _sharing(code: str, case: Case, turn: int) -> dict[str, dict[str, str]]:
    ended = turn % 2 == 0
    told_on = min(case.concern_date + datetime.timedelta(days=90), case.audit.scope_end or case.concern_date)
    plan_ended: dict[str, str] = {"happened": "yes" if ended else "no"}
    if ended:
        plan_ended["told"] = "no" if code == "HEALTH" else "yes"
        if code != "HEALTH":
            plan_ended |= {"told_on": told_on.isoformat(), "told_by": "The child’s social worker"}
    return {
        "plan_ended": plan_ended,
        "plan_started": {"happened": "no"},
        "strategy_discussion": {"happened": "yes", "told": "yes"} if turn % 3 == 0 else {"happened": "no"},
    }


def _person(code: str, role: Role) -> User | None:
    membership = Membership.objects.filter(agency__short_code=code, role=role).select_related("user").first()
    return membership.user if membership else None


@transaction.atomic
def load_return_demo(audit: Audit) -> list[AgencyReturn]:
    """The demo returns, created once: accepted, with moderation open as at the audit."""
    if AgencyReturn.objects.filter(audit=audit).exclude(status=ReturnStatus.NOT_STARTED).exists():
        return list(AgencyReturn.objects.filter(audit=audit))
    day = audit_date(audit)
    themes = list(audit.themes.prefetch_related("questions"))
    per_agency = [f for f in audit.case_fields.all() if f.per_agency]
    cases = list(Case.objects.filter(audit=audit, decision=Decision.INCLUDED).order_by("reference"))
    made = []
    for index, case in enumerate(cases):
        sync_case_returns(case)
        # Transition to adult services is asked about the children who were 17 or older during the scope.
        older = age_on(case.birth_month, audit.scope_end or day) >= 17
        pandemic = case.concern_date >= datetime.date(2020, 3, 1) or index % 2 == 1
        for agency_return in case.returns.select_related("agency"):
            code = agency_return.agency.short_code
            turn = index + len(code)
            agency_return.answers = {
                q.key: _answer(q, case, code, turn, older) for theme in themes for q in theme.questions.all()
            }
            agency_return.judgements = {str(t.pk): _judgement(t.name, code, turn, pandemic) for t in themes}
            agency_return.sharing = _sharing(code, case, turn)
            values: dict[str, Any] = {}
            for case_field in per_agency:
                if case_field.key == "continuum":
                    values["continuum"] = CONTINUUM[(index + (code == "POLICE")) % 2]
                elif case_field.key == "assessment_tools":
                    values["assessment_tools"] = ["brook_traffic_light"] if code in HAD_THE_TOOL else ["none"]
                elif case_field.field_type == "multi_choice":
                    values[case_field.key] = [case_field.choices[0]["value"]]
                elif case_field.choices:
                    values[case_field.key] = case_field.choices[0]["value"]
            agency_return.topic_values = values
            author = _person(code, Role.AUDITOR) or _person(code, Role.AGENCY_LEAD)
            lead = _person(code, Role.AGENCY_LEAD)
            agency_return.status = ReturnStatus.ACCEPTED
            agency_return.assigned_to = author
            agency_return.started_at = timezone.make_aware(SUBMITTED_AT - datetime.timedelta(days=14))
            agency_return.submitted_at, agency_return.submitted_by = timezone.make_aware(SUBMITTED_AT), author
            agency_return.decided_at, agency_return.decided_by = timezone.make_aware(ACCEPTED_AT), lead
            agency_return.save()
            ReturnEvent.objects.bulk_create(
                [
                    ReturnEvent(
                        agency_return=agency_return,
                        at=agency_return.submitted_at,
                        actor=author,
                        action=ReturnEvent.Action.SUBMITTED,
                    ),
                    ReturnEvent(
                        agency_return=agency_return,
                        at=agency_return.decided_at,
                        actor=lead,
                        action=ReturnEvent.Action.ACCEPTED,
                    ),
                ]
            )
            made.append(agency_return)
    audit.moderation_opened_at = timezone.make_aware(MODERATION_OPENED_AT)
    audit.save(update_fields=["moderation_opened_at"])
    return made
