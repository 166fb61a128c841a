"""The facts an output is made from, gathered once from an audit: the Terms of Reference, the computed analysis, the
signed-off findings (or, for a draft preview, the findings as they stand), the recommendations, the self-assessment
results and the briefing's own words. The layouts (`briefing`, `report`) turn the facts into a `Document`.

Every count a layout prints goes through a `Ledger`, which applies disclosure control when the output is for the
public (`maca.outputs.disclosure`, with the sentences on the children in `maca.outputs.children`) and records each
change, so that the audit lead sees before publishing what the control changed and why.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils import timezone

from maca.analysis.chart import Bar, BarGroup, bar_chart_svg, describe
from maca.analysis.cohort import Cohort, cohort_sentences
from maca.analysis.report import Analysis, analysis_of
from maca.audits.documents import tor_document_for
from maca.audits.models import Audit, AuditStatus
from maca.audits.tor.context import MONTHS, TorDocument
from maca.cases.criteria import audit_date
from maca.cases.models import Decision, Involvement
from maca.findings.models import FindingsVersion, Moderation
from maca.findings.services.signing import current_content
from maca.findings.snapshot import FindingsSnapshot, snapshot_of
from maca.returns.models import SUBMITTED, AgencyReturn
from maca.selfassessment.results import Results, results_for

from .children import public_sentences
from .disclosure import Control, Status, protect_count, protect_of, protect_table
from .document import Audience, Cell, Change, Chart, Table
from .models import BriefingText


def long_date(day: datetime.date) -> str:
    """ "20 September 2021", in English whatever the server's locale."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


class NotReady(Exception):
    """The output cannot be made final yet; `missing` says what is missing, in the users' words."""

    def __init__(self, missing: Sequence[str]) -> None:
        super().__init__("; ".join(missing))
        self.missing = list(missing)


@dataclass(frozen=True)
class AgencyPart:
    """An agency that audited its involvement: its name, the services involved, and its returns."""

    name: str
    services: tuple[str, ...]
    expected: int
    submitted: int

    @property
    def described(self) -> str:
        """ "Children’s Social Care (Children’s Disability Team and Early Help)"."""
        if not self.services:
            return self.name
        return f"{self.name} ({_listed(self.services)})"


