"""Transition to adult services: the included children who were 17 or older at some point of the audit's scope (their
age on its last day), and whether a transition plan was recorded for them.

Each agency's answer to the audit's transition question (`indicators.TRANSITION`) is sorted into planned, not
planned, not applicable or not known. A child has a plan recorded when at least one agency recorded one; no plan
when an agency said there was none and none recorded one; otherwise it is not known. An audit without such a
question lists the children, and says that it asks no question about transition."""

from dataclasses import dataclass

from maca.audits.models import Question
from maca.cases.codes import YesNoNotKnown
from maca.cases.criteria import age_on

from .data import AnalysisData
from .indicators import TRANSITION, find_question
from .words import blank

PLANNED = "planned"
NOT_PLANNED = "not_planned"
NOT_APPLICABLE = "not_applicable"
NOT_KNOWN = "not_known"
CASE_STATES = {
    PLANNED: "Transition plan recorded",
    NOT_PLANNED: "No transition plan recorded",
    NOT_KNOWN: "Not known",
}


def classify(value: object) -> str:
    """planned, not_planned, not_applicable or not_known."""
    if blank(value) or not isinstance(value, str):
        return NOT_KNOWN
    if value in TRANSITION.planned:
        return PLANNED
    if value in TRANSITION.not_planned:
        return NOT_PLANNED
    if value in TRANSITION.not_applicable:
        return NOT_APPLICABLE
    return NOT_KNOWN


@dataclass(frozen=True)
class TransitionAnswer:
    agency: str
    code: str
    answer: str  # as people read it
    state: str


@dataclass(frozen=True)
class TransitionCase:
    reference: str
    age_at_scope_end: int
    age_at_audit: int
    answers: tuple[TransitionAnswer, ...]

    @property
    def state(self) -> str:
        states = {answer.state for answer in self.answers}
        if PLANNED in states:
            return PLANNED
        if NOT_PLANNED in states:
            return NOT_PLANNED
        return NOT_KNOWN

    @property
    def state_text(self) -> str:
        return CASE_STATES[self.state]


@dataclass(frozen=True)
class Transition:
    age: int
    question: Question | None
    cases: tuple[TransitionCase, ...]

    @property
    def planned(self) -> int:
        return sum(1 for case in self.cases if case.state == PLANNED)


def _labels(question: Question | None) -> dict[str, str]:
    if question is None:
        return {}
    if question.answer_type == "yes_no":
        return {str(value): str(label) for value, label in YesNoNotKnown.choices}
    return {choice["value"]: choice["label"] for choice in question.choices}


def transition(data: AnalysisData) -> Transition:
    question = find_question(data.questions, TRANSITION.keys)
    labels = _labels(question)
    cases = []
    for case in data.included:
        age = age_on(case.birth_month, data.scope_end)
        if age < TRANSITION.age:
            continue
        answers = []
        if question is not None:
            for agency_return in data.returns_by_case.get(case.pk, []):
                value = agency_return.answers.get(question.key)
                text = "Not answered" if blank(value) else labels.get(str(value), str(value))
                answers.append(
                    TransitionAnswer(agency_return.agency.name, agency_return.agency.short_code, text, classify(value))
                )
        cases.append(TransitionCase(case.reference, age, age_on(case.birth_month, data.day), tuple(answers)))
    return Transition(TRANSITION.age, question, tuple(cases))
