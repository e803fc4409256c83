"""`build_pack`: a published report's stored payload laid out as the pack, each stored chart
in its section (`CHART_SECTIONS`), with the tables of `tables`, the projects summary's parts,
Finance's commentary on each section and the appendices that apps above reports register in
`APPENDIX_PROVIDERS`."""

from collections.abc import Callable

from reports.models import Commentary, PublishedReport
from reports.movement import movement as movement_since
from reports.pack.layout import (
    HeadlineFigure,
    Pack,
    PackChart,
    PackRow,
    PackSection,
    PackTable,
    Section,
)
from reports.pack.tables import (
    decisions_table,
    initiatives_table,
    movement_tables,
    variance_notes_table,
)
from reports.projects_summary import pack_parts
from reports.report_views import previous_report

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
