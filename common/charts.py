"""Shared chart plumbing: every chart is plain rows in, a plotly Figure out.

A view builds a `Chart` (title, one-sentence summary, figure, and the same numbers as a
table) and the template includes `includes/chart.html`; `static/js/charts.js` draws every
`[data-chart]` element. No inline script, so the strict CSP holds.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import plotly.graph_objects as go
import plotly.io as pio
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe

from common.chart_layout import MIN_FONT, WIDE_MARGIN, legend_above
from common.money import (  # noqa: F401  (re-exported: the charts' one home for each)
    display_round,
    format_millions,
    format_money,
    format_percent,
    short_money,
)
from common.templatetags.common import cell

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "grey": "#6E6E6E",
    "black": "#000000",
}
SERIES = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#6E6E6E"]
FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif'


def label(text: object) -> str:
    """Any name or label from the data, made safe to put in a figure.

    plotly draws a subset of HTML in every text it shows (tick labels, legend names,
    hover text, bar text, annotations, titles): a supplier named `<a href=...>` would be a
    link in the chart, `<b>` bold. Escaped as entities, which plotly shows literally. Only
    for the figure: tables and summaries are escaped by the template.
    """
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def millions(value: Decimal | None) -> float | None:
    """Pounds to £m for plotting only: figures are drawn as floats, tables show Decimals."""
    return None if value is None else float(value) / 1_000_000


def base_layout(**overrides) -> dict:
    layout = {
        "font": {"family": FONT, "size": 13, "color": "#1b1f24"},
        "margin": dict(WIDE_MARGIN),
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "colorway": SERIES,
        # Above the plot: a legend under it meets the x-axis title.
        "legend": legend_above(),
        # No bar label drawn smaller than this (plotly shrinks labels to fit their bar).
        "uniformtext": {"minsize": MIN_FONT, "mode": "show"},
        "hovermode": "x unified",
        "yaxis": {"gridcolor": "#e3e7ea", "zerolinecolor": "#9aa3ab", "tickprefix": "£"},
        "xaxis": {"gridcolor": "#e3e7ea"},
        "autosize": True,
    }
    layout.update(overrides)
    # The margins grow to hold each axis's tick labels and title, whatever axis a chart
    # gives: a long or rotated label is never cut at the figure's edge, nor drawn over the
    # axis title.
    for axis in ("xaxis", "yaxis", "yaxis2"):
        if axis in layout:
            layout[axis] = {"automargin": True, **layout[axis]}
    return layout


@dataclass
class Chart:
    """Everything a chart card shows: figure, summary in words, and a data table."""

    id: str
    title: str
    summary: str
    figure: go.Figure | None
    columns: Sequence[str] = ()
    rows: Sequence[Sequence] = ()
    csv_url: str = ""
    notes: list[str] = field(default_factory=list)
    # (text, url) of the page with everything when the chart shows only part of it.
    more: tuple[str, str] | None = None
    # The page each row's figures come from (None: no page), linked from the row's
    # `link_column` cell: the keyboard's way to what a click on the figure's point opens.
    links: Sequence[str | None] = ()
    link_column: int = 0

    @property
    def linked_rows(self) -> list[list[tuple[object, str | None]]]:
        return linked_rows(self.rows, self.links, self.link_column)

    @property
    def table_body(self) -> SafeString:
        return table_body(self.linked_rows)

    @property
    def figure_json(self) -> dict | None:
        return self.figure.to_plotly_json() if self.figure is not None else None

    @property
    def script_id(self) -> str:
        return f"chart-data-{self.id}"


def table_body(rows: list[list[tuple[object, str | None]]]) -> SafeString:
    """A chart table's body rows (`linked_rows`) as HTML: each row's first cell a row
    header, the rest figures, each shown by the `cell` filter and linked where its row is.
    Built here, not in the template: a chart's table has up to a few hundred cells, which
    the template language draws several times slower."""
    return mark_safe(  # noqa: S308 - every cell and link is escaped in _table_cell
        "".join(
            "<tr>"
            + "".join(_table_cell(n, value, link) for n, (value, link) in enumerate(row))
            + "</tr>"
            for row in rows
        )
    )


def _table_cell(index: int, value: object, link: str | None) -> str:
    # format_html's escaping written out: format_html took a third of the table's time.
    shown = conditional_escape(cell(value))
    if link:
        shown = f'<a href="{conditional_escape(link)}">{shown}</a>'
    return f'<th scope="row">{shown}</th>' if index == 0 else f'<td class="num">{shown}</td>'


def link_csv(charts: Iterable[Chart], url_name: str, query: dict) -> None:
    """Point each chart's download at the view `url_name` (which takes the chart's id)
    with the page's `query`, so the CSV has the same year and reporting date."""
    suffix = f"?{urlencode(query)}" if query else ""
    for chart in charts:
        chart.csv_url = reverse(url_name, args=[chart.id]) + suffix


