"""Information-sharing events asked about in every return, whatever the audit's topic.

For each event: did it happen in the scope period, was this agency told, when, and by whom. The seed briefing
found that the GP was not told when a child came off a plan: these answers are what shows such gaps.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class SharingEvent:
    key: str
    text: str


SHARING_EVENTS = (
    SharingEvent("plan_ended", "The child came off or stepped down from a child protection or child in need plan"),
    SharingEvent("plan_started", "The child was made subject to a child protection or child in need plan"),
    SharingEvent("strategy_discussion", "A strategy discussion or meeting was held about the child"),
)
EVENTS_BY_KEY = {event.key: event for event in SHARING_EVENTS}
# The parts of one event's answer, with the words a summary uses for each.
PARTS = {
    "happened": "Happened in the scope period",
    "told": "Was your agency told?",
    "told_on": "When your agency was told",
    "told_by": "Who told your agency",
}
