"""The pack's parts as the HTML page and the PDF draw them: the `Pack`, with its headline
figures and its `PackSection`s, each holding `PackChart`s and `PackTable`s of `PackRow`s,
whose stored values print as `Cell`s (money as £1,234.56, dates as 30 Sep 2015)."""

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property

from django.utils.formats import date_format
from django.utils.safestring import SafeString

from common.money import format_money, format_percent
from common.templatetags.common import cell
from reports.models import Commentary, PublishedReport
from reports.svg import bar_chart_svg

TITLE = "Technology budget and savings"
Section = Commentary.Section


# Headline keys whose value is a percentage rather than money.
PERCENT_KEYS = ("_pct", "share")


@dataclass(frozen=True)
class Cell:
    """A table cell as printed: money as £1,234.56, dates as 30 Sep 2015."""

    text: str
    number: bool = False


def cells(values: Iterable) -> list[Cell]:
    return [Cell(cell(v), isinstance(v, Decimal | int) and not isinstance(v, bool)) for v in values]


def header(columns: Sequence[str], table: Sequence[Sequence[Cell]]) -> list[Cell]:
    """The column headings, a column of numbers marked so that its heading aligns too."""
    return [
        Cell(str(name), any(i < len(row) and row[i].number for row in table))
        for i, name in enumerate(columns)
    ]


@dataclass
class PackRow:
    """One table row: its stored values printed, and the page of the thing it names."""

    values: Sequence
    url: str = ""

    @cached_property
    def cells(self) -> list[Cell]:
        return cells(self.values)


@dataclass
class PackTable:
    """A titled table of stored values: the first cell of each row heads it (linked to the
    row's page when there is one)."""

    anchor: str
    title: str
    columns: Sequence[str]
    rows: list[PackRow]
    empty: str = "None."

    @property
    def header(self) -> list[Cell]:
        return header(self.columns, [row.cells for row in self.rows])


@dataclass
class PackChart:
    """A stored chart: its figure for plotly.js in the HTML pack, its table for both."""

    id: str
    title: str
    summary: str
    figure_text: str | None
    columns: Sequence[str]
    rows: Sequence[Sequence]
    notes: Sequence[str] = ()

    @property
    def anchor(self) -> str:
        return f"chart-{self.id}"

    @property
    def script_id(self) -> str:
        return f"chart-data-{self.id}"

    @cached_property
    def figure(self) -> dict | None:
        """The plotly figure as stored (a JSON text), for `json_script`."""
        return json.loads(self.figure_text) if self.figure_text else None

    @cached_property
    def table(self) -> list[list[Cell]]:
        return [cells(row) for row in self.rows]

    @property
    def header(self) -> list[Cell]:
        return header(self.columns, self.table)

    @cached_property
    def svg(self) -> SafeString:
        """The stored table drawn as bars, for the PDF (reports.svg)."""
        return bar_chart_svg(self.title, self.columns, self.rows)


@dataclass
class PackSection:
    key: str
    title: str
    commentary: Commentary
    charts: list[PackChart] = field(default_factory=list)
    tables: list[PackTable] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"section-{self.key}"

    @property
    def contents(self) -> list[tuple[str, str]]:
        """(anchor, title) of each part, for the contents list."""
        parts = [("headline", "Headline figures")] if self.key == Section.SUMMARY else []
        parts += [(c.anchor, c.title) for c in self.charts]
        parts += [(t.anchor, t.title) for t in self.tables]
        return [*parts, (f"commentary-{self.key}", "Commentary")]


@dataclass
class HeadlineFigure:
    key: str
    label: str
    value: object

    @property
    def text(self) -> str:
        """The figure as the pack prints it: money to the penny, percentages, counts."""
        return headline_text(self.key, self.value)

    @property
    def is_money(self) -> bool:
        """A money figure (the card shows it in £m, exact on hover and focus)."""
        return isinstance(self.value, Decimal) and not self.key.endswith(PERCENT_KEYS)


def headline_text(key: str, value) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return format_percent(value) if key.endswith(PERCENT_KEYS) else format_money(value)
    if isinstance(value, date):
        return date_format(value)
    return str(value)


@dataclass
class Pack:
    report: PublishedReport
    previous: PublishedReport | None
    data: dict
    movement: dict | None
    headline: list[HeadlineFigure]
    sections: list[PackSection]
    appendices: list["PackTable"] = field(default_factory=list)

    @property
    def organisation(self) -> str:
        return self.data.get("organisation") or ""

    @property
    def title(self) -> str:
        return TITLE

    @property
    def label(self) -> str:
        return self.data["label"]

    @property
    def published_by(self) -> str:
        user = self.report.published_by
        return user.get_full_name() or user.get_username()

    @property
    def filename(self) -> str:
        year, period, version = self.data["year"], self.report.period, self.report.version
        return f"committee-pack-{year}-P{period}-v{version}.pdf"

    def section(self, key: str) -> PackSection:
        return next(s for s in self.sections if s.key == key)
