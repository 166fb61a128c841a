"""`maca reminders`: send the reminders due today now, and make sure the daily run is queued exactly once.

With --dry-run, list what would be sent (and what would be skipped, and why), sending, recording and queueing
nothing; --date asks a dry run about another day. One line per reminder: what happens, the key, the stage, the
recipient and the subject, separated by tabs.
"""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.dateformat import format as format_date

from maca.common.reminders import Outcome, Report, ensure_daily_scheduled, reminders_due, reminders_send_due


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--date must be a date such as 2025-05-12 (not {value!r}).") from error


class Command(BaseCommand):
    help = "Send the reminders due today and make sure the daily reminder run is queued (--dry-run: list them)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be sent; send, record and queue nothing."
        )
        parser.add_argument("--date", help="With --dry-run: the day to ask about (YYYY-MM-DD; default today).")

    def handle(self, *args: Any, dry_run: bool, date: str | None, **options: Any) -> None:
        if date is not None and not dry_run:
            raise CommandError("--date only goes with --dry-run: reminders are sent on their day.")
        day = _day(date) if date is not None else timezone.localdate()
        report = reminders_due(day=day) if dry_run else reminders_send_due(day=day)
        self._list(report)
        if dry_run:
            self.stdout.write(
                f"Dry run for {format_date(day, 'l j F Y')}: {report.count(Outcome.TO_SEND)} to send, "
                f"{self._skipped(report)} skipped. Nothing was sent, recorded or queued."
            )
        else:
            self.stdout.write(
                f"{report.count(Outcome.SENT)} sent, {report.count(Outcome.FAILED)} not delivered, "
                f"{self._skipped(report)} skipped."
            )
            self._schedule()
        if report.failed_sources:
            raise CommandError(
                f"These reminder sources failed (see the log above): {', '.join(report.failed_sources)}."
            )

    def _list(self, report: Report) -> None:
        if not report.results:
            self.stdout.write(f"No reminders are due on {format_date(report.day, 'l j F Y')}.")
        for result in report.results:
            reminder = result.reminder
            self.stdout.write(
                "\t".join(
                    [result.outcome, reminder.key, reminder.stage.label, reminder.recipient.email, reminder.subject]
                )
            )

    @staticmethod
    def _skipped(report: Report) -> int:
        return sum(report.count(outcome) for outcome in (Outcome.ALREADY_SENT, Outcome.INACTIVE, Outcome.SUBMITTED))

    def _schedule(self) -> None:
        run_after = ensure_daily_scheduled()
        if run_after is None:
            self.stdout.write(
                "The task backend is not the database backend, so no daily run is queued: "
                "run `maca reminders` every day."
            )
        else:
            when = timezone.localtime(run_after)
            self.stdout.write(
                f"The daily reminders run next at {format_date(when, 'H:i')} on {format_date(when, 'l j F Y')}."
            )
