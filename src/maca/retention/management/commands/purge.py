"""`maca purge`: destroy the case-level data of every closed audit whose retention period has run out (and that
has no legal hold), and make sure the daily purge is queued exactly once.

With --dry-run, say what would be destroyed, destroying and queueing nothing; --date asks about another day (a dry
run, or a real run on a later day than today is refused: the schedule never runs ahead of the calendar). One line
per audit with its counts; progress goes to stderr.
"""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from maca.common.progress import progress

from ...purge import purge_due
from ...tasks import ensure_purge_scheduled


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--date must be a date such as 2027-05-12 (not {value!r}).") from error


class Command(BaseCommand):
    help = "Destroy the case-level data of closed audits past their retention period (--dry-run: only say what)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Say what would be destroyed; destroy nothing.")
        parser.add_argument("--date", help="The day to run as (YYYY-MM-DD; default today; not later than today).")

    def handle(self, *args: Any, dry_run: bool, date: str | None, **options: Any) -> None:
        today = timezone.localdate()
        day = _day(date) if date is not None else today
        if day > today and not dry_run:
            raise CommandError(f"--date {day.isoformat()} is after today: only a dry run may look ahead.")
        say = progress(self, options)
        say(f"Looking for closed audits due for destruction on {day.isoformat()}…")
        report = purge_due(today=day, dry_run=dry_run, say=say)
        verb = "would destroy" if dry_run else "destroyed"
        for audit in report.audits:
            self.stdout.write(f"{verb}\t{audit.line}")
        for reference in report.held:
            self.stdout.write(f"held\t{reference}: under a legal hold, nothing destroyed")
        if not report.audits:
            self.stdout.write(f"No audit’s case-level data is due for destruction on {day.isoformat()}.")
        if dry_run:
            self.stdout.write("Dry run: nothing was destroyed or queued.")
            return
        run_after = ensure_purge_scheduled()
        if run_after is None:
            self.stdout.write(
                "The task backend is not the database backend, so no daily purge is queued: run `maca purge` every day."
            )
        else:
            when = timezone.localtime(run_after)
            self.stdout.write(f"The daily purge runs next at {when:%H:%M} on {when:%Y-%m-%d}.")
