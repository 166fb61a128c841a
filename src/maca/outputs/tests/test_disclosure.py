"""Disclosure control of small numbers: worked examples, and properties checked with Hypothesis against a brute-force
reader written here, independently of the module's own checker.

The reader knows the rule: a printed number is exact, "fewer than 6" is 1 to 5, "not shown" is 0 or more than 5 (more
than 5 when the output names its row only when it is present), a printed total is exact and a small total is 1 to 5.
A hidden count is recoverable when every table of counts that agrees with all that and with every printed sum gives
it the same value.
"""

import re
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from maca.outputs.disclosure import (
    Cell,
    Control,
    Line,
    Status,
    Table,
    age_band,
    age_band_text,
    protect_count,
    protect_line,
    protect_of,
    protect_percent,
    protect_table,
    recoverable_in_line,
    recoverable_in_table,
)

# Deterministic in CI, no example database, and quick on a slow machine. Hypothesis also caches the constants it
# finds in our code; that cache goes to the temporary directory, not into the repository.
PROPERTY = settings(derandomize=True, database=None, deadline=None, max_examples=300)
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "maca-hypothesis")

Position = tuple[int, int]


# --- The brute-force reader -------------------------------------------------------------------------------------


def printed(table: Table) -> dict[Position, Cell]:
    """Every cell and total with its position in the printed grid: margins as the last row and column."""
    n_rows, n_columns = len(table.cells), len(table.cells[0])
    grid = {(r, c): cell for r, row in enumerate(table.cells) for c, cell in enumerate(row)}
    for r, cell in enumerate(table.row_totals or ()):
        grid[r, n_columns] = cell
    for c, cell in enumerate(table.column_totals or ()):
        grid[n_rows, c] = cell
    if table.grand_total is not None:
        grid[n_rows, n_columns] = table.grand_total
    return grid


def printed_sums(table: Table) -> list[tuple[list[Position], Position]]:
    """Each sum the reader sees: the cells that add up, and the position of their total."""
    n_rows, n_columns = len(table.cells), len(table.cells[0])
    sums = []
    if table.row_totals is not None:
        sums += [([(r, c) for c in range(n_columns)], (r, n_columns)) for r in range(n_rows)]
    if table.column_totals is not None:
        sums += [([(r, c) for r in range(n_rows)], (n_rows, c)) for c in range(n_columns)]
    if table.grand_total is not None:
        sums.append(([(r, c) for r in range(n_rows) for c in range(n_columns)], (n_rows, n_columns)))
    return sums


def brute_force_recoverable(table: Table, truth: dict[Position, int], control: Control) -> set[Position]:
    """The hidden positions of `table` that take one value in every filling-in the reader could make.

    Reads only statuses and printed values; `truth` (one filling-in that agrees, the real counts) only orders the
    values tried, so that a second filling-in is found quickly.
    """
    t = control.threshold
    grid = printed(table)
    sums = printed_sums(table)
    hidden = [position for position, cell in grid.items() if cell.status is not Status.SHOWN]

    def largest(position: Position) -> int | None:
        """What the printed sums leave room for: a shown total, or a small one (at most t)."""
        bounds = [
            grid[total].value if grid[total].status is Status.SHOWN else t
            for members, total in sums
            if position in members or position == total
        ]
        return min(bounds) if bounds else None

    domains: dict[Position, list[int]] = {}
    for position in hidden:
        if grid[position].status is Status.SMALL:
            values = list(range(1, t + 1))
        else:
            bound = largest(position)
            if bound is None:
                continue  # "not shown" in no printed sum: any of 0, t + 1, t + 2, ...: never recoverable
            # A row named only when some child is in it is not 0.
            values = [*([] if grid[position].present else [0]), *range(t + 1, bound + 1)]
        domains[position] = [v for _, v in sorted((abs(v - truth[position]), v) for v in values)]

    def agrees(assignment: dict[Position, int]) -> bool:
        for members, total in sums:
            if total in assignment:
                target: int | None = assignment[total]
            elif grid[total].status is Status.SHOWN:
                target = grid[total].value
            else:
                target = None
            known = [
                assignment[m] if m in assignment else grid[m].value
                for m in members
                if m in assignment or grid[m].status is Status.SHOWN
            ]
            if target is None:
                continue
            if sum(known) > target or (len(known) == len(members) and sum(known) != target):
                return False
        return True

    def fillings(assignment: dict[Position, int], order: list[Position]) -> Iterator[dict[Position, int]]:
        if not order:
            yield assignment
            return
        head, rest = order[0], order[1:]
        for value in domains[head]:
            trial = {**assignment, head: value}
            if agrees(trial):
                yield from fillings(trial, rest)

    # Totals first, so that every sum has its target while its cells are filled in.
    order = sorted(domains, key=lambda p: (p not in {total for _, total in sums}, p))
    recoverable = set()
    for position in domains:
        others = [p for p in order if p != position]
        alternatives = (
            {position: value} for value in domains[position] if value != truth[position] and agrees({position: value})
        )
        if not any(next(fillings(start, others), None) is not None for start in alternatives):
            recoverable.add(position)
    return recoverable


