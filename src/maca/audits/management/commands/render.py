"""`maca render AUDIT tor --format docx|pdf|html --out FILE`: an audit's document as a file."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from maca.audits.definition import DefinitionError
from maca.audits.documents import tor_document_for
from maca.audits.management.commands.export_audit import audit_for
from maca.audits.tor.render import FORMATS, render


class Command(BaseCommand):
    help = "Render an audit's document (the Terms of Reference: tor) as DOCX, PDF or HTML."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("audit", help="the audit's reference")
        parser.add_argument("document", choices=["tor"], help="which document: tor (the Terms of Reference)")
        parser.add_argument("--format", dest="fmt", choices=sorted(FORMATS), required=True)
        parser.add_argument("--out", type=Path, required=True, help="the file to write")
        parser.add_argument(
            "--tor-version", dest="number", type=int, help="an approved version (default: the audit as it stands)"
        )

    def handle(self, *args: Any, audit: str, document: str, fmt: str, out: Path, number: int | None, **_: Any) -> None:
        target = audit_for(audit)
        version = None
        if number is not None:
            version = target.tor_versions.filter(number=number).first()
            if version is None:
                approved = ", ".join(str(n) for n in target.tor_versions.values_list("number", flat=True)) or "none"
                raise CommandError(f"{target.reference} has no approved version {number} (approved: {approved}).")
        self.stderr.write(f"Rendering the Terms of Reference of {target.reference} as {fmt.upper()}…")
        try:
            content = render(tor_document_for(target, version), fmt)
        except DefinitionError as error:
            raise CommandError(
                f"{target.reference} is not complete yet:\n" + "\n".join(f"  {p}" for p in error.problems)
            ) from error
        try:
            out.write_bytes(content)
        except OSError as error:
            raise CommandError(f"Cannot write {out}: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"Wrote {out} ({len(content):,} bytes)"))
