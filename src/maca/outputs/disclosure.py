"""Statistical disclosure control of small numbers in the public outputs of a multi-agency case audit.

A MACA cohort is a handful of children from one area on a sensitive topic, so almost every count in a public output
is small enough to identify a child. This module decides what a public output may print instead of each count. It
is pure Python: it knows nothing of Django or the database and takes and returns plain numbers and frozen values.

The rule, in plain words
------------------------
- A count from 1 to the threshold (5 unless the partnership chooses otherwise) is small. A small count is never
  printed: the partnership's wording is printed instead ("fewer than 6"). This is primary suppression, as in the
  Department for Education's children in need statistics. Zeros and larger counts are printed as they are.
- The reader is assumed to know this rule. From a printed table they learn: a printed number is exact; "fewer than
  6" is a count from 1 to 5; "not shown" (secondary suppression) is a count that is 0 or more than 5, since it is
  hidden only to protect a small one, and more than 5 when the output names its row only when some child is in it
  (a count "present"); a printed total is exact; a small total is from 1 to 5.
- A hidden count is recoverable when, over every set of values the reader could fill in that agrees with all of
  that and with the totals printed (the row, column and grand totals at once), it can take only one value.
- While any hidden count or hidden total is recoverable, one more printed count is hidden ("not shown"). The
  candidates are taken in order: those in the row or column of a recoverable count first, then the smallest non-zero
  count, zeros last; of the first few, the one that leaves the fewest recoverable is hidden.
- Totals are never hidden to protect a cell, because they are usually printed elsewhere (the cohort size, the
  number of children known to each agency). So if a count can still be worked out with every count in the table
  hidden, the table is withdrawn: nothing in it is published and the output says "not shown: too few".
- In sentences ("7 of 12 children"), a small count is written "fewer than 6 of 8"; a count whose complement is
  small is written "at least 3 of 8" (the complement would give it away); none or all of a group ("0 of 8", "8 of
  8") is written only of a group that is not small; a small group gets no count at all ("not shown"); where "at
  least" would fit only one count (a group of 7: "at least 2 of 7" could only mean 6) the words are "some of 7". A
  percentage is hidden whenever its count is.
- The words around a hidden count must not give it away either: every word of a public sentence is the same for
  every value the control prints the same way (its suppression class: 1 to 5 for "fewer than 6 of 9", every count
  of a group too small to count). So after a hidden count the verb and the noun are plural ("fewer than 6 of 9 have
  a disability", never "has", which would say 1); "all" is said only of a group that is not small, and "none",
  "only", "both" and "a single" are never said of a count; no exact complement, percentage or statistic computed
  from the same children (such as an agreement coefficient) stands beside it; a breakdown names its kinds in a fixed
  order, not by how many are in each; and a clause left out is left out for every count of its class, never for
  one value alone (leaving a count out only when it is small says it is small). The sentences on the children
  follow this in `maca.outputs.children`, the others in the layouts; tests render each for every value of each
  class and compare the words.
- Free text (the panel's findings and recommendations, the briefing's own words) is not controlled: it is printed
  as written. Before publishing, the audit lead is shown every sentence of it with a number or number word in it
  (`maca.outputs.freetext`), to check by hand.
- Ages are given in bands of whole five-year steps ("10 to 19"), never as the youngest and oldest child's ages.

A threshold of 1 protects nothing by words alone: zeros are printed, so "fewer than 2" can only mean 1. The rule
still holds (no count can be worked out), but only by withdrawing every table with a 1 in it; 2 or more is sensible.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

# The search for recoverable counts gives up after this many steps; an output it cannot certify is withdrawn.
SEARCH_BUDGET = 20_000
# How many of the preferred cells are tried before withholding one, to find the one that leaves least recoverable.
LOOKAHEAD = 4


class Status(StrEnum):
    """What a printed table does with one count."""

    SHOWN = "shown"
    SMALL = "small"  # primary suppression: the count is from 1 to the threshold
    WITHHELD = "withheld"  # secondary suppression: hidden only so that a small count cannot be worked out


@dataclass(frozen=True)
class Control:
    """The partnership's disclosure control: what counts as small and the words printed instead.

    `threshold`: counts from 1 to this are small (at least 1). `wording`: the words for a small count, where `{limit}`
    stands for threshold + 1 ("fewer than {limit}" reads "fewer than 6"). `withheld`: the words for a count hidden
    only to protect a small one.
    """

    threshold: int = 5
    wording: str = "fewer than {limit}"
    withheld: str = "not shown"

    def __post_init__(self) -> None:
        if self.threshold < 1:
            raise ValueError(f"The threshold must be at least 1, not {self.threshold}.")
        try:
            self.wording.format(limit=self.limit)
        except (KeyError, IndexError, ValueError) as error:
            raise ValueError(f"The wording for a small count cannot be used: {error!s}") from error
        if not self.withheld.strip():
            raise ValueError("The words for a withheld count must not be blank.")

    @property
    def limit(self) -> int:
        """The first count that is not small."""
        return self.threshold + 1

    @property
    def small_text(self) -> str:
        """The words printed for a small count, e.g. "fewer than 6"."""
        return self.wording.format(limit=self.limit)

    def is_small(self, n: int) -> bool:
        """True exactly when `n` is from 1 to the threshold (zero is not small)."""
        return 1 <= n <= self.threshold

    def allows_universal(self, group_size: int) -> bool:
        """Whether "all were male" or "none had a plan" may be said of a group of this size: only when the group is
        not small, since of a small group such a statement tells the reader something about every child in it."""
        return group_size > self.threshold


DEFAULT_CONTROL = Control()


@dataclass(frozen=True)
class Cell:
    """One count of a protected output. `value` is the true count, for the code that builds the output; print only
    `text`, which is the number (with thousands separators) when `status` is SHOWN and the control's words when not.

    `present`: the reader knows the count is at least 1 whatever it prints, because the output names its row only
    when some child is in it (the genders present, the agencies that sent a return). A present count that is
    withheld is then more than the threshold, not 0 or more than the threshold.
    """

    value: int
    status: Status
    text: str
    present: bool = False

    @property
    def hidden(self) -> bool:
        return self.status is not Status.SHOWN


@dataclass(frozen=True)
class Line:
    """A protected breakdown: counts that add up to `total` (None: the total is not printed anywhere).

    When `withdrawn` the breakdown must not be published at all ("not shown: too few"); every cell is then hidden.
    """

    cells: tuple[Cell, ...]
    total: Cell | None
    withdrawn: bool

    @property
    def changed(self) -> bool:
        """Whether the printed line differs from the plain counts."""
        totals = () if self.total is None else (self.total,)
        return self.withdrawn or any(cell.hidden for cell in (*self.cells, *totals))


@dataclass(frozen=True)
class Table:
    """A protected table: `cells[row][column]`, with the row totals, column totals and grand total the reader sees
    (None when not printed; the grand total is printed when both are). When `withdrawn` the table must not be
    published at all ("not shown: too few"); every cell is then hidden. Totals are never WITHHELD.
    """

    cells: tuple[tuple[Cell, ...], ...]
    row_totals: tuple[Cell, ...] | None
    column_totals: tuple[Cell, ...] | None
    grand_total: Cell | None
    withdrawn: bool

    @property
    def changed(self) -> bool:
        """Whether the printed table differs from the plain counts."""
        return self.withdrawn or any(cell.hidden for _, cell in _positioned(self))


@dataclass(frozen=True)
class Phrase:
    """A count as a sentence may print it. `changed`: the words are not the plain count; `reason` says why (for the
    person checking the output), "" when unchanged."""

    text: str
    changed: bool
    reason: str


# --- Cells ------------------------------------------------------------------------------------------------------


def _number(n: int) -> str:
    return f"{n:,}"


def _cell(value: int, status: Status, control: Control, present: bool = False) -> Cell:
    if status is Status.SHOWN:
        return Cell(value, status, _number(value), present)
    if status is Status.SMALL:
        return Cell(value, status, control.small_text, present)
    return Cell(value, status, control.withheld, present)


def _total_cell(value: int, control: Control) -> Cell:
    return _cell(value, Status.SMALL if control.is_small(value) else Status.SHOWN, control)


def _check_count(n: int) -> None:
    if n < 0:
        raise ValueError(f"A count cannot be negative: {n}.")


# --- The reader's model: which hidden counts can be worked out --------------------------------------------------


class SearchTooLarge(Exception):
    """Checking a display for recoverable counts took more than SEARCH_BUDGET steps: treat the display as unsafe."""


# A sum the reader knows: the unknowns, each with its sign (+1 or -1), add up to the constant.
_Sum = tuple[tuple[tuple[int, int], ...], int]


@dataclass
class _Model:
    """The unknowns of a display as the reader sees them: each lies in [lo, hi]; a `holed` one (WITHHELD) is also
    never from 1 to the threshold."""

    threshold: int
    lo: list[int]
    hi: list[int]
    holed: list[bool]
    sums: list[_Sum]
    steps: int = 0

    def narrow(self, lo: list[int], hi: list[int], i: int, new_lo: int, new_hi: int) -> bool | None:
        """Narrow unknown i to [new_lo, new_hi]: None when nothing is left, else whether anything changed."""
        low, high = max(lo[i], new_lo), min(hi[i], new_hi)
        if self.holed[i]:
            if 1 <= low <= self.threshold:
                low = self.threshold + 1
            if 1 <= high <= self.threshold:
                high = 0
        if low > high:
            return None
        if (low, high) == (lo[i], hi[i]):
            return False
        lo[i], hi[i] = low, high
        return True

    def propagate(self, lo: list[int], hi: list[int]) -> bool:
        """Narrow every unknown by every sum until nothing changes; False when no values are left."""
        changed = True
        while changed:
            changed = False
            for terms, constant in self.sums:
                low = sum(lo[i] if sign > 0 else -hi[i] for i, sign in terms)
                high = sum(hi[i] if sign > 0 else -lo[i] for i, sign in terms)
                if not low <= constant <= high:
                    return False
                for i, sign in terms:
                    # The other terms lie in [low - this term's lowest, high - its highest].
                    if sign > 0:
                        result = self.narrow(lo, hi, i, constant - (high - hi[i]), constant - (low - lo[i]))
                    else:
                        result = self.narrow(lo, hi, i, low + hi[i] - constant, high + lo[i] - constant)
                    if result is None:
                        return False
                    changed = changed or result
        return True

    def solve(self, lo: list[int], hi: list[int]) -> list[int] | None:
        """Some values within [lo, hi] that satisfy every sum, or None when there are none."""
        self.steps += 1
        if self.steps > SEARCH_BUDGET:
            raise SearchTooLarge
        lo, hi = lo.copy(), hi.copy()
        if not self.propagate(lo, hi):
            return None
        open_ = [i for i in range(len(lo)) if lo[i] < hi[i]]
        if not open_:
            return lo
        branch = min(open_, key=lambda i: hi[i] - lo[i])
        for value in range(lo[branch], hi[branch] + 1):
            if self.holed[branch] and 1 <= value <= self.threshold:
                continue
            lo[branch] = hi[branch] = value
            found = self.solve(lo, hi)
            if found is not None:
                return found
        return None

    def determined(self) -> set[int]:
        """The unknowns that take the same value in every solution."""
        first = self.solve(self.lo, self.hi)
        if first is None:
            raise ValueError("The display is inconsistent: no counts agree with it.")
        seen = [{value} for value in first]
        fixed: set[int] = set()
        for i, value in enumerate(first):
            if len(seen[i]) > 1:
                continue
            for low, high in ((self.lo[i], value - 1), (value + 1, self.hi[i])):
                if low > high:
                    continue
                lo, hi = self.lo.copy(), self.hi.copy()
                lo[i], hi[i] = low, high
                other = self.solve(lo, hi)
                if other is not None:
                    for j, other_value in enumerate(other):
                        seen[j].add(other_value)
                    break
            else:
                fixed.add(i)
        return fixed


def recoverable_in_table(table: Table, control: Control = DEFAULT_CONTROL) -> frozenset[tuple[int, int]]:
    """The hidden counts of `table` that a reader who knows the rule can work out exactly.

    Reads only what the table prints: statuses, the values of SHOWN cells and totals, and the control. Positions are
    those of the printed grid with the margins as its last row and column: (row, column) for a cell, (row, C) for
    the total of a row, (R, column) for the total of a column and (R, C) for the grand total, in a table of R rows
    and C columns. Every printed sum is used at once (rows, columns and the grand total). A hidden count in no
    printed sum can be any value of its range, so it is recoverable only when that range is one value (a small count
    under a threshold of 1). Raises SearchTooLarge when the check needs more than SEARCH_BUDGET steps, and
    ValueError for a withheld total or a display that no counts agree with.
    """
    n_rows, n_columns = len(table.cells), len(table.cells[0])
    t = control.threshold
    printed = dict(_positioned(table))
    positions = [position for position, cell in printed.items() if cell.hidden]
    index = {position: i for i, position in enumerate(positions)}
    if any(printed[r, c].status is Status.WITHHELD for r, c in positions if r == n_rows or c == n_columns):
        raise ValueError("Totals are never withheld.")
    small = [printed[position].status is Status.SMALL for position in positions]
    # A withheld count the reader knows to be present is not 0, so it is more than the threshold.
    lo = [1 if small[i] else t + 1 if printed[position].present else 0 for i, position in enumerate(positions)]
    hi = [t if is_small else -1 for is_small in small]  # -1: withheld, bounded by the sums below
    holed = [not is_small for is_small in small]
    sums: list[_Sum] = []

    def add_sum(members: list[tuple[int, int]], total: tuple[int, int]) -> None:
        terms = tuple((index[member], 1) for member in members if member in index)
        constant = -sum(printed[member].value for member in members if member not in index)
        if total in index:
            sums.append(((*terms, (index[total], -1)), constant))
        else:
            sums.append((terms, printed[total].value + constant))

    cells = [(r, c) for r in range(n_rows) for c in range(n_columns)]
    if table.row_totals is not None:
        for r in range(n_rows):
            add_sum([(r, c) for c in range(n_columns)], (r, n_columns))
    if table.column_totals is not None:
        for c in range(n_columns):
            add_sum([(r, c) for r in range(n_rows)], (n_rows, c))
    if table.grand_total is not None:
        add_sum(cells, (n_rows, n_columns))
        # Implied by the others, but they let the search see at once what the margins give away.
        if table.row_totals is not None:
            add_sum([(r, n_columns) for r in range(n_rows)], (n_rows, n_columns))
        if table.column_totals is not None:
            add_sum([(n_rows, c) for c in range(n_columns)], (n_rows, n_columns))

    # A withheld count is at most what the smallest printed sum it belongs to leaves room for.
    for terms, constant in sums:
        room = constant + t * sum(sign < 0 for _, sign in terms)
        for i in (i for i, sign in terms if sign > 0):
            hi[i] = room if hi[i] < 0 else min(hi[i], room)
    kept = sorted({i for terms, _ in sums for i, _ in terms})
    # Outside every sum an unknown ranges over its whole range: a withheld one is unbounded.
    free = [i for i in range(len(positions)) if i not in kept]
    single = frozenset(positions[i] for i in free if not holed[i] and lo[i] == hi[i])
    renumber = {old: new for new, old in enumerate(kept)}
    model = _Model(
        threshold=t,
        lo=[lo[i] for i in kept],
        hi=[hi[i] for i in kept],
        holed=[holed[i] for i in kept],
        sums=[(tuple((renumber[i], sign) for i, sign in terms), constant) for terms, constant in sums],
    )
    return single | frozenset(positions[kept[i]] for i in model.determined())


def recoverable_in_line(line: Line, control: Control = DEFAULT_CONTROL) -> frozenset[int]:
    """The hidden counts of `line` that a reader who knows the rule can work out exactly: indices into
    `line.cells`, and len(line.cells) for a small total. Same model and errors as recoverable_in_table."""
    table = Table((line.cells,), None if line.total is None else (line.total,), None, None, line.withdrawn)
    return frozenset(c for _, c in recoverable_in_table(table, control))


# --- Protecting lines and tables --------------------------------------------------------------------------------


def _build(
    rows: Sequence[Sequence[int]],
    present: frozenset[tuple[int, int]],
    hidden: set[tuple[int, int]],
    row_totals: bool,
    column_totals: bool,
    control: Control,
) -> Table:
    """The table with small counts SMALL, the cells in `hidden` WITHHELD and the rest SHOWN; those in `present`
    known to be at least 1."""

    def status(r: int, c: int, value: int) -> Status:
        if control.is_small(value):
            return Status.SMALL
        return Status.WITHHELD if (r, c) in hidden else Status.SHOWN

    cells = tuple(
        tuple(_cell(value, status(r, c, value), control, (r, c) in present) for c, value in enumerate(row))
        for r, row in enumerate(rows)
    )
    row_sums = [sum(row) for row in rows]
    column_sums = [sum(column) for column in zip(*rows, strict=True)]
    return Table(
        cells=cells,
        row_totals=tuple(_total_cell(s, control) for s in row_sums) if row_totals else None,
        column_totals=tuple(_total_cell(s, control) for s in column_sums) if column_totals else None,
        grand_total=_total_cell(sum(row_sums), control) if row_totals and column_totals else None,
        withdrawn=False,
    )


def _check_present(
    rows: Sequence[Sequence[int]], present: Sequence[Sequence[bool]] | None
) -> frozenset[tuple[int, int]]:
    """The positions known to be present; ValueError when `present` does not fit the rows or marks a 0."""
    if present is None:
        return frozenset()
    if len(present) != len(rows) or any(len(flags) != len(row) for flags, row in zip(present, rows, strict=True)):
        raise ValueError("Say for every count whether it is known to be present.")
    known = frozenset((r, c) for r, flags in enumerate(present) for c, flag in enumerate(flags) if flag)
    if any(rows[r][c] < 1 for r, c in known):
        raise ValueError("A count known to be present must be at least 1.")
    return known


def _protect(
    rows: Sequence[Sequence[int]],
    present: frozenset[tuple[int, int]],
    row_totals: bool,
    column_totals: bool,
    control: Control,
) -> Table:
    positions = [(r, c) for r, row in enumerate(rows) for c in range(len(row))]
    everything = _build(rows, present, set(positions), row_totals, column_totals, control)
    try:
        # Withholding a cell never makes another hidden count easier to work out (the values the reader could fill
        # in only grow), so a small count or total that can be worked out with every cell hidden cannot be saved.
        small = {position for position, cell in _positioned(everything) if cell.status is Status.SMALL}
        if recoverable_in_table(everything, control) & small:
            return replace(everything, withdrawn=True)
        hidden: set[tuple[int, int]] = set()
        table = _build(rows, present, hidden, row_totals, column_totals, control)
        recoverable = recoverable_in_table(table, control)
        while recoverable:
            step = _withhold_one(rows, present, hidden, recoverable, row_totals, column_totals, control)
            if step is None:  # every cell is hidden and a withheld one can still be worked out
                return replace(table, withdrawn=True)
            table, recoverable = step
            hidden = {(r, c) for r, c in positions if table.cells[r][c].status is Status.WITHHELD}
        return table
    except SearchTooLarge:
        return replace(everything, withdrawn=True)


def _positioned(table: Table) -> Iterable[tuple[tuple[int, int], Cell]]:
    """Every cell and total of `table` with its position in the printed grid (see recoverable_in_table)."""
    n_rows, n_columns = len(table.cells), len(table.cells[0])
    for r, row in enumerate(table.cells):
        for c, cell in enumerate(row):
            yield (r, c), cell
    for r, cell in enumerate(table.row_totals or ()):
        yield (r, n_columns), cell
    for c, cell in enumerate(table.column_totals or ()):
        yield (n_rows, c), cell
    if table.grand_total is not None:
        yield (n_rows, n_columns), table.grand_total


def _withhold_one(
    rows: Sequence[Sequence[int]],
    present: frozenset[tuple[int, int]],
    hidden: set[tuple[int, int]],
    recoverable: frozenset[tuple[int, int]],
    row_totals: bool,
    column_totals: bool,
    control: Control,
) -> tuple[Table, frozenset[tuple[int, int]]] | None:
    """Withhold one more cell. Shown cells are preferred in the row or column of a recoverable count, then the
    smallest non-zero count, zeros last (withholding a zero rarely helps); of the first LOOKAHEAD, the one that
    leaves the fewest counts recoverable is withheld (the earlier among equals). Returns the new table and what is
    still recoverable in it; None when every cell is already hidden."""
    n_rows, n_columns = len(rows), len(rows[0])
    touched_rows = {r for r, _ in recoverable}
    touched_columns = {c for _, c in recoverable}
    everywhere = any(r == n_rows or c == n_columns for r, c in recoverable)

    def preference(position: tuple[int, int]) -> tuple[bool, bool, int, int, int]:
        r, c = position
        value = rows[r][c]
        touching = everywhere or r in touched_rows or c in touched_columns
        return (not touching, value == 0, value, r, c)

    shown = [
        (r, c)
        for r in range(n_rows)
        for c in range(n_columns)
        if (r, c) not in hidden and not control.is_small(rows[r][c])
    ]
    candidates = sorted(shown, key=preference)
    best: tuple[Table, frozenset[tuple[int, int]]] | None = None
    for position in candidates[:LOOKAHEAD]:
        trial = _build(rows, present, hidden | {position}, row_totals, column_totals, control)
        left = recoverable_in_table(trial, control)
        if best is None or len(left) < len(best[1]):
            best = (trial, left)
        if not left:
            break
    return best


def protect_table(
    rows: Sequence[Sequence[int]],
    *,
    row_totals: bool,
    column_totals: bool,
    control: Control = DEFAULT_CONTROL,
    present: Sequence[Sequence[bool]] | None = None,
) -> Table:
    """Protect a table of counts whose row totals and/or column totals (and the grand total, when both) are printed.

    Guarantees: no count from 1 to the threshold is SHOWN; totals are printed as they are, or as SMALL when small;
    and, unless the table is `withdrawn`, no hidden count or small total can be worked out exactly from what is
    printed (checked over the whole table at once, see recoverable_in_table). A withdrawn table has every cell
    hidden. Deterministic: the same counts and control always give the same table.

    `present[row][column]`: the reader knows that count is at least 1 whatever is printed (see Cell.present); it
    must then be at least 1. None: no count is known to be present.
    """
    if not rows or not rows[0]:
        raise ValueError("A table needs at least one row and one column.")
    if any(len(row) != len(rows[0]) for row in rows):
        raise ValueError("Every row of a table needs the same number of counts.")
    for row in rows:
        for value in row:
            _check_count(value)
    known = _check_present(rows, present)
    return _protect(rows, known, row_totals, column_totals, control)


def protect_line(
    counts: Sequence[int], total: int | None, control: Control = DEFAULT_CONTROL, *, present: bool = False
) -> Line:
    """Protect a breakdown: counts that add up to `total`, printed alongside them (None: the total is printed
    nowhere, so the counts are only constrained by their own words). `present`: the breakdown names only what some
    child has, so the reader knows every count is at least 1 (each must be).

    Guarantees: no count from 1 to the threshold is SHOWN; zeros are shown unless withheld for a small count; a
    small total is SMALL; and, unless the line is `withdrawn`, no hidden count can be worked out exactly by a reader
    who knows the rule. A withdrawn line has every cell hidden and keeps its total as it was.
    """
    if not counts:
        raise ValueError("A line needs at least one count.")
    for value in counts:
        _check_count(value)
    if total is not None and total != sum(counts):
        raise ValueError(f"The counts add up to {sum(counts)}, not to the total {total}.")
    known = _check_present([counts], [[present] * len(counts)])
    table = _protect([list(counts)], known, total is not None, False, control)
    return Line(
        cells=table.cells[0],
        total=None if table.row_totals is None else table.row_totals[0],
        withdrawn=table.withdrawn,
    )


# --- Counts in sentences ----------------------------------------------------------------------------------------


def protect_count(count: int, control: Control = DEFAULT_CONTROL) -> Phrase:
    """A count standing on its own: the number, or the control's words when it is small."""
    _check_count(count)
    if control.is_small(count):
        return Phrase(control.small_text, True, f"the count is from 1 to {control.threshold}")
    return Phrase(_number(count), False, "")