def table_of_line(line: Line) -> Table:
    return Table((line.cells,), None if line.total is None else (line.total,), None, None, line.withdrawn)


def truth_of(rows: Sequence[Sequence[int]], row_totals: bool, column_totals: bool) -> dict[Position, int]:
    n_rows, n_columns = len(rows), len(rows[0])
    truth = {(r, c): value for r, row in enumerate(rows) for c, value in enumerate(row)}
    for r, row in enumerate(rows):
        truth[r, n_columns] = sum(row)
    for c in range(n_columns):
        truth[n_rows, c] = sum(row[c] for row in rows)
    truth[n_rows, n_columns] = sum(map(sum, rows))
    return truth


def assert_primary(table: Table, rows: Sequence[Sequence[int]], control: Control) -> None:
    """Small counts are never shown; shown counts read as themselves; withheld ones read as the withheld words."""
    for row, cells in zip(rows, table.cells, strict=True):
        for value, cell in zip(row, cells, strict=True):
            assert cell.value == value
            if control.is_small(value):
                assert (cell.status, cell.text) == (Status.SMALL, control.small_text)
            elif cell.status is Status.SHOWN:
                assert cell.text == f"{value:,}"
            else:
                assert (cell.status, cell.text) == (Status.WITHHELD, control.withheld)
    for cell in printed(table).values():
        if control.is_small(cell.value):
            assert cell.status is Status.SMALL


# --- Control ----------------------------------------------------------------------------------------------------


def test_default_control_is_the_department_for_educations() -> None:
    control = Control()
    assert control.small_text == "fewer than 6"
    assert control.withheld == "not shown"
    assert [n for n in range(10) if control.is_small(n)] == [1, 2, 3, 4, 5]
    assert not control.allows_universal(5)
    assert control.allows_universal(6)


def test_threshold_3_reads_fewer_than_4() -> None:
    assert Control(threshold=3).small_text == "fewer than 4"


def test_wording_without_a_limit() -> None:
    control = Control(wording="a small number")
    assert control.small_text == "a small number"
    assert protect_line([2, 9], None, control).cells[0].text == "a small number"


@pytest.mark.parametrize(
    ("threshold", "wording"), [(0, "fewer than {limit}"), (5, "fewer than {size}"), (5, "under {0}"), (5, "{limit")]
)
def test_control_refuses_what_it_cannot_use(threshold: int, wording: str) -> None:
    with pytest.raises(ValueError, match=r"threshold|wording"):
        Control(threshold=threshold, wording=wording)


# --- Lines: worked examples -------------------------------------------------------------------------------------


def statuses(line: Line) -> list[Status]:
    return [cell.status for cell in line.cells]


def test_a_small_count_given_away_by_the_total_withdraws_the_line() -> None:
    # 1 is "fewer than 6", 6 "not shown"; but p + w = 7 with p in 1..5 and w 0 or 6+ leaves only p = 1.
    line = protect_line([6, 1], 7)
    assert line.withdrawn
    assert statuses(line) == [Status.WITHHELD, Status.SMALL]
    assert line.total == Cell(7, Status.SHOWN, "7")


def test_a_line_with_nothing_small_is_unchanged() -> None:
    line = protect_line([8], 8)
    assert line == Line((Cell(8, Status.SHOWN, "8"),), Cell(8, Status.SHOWN, "8"), withdrawn=False)
    assert not line.changed


def test_zeros_are_shown_and_the_smallest_other_count_is_withheld() -> None:
    line = protect_line([3, 0, 10], 13)
    assert [cell.text for cell in line.cells] == ["fewer than 6", "0", "not shown"]
    assert not line.withdrawn
    assert line.changed


