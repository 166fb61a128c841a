"""`maca import_audit FILE.yaml`: create an audit from a definition file (all or nothing)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from maca.audits.definition import MAX_BYTES, DefinitionError, parse_definition
from maca.audits.services import audit_import
from maca.common.progress import progress
from maca.partnerships.models import Partnership


def partnership_for(slug: str | None) -> Partnership:
    """The partnership named, or the only one there is."""
    if slug:
        partnership = Partnership.objects.filter(slug=slug).first()
        if partnership is None:
            known = ", ".join(Partnership.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"There is no partnership {slug!r} (there are: {known}).")
        return partnership
    partnerships = list(Partnership.objects.all()[:2])
    if len(partnerships) != 1:
        raise CommandError("Say which partnership with --partnership SLUG.")
    return partnerships[0]


class Command(BaseCommand):
    help = "Create an audit from an audit definition (YAML). Nothing is saved if anything in the file is wrong."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the audit definition, e.g. torbay-hsb-2021.yaml")
        parser.add_argument("--partnership", help="the partnership's short name (slug); needed when there are several")
        parser.add_argument(
            "--replace", action="store_true", help="replace the Terms of Reference of the draft audit with the file's"
        )

    def handle(self, *args: Any, file: Path, partnership: str | None, replace: bool, **options: Any) -> None:
        say = progress(self, options)
        target = partnership_for(partnership)
        say(f"Reading {file}…")
        try:
            if file.stat().st_size > MAX_BYTES:
                raise CommandError(f"{file} was not imported: it is larger than {MAX_BYTES // (1024 * 1024)} MB.")
            text = file.read_bytes().decode("utf-8")
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        except UnicodeDecodeError as error:
            raise CommandError(
                f"{file} was not imported: it is not UTF-8 text (byte {error.start + 1} cannot be read). Save it as "
                "UTF-8, as maca's export does."
            ) from error
        try:
            say("Checking the audit definition…")
            definition = parse_definition(text)
            say(f"The definition is complete: saving the audit {definition.reference} in {target}…")
            audit = audit_import(actor=None, partnership=target, definition=definition, replace=replace)
        except DefinitionError as error:
            raise CommandError(f"{file} was not imported:\n" + "\n".join(f"  {p}" for p in error.problems)) from error
        self.stdout.write(self.style.SUCCESS(f"Imported {audit.reference}: {audit.title}"))
