"""Supplier concentration: each supplier's share of each year's technology spend."""

from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

from budgets.models import OTHER_SUPPLIERS, top_suppliers
from common.chart_layout import TEXT_FONT, responsive, small_layout, wide_height
from common.charts import (
    PALETTE,
    Chart,
    base_layout,
    chart_layout,
    format_percent,
    label,
    page_url,
    plain_figure,
    point_links,
    short_money,
    year_query,
)
from common.money import format_money

NO_SUPPLIER = "No contract (in-house and other)"
# Suppliers named in the chart and its table, by the selected year's outturn; the rest are
# one "Other suppliers" segment, so the chart is the same size whatever their number.
NAMED_SUPPLIERS = 6
COLUMNS = ("Year", "Supplier", "Spend", "Share of the year's spend")
# The largest supplier is blue; the others greys, told apart by their order in the stack.
GREYS = ("#8c8c8c", "#b8b8b8", "#6e6e6e", "#d0d0d0", "#a3a3a3", "#7d7d7d", "#c4c4c4")


def supplier_chart(
    rows: Sequence[dict],
    year_totals: Sequence[dict],
    *,
    largest: dict | None,
    year_label: str,
    query: Mapping[str, object] | None = None,
) -> Chart:
    """Each supplier's share of each year's spend, the selected year's largest supplier
    (the dashboard's headline figure: name, outturn, total, share) highlighted. `rows` are
    `supplier_shares()` rows, `year_totals` each year's outturn; the table and the chart
    name the NAMED_SUPPLIERS largest in the selected year (the supplier pages list all).
    Each supplier opens its page as at the year (`_link`)."""
    title = "Supplier concentration: share of technology spend by year"
    query = query or {"year": year_label}
    shares = _shares(top_suppliers(list(rows), year_label=year_label, named=NAMED_SUPPLIERS))
    table = [(s["year_label"], _row_name(s), s["outturn"], _share_text(s["share"])) for s in shares]
    links = [_link(s, query) for s in shares]
    if largest is None:
        return Chart(
            id="suppliers",
            title=title,
            summary=f"No spend in {year_label} is on a supplier's contract.",
            figure=None,
            columns=COLUMNS,
            rows=table,
            links=links,
            link_column=1,
        )
    summary = (
        f"{largest['name']} is the largest supplier in {year_label}: "
        f"{short_money(largest['outturn'])} of {short_money(largest['total'])} "
        f"({format_percent(largest['share'])} of the year's forecast outturn)."
    )
    years = [t["year_label"] for t in year_totals]
    return Chart(
        id="suppliers",
        title=title,
        summary=summary,
        figure=_figure(shares, years, largest["name"], query),
        columns=COLUMNS,
        rows=table,
        links=links,
        link_column=1,
    )


def _shares(rows: Sequence[dict]) -> list[dict]:
    """Each row with its supplier's name (or NO_SUPPLIER) and its share of the year, as
    the one home of supplier share (`supplier_shares()`) states it."""
    return [{**r, "name": r["supplier"] or NO_SUPPLIER, "share": r["outturn_share"]} for r in rows]


def _link(share: dict | None, query: Mapping[str, object]) -> str | None:
    """A supplier's page as at the share's year; the contract register (every supplier's
    contracts) for the other suppliers together; none for spend without a contract."""
    if share is None:
        return None
    year = year_query(query, share["year_label"])
    if share["supplier_id"] is not None:
        return page_url("contracts:supplier", share["supplier_id"], query=year)
    if share["name"] == OTHER_SUPPLIERS:
        return page_url("contracts:index", query=year)
    return None


def _row_name(share: dict) -> str:
    others = share.get("others")
    return f"{share['name']} ({others})" if others else share["name"]


def _share_text(share) -> str:
    return format_percent(share)


def _figure(
    shares: list[dict], years: list[str], largest: str, query: Mapping[str, object]
) -> go.Figure:
    """Stacked bars per year: the largest supplier first and labelled, the rest in grey,
    then the other suppliers together, spend without a contract last."""
    names = list(dict.fromkeys(s["name"] for s in shares))
    names.sort(key=lambda name: (name == NO_SUPPLIER, name == OTHER_SUPPLIERS, name != largest))
    by_key = {(s["year_label"], s["name"]): s for s in shares}
    layout = chart_layout(
        barmode="stack",
        hovermode="closest",
        yaxis={
            **base_layout()["yaxis"],
            "tickprefix": "",
            "ticksuffix": "%",
            "range": [0, 100],
            "title": {"text": "Share of forecast outturn"},
        },
        legend={
            "orientation": "v",
            "x": 1.02,
            "y": 1,
            "yanchor": "top",
            "traceorder": "normal",
            "font": {"size": TEXT_FONT},
        },
        margin={"l": 64, "r": 20, "t": 24, "b": 40},
        height=wide_height(bottom=40 + 16),
    )
    bars = []
    for index, name in enumerate(names):
        cells = [by_key.get((year, name)) for year in years]
        bars.append(
            {
                "type": "bar",
                "x": [label(year) for year in years],
                **_trace(name, cells, name == largest, GREYS[index % len(GREYS)]),
                "meta": point_links(_link(cell, query) for cell in cells),
            }
        )
    # Some twenty suppliers' bars over ten years: built unvalidated, as plotly's check of
    # each property cost most of the chart's time.
    return responsive(
        plain_figure(bars, layout),
        small_layout(
            legend_items=len(names),
            legend={"traceorder": "normal"},
            yaxis={"dtick": 25, "title": {"text": "Share, %"}},
            xaxis={"tickangle": -45},
            tick_labels=48,
        ),
    )


def _trace(name: str, cells: list[dict | None], highlight: bool, grey: str) -> dict:
    """One supplier's bar segments: its share in each year (None where it had no spend)."""
    shares = [cell["share"] if cell else None for cell in cells]
    return {
        "y": [None if share is None else float(share) for share in shares],
        "name": label(f"{name} (largest)" if highlight else name),
        "marker": {
            "color": PALETTE["blue"] if highlight else grey,
            "line": {"color": "#ffffff", "width": 1},
        },
        "text": [
            format_percent(share) if highlight and share is not None else "" for share in shares
        ],
        "textposition": "inside",
        "textfont": {"color": "#ffffff"},
        "customdata": [
            f"{format_money(cell['outturn'])} ({format_percent(cell['share'])})" if cell else "—"
            for cell in cells
        ],
        "hovertemplate": "%{x}: %{customdata}<extra>%{fullData.name}</extra>",
    }