def test_counts_are_shown_with_thousands_separators() -> None:
    line = protect_line([1200, 0, 34], 1234)
    assert [cell.text for cell in line.cells] == ["1,200", "0", "34"]
    assert line.total is not None
    assert line.total.text == "1,234"


def test_only_zeros_and_large_counts() -> None:
    assert not protect_line([0, 12, 0], 12).changed


def test_a_single_small_count_and_its_small_total() -> None:
    line = protect_line([4], 4)
    assert statuses(line) == [Status.SMALL]
    assert line.total == Cell(4, Status.SMALL, "fewer than 6")
    assert not line.withdrawn  # both are 1 to 5 and equal: either could be any of them


def test_a_small_total_with_zeros() -> None:
    line = protect_line([2, 0, 1], 3)
    assert [cell.text for cell in line.cells] == ["fewer than 6", "0", "fewer than 6"]
    assert line.total is not None
    assert line.total.status is Status.SMALL
    assert not line.withdrawn


def test_all_counts_small_under_a_shown_total() -> None:
    line = protect_line([2, 3, 1], 6)
    assert statuses(line) == [Status.SMALL] * 3
    assert not line.withdrawn


def test_five_ones_under_a_small_total_are_withdrawn() -> None:
    # Five counts of 1 to 5 adding up to at most 5 can only be five 1s.
    assert protect_line([1, 1, 1, 1, 1], 5).withdrawn


def test_without_a_total_only_small_counts_are_hidden() -> None:
    line = protect_line([3, 7, 0], None)
    assert statuses(line) == [Status.SMALL, Status.SHOWN, Status.SHOWN]
    assert line.total is None


def test_threshold_3() -> None:
    control = Control(threshold=3)
    line = protect_line([3, 4, 9], 16, control)
    assert [cell.text for cell in line.cells] == ["fewer than 4", "not shown", "9"]
    assert not line.withdrawn


def test_threshold_1_withdraws_any_line_with_a_1() -> None:
    # With zeros shown, "fewer than 2" can only mean 1.
    control = Control(threshold=1)
    assert protect_line([1, 9], None, control).withdrawn
    assert not protect_line([2, 9], 11, control).changed


def test_lines_refuse_counts_that_do_not_add_up() -> None:
    with pytest.raises(ValueError, match="add up"):
        protect_line([3, 4], 8)
    with pytest.raises(ValueError, match="negative"):
        protect_line([-1, 4], 3)


def test_a_withheld_count_named_only_when_present_is_more_than_the_threshold() -> None:
    # Male 1, female 1, not known 6 of 8: the 6 must be withheld, or 1 + 1 = 2 gives both small counts away. A reader
    # who knows "not known" is named only when some child's gender is not known reads "not shown" as 6 to 8, which
    # leaves only 1 and 1 for the small counts: the line is withdrawn.
    assert not protect_line([1, 1, 6], 8).withdrawn
    assert protect_line([1, 1, 6], 8, present=True).withdrawn
    line = Line(
        tuple(
            Cell(n, status, text, present=True)
            for n, status, text in [
                (1, Status.SMALL, "fewer than 6"),
                (1, Status.SMALL, "fewer than 6"),
                (6, Status.WITHHELD, "not shown"),
            ]
        ),
        Cell(8, Status.SHOWN, "8"),
        False,
    )
    assert recoverable_in_line(line) == {0, 1, 2}
    with pytest.raises(ValueError, match="present must be at least 1"):
        protect_line([0, 6], 6, present=True)
    with pytest.raises(ValueError, match="every count"):
        protect_table([[1, 2]], row_totals=True, column_totals=False, present=[[True]])


def test_the_checker_reads_what_a_line_prints() -> None:
    line = Line((Cell(6, Status.SHOWN, "6"), Cell(1, Status.SMALL, "fewer than 6")), Cell(7, Status.SHOWN, "7"), False)
    assert recoverable_in_line(line) == {1}
    line = Line((Cell(6, Status.WITHHELD, "not shown"), Cell(1, Status.SMALL, "fewer than 6")), line.total, False)
    assert recoverable_in_line(line) == {0, 1}


# --- Tables: worked examples ------------------------------------------------------------------------------------


def texts(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row] for row in table.cells]


