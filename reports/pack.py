"""The committee pack: a published report laid out as the committee reads it.

Everything comes from the report's stored payload (`PublishedReport.data`) and, for
movement, the payload of the report published before it; nothing is recomputed from live
figures. The pack has a cover, contents and five sections in the order of
`Commentary.Section`, each with its charts and tables and Finance's commentary on it. The
HTML page (`reports/pack.html`) and the PDF (`reports.pdf`) draw the same `Pack`.
"""

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property

from django.utils.formats import date_format
from django.utils.safestring import SafeString

from common.money import format_money, format_percent
from common.rag import rag_word
from common.templatetags.common import cell
from reports.models import Commentary, PublishedReport
from reports.movement import movement as movement_since
from reports.projects_summary import pack_parts
from reports.report_views import previous_report
from reports.svg import bar_chart_svg

TITLE = "Technology budget and savings"
Section = Commentary.Section

# Which section each stored chart belongs to; a chart not named here goes under spend.
CHART_SECTIONS = {
    "monthly": Section.SPEND,
    "categories": Section.SPEND,
    "suppliers": Section.SPEND,
    "savings": Section.SAVINGS,
    "pipeline": Section.SAVINGS,
    "waterfall": Section.SAVINGS,
    "contracts": Section.CONTRACTS,
}
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


# Appendices that apps above reports add to a pack (scenarios registers one in its
# AppConfig.ready): each takes the published report and gives its tables, stored with it.
APPENDIX_PROVIDERS: list[Callable[[PublishedReport], list[PackTable]]] = []


def build_pack(report: PublishedReport) -> Pack:
    """The pack of `report`, with movement since the report the committee read before it
    (the report page's own `previous_report`: an earlier period of the same year)."""
    data = report.data
    previous = previous_report(report)
    commentary = {c.section: c for c in report.commentary.select_related("updated_by")}
    sections = {
        key: PackSection(key, str(label), commentary.get(key) or _empty(report, key))
        for key, label in Section.choices
    }
    for chart in data.get("charts", []):
        section = CHART_SECTIONS.get(chart["id"], Section.SPEND)
        sections[section].charts.append(_chart(chart))
    movement = movement_since(data, previous.data if previous else None)
    sections[Section.SUMMARY].tables = movement_tables(movement)
    sections[Section.SPEND].tables = [variance_notes_table(data.get("variance_notes", []))]
    sections[Section.CONTRACTS].tables = [decisions_table(data)]
    sections[Section.RISKS].tables = [initiatives_table(data.get("initiatives_at_risk", []))]
    add_projects(sections, data.get("projects"))
    headline = [HeadlineFigure(h["key"], h["label"], h["value"]) for h in data["headline"]]
    appendices = [table for provider in APPENDIX_PROVIDERS for table in provider(report)]
    return Pack(report, previous, data, movement, headline, list(sections.values()), appendices)


def _empty(report: PublishedReport, key: str) -> Commentary:
    return Commentary(report=report, section=key, text="", version=0)


def _chart(chart: dict) -> PackChart:
    return PackChart(
        id=chart["id"],
        title=chart["title"],
        summary=chart.get("summary", ""),
        figure_text=chart.get("figure"),
        columns=chart.get("columns", ()),
        rows=chart.get("rows", ()),
        notes=chart.get("notes") or (),
    )


def _rows(items: Iterable[dict], *keys: str) -> list[PackRow]:
    return [PackRow([item.get(k) for k in keys], item.get("url", "")) for item in items]


def variance_notes_table(notes: list[dict]) -> PackTable:
    rows = [
        PackRow(
            [
                f"{n['code']}: {n['name']}",
                _period(n["period"]),
                n["actual"],
                n["budget"],
                n.get("forecast"),
                n.get("note") or "No note given",
            ],
            n.get("url", ""),
        )
        for n in notes
    ]
    columns = ("Line", "Period", "Actual", "Revised budget", "Forecast", "Note")
    return PackTable(
        "variance-notes",
        "Lines needing explanation",
        columns,
        rows,
        "No line needed an explanation.",
    )


def _period(period) -> str:
    return f"P{period}" if isinstance(period, int) else str(period)


def initiatives_table(initiatives: list[dict]) -> PackTable:
    rows = [
        PackRow(
            [
                f"{i['code']}: {i['name']}",
                i["stage"],
                rag_word(i["confidence"]),
                i["planned"],
                i["forecast"],
                i["realised"],
                i.get("claimed"),  # not in reports published before claims
            ],
            i.get("url", ""),
        )
        for i in initiatives
    ]
    columns = (
        "Initiative",
        "Stage",
        "Delivery confidence",
        "Planned",
        "Forecast",
        "Realised (validated)",
        "Claimed, awaiting validation",
    )
    return PackTable(
        "initiatives-at-risk",
        "Initiatives at risk (confidence red or amber/red)",
        columns,
        rows,
        "No initiative is at risk.",
    )


def decisions_table(data: dict) -> PackTable:
    cutoff = data.get("decision_cutoff")
    rows = _rows(
        data.get("decisions_due", []),
        "reference",
        "title",
        "supplier",
        "end_date",
        "decision_date",
    )
    columns = ("Contract", "Title", "Supplier", "End date", "Decision date")
    by = f" by {date_format(cutoff)}" if cutoff else ""
    return PackTable(
        "decisions-due", f"Contract decisions due{by}", columns, rows, "No decision is due."
    )


def movement_tables(movement: dict | None) -> list[PackTable]:
    """The movement since the previous report as tables: headline figures, RAG changes,
    the largest line movements and new contract decisions."""
    if movement is None:
        return []
    since = movement["previous_label"]
    figures = [
        PackRow([m["label"], m["previous"], m["current"], m["change"]])
        for m in movement["headline"]
    ]
    rags = [
        PackRow([r["what"], rag_word(r["previous"]), rag_word(r["current"])])
        for r in movement["rag_changes"]
    ]
    lines = [
        PackRow(
            [f"{m['code']}: {m['name']}", m["previous"], m["current"], m["change"]],
            m.get("url", ""),
        )
        for m in movement["lines"]
    ]
    decisions = _rows(movement["new_decisions"], "reference", "title", "decision_date")
    return [
        PackTable(
            "movement",
            f"Movement since {since}",
            ("Figure", since, "Now", "Change"),
            figures,
        ),
        PackTable("rag-changes", "RAG changes", ("What", "Was", "Now"), rags, "No RAG changed."),
        PackTable(
            "line-movements",
            "Largest movements in forecast outturn",
            ("Line", since, "Now", "Change"),
            lines,
            "No line's outturn moved.",
        ),
        PackTable(
            "new-decisions",
            "New contract decisions due",
            ("Contract", "Title", "Decision date"),
            decisions,
            "No new decision is due.",
        ),
    ]


def add_projects(sections: dict[str, PackSection], projects: dict | None) -> None:
    """The stored projects summary's tables and chart, each in its section
    (reports.projects_summary.pack_parts); nothing for a report stored without it."""
    if not projects:
        return
    tables, chart = pack_parts(projects)
    for section, anchor, title, columns, rows, empty in tables:
        rows = [PackRow(values, url) for values, url in rows]
        sections[section].tables.append(PackTable(anchor, title, columns, rows, empty))
    if chart:
        sections[Section.SPEND].charts.append(_chart(chart))
