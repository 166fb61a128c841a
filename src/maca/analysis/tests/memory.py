"""Analysis data built in memory, without the database, for the tests of the pure computations.

Unsaved model instances with their ids set: the computations never query, so none is needed. Every child and every
answer here is invented.
"""

import datetime
from typing import Any

from maca.analysis.data import AnalysisData
from maca.audits.models import Audit, CaseField, Question, Theme
from maca.cases.codes import Gender, SpecialNeeds, YesNoNotKnown
from maca.cases.models import Case, Decision
from maca.partnerships.models import Agency
from maca.returns.models import AgencyReturn, ReturnStatus

AUDIT_DAY = datetime.date(2021, 9, 20)
SCOPE_END = datetime.date(2020, 7, 30)
CONTINUUM = ["normal", "inappropriate", "problematic", "abusive", "violent"]


def agency(pk: int, code: str, name: str | None = None) -> Agency:
    return Agency(pk=pk, short_code=code, name=name or f"Agency {code}")


def case(pk: int, reference: str, **changes: Any) -> Case:
    values: dict[str, Any] = {
        "birth_month": datetime.date(2008, 1, 1),
        "gender": Gender.MALE,
        "ethnicity": "WBRI",
        "send": SpecialNeeds.NONE,
        "disability": YesNoNotKnown.NO,
        "aces": YesNoNotKnown.YES,
        "concern_date": datetime.date(2019, 6, 1),
        "topic_values": {},
        "decision": Decision.INCLUDED,
        **changes,
    }
    found = Case(pk=pk, reference=reference, **values)
    found.nominated_by = values.get("nominated_by") or agency(900, "NOM", "Nominating agency")
    return found


def theme(pk: int, position: int, name: str) -> Theme:
    return Theme(pk=pk, position=position, name=name)


def question(key: str, answer_type: str = "yes_no", *, choices: list[str] | None = None, **changes: Any) -> Question:
    listed = [{"value": value, "label": value.replace("_", " ").capitalize()} for value in choices or []]
    return Question(key=key, text=f"Question {key}?", answer_type=answer_type, choices=listed, **changes)


def continuum_field(**changes: Any) -> CaseField:
    values: dict[str, Any] = {
        "key": "continuum",
        "label": "Where the behaviour sits on the continuum",
        "field_type": "choice",
        "choices": [{"value": value, "label": f"{value.capitalize()} – a description"} for value in CONTINUUM],
        "ordinal": True,
        "per_agency": True,
        **changes,
    }
    return CaseField(**values)


def agency_return(found_case: Case, found_agency: Agency, **changes: Any) -> AgencyReturn:
    values: dict[str, Any] = {
        "status": ReturnStatus.ACCEPTED,
        "answers": {},
        "judgements": {},
        "sharing": {},
        "topic_values": {},
        **changes,
    }
    made = AgencyReturn(case=found_case, agency=found_agency, **values)
    made.pk = found_case.pk * 1000 + (found_agency.pk or 0)
    return made


def data(
    *,
    cases: list[Case],
    returns: list[AgencyReturn] | None = None,
    themes: list[tuple[Theme, list[Question]]] | None = None,
    case_fields: list[CaseField] | None = None,
    moderated: dict[tuple[int, int], str] | None = None,
    **audit_changes: Any,
) -> AnalysisData:
    audit_values: dict[str, Any] = {
        "reference": "anytown-test-2021",
        "title": "A test audit",
        "scope_start": datetime.date(2019, 4, 1),
        "scope_end": SCOPE_END,
        **audit_changes,
    }
    audit = Audit(pk=1, **audit_values)
    for item in cases:
        item.audit = audit
    themes = themes or []
    return AnalysisData(
        audit=audit,
        day=AUDIT_DAY,
        themes=[found for found, _questions in themes],
        questions_by_theme={found.pk: questions for found, questions in themes},
        case_fields=case_fields or [],
        cases=cases,
        returns=returns or [],
        moderated=moderated,
    )