def test_a_small_cell_is_protected_in_both_directions() -> None:
    table = protect_table([[3, 10], [10, 10]], row_totals=True, column_totals=True)
    assert texts(table) == [["fewer than 6", "not shown"], ["not shown", "not shown"]]
    assert table.grand_total == Cell(33, Status.SHOWN, "33")
    assert not table.withdrawn
    assert table.changed


def test_row_totals_only_need_only_the_row() -> None:
    table = protect_table([[3, 10], [10, 10]], row_totals=True, column_totals=False)
    assert texts(table) == [["fewer than 6", "not shown"], ["10", "10"]]
    assert table.column_totals is None
    assert table.grand_total is None


def test_a_small_row_total_given_away_by_the_other_totals_withdraws_the_table() -> None:
    # Row totals "fewer than 6" and 20 with a grand total of 23: the first row has 3 children.
    table = protect_table([[3, 0], [10, 10]], row_totals=True, column_totals=True)
    assert table.withdrawn
    assert all(cell.hidden for row in table.cells for cell in row)
    assert table.row_totals is not None
    assert [cell.text for cell in table.row_totals] == ["fewer than 6", "20"]


def test_a_table_with_nothing_small_is_unchanged() -> None:
    table = protect_table([[6, 0], [7, 12]], row_totals=True, column_totals=True)
    assert not table.changed
    assert table.column_totals is not None
    assert [cell.text for cell in table.column_totals] == ["13", "12"]


def test_a_table_without_totals_hides_only_small_counts() -> None:
    table = protect_table([[1, 8], [9, 0]], row_totals=False, column_totals=False)
    assert texts(table) == [["fewer than 6", "8"], ["9", "0"]]


def test_tables_must_be_rectangular() -> None:
    with pytest.raises(ValueError, match="same number"):
        protect_table([[1, 2], [3]], row_totals=True, column_totals=True)


def test_the_checker_reads_what_a_table_prints() -> None:
    # A small cell hidden alone: its row and its column give it away.
    def shown(n: int) -> Cell:
        return Cell(n, Status.SHOWN, str(n))

    small = Cell(3, Status.SMALL, "fewer than 6")
    nine, twelve = shown(9), shown(12)
    table = Table(((small, shown(6)), (shown(6), shown(6))), (nine, twelve), (nine, twelve), shown(21), False)
    assert recoverable_in_table(table) == {(0, 0)}
    # Withholding the other three is not enough: the top right is 9 less 1 to 5 and never 1 to 5, so 6, 7 or 8;
    # the bottom right is 12 less that, 6, 5 or 4, and never 1 to 5, so 6; and every count follows.
    withheld = Cell(6, Status.WITHHELD, "not shown")
    table = Table(((small, withheld), (withheld, withheld)), (nine, twelve), (nine, twelve), shown(21), False)
    assert recoverable_in_table(table) == {(0, 0), (0, 1), (1, 0), (1, 1)}
    # With more room it is: the small count could be 1 to 5.
    ten, thirteen, twenty = Cell(10, Status.WITHHELD, "not shown"), shown(13), shown(20)
    table = Table(((small, ten), (ten, ten)), (thirteen, twenty), (thirteen, twenty), shown(33), False)
    assert recoverable_in_table(table) == set()


# --- Lines and tables: properties -------------------------------------------------------------------------------

thresholds = st.integers(min_value=1, max_value=6)


@PROPERTY
@given(
    counts=st.lists(st.integers(0, 30), min_size=1, max_size=6),
    total_shown=st.booleans(),
    threshold=thresholds,
    present=st.booleans(),
)
def test_no_hidden_count_of_a_line_can_be_worked_out(
    counts: list[int], total_shown: bool, threshold: int, present: bool
) -> None:
    """Small counts are never shown, and unless the line is withdrawn the brute-force reader can work out no hidden
    count or small total; a withdrawn line shows no count. The same when the line names only what is present (the
    genders of the children, say), so that the reader knows no count is 0."""
    control = Control(threshold=threshold)
    if present:
        counts = [count or 1 for count in counts]
    line = protect_line(counts, sum(counts) if total_shown else None, control, present=present)
    assert protect_line(counts, sum(counts) if total_shown else None, control, present=present) == line
    assert all(cell.present == present for cell in line.cells)
    table = table_of_line(line)
    assert_primary(table, [counts], control)
    if line.withdrawn:
        assert all(cell.hidden for cell in line.cells)
    else:
        assert brute_force_recoverable(table, truth_of([counts], total_shown, False), control) == set()
    if not total_shown and not line.withdrawn:
        assert Status.WITHHELD not in statuses(line)


