"""`maca import_cases AUDIT FILE --as EMAIL [--agency CODE]`: nominate an audit's cases from a case list (CSV or
XLSX), all or nothing."""

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from maca.accounts.models import User
from maca.audits.models import Audit
from maca.cases.importing import MAX_BYTES, CaseFileError, import_cases, read_case_file
from maca.cases.models import Case
from maca.common.progress import progress
from maca.common.words import plural
from maca.partnerships.models import Agency


def _agency(audit: Audit, code: str) -> Agency:
    agency = Agency.objects.filter(partnership=audit.partnership, short_code__iexact=code.strip()).first()
    if agency is None:
        known = ", ".join(Agency.objects.filter(partnership=audit.partnership).values_list("short_code", flat=True))
        raise CommandError(f"There is no agency {code!r} in {audit.partnership} (there are: {known or 'none'}).")
    return agency


def _actor(audit: Audit, email: str | None, agency: Agency | None) -> User:
    """The person importing: the partnership's coordinator, or the agency lead of --agency (asked as the pages ask)."""
    if not email:
        raise CommandError(
            "Say who is importing with --as EMAIL: the partnership's coordinator, or the agency lead of --agency. "
            "The access log records who nominated each case."
        )
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        raise CommandError(f"There is no active account {email!r}.")
    if user.has_perm("partnerships.change_partnership", audit.partnership):
        return user
    if agency is not None and user.has_perm("cases.nominate_for", Case(audit=audit, nominated_by=agency)):
        return user
    if agency is None and user.has_perm("cases.nominate", audit):
        raise CommandError(f"{user.email} is an agency lead: add --agency CODE for their agency.")
    where = f"nor the agency lead of {agency}" if agency is not None else "nor an agency lead with --agency"
    raise CommandError(f"{user.email} is neither the coordinator of {audit.partnership} {where}.")


class Command(BaseCommand):
    help = (
        "Nominate an audit's cases from a case list (CSV or XLSX, see the audit's case list template). "
        "Nothing is saved if anything in the file is wrong."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("audit", help="the audit's reference, e.g. torbay-hsb-2021")
        parser.add_argument("file", type=Path, help="the case list, .csv or .xlsx")
        parser.add_argument("--as", dest="as_email", metavar="EMAIL", help="who is importing (for the access log)")
        parser.add_argument("--agency", metavar="CODE", help="import only this agency's cases (an agency lead's)")

    def handle(
        self, *args: Any, audit: str, file: Path, as_email: str | None, agency: str | None, **options: Any
    ) -> None:
        say = progress(self, options)
        target = Audit.objects.select_related("partnership").filter(reference=audit).first()
        if target is None:
            raise CommandError(f"There is no audit {audit!r}.")
        scope = _agency(target, agency) if agency else None
        actor = _actor(target, as_email, scope)
        say(f"Reading {file}…")
        try:
            if file.stat().st_size > MAX_BYTES:
                raise CommandError(f"{file} was not imported: it is larger than {MAX_BYTES // (1024 * 1024)} MB.")
            content = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        try:
            say(f"Checking every row against the case list columns of {target.reference}…")
            rows = read_case_file(content, file.name, target)
            for_whom = f" for {scope}" if scope else ""
            say(f"{plural(len(rows), 'case')} checked: nominating them{for_whom}…")
            cases = import_cases(actor=actor, audit=target, agency_scope=scope, rows=rows)
        except CaseFileError as error:
            raise CommandError(f"{file} was not imported:\n" + "\n".join(f"  {p}" for p in error.problems)) from error
        except PermissionDenied as error:
            raise CommandError(f"{file} was not imported: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"Imported {plural(len(cases), 'case')} into {target.reference}."))
