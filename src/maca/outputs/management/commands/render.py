"""`maca render AUDIT tor|briefing|seven-minute|report --format html|docx|pdf --out FILE
[--audience professionals|public] [--draft] [--tor-version N]`: an audit's document as a file, as the download
buttons give it: the Terms of Reference, the learning briefing, the seven-minute briefing or the report."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

from maca.audits.definition import DefinitionError
from maca.audits.documents import tor_document_for
from maca.audits.management.commands.export_audit import audit_for
from maca.audits.models import Audit
from maca.audits.tor.render import render as render_tor
from maca.common.progress import Say, progress
from maca.outputs.build import LAYOUTS, NotReady, build
from maca.outputs.document import AUDIENCES
from maca.outputs.models import Audience, Layout
from maca.outputs.render import FORMATS, render

TOR = "tor"


class Command(BaseCommand):
    help = (
        "Render an audit's document as a file: its Terms of Reference (tor), the learning briefing, the seven-minute "
        "briefing or the report for the governance group."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("audit", help="The audit's reference, e.g. torbay-hsb-2021.")
        parser.add_argument("document", choices=[TOR, *LAYOUTS], help="Which document.")
        parser.add_argument("--format", dest="fmt", choices=sorted(FORMATS), required=True)
        parser.add_argument("--out", type=Path, required=True, help="The file to write.")
        parser.add_argument(
            "--audience",
            choices=AUDIENCES,
            default="professionals",
            help="Partnership professionals (every count as it is; the default) or the public (disclosure control).",
        )
        parser.add_argument(
            "--draft",
            action="store_true",
            help="From the findings as they stand, watermarked “Draft”, when they are not signed off.",
        )
        parser.add_argument(
            "--tor-version", dest="number", type=int, help="The Terms of Reference: an approved version."
        )

    def handle(
        self,
        *args: Any,
        audit: str,
        document: str,
        fmt: str,
        out: Path,
        audience: str,
        draft: bool,
        number: int | None,
        **options: Any,
    ) -> None:
        self.say = progress(self, options)
        target = audit_for(audit)
        content = (
            self._tor(target, fmt, number) if document == TOR else self._output(target, document, fmt, audience, draft)
        )
        self.say(f"Writing {out}…")
        try:
            out.write_bytes(content)
        except OSError as error:
            raise CommandError(f"Cannot write {out}: {error.strerror}.") from None
        self.stdout.write(self.style.SUCCESS(f"Wrote {out} ({len(content):,} bytes{self.note})."))

    note = ""
    say: Say

    def _tor(self, target: Audit, fmt: str, number: int | None) -> bytes:
        version = None
        if number is not None:
            version = target.tor_versions.filter(number=number).first()
            if version is None:
                approved = ", ".join(str(n) for n in target.tor_versions.values_list("number", flat=True)) or "none"
                raise CommandError(f"{target.reference} has no approved version {number} (approved: {approved}).")
        which = f"version {number} of the Terms of Reference" if number is not None else "the Terms of Reference"
        self.say(f"Rendering {which} of {target.reference} as {fmt.upper()}…")
        try:
            return render_tor(tor_document_for(target, version), fmt)
        except DefinitionError as error:
            raise CommandError(
                f"{target.reference} is not complete yet:\n" + "\n".join(f"  {p}" for p in error.problems)
            ) from error

    def _output(self, target: Audit, layout: str, fmt: str, audience: str, draft: bool) -> bytes:
        tor_url = settings.MACA_BASE_URL.rstrip("/") + reverse("audits:tor", args=[target.reference])
        what = f"the {Layout(layout).label.lower()} ({Audience(audience).label.lower()}{', draft' if draft else ''})"
        self.say(f"Building {what} from the data of {target.reference}…")
        try:
            doc = build(target, layout, audience, draft=draft, tor_url=tor_url)
        except NotReady as error:
            raise CommandError(
                "The output cannot be made final: " + " ".join(error.missing) + " Use --draft to preview a draft."
            ) from None
        self.say(f"Rendering {what} as {fmt.upper()}…")
        if doc.controlled:
            changed = sum(1 for change in doc.changes if change.before != change.after)
            self.note = f"; disclosure control changed {changed} places"
        return render(doc, fmt)
