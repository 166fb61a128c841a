"""`maca audits`: every audit, one a line: the reference, a tab, the title."""

from typing import Any

from django.core.management.base import BaseCommand

from maca.audits.models import Audit


class Command(BaseCommand):
    help = "List the audits: reference, a tab, title."

    def handle(self, *args: Any, **options: Any) -> None:
        for reference, title in Audit.objects.order_by("reference").values_list("reference", "title"):
            self.stdout.write(f"{reference}\t{title}")