def present_masks(rows: list[list[int]]) -> st.SearchStrategy[list[list[bool]]]:
    """Which counts of `rows` the reader knows are present: any of the non-zero ones."""
    return st.lists(st.booleans(), min_size=sum(map(len, rows)), max_size=sum(map(len, rows))).map(
        lambda flags: [
            [value > 0 and flags[r * len(row) + c] for c, value in enumerate(row)] for r, row in enumerate(rows)
        ]
    )


@PROPERTY
@given(counts=st.lists(st.integers(1, 9), min_size=2, max_size=4), threshold=thresholds)
def test_no_hidden_count_of_a_breakdown_of_what_is_present_can_be_worked_out(counts: list[int], threshold: int) -> None:
    """A sentence names the genders present and the group's size: counts near the threshold, where knowing that a
    "not shown" one is not 0 most often gives a small one away."""
    control = Control(threshold=threshold)
    line = protect_line(counts, sum(counts), control, present=True)
    if not line.withdrawn:
        assert brute_force_recoverable(table_of_line(line), truth_of([counts], True, False), control) == set()


@st.composite
def tables(draw: st.DrawFn) -> list[list[int]]:
    n_rows, n_columns = draw(st.integers(2, 3)), draw(st.integers(2, 4))
    row = st.lists(st.integers(0, 12), min_size=n_columns, max_size=n_columns)
    return draw(st.lists(row, min_size=n_rows, max_size=n_rows))


@settings(PROPERTY, max_examples=200)
@given(rows=tables(), row_totals=st.booleans(), column_totals=st.booleans(), threshold=thresholds, data=st.data())
def test_no_hidden_count_of_a_table_can_be_worked_out(
    rows: list[list[int]], row_totals: bool, column_totals: bool, threshold: int, data: st.DataObject
) -> None:
    """The same for tables, with the reader using every printed row, column and grand total at once, and knowing
    that some non-zero counts are present (a table that names an agency only when it sent a return)."""
    control = Control(threshold=threshold)
    present = data.draw(present_masks(rows))
    table = protect_table(rows, row_totals=row_totals, column_totals=column_totals, control=control, present=present)
    assert_primary(table, rows, control)
    assert (table.row_totals is not None, table.column_totals is not None) == (row_totals, column_totals)
    assert (table.grand_total is not None) == (row_totals and column_totals)
    if table.withdrawn:
        assert all(cell.hidden for row in table.cells for cell in row)
    else:
        assert brute_force_recoverable(table, truth_of(rows, row_totals, column_totals), control) == set()


@settings(PROPERTY, max_examples=150)
@given(rows=tables(), row_totals=st.booleans(), column_totals=st.booleans(), threshold=thresholds, data=st.data())
def test_the_modules_checker_agrees_with_the_brute_force_reader(
    rows: list[list[int]], row_totals: bool, column_totals: bool, threshold: int, data: st.DataObject
) -> None:
    """On any display, protected or not: small counts hidden, any other counts withheld at random, and any non-zero
    counts known to be present."""
    control = Control(threshold=threshold)
    present = data.draw(present_masks(rows))
    table = protect_table(rows, row_totals=row_totals, column_totals=column_totals, control=control, present=present)
    withheld = data.draw(st.sets(st.sampled_from([(r, c) for r in range(len(rows)) for c in range(len(rows[0]))])))

    def shown_or_withheld(position: Position, cell: Cell) -> Cell:
        if cell.status is Status.SMALL:
            return cell
        if position in withheld:
            return Cell(cell.value, Status.WITHHELD, control.withheld, cell.present)
        return Cell(cell.value, Status.SHOWN, f"{cell.value:,}", cell.present)

    cells = tuple(
        tuple(shown_or_withheld((r, c), cell) for c, cell in enumerate(row)) for r, row in enumerate(table.cells)
    )
    display = Table(cells, table.row_totals, table.column_totals, table.grand_total, withdrawn=False)
    truth = truth_of(rows, row_totals, column_totals)
    assert recoverable_in_table(display, control) == brute_force_recoverable(display, truth, control)