def linked_rows(
    rows: Sequence[Sequence], links: Sequence[str | None], column: int
) -> list[list[tuple[object, str | None]]]:
    """The table's rows as (cell, url) pairs: the row's link on its `column` cell, None on
    every other cell (and on every cell of a row without a link)."""
    table = []
    for number, row in enumerate(rows):
        link = links[number] if number < len(links) else None
        table.append(
            [(value, link if index == column else None) for index, value in enumerate(row)]
        )
    return table


def page_url(name: str, *args: object, query: Mapping[str, object] | None = None) -> str:
    """The page `name` (with `args`), with `query` as its query string: the year and
    reporting date a chart was drawn for, and any filter, so the page shows the same."""
    url = reverse(name, args=args)
    return f"{url}?{urlencode(query)}" if query else url


def year_query(query: Mapping[str, object], year_label: str) -> dict:
    """The page's `query` for its own year; only the year for another (its reporting date
    belongs to the page's year)."""
    return dict(query) if query.get("year") == year_label else {"year": year_label}


def point_links(links: Iterable[str | None]) -> dict:
    """A trace's `meta`: the page each of its points opens (None: no page), in the points'
    order. static/js/charts.js follows it on a click; the hover text keeps customdata."""
    return {"links": list(links)}


def link_points(figure: go.Figure, links: Sequence[str | None]) -> go.Figure:
    """Every trace of `figure` opens the same page for the same point: for charts whose
    traces all run over the same categories (periods, years, categories, steps)."""
    figure.update_traces(meta=point_links(links))
    return figure


MONEY_HOVER = "%{customdata}<extra>%{fullData.name}</extra>"


def money_trace(kind: str, x: list, values: Sequence, name: str, **style) -> dict:
    """A trace for `plain_figure`: a bar or scatter of money `values` in £m over `x`, each
    point's exact value on hover (the series' name beside it)."""
    return {
        "type": kind,
        "x": x,
        "y": [millions(value) for value in values],
        "name": name,
        **style,
        "customdata": hover_money(values),
        "hovertemplate": MONEY_HOVER,
    }


def chart_layout(**overrides) -> dict:
    money = {**base_layout()["yaxis"], "ticksuffix": "m"}
    return base_layout(**{"template": "none", "yaxis": money, **overrides})


def plain_figure(data: list[dict], layout: dict) -> go.Figure:
    """A figure of traces (each a dict with its "type") and a layout given as plain dicts,
    built without plotly's check of every property, which costs more than the rest of a
    chart with many points, labels and shapes. The figure is the same as a checked one;
    tests/common/test_plain_figures.py proves each chart built so passes plotly's check
    and gives the same JSON as a checked figure."""
    if isinstance(layout.get("template"), str):  # a named template, as a checked figure has it
        layout = {**layout, "template": pio.templates[layout["template"]].to_plotly_json()}
    return go.Figure(data=data, layout=layout, _validate=False)


def money_axis(title: str = "£m", **extra) -> dict:
    axis = {**base_layout()["yaxis"], "ticksuffix": "m", "title": {"text": title}}
    axis.update(extra)
    return axis


def hover_money(values) -> list[str]:
    return [format_money(v) if v is not None else "—" for v in values]
