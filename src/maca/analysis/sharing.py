"""Information sharing: for each event every return asks about (`maca.returns.sharing.SHARING_EVENTS`, e.g. the
child came off or stepped down from a plan), which agencies were told, per case and in total.

An agency's answer for a case falls in one of: told; not told (the gap: the seed briefing found the GP was not told
when a plan ended); happened but whether it was told is not known or not answered; said it did not happen; did not
know whether it happened. A case is listed under an event when at least one agency said the event happened."""

from dataclasses import dataclass

from maca.returns.sharing import SHARING_EVENTS

from .data import AnalysisData

TOLD = "told"
NOT_TOLD = "not_told"
TOLD_NOT_KNOWN = "told_not_known"
DID_NOT_HAPPEN = "did_not_happen"
HAPPENED_NOT_KNOWN = "happened_not_known"
STATES = {
    TOLD: "Told",
    NOT_TOLD: "Not told",
    TOLD_NOT_KNOWN: "Not known whether told",
    DID_NOT_HAPPEN: "Said it did not happen",
    HAPPENED_NOT_KNOWN: "Not known whether it happened",
}


def answer_state(answer: dict[str, str] | None) -> str:
    """The state of one agency's answer about one event."""
    answer = answer or {}
    happened = answer.get("happened")
    if happened == "no":
        return DID_NOT_HAPPEN
    if happened != "yes":
        return HAPPENED_NOT_KNOWN
    told = answer.get("told")
    if told == "yes":
        return TOLD
    if told == "no":
        return NOT_TOLD
    return TOLD_NOT_KNOWN


@dataclass(frozen=True)
class CaseSharing:
    """One case where the event happened: the agencies in each state (by name)."""

    reference: str
    agencies: dict[str, tuple[str, ...]]  # state → agency names

    def names(self, state: str) -> tuple[str, ...]:
        return self.agencies.get(state, ())


@dataclass(frozen=True)
class AgencySharing:
    """One agency over the cases where the event happened: how many of its answers are in each state."""

    code: str
    name: str
    counts: dict[str, int]

    def count(self, state: str) -> int:
        return self.counts.get(state, 0)

    @property
    def happened(self) -> int:
        """Cases where this agency said the event happened."""
        return self.count(TOLD) + self.count(NOT_TOLD) + self.count(TOLD_NOT_KNOWN)


@dataclass(frozen=True)
class EventSharing:
    key: str
    text: str
    cases: tuple[CaseSharing, ...]
    agencies: tuple[AgencySharing, ...]
    total: AgencySharing

    @property
    def gaps(self) -> tuple[AgencySharing, ...]:
        """The agencies that were not told at least once, most often first."""
        found = [agency for agency in self.agencies if agency.count(NOT_TOLD)]
        return tuple(sorted(found, key=lambda agency: (-agency.count(NOT_TOLD), agency.name)))


def event_sharing(data: AnalysisData, key: str, text: str) -> EventSharing:
    cases = []
    counts: dict[int, dict[str, int]] = {agency.pk: {} for agency in data.agencies}
    total: dict[str, int] = {}
    for case in data.included:
        returns = data.returns_by_case.get(case.pk, [])
        states = [(r.agency, answer_state(r.sharing.get(key))) for r in returns]
        if not any(state in (TOLD, NOT_TOLD, TOLD_NOT_KNOWN) for _agency, state in states):
            continue
        grouped: dict[str, list[str]] = {}
        for agency, state in states:
            grouped.setdefault(state, []).append(agency.name)
            counts[agency.pk][state] = counts[agency.pk].get(state, 0) + 1
            total[state] = total.get(state, 0) + 1
        cases.append(CaseSharing(case.reference, {state: tuple(names) for state, names in grouped.items()}))
    agencies = tuple(AgencySharing(a.short_code, a.name, counts[a.pk]) for a in data.agencies)
    return EventSharing(key, text, tuple(cases), agencies, AgencySharing("", "All agencies", total))


def sharing(data: AnalysisData) -> list[EventSharing]:
    """Every information-sharing event, in the order the returns ask them."""
    return [event_sharing(data, event.key, event.text) for event in SHARING_EVENTS]
