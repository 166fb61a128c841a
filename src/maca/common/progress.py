"""What a long command is doing, said as it works: `say = progress(self, options)`, then `say("Reading cases.csv…")`.

The lines go to stderr, so that stdout keeps the command's result (and whatever a script reads from it); they are
plain text, not the red Django gives stderr on a terminal, since they are not errors; and `--verbosity 0` silences
them. The result itself stays on stdout, written by the command.
"""

from collections.abc import Callable, Mapping
from typing import Any

from django.core.management.base import BaseCommand

Say = Callable[[str], None]


def _plain(text: str) -> str:
    return text


def progress(command: BaseCommand, options: Mapping[str, Any]) -> Say:
    """A function that writes one line of progress to the command's stderr, unless run with `--verbosity 0`."""
    quiet = int(options.get("verbosity", 1)) < 1

    def say(text: str) -> None:
        if quiet:
            return
        command.stderr.write(text, style_func=_plain)
        command.stderr.flush()

    return say
