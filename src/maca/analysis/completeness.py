"""Data completeness: how often a profile field or an answer is blank or "not known", by agency. The Terms of
Reference's first objective asks whether the data gives an accurate picture of the children; this is the measure.

- The profile of each included case, by the agency that nominated it: gender, ethnicity, special educational
  needs, disability, adverse childhood experiences and the audit's topic fields (but those each agency answers in
  its return, which count with the returns).
- Every submitted return's answers, by the agency that wrote it: every question under every theme, the
  information-sharing events, and the topic fields each agency answers for itself.

"Not known" answers are those of `maca.analysis.indicators.NOT_KNOWN` (and, for ethnicity, the codes for refused and
not yet obtained); a blank is no answer at all (an optional question left blank counts as blank too: the table
marks optional questions).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from maca.audits.models import CaseField
from maca.cases.codes import Gender, SpecialNeeds, YesNoNotKnown
from maca.cases.models import Case
from maca.partnerships.models import Agency
from maca.returns.content import SHARING_TITLE
from maca.returns.models import AgencyReturn
from maca.returns.sharing import SHARING_EVENTS

from .data import AnalysisData
from .indicators import ETHNICITY_NOT_KNOWN, NOT_KNOWN
from .words import blank, share

PROFILE_SECTION = "Case profile"
PER_AGENCY_SECTION = "The child as each agency sees it"


@dataclass
class Tally:
    """Of `total` values, how many were blank and how many "not known"."""

    total: int = 0
    blank: int = 0
    not_known: int = 0

    def add(self, state: str) -> None:
        self.total += 1
        if state == "blank":
            self.blank += 1
        elif state == "not_known":
            self.not_known += 1

    def __iadd__(self, other: "Tally") -> "Tally":
        self.total += other.total
        self.blank += other.blank
        self.not_known += other.not_known
        return self

    @property
    def missing(self) -> int:
        return self.blank + self.not_known

    @property
    def known(self) -> int:
        return self.total - self.missing

    @property
    def share_known(self) -> float | None:
        return share(self.known, self.total)


@dataclass
class Row:
    """One field or question: its tally overall and for each of the table's agencies (in their order)."""

    key: str
    label: str
    section: str
    optional: bool = False
    overall: Tally = field(default_factory=Tally)
    by_agency: list[Tally] = field(default_factory=list)


@dataclass
class Completeness:
    """A completeness table: its agencies (the columns), its rows, and the tally of every value in it."""

    agencies: list[Agency]
    rows: list[Row]

    @property
    def overall(self) -> Tally:
        total = Tally()
        for row in self.rows:
            total += row.overall
        return total

    def agency_totals(self) -> list[Tally]:
        totals = [Tally() for _ in self.agencies]
        for row in self.rows:
            for index, tally in enumerate(row.by_agency):
                totals[index] += tally
        return totals


def state_of(value: Any, *, not_known: frozenset[str] = NOT_KNOWN) -> str:
    """ "blank", "not_known" or "known"."""
    if blank(value):
        return "blank"
    if isinstance(value, str) and value in not_known:
        return "not_known"
    if isinstance(value, list) and all(item in not_known for item in value if not blank(item)):
        return "not_known"
    return "known"


def _table(
    agencies: list[Agency],
    rows: list[tuple[str, str, str, bool]],
    items: Sequence[tuple[Agency, Callable[[str], str | None]]],
) -> Completeness:
    """Tally rows (key, label, section, optional) over items: each an agency and a function giving the state of a
    row's value (None: the row does not apply to the item)."""
    column = {agency.pk: index for index, agency in enumerate(agencies)}
    table = Completeness(agencies, [Row(key, label, section, optional) for key, label, section, optional in rows])
    for row in table.rows:
        row.by_agency = [Tally() for _ in agencies]
    for agency, state_for in items:
        for row in table.rows:
            state = state_for(row.key)
            if state is None:
                continue
            row.overall.add(state)
            row.by_agency[column[agency.pk]].add(state)
    return table


def _case_state(case: Case, key: str, fields: dict[str, CaseField]) -> str:
    if key == "gender":
        return "not_known" if case.gender == Gender.NOT_KNOWN else "known"
    if key == "ethnicity":
        return state_of(case.ethnicity, not_known=ETHNICITY_NOT_KNOWN)
    if key == "send":
        return "not_known" if case.send == SpecialNeeds.NOT_KNOWN else "known"
    if key == "disability":
        return "not_known" if case.disability == YesNoNotKnown.NOT_KNOWN else "known"
    if key == "aces":
        return "not_known" if case.aces == YesNoNotKnown.NOT_KNOWN else "known"
    return state_of(case.topic_values.get(fields[key.removeprefix("topic.")].key))


def profile_completeness(data: AnalysisData) -> Completeness:
    """How complete the included cases' profiles are, by the agency that nominated each case."""
    agencies = sorted({case.nominated_by.pk: case.nominated_by for case in data.included}.values(), key=str)
    fields = {case_field.key: case_field for case_field in data.case_fields}
    rows = [
        ("gender", "Gender", PROFILE_SECTION, False),
        ("ethnicity", "Ethnicity", PROFILE_SECTION, False),
        ("send", "Special educational needs", PROFILE_SECTION, False),
        ("disability", "Disability", PROFILE_SECTION, False),
        ("aces", "Adverse childhood experiences", PROFILE_SECTION, False),
    ]
    # A field each agency answers in its return is optional in the nomination: its completeness is the returns'.
    rows += [(f"topic.{f.key}", f.label, PROFILE_SECTION, False) for f in data.case_fields if not f.per_agency]

    def item(case: Case) -> tuple[Agency, Callable[[str], str | None]]:
        return case.nominated_by, lambda key: _case_state(case, key, fields)

    return _table(agencies, rows, [item(case) for case in data.included])


def _return_state(agency_return: AgencyReturn, key: str) -> str | None:
    kind, _, name = key.partition(".")
    if kind == "question":
        return state_of(agency_return.answers.get(name))
    if kind == "topic":
        return state_of(agency_return.topic_values.get(name))
    event, _, part = name.partition(".")
    answer = agency_return.sharing.get(event) or {}
    if part == "told" and answer.get("happened") != "yes":
        return None  # asked only when the event happened
    return state_of(answer.get(part))


def answer_completeness(data: AnalysisData) -> Completeness:
    """How complete the submitted returns' answers are, by the agency that wrote each return."""
    rows = [
        (f"question.{question.key}", question.text, theme.name, not question.required)
        for theme in data.themes
        for question in data.questions_by_theme.get(theme.pk, [])
    ]
    for event in SHARING_EVENTS:
        rows.append((f"sharing.{event.key}.happened", event.text, SHARING_TITLE, False))
        rows.append((f"sharing.{event.key}.told", f"{event.text}: was the agency told?", SHARING_TITLE, False))
    rows += [(f"topic.{f.key}", f.label, PER_AGENCY_SECTION, False) for f in data.case_fields if f.per_agency]

    def item(agency_return: AgencyReturn) -> tuple[Agency, Callable[[str], str | None]]:
        return agency_return.agency, lambda key: _return_state(agency_return, key)

    return _table(data.agencies, rows, [item(agency_return) for agency_return in data.returns])