def _listed(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


@dataclass(frozen=True)
class Facts:
    """Everything an output of one audit may say, before any layout or control."""

    audit: Audit
    tor: TorDocument
    analysis: Analysis
    findings: FindingsSnapshot
    draft: bool
    day: datetime.date
    group: str
    text: BriefingText
    agencies: tuple[AgencyPart, ...]
    self_assessment: Results
    tor_url: str = ""

    @property
    def cohort(self) -> Cohort:
        return self.analysis.cohort

    @property
    def partnership_name(self) -> str:
        return self.audit.partnership.name

    @property
    def version_label(self) -> str:
        if self.draft:
            return f"Draft of version {self.findings.number} of the findings"
        return f"Findings version {self.findings.number}, signed off {long_date(self.findings.signed_off_at.date())}"


def missing_for_final(audit: Audit) -> list[str]:
    """What stops the audit's outputs from being final, in words; empty when the findings are signed off."""
    missing = []
    if audit.status != AuditStatus.APPROVED:
        missing.append("The Terms of Reference have not been approved.")
    if not FindingsVersion.objects.filter(audit=audit).exists():
        missing.append("The panel’s findings have not been signed off by the audit lead.")
    return missing


def drafting_note(audit: Audit) -> str:
    """What the outputs show while a new version of signed-off findings is drafted ("" when none is)."""
    moderation = Moderation.objects.filter(audit=audit).first()
    if moderation is None or moderation.is_signed_off or not FindingsVersion.objects.filter(audit=audit).exists():
        return ""
    return (
        f"Version {moderation.number} of the findings is being drafted: the outputs show the last signed-off version "
        "until the audit lead signs it off."
    )


def _draft_snapshot(audit: Audit) -> FindingsSnapshot:
    """The findings as they stand, as if signed off now (for a watermarked preview)."""
    moderation = Moderation.objects.filter(audit=audit).first()
    number = moderation.number if moderation is not None else 1
    unsaved = FindingsVersion(audit=audit, number=number, content=current_content(audit), signed_off_at=timezone.now())
    return snapshot_of(unsaved)


def _agencies(audit: Audit) -> tuple[AgencyPart, ...]:
    """The agencies with a return for an included case, by name: their services involved and their returns."""
    returns = AgencyReturn.objects.filter(audit=audit, case__decision=Decision.INCLUDED).select_related("agency")
    expected: dict[str, int] = {}
    submitted: dict[str, int] = {}
    for agency_return in returns:
        name = agency_return.agency.name
        expected[name] = expected.get(name, 0) + 1
        if agency_return.status in SUBMITTED:
            submitted[name] = submitted.get(name, 0) + 1
    services: dict[str, set[str]] = {}
    involvements = Involvement.objects.filter(
        case__audit=audit, case__decision=Decision.INCLUDED, confirmed_at__isnull=False
    ).prefetch_related("services", "agency")
    for involvement in involvements:
        services.setdefault(involvement.agency.name, set()).update(
            service.name for service in involvement.services.all()
        )
    return tuple(
        AgencyPart(name, tuple(sorted(services.get(name, ()))), expected[name], submitted.get(name, 0))
        for name in sorted(expected)
        if submitted.get(name)
    )


def _group(audit: Audit, text: BriefingText) -> str:
    """The group the briefing is issued by, as the seed writes it: "TSCP Quality and Assurance Group"."""
    group = text.issued_by or audit.governance_groups.order_by("name").first()
    if group is None:
        return audit.partnership.short_name or audit.partnership.name
    short = audit.partnership.short_name
    return f"{short} {group.name}" if short else group.name


def gather(audit: Audit, *, draft: bool = False, tor_url: str = "") -> Facts:
    """The facts of `audit`'s outputs: from the latest signed-off findings, or (`draft`) from the findings as they
    stand. NotReady, saying what is missing, when a final output is asked for and cannot be made."""
    version = FindingsVersion.objects.filter(audit=audit).order_by("-number").first()
    if not draft and (audit.status != AuditStatus.APPROVED or version is None):
        raise NotReady(missing_for_final(audit))
    findings = snapshot_of(version) if version is not None and not draft else _draft_snapshot(audit)
    text = BriefingText.objects.filter(audit=audit).select_related("issued_by").first() or BriefingText(audit=audit)
    return Facts(
        audit=audit,
        tor=tor_document_for(audit),
        analysis=analysis_of(audit),
        findings=findings,
        draft=draft,
        day=audit_date(audit),
        group=_group(audit, text),
        text=text,
        agencies=_agencies(audit),
        self_assessment=results_for(audit),
        tor_url=tor_url,
    )


# --- Disclosure control -----------------------------------------------------------------------------------------


@dataclass
class Ledger:
    """Says counts for one output: as they are for professionals, through disclosure control for the public; keeps
    every change the control made."""

    audience: Audience
    control: Control | None
    changes: list[Change] = field(default_factory=list)

    @property
    def controlled(self) -> bool:
        return self.control is not None

    def note(self, where: str, before: str, after: str, reason: str) -> None:
        if before != after:
            self.changes.append(Change(where, before, after, reason))

    def count(self, value: int, where: str) -> str:
        """A count on its own: "8", or "fewer than 6"."""
        shown = f"{value:,}"
        if self.control is None:
            return shown
        phrase = protect_count(value, self.control)
        self.note(where, shown, phrase.text, phrase.reason)
        return phrase.text

    def of(self, value: int, total: int, where: str) -> str | None:
        """ "4 of 8", or "fewer than 6 of 8"; None when the group is too small to give any count of, so that the
        clause is left out (for every count of that group alike)."""
        shown = f"{value:,} of {total:,}"
        if self.control is None:
            return shown
        phrase = protect_of(value, total, self.control)
        if phrase.text == self.control.withheld:
            self.note(where, shown, "(left out)", phrase.reason)
            return None
        self.note(where, shown, phrase.text, phrase.reason)
        return phrase.text

    def cohort_sentences(self, cohort: Cohort, where: str = "The children") -> tuple[str, ...]:
        """The briefing's sentences on the children: for the public, worded so that no hidden count shows through
        them (`maca.outputs.children`), each change noted against the sentence the professionals read."""
        plain = cohort_sentences(cohort)
        if self.control is None:
            return plain
        said = public_sentences(cohort, self.control)
        if len(said) == len(plain):
            for index, (before, after) in enumerate(zip(plain, said, strict=True)):
                self.note(
                    f"{where}: sentence {index + 1}", before, after.text or "(left out)", "; ".join(after.reasons)
                )
        else:  # the professionals' sentences have changed shape: the paragraph is noted as a whole
            reasons = dict.fromkeys(reason for sentence in said for reason in sentence.reasons)
            after_all = " ".join(sentence.text for sentence in said if sentence.text) or "(left out)"
            self.note(where, " ".join(plain), after_all, "; ".join(reasons))
        return tuple(sentence.text for sentence in said if sentence.text)

    def table(
        self,
        caption: str,
        head: Sequence[str],
        labels: Sequence[str],
        rows: Sequence[Sequence[int]],
        *,
        totals: bool = True,
        column_totals: bool = False,
        present_columns: Sequence[int] = (),
    ) -> Table:
        """A table of counts, one row per label, with each row's total (and each column's) when asked; for the
        public, small counts are hidden with secondary suppression, or the whole breakdown withheld.

        `present_columns`: the columns whose counts the reader knows are not 0, because a row is named only when it
        has one there (the values some child has, the agencies that sent a return)."""
        head = tuple(head) + (("Total",) if totals else ())
        plain_rows = [
            (Cell(label), *(Cell(f"{value:,}", numeric=True) for value in row))
            + ((Cell(f"{sum(row):,}", numeric=True),) if totals else ())
            for label, row in zip(labels, rows, strict=True)
        ]
        if column_totals and rows:
            sums = [sum(column) for column in zip(*rows, strict=True)]
            plain_rows.append(
                (Cell("Total"), *(Cell(f"{value:,}", numeric=True) for value in sums))
                + ((Cell(f"{sum(sums):,}", numeric=True),) if totals else ())
            )
        if self.control is None or not rows:
            return Table(caption, head, tuple(plain_rows))
        # Marking every non-zero count of those columns present asks no more of the reader than they may know.
        present = [[value > 0 and column in present_columns for column, value in enumerate(row)] for row in rows]
        protected = protect_table(
            rows, row_totals=totals, column_totals=column_totals, control=self.control, present=present
        )
        if protected.withdrawn:
            self.note(caption, "the table", "not shown", "too few to show without giving away small numbers")
            return Table(
                caption,
                head,
                (),
                note=f"Not shown: the numbers are too small to publish ({self.control.small_text} in a group).",
            )
        out_rows = []
        for label, cells, total in zip(
            labels, protected.cells, protected.row_totals or [None] * len(rows), strict=True
        ):
            row_cells = [Cell(label)]
            for column, cell in zip(head[1:], cells, strict=False):
                changed = cell.status != Status.SHOWN
                if changed:
                    self.note(f"{caption}: {label}, {column}", f"{cell.value:,}", cell.text, _reason(cell.status))
                row_cells.append(Cell(cell.text, numeric=True, changed=changed))
            if totals and total is not None:
                changed = total.status != Status.SHOWN
                if changed:
                    self.note(f"{caption}: {label}, total", f"{total.value:,}", total.text, _reason(total.status))
                row_cells.append(Cell(total.text, numeric=True, changed=changed))
            out_rows.append(tuple(row_cells))
        if column_totals and protected.column_totals is not None:
            last = [Cell("Total")]
            for column, cell in zip(head[1:], protected.column_totals, strict=False):
                changed = cell.status != Status.SHOWN
                if changed:
                    self.note(f"{caption}: total, {column}", f"{cell.value:,}", cell.text, _reason(cell.status))
                last.append(Cell(cell.text, numeric=True, changed=changed))
            if totals and protected.grand_total is not None:
                grand = protected.grand_total
                last.append(Cell(grand.text, numeric=True, changed=grand.status != Status.SHOWN))
            out_rows.append(tuple(last))
        note = ""
        if protected.changed:
            note = (
                f"“{self.control.small_text}”: a count from 1 to {self.control.threshold}; "
                f"“{self.control.withheld}”: hidden so that a small count cannot be worked out."
            )
        return Table(caption, head, tuple(out_rows), note=note)

    def chart(self, title: str, table: Table, groups: Sequence[BarGroup], chart_id: str) -> Chart | None:
        """A bar chart of a table, unless the control changed the table (a chart would show the hidden numbers)."""
        if any(cell.changed for row in table.rows for cell in row) or not table.rows:
            return None
        if not any(group.bars for group in groups):
            return None
        description = describe(groups)
        svg = bar_chart_svg(groups=groups, title=title, description=description, chart_id=chart_id)
        return Chart(title, str(svg), description, table)


def _reason(status: Status) -> str:
    if status == Status.SMALL:
        return "a small count"
    return "hidden so that a small count cannot be worked out from the others"


def control_for(audit: Audit, audience: Audience, *, controlled: bool = True) -> Control | None:
    """The partnership's control for a public output (None for professionals, or when the audit lead publishes
    without it, with a recorded reason)."""
    if audience != "public" or not controlled:
        return None
    partnership = audit.partnership
    return Control(threshold=partnership.disclosure_threshold, wording=partnership.disclosure_wording)


def bar_groups(labels: Sequence[str], values: Sequence[int]) -> list[BarGroup]:
    return [BarGroup("", [Bar(label, value, f"{value:,}") for label, value in zip(labels, values, strict=True)])]
