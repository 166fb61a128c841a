"""`maca bench_outputs [AUDIT]`: how long the report of an audit takes to build and render, against its budget.

The budgets are the product's: the report of the demo audit as DOCX in under one second, as PDF in under five, on
a two-core machine. Each is the median of several runs, after one warm-up run (templates and fonts load once).
`make bench` loads the demo into a throwaway database and runs this. It exits non-zero when a budget is missed.
"""

import statistics
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from maca.audits.models import Audit
from maca.outputs.build import build
from maca.outputs.render import render

BUDGETS = {"docx": 1.0, "pdf": 5.0}


def _report(audit: Audit, fmt: str) -> bytes:
    """The audit's report for professionals, built and rendered as `fmt`: what a download does."""
    return render(build(audit, "report", "professionals"), fmt)


def timed(work: Callable[[], object], runs: int, clock: Callable[[], float] = time.perf_counter) -> list[float]:
    """The seconds `clock` counts for each of `runs` runs of `work`, after one run not counted."""
    work()
    times = []
    for _ in range(runs):
        started = clock()
        work()
        times.append(clock() - started)
    return times


class Command(BaseCommand):
    # The wall clock; a test gives the command a clock of its own, so that its verdicts do not depend on the machine.
    clock: Callable[[], float] = staticmethod(time.perf_counter)

    help = "Time building and rendering an audit's report as DOCX and PDF against the budgets (1 s and 5 s)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("audit", nargs="?", default="torbay-hsb-2021", help="The audit (default: the demo's).")
        parser.add_argument("--runs", type=int, default=5, help="Runs to time for each format (default 5).")

    def handle(self, *args: Any, audit: str, runs: int, **options: Any) -> None:
        found = Audit.objects.filter(reference=audit).first()
        if found is None:
            raise CommandError(f"There is no audit with the reference {audit!r}: load the demo first.")
        missed = []
        for fmt, budget in BUDGETS.items():
            times = timed(partial(_report, found, fmt), max(1, runs), self.clock)
            median = statistics.median(times)
            verdict = "within" if median <= budget else "OVER"
            self.stdout.write(
                f"report as {fmt.upper():4}  median {median:.3f} s over {len(times)} runs "
                f"(fastest {min(times):.3f} s)  {verdict} the budget of {budget:g} s"
            )
            if median > budget:
                missed.append(fmt)
        if missed:
            raise CommandError(f"Over budget: {', '.join(missed)}.")
