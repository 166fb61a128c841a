"""`maca export_audit AUDIT FILE.yaml`: write an audit's definition to a file."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from maca.audits.definition import DefinitionError, audit_definition, dump_definition
from maca.audits.models import Audit


def audit_for(reference: str) -> Audit:
    audit = Audit.objects.filter(reference=reference).select_related("partnership").first()
    if audit is None:
        raise CommandError(f"There is no audit {reference!r}. `maca audits` lists them.")
    return audit


class Command(BaseCommand):
    help = "Write an audit's definition (YAML) to a file, or to standard output with -."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("audit", help="the audit's reference")
        parser.add_argument("file", help="where to write it (- for standard output)")

    def handle(self, *args: Any, audit: str, file: str, **options: Any) -> None:
        target = audit_for(audit)
        try:
            text = dump_definition(audit_definition(target))
        except DefinitionError as error:
            raise CommandError(
                f"{target.reference} is not complete yet, so it cannot be exported:\n"
                + "\n".join(f"  {p}" for p in error.problems)
            ) from error
        if file == "-":
            self.stdout.write(text, ending="")
            return
        try:
            Path(file).write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot write {file}: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"Wrote {file}"))
