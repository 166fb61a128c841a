"""`maca load_demo`: load the demo (idempotent) and print the demo log-ins.

The command lives in the last app of the lifecycle that has demo data, so that it can load every app's part in
order: the partnership and its people, its audit, the audit's cases, their returns, the wider partnership
self-assessments, the moderation's signed-off findings and the published learning briefing.
"""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from maca.audits.demo import load_audit_demo
from maca.cases.demo import load_case_demo
from maca.findings.demo import load_findings_demo
from maca.outputs.demo import load_outputs_demo
from maca.partnerships import demo
from maca.partnerships.models import Partnership
from maca.returns.demo import load_return_demo
from maca.selfassessment.demo import load_self_assessment_demo


class Command(BaseCommand):
    help = (
        "Load the demo: the partnership of the seed documents with its agencies, governance groups and one invented "
        "person per role, and its audit on harmful sexual behaviour with its nominated cases, the agencies' returns "
        "and their self-assessments, the panel's signed-off findings and the learning briefing published for the "
        "public."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Load only when the database holds no partnership at all (what `make run` does).",
        )

    def handle(self, *args: Any, if_empty: bool, **options: Any) -> None:
        if if_empty and Partnership.objects.exists() and not demo.demo_is_loaded():
            self.stdout.write("The database already holds a partnership: the demo was not loaded.")
            return
        if not (if_empty and demo.demo_is_loaded()):
            self.stdout.write("Loading the demo partnership…")
            partnership = demo.load_partnership_demo()
            self.stdout.write("Loading the demo audit…")
            audit = load_audit_demo(partnership)
            self.stdout.write("Loading the demo cases…")
            cases = load_case_demo(audit)
            self.stdout.write("Loading the demo returns…")
            returns = load_return_demo(audit)
            self.stdout.write("Loading the demo self-assessments…")
            assessments = load_self_assessment_demo(audit)
            self.stdout.write("Loading the demo moderation…")
            load_findings_demo(audit)
            self.stdout.write("Publishing the demo learning briefing…")
            publication = load_outputs_demo(audit)
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded {partnership.name}, its audit {audit.reference}, "
                    f"{len(cases)} cases, {len(returns)} returns, {len(assessments)} self-assessments, the findings "
                    f"and the public learning briefing (version {publication.number})."
                )
            )
        self.print_logins()

    def print_logins(self) -> None:
        self.stdout.write("")
        self.stdout.write(f"Demo log-ins (password for all: {demo.DEMO_PASSWORD}):")
        width = max(len(person.email) for person in demo.PEOPLE)
        for person in demo.PEOPLE:
            where = person.agency_code or person.governance_group or ""
            role = person.role.label + (f" ({where})" if where else "")
            self.stdout.write(f"  {person.email.ljust(width)}  {role}")
        if settings.MACA_DEMO:
            self.stdout.write("Demo mode: these accounts may log in without a second factor.")
        else:
            self.stdout.write("Each account sets up two-factor authentication at first log-in.")
