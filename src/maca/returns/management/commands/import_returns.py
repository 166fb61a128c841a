"""`maca import_returns AUDIT AGENCY_CODE FILE --as EMAIL`: save a completed offline workbook of an agency's
returns, all or nothing."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from maca.cases.importing import MAX_BYTES
from maca.common.progress import progress
from maca.returns.workbook import WorkbookError, import_workbook

from ._workbook import actor_for, agency_of, audit_named


class Command(BaseCommand):
    help = (
        "Save the answers of a completed workbook (see export_returns) into an agency's returns. Nothing is saved if "
        "anything in it is wrong or conflicts with what is in maca. The person named by --as, a lead of the agency, "
        "is recorded as having made the changes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("audit", help="the audit's reference, e.g. torbay-hsb-2021")
        parser.add_argument("agency_code", help="the agency's short code, e.g. GP")
        parser.add_argument("file", type=Path, help="the completed workbook, .xlsx")
        parser.add_argument("--as", dest="as_email", metavar="EMAIL", help="who is importing (for the access log)")

    def handle(
        self, *args: Any, audit: str, agency_code: str, file: Path, as_email: str | None, **options: Any
    ) -> None:
        say = progress(self, options)
        target = audit_named(audit)
        agency = agency_of(target, agency_code)
        actor = actor_for(agency, as_email, "returns.upload_workbook", "a lead", "importing")
        say(f"Reading {file}…")
        try:
            if file.stat().st_size > MAX_BYTES:
                raise CommandError(f"{file} was not imported: it is larger than {MAX_BYTES // (1024 * 1024)} MB.")
            content = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        say(f"Checking every sheet against {agency}’s returns in {target.reference}, then saving the answers…")
        try:
            result = import_workbook(actor=actor, audit=target, agency=agency, data=content)
        except WorkbookError as error:
            raise CommandError(f"{file} was not imported:\n" + "\n".join(f"  {p}" for p in error.problems)) from error
        updated = ", ".join(r.case.reference for r in result.updated) or "none"
        self.stdout.write(
            self.style.SUCCESS(
                f"Updated {len(result.updated)} of {agency}’s returns in {target.reference} ({updated}); "
                f"{len(result.unchanged)} had no changes."
            )
        )
        for answer in result.kept:
            self.stdout.write(f"Kept the answer changed in maca since the download: {answer}")
