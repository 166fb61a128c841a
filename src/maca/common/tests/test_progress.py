"""`maca.common.progress`: a long command's progress goes to stderr as plain lines, and `--verbosity 0` hides it."""

from io import StringIO

from django.core.management.base import BaseCommand

from maca.common.progress import progress
from maca.common.words import plural


class Terminal(StringIO):
    """Output that says it is a terminal, where Django colours what a command writes to stderr."""

    def isatty(self) -> bool:
        return True


def test_progress_is_written_to_stderr_and_flushed_as_plain_text_on_a_terminal() -> None:
    out, err = StringIO(), Terminal()
    command = BaseCommand(stdout=out, stderr=err, force_color=True)
    command.stderr.write("an error")
    assert err.getvalue().startswith("\x1b[")  # Django colours errors on a terminal...
    err.seek(0)
    err.truncate()
    say = progress(command, {"verbosity": 1})
    say("Reading cases.csv…")
    say("Checking 12 rows…")
    assert err.getvalue() == "Reading cases.csv…\nChecking 12 rows…\n"  # ...but progress is not an error
    assert out.getvalue() == ""


def test_verbosity_0_is_silent_and_higher_verbosity_is_not() -> None:
    for verbosity, said in ((0, ""), (1, "Working…\n"), (2, "Working…\n"), (3, "Working…\n")):
        err = StringIO()
        progress(BaseCommand(stderr=err), {"verbosity": verbosity})("Working…")
        assert err.getvalue() == said
    err = StringIO()
    progress(BaseCommand(stderr=err), {})("Working…")  # called directly, without Django's default options
    assert err.getvalue() == "Working…\n"


def test_plural() -> None:
    assert [plural(count, "case") for count in (0, 1, 2)] == ["0 cases", "1 case", "2 cases"]
    assert plural(2, "child", "children") == "2 children"
