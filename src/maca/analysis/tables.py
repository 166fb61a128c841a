"""The analysis as a plain typed document: sections of paragraphs, tables and charts, built from the computed
figures (`maca.analysis.report`) and rendered twice, as the HTML page and as the XLSX download, so that both say the
same. A cell keeps its value (a number stays a number in the workbook) beside its text on the page."""

from dataclasses import dataclass, field

from django.utils.safestring import SafeString

from .words import percent


@dataclass(frozen=True)
class Cell:
    value: str | int | float | None
    text: str
    numeric: bool = False
    href: str = ""
    tag: str = ""  # a GOV.UK tag shown before the text on the page, e.g. "2 or more steps apart"
    share: bool = False  # a share from 0 to 1, shown (and formatted in the workbook) as a percentage


def text(value: str, *, href: str = "", tag: str = "") -> Cell:
    return Cell(value, value, href=href, tag=tag)


def number(value: int) -> Cell:
    return Cell(value, f"{value:,}", numeric=True)


def share(value: float | None) -> Cell:
    return Cell(value, percent(value), numeric=True, share=True)


def decimal(value: float | None, places: int = 3) -> Cell:
    return Cell(value, "–" if value is None else f"{value:.{places}f}", numeric=True)


@dataclass(frozen=True)
class Chart:
    """An SVG chart whose numbers are all in the table it belongs to."""

    title: str
    svg: SafeString


@dataclass(frozen=True)
class Table:
    """A table: the first cell of each row is its row header. `heading` and `intro` come before it (a sub-section of
    the section), `chart` after it."""

    id: str
    caption: str
    head: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    heading: str = ""
    intro: tuple[str, ...] = ()
    chart: Chart | None = None
    empty: str = ""  # said instead of the table when it has no row
    on_page: bool = True  # False: only in the download (a long form of a table on the page)

    @property
    def head_cells(self) -> tuple[tuple[str, bool], ...]:
        """Each header with whether its column holds numbers."""
        return tuple(zip(self.head, self.numeric_columns, strict=True))

    @property
    def numeric_columns(self) -> tuple[bool, ...]:
        """Which columns hold numbers (their headers are aligned like their cells)."""
        return tuple(
            bool(self.rows) and all(row[index].numeric for row in self.rows if index < len(row))
            for index in range(len(self.head))
        )


@dataclass(frozen=True)
class Section:
    """A section of the page and a sheet of the download. `summary`: its key sentences, shown first."""

    id: str
    title: str
    sheet: str
    summary: tuple[str, ...] = ()
    paragraphs: tuple[str, ...] = ()
    tables: tuple[Table, ...] = field(default_factory=tuple)

    @property
    def page_tables(self) -> tuple[Table, ...]:
        return tuple(table for table in self.tables if table.on_page)