# --- Counts in sentences ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "total", "text"),
    [
        (7, 20, "7 of 20"),
        (8, 8, "8 of 8"),
        (0, 8, "0 of 8"),
        (0, 0, "0 of 0"),
        (4, 12, "fewer than 6 of 12"),
        (7, 8, "at least 3 of 8"),
        (6, 7, "some of 7"),  # "at least 2 of 7" could only mean 6
        (1, 7, "some of 7"),
        (3, 4, "not shown"),  # a small group: not even "all" or "none"
        (4, 4, "not shown"),
        (0, 4, "not shown"),
        (1234, 5678, "1,234 of 5,678"),
    ],
)
def test_protect_of(count: int, total: int, text: str) -> None:
    phrase = protect_of(count, total)
    assert phrase.text == text
    assert phrase.changed == (text != f"{count:,} of {total:,}")
    assert bool(phrase.reason) == phrase.changed


def test_protect_of_with_custom_wording() -> None:
    assert protect_of(2, 30, Control(wording="a small number")).text == "a small number of 30"


def test_protect_count() -> None:
    assert protect_count(3).text == "fewer than 6"
    assert protect_count(3).changed
    assert protect_count(0) == protect_count(0)
    assert protect_count(0).text == "0"
    assert protect_count(1234).text == "1,234"


@pytest.mark.parametrize(
    ("count", "total", "text"),
    [(7, 20, "35%"), (13, 40, "33%"), (8, 8, "100%"), (0, 8, "0%"), (1, 8, "not shown"), (0, 0, "")],
)
def test_protect_percent(count: int, total: int, text: str) -> None:
    assert protect_percent(count, total).text == text


def numbers_in(text: str) -> set[int]:
    return {int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", text)}


@PROPERTY
@given(data=st.data(), total=st.integers(0, 40), threshold=thresholds)
def test_protect_of_never_gives_a_small_count_away(data: st.DataObject, total: int, threshold: int) -> None:
    """For count ≤ total ≤ 40 and any threshold:
    1. the count is hidden when it or its complement (total − count) is from 1 to the threshold, and otherwise
       only in a group too small to give any count of (every count of it then gets the same words);
    2. hidden, the words contain neither a small count nor a small complement as a number;
    3. hidden, the same words are given for at least one other count of the same total (the reader who knows the
       rule cannot tell which), and the percentage is hidden too;
    4. the words are true: "fewer than L" means count < L, "at least k" means count ≥ k, "some" means neither none
       nor all; shown, they are the plain count."""
    control = Control(threshold=threshold)
    count = data.draw(st.integers(0, total))
    complement = total - count
    phrase = protect_of(count, total, control)
    if control.is_small(count) or control.is_small(complement):
        assert phrase.changed
    elif phrase.changed:
        assert {protect_of(other, total, control).text for other in range(total + 1)} == {phrase.text}
    if not phrase.changed:
        assert phrase.text == f"{count:,} of {total:,}"
        return
    numbers = numbers_in(phrase.text)
    assert not (control.is_small(count) and count in numbers)
    assert not (control.is_small(complement) and complement in numbers)
    assert any(protect_of(other, total, control).text == phrase.text for other in range(total + 1) if other != count)
    assert protect_percent(count, total, control).text == control.withheld
    if phrase.text.startswith(control.small_text):
        assert count < control.limit
    elif match := re.fullmatch(r"at least (\d+) of \d+", phrase.text):
        assert count >= int(match[1])
    elif phrase.text.startswith("some of"):
        assert 0 < count < total


# --- Ages -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("youngest", "oldest", "band"), [(10, 19, (10, 19)), (11, 16, (10, 19)), (7, 7, (5, 9)), (0, 0, (0, 4))]
)
def test_age_band(youngest: int, oldest: int, band: tuple[int, int]) -> None:
    assert age_band(youngest, oldest) == band


def test_age_band_text() -> None:
    assert age_band_text(11, 16) == "10 to 19"
    assert age_band_text(3, 4, width=2) == "2 to 5"


@PROPERTY
@given(youngest=st.integers(0, 25), spread=st.integers(0, 10), width=st.integers(1, 10))
def test_age_band_is_the_narrowest_band_of_whole_steps(youngest: int, spread: int, width: int) -> None:
    oldest = youngest + spread
    low, high = age_band(youngest, oldest, width)
    assert low <= youngest <= oldest <= high
    assert low % width == 0
    assert (high + 1) % width == 0
    assert youngest - low < width
    assert high - oldest < width
