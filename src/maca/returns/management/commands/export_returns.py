"""`maca export_returns AUDIT AGENCY_CODE FILE --as EMAIL`: an agency's returns as the offline workbook (XLSX)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from maca.common.progress import progress
from maca.common.words import plural
from maca.returns.workbook import agency_returns, export_workbook

from ._workbook import actor_for, agency_of, audit_named


class Command(BaseCommand):
    help = (
        "Write an agency's returns of an audit as the offline workbook to fill in (one sheet per case). "
        "The export is logged against the person named by --as, a lead or auditor of the agency."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("audit", help="the audit's reference, e.g. torbay-hsb-2021")
        parser.add_argument("agency_code", help="the agency's short code, e.g. GP")
        parser.add_argument("file", type=Path, help="the workbook to write, .xlsx")
        parser.add_argument("--as", dest="as_email", metavar="EMAIL", help="who is exporting (for the access log)")

    def handle(
        self, *args: Any, audit: str, agency_code: str, file: Path, as_email: str | None, **options: Any
    ) -> None:
        say = progress(self, options)
        target = audit_named(audit)
        agency = agency_of(target, agency_code)
        actor = actor_for(agency, as_email, "returns.download_workbook", "a lead or auditor", "exporting")
        returns = agency_returns(actor, target, agency)
        if not returns:
            raise CommandError(f"{agency} has no return to complete in {target.reference} yet: nothing to export.")
        say(f"Building {agency}’s workbook of {plural(len(returns), 'return')}, a sheet for each…")
        content = export_workbook(actor=actor, audit=target, agency=agency, returns=returns)
        say(f"Writing {file}…")
        try:
            file.write_bytes(content)
        except OSError as error:
            raise CommandError(f"Cannot write {file}: {error}") from error
        workbook = f"{agency}’s workbook of {plural(len(returns), 'return')}"
        self.stdout.write(self.style.SUCCESS(f"Wrote {workbook} to {file}."))
