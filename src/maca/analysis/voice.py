"""The child's voice: in how many returns it was recorded, per agency.

Every return has the narrative "the child's voice" under each theme: a return that wrote it under at least one
theme counts as having a narrative. Where the audit asks how the voice is recorded (`indicators.VOICE`), that answer
decides whether the voice was recorded, and whether in the child's own words; otherwise the narrative decides.
"""

from collections import Counter
from dataclasses import dataclass

from maca.audits.models import Question
from maca.cases.codes import YesNoNotKnown
from maca.returns.models import AgencyReturn

from .data import AnalysisData
from .indicators import VOICE, find_question
from .words import blank


@dataclass(frozen=True)
class VoiceRow:
    """One agency (or all): of its `returns`, how many wrote the narrative, recorded the voice, in own words;
    `answers` counts each answer to the audit's voice question."""

    code: str
    name: str
    returns: int
    narrative: int
    recorded: int
    own_words: int
    answers: tuple[int, ...]


@dataclass(frozen=True)
class Voice:
    """`question`: the audit's question on how the voice is recorded (None: the narrative decides); `choices`: its
    answers, as (value, label), with "" for unanswered last."""

    question: Question | None
    choices: tuple[tuple[str, str], ...]
    rows: tuple[VoiceRow, ...]
    total: VoiceRow


def _has_narrative(agency_return: AgencyReturn) -> bool:
    return any(not blank((judgement or {}).get("child_voice")) for judgement in agency_return.judgements.values())


def _choices(question: Question | None) -> tuple[tuple[str, str], ...]:
    if question is None:
        return ()
    if question.answer_type == "yes_no":
        listed = [(str(value), str(label)) for value, label in YesNoNotKnown.choices]
    else:
        listed = [(choice["value"], choice["label"]) for choice in question.choices]
    return (*listed, ("", "Not answered"))


def _row(code: str, name: str, returns: list[AgencyReturn], question: Question | None, choices: list[str]) -> VoiceRow:
    narrative = sum(1 for r in returns if _has_narrative(r))
    if question is None:
        return VoiceRow(code, name, len(returns), narrative, narrative, 0, ())
    answers = Counter("" if blank(r.answers.get(question.key)) else str(r.answers[question.key]) for r in returns)
    recorded = sum(count for value, count in answers.items() if value and value not in VOICE.not_recorded)
    own_words = sum(count for value, count in answers.items() if value in VOICE.own_words)
    counted = tuple(answers.get(value, 0) for value in choices)
    return VoiceRow(code, name, len(returns), narrative, recorded, own_words, counted)


def voice(data: AnalysisData) -> Voice:
    question = find_question(data.questions, VOICE.keys)
    choices = _choices(question)
    values = [value for value, _label in choices]
    by_agency: dict[int, list[AgencyReturn]] = {agency.pk: [] for agency in data.agencies}
    for agency_return in data.returns:
        by_agency[agency_return.agency_id].append(agency_return)
    rows = tuple(_row(a.short_code, a.name, by_agency[a.pk], question, values) for a in data.agencies)
    return Voice(question, choices, rows, _row("", "All agencies", data.returns, question, values))