def protect_of(count: int, total: int, control: Control = DEFAULT_CONTROL) -> Phrase:
    """ "7 of 12" as a sentence may print it, so that a reader who knows this rule cannot work out a count, or its
    complement (total − count), that is small.

    - a group of 0: "0 of 0";
    - none or all of a group that is not small: as they are ("8 of 8");
    - a small count: "fewer than 6 of 8"; a count whose complement is small: "at least 3 of 8" (total − threshold,
      true since the complement is at most the threshold);
    - where either of those words would fit only one count (a group of 7 under a threshold of 5: "at least 2 of 7"
      could only mean 6), every count with a small side is "some of 7";
    - a group too small to say even that (1 to the threshold, or 2 under a threshold of 1): the withheld words,
      whatever the count, since even "all" or "none" of it tells the reader about every child in it;
    - otherwise "7 of 12", with thousands separators.

    Guarantees: every hidden count shares its words with at least one other count of the same group; the words never
    contain a small count or a small complement as a number; and they are true.
    """
    _check_count(count)
    if count > total:
        raise ValueError(f"The count {count} is more than the total {total}.")
    t = control.threshold
    plain = Phrase(f"{_number(count)} of {_number(total)}", False, "")
    hidden = [n for n in range(1, total) if control.is_small(n) or control.is_small(total - n)]
    if total == 0:
        return plain
    if control.is_small(total) or len(hidden) < 2:
        return Phrase(control.withheld, True, "the group is too small to give any count of it")
    if count not in hidden:
        return plain
    small = [n for n in hidden if control.is_small(n)]
    if len(small) < 2 or len(hidden) - len(small) == 1:
        return Phrase(
            f"some of {_number(total)}",
            True,
            "in a group this size, words with a number in them would give the count away",
        )
    if control.is_small(count):
        return Phrase(f"{control.small_text} of {_number(total)}", True, f"the count is from 1 to {t}")
    return Phrase(
        f"at least {_number(total - t)} of {_number(total)}",
        True,
        f"the rest of the group is from 1 to {t}, which would give the count away",
    )


