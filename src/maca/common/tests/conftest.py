"""A reminder source as an app would register one, over a handful of things to chase, for the reminder tests."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

import pytest

from maca.accounts.models import User
from maca.common import reminders
from maca.common.reminders import Reminder, ReminderSource, reminder_stage
from maca.partnerships.models import Partnership
from maca.tests.cast import Cast


@dataclass
class Chased:
    """Something with a due date that people must submit: a stand-in for an agency return."""

    number: int
    due: date
    recipients: list[User]
    submitted: bool = False

    @property
    def key(self) -> str:
        return f"thing:{self.number}"


@dataclass
class ThingSource:
    """The test source. `due` yields every thing, submitted or not, so that tests prove the engine's own check."""

    partnership: Partnership
    things: dict[str, Chased] = field(default_factory=dict)
    registered: ReminderSource | None = None

    def add(self, due: date, *recipients: User, submitted: bool = False) -> Chased:
        thing = Chased(len(self.things) + 1, due, list(recipients), submitted)
        self.things[thing.key] = thing
        return thing

    def due(self, day: date) -> Iterator[Reminder]:
        for thing in self.things.values():
            stage = reminder_stage(thing.due, day)
            if stage is None:
                continue
            for person in thing.recipients:
                yield Reminder(
                    key=thing.key,
                    stage=stage,
                    recipient=person,
                    partnership=self.partnership,
                    subject=f"Thing {thing.number}: {stage.label}",
                    body=f"Please submit thing {thing.number}.",
                    due=thing.due,
                    link=f"/things/{thing.number}/",
                )

    def is_submitted(self, key: str) -> bool:
        return self.things[key].submitted


def person(cast: Cast, name: str) -> User:
    user = cast[name]
    assert user is not None
    return user


@pytest.fixture
def thing_source(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> ThingSource:
    """The only registered reminder source for the test (whatever the apps register is set aside)."""
    monkeypatch.setattr(reminders, "_sources", {})
    source = ThingSource(cast.partnership)
    source.registered = reminders.register_source("thing", due=source.due, is_submitted=source.is_submitted)
    return source
