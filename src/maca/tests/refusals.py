"""What the apps' `test_service_rules.py` share: a write service, how it is called, and who it refuses."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from maca.tests.cast import Cast


@dataclass(frozen=True)
class Refusal:
    """A write service, the arguments (apart from the actor) that someone it allows would have it save, and who it
    refuses."""

    service: Callable[..., object]
    arguments: Callable[[Cast], dict[str, Any]]
    refused: tuple[str, ...]

    @property
    def name(self) -> str:
        return f"{self.service.__module__}.{self.service.__name__}"