def protect_percent(count: int, total: int, control: Control = DEFAULT_CONTROL) -> Phrase:
    """`count` as a whole percentage of `total`, rounded half up ("50%"): "" when the total is 0, and the control's
    withheld words whenever protect_of would hide the count."""
    of = protect_of(count, total, control)
    if total == 0:
        return Phrase("", False, "")
    if of.changed:
        return Phrase(control.withheld, True, of.reason)
    return Phrase(f"{(200 * count + total) // (2 * total)}%", False, "")


# --- Ages -------------------------------------------------------------------------------------------------------


def age_band(youngest: int, oldest: int, width: int = 5) -> tuple[int, int]:
    """The narrowest band of whole `width`-year steps that holds both ages: its lower bound is a multiple of
    `width` and its upper bound one less than a multiple. (11, 16) → (10, 19); (7, 7) → (5, 9)."""
    if width < 1:
        raise ValueError("The width of an age band must be at least 1.")
    if youngest < 0 or oldest < youngest:
        raise ValueError(f"Ages {youngest} and {oldest} are not a range.")
    return (youngest // width) * width, -(-(oldest + 1) // width) * width - 1


def age_band_text(youngest: int, oldest: int, width: int = 5) -> str:
    """The age band as words: "10 to 19"."""
    low, high = age_band(youngest, oldest, width)
    return f"{low} to {high}"
