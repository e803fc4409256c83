"""Contract and supplier charts: plain rows in, a `Chart` out (figure, summary in words,
and the same numbers as a table). The rows are the spend methods' rows
(`MonthlyFigure.objects...contract_shares()` / `supplier_shares()`), passed in as data."""

from collections.abc import Mapping, Sequence
from decimal import Decimal

import plotly.graph_objects as go

from common.chart_layout import nice_axis, responsive, small_layout, wide_height
from common.charts import (
    PALETTE,
    Chart,
    base_layout,
    format_percent,
    label,
    link_points,
    millions,
)
from common.money import format_money

_pct = format_percent


def contract_spend_chart(
    *,
    reference: str,
    annual_value: Decimal,
    rows: Sequence[dict],
    csv_url: str = "?data=spend",
    year_links: Mapping[str, str] | None = None,
) -> Chart:
    """A contract's actual spend and forecast outturn per year against its annual value.

    `rows`: year_label, actual, outturn and share (of the year's technology actual), one
    per year. `year_links`: the page each year opens, by year label (the caller knows the
    pages).
    """
    links = [(year_links or {}).get(row["year_label"]) for row in rows]
    columns = ["Year", "Actual spend", "Forecast outturn", "Annual value", "Share of actual"]
    table = [
        [row["year_label"], row["actual"], row["outturn"], annual_value, _pct(row["share"])]
        for row in rows
    ]
    spent = [row for row in rows if row["actual"]]
    if spent:
        latest = spent[-1]
        summary = (
            f"In {latest['year_label']} the lines naming {reference} spent "
            f"{format_money(latest['actual'])} to date against an annual value of "
            f"{format_money(annual_value)}."
        )
    else:
        summary = f"No spend has been recorded against {reference} yet."
    return Chart(
        id="contract-spend",
        title="Spend by year against annual value",
        summary=summary,
        figure=link_points(spend_against_value(rows, annual_value), links) if rows else None,
        links=links,
        columns=columns,
        rows=table,
        csv_url=csv_url,
    )


def supplier_share_chart(
    *,
    name: str,
    rows: Sequence[dict],
    csv_url: str = "?data=share",
    year_links: Mapping[str, str] | None = None,
) -> Chart:
    """A supplier's share of technology spend per year (concentration).

    `rows`: year_label, actual, technology_actual, share, outturn, technology_outturn and
    outturn_share, one per year. `year_links`: the page each year opens, by year label.
    """
    links = [(year_links or {}).get(row["year_label"]) for row in rows]
    columns = [
        "Year",
        "Supplier actual",
        "Technology actual",
        "Share of actual",
        "Supplier outturn",
        "Technology outturn",
        "Share of outturn",
    ]
    table = [
        [
            row["year_label"],
            row["actual"],
            row["technology_actual"],
            _pct(row["share"]),
            row["outturn"],
            row["technology_outturn"],
            _pct(row["outturn_share"]),
        ]
        for row in rows
    ]
    shown = [row for row in rows if row["share"] is not None]
    if shown:
        shares = ", ".join(f"{row['year_label']} {format_percent(row['share'])}" for row in shown)
        summary = f"{name}'s share of technology actual spend: {shares}."
    else:
        summary = f"No actual spend has been recorded against {name}'s contracts."
    return Chart(
        id="supplier-share",
        title="Share of technology spend by year",
        summary=summary,
        figure=link_points(supplier_share(rows), links) if shown else None,
        links=links,
        columns=columns,
        rows=table,
        csv_url=csv_url,
    )


def spend_against_value(rows: Sequence[dict], annual_value: Decimal) -> go.Figure:
    """Bars of actual spend and forecast outturn per year, and the annual value as a line.

    `rows`: year_label, actual, outturn (Decimals).
    """
    years = [label(row["year_label"]) for row in rows]
    figure = go.Figure()
    figure.add_bar(
        name="Actual spend",
        x=years,
        y=[millions(row["actual"]) for row in rows],
        marker_color=PALETTE["blue"],
    )
    figure.add_bar(
        name="Forecast outturn",
        x=years,
        y=[millions(row["outturn"]) for row in rows],
        marker_color=PALETTE["sky"],
        marker_pattern_shape="/",
    )
    figure.add_scatter(
        name="Annual value",
        x=years,
        y=[millions(annual_value)] * len(years),
        mode="lines+markers",
        line={"color": PALETTE["black"], "dash": "dash"},
    )
    drawn = [millions(row[key]) or 0.0 for row in rows for key in ("actual", "outturn")]
    drawn.append(millions(annual_value) or 0.0)
    axis = {**base_layout()["yaxis"], "ticksuffix": "m", "title": {"text": "Spend, £m"}}
    figure.update_layout(
        base_layout(
            template="none",
            barmode="group",
            yaxis={**axis, **nice_axis(min(drawn), max(drawn))},
            xaxis={"type": "category"},
            height=wide_height(legend_rows=1),
        )
    )
    responsive(
        figure,
        small_layout(
            legend_items=3,
            yaxis={**nice_axis(min(drawn), max(drawn), ticks=4), "title": {"text": "£m"}},
        ),
    )
    return figure


def supplier_share(rows: Sequence[dict]) -> go.Figure:
    """The supplier's share of technology spend per year, as a line (concentration).

    `rows`: year_label, share (a percentage Decimal, or None for a year without spend).
    """
    figure = go.Figure()
    figure.add_scatter(
        name="Share of technology spend",
        x=[label(row["year_label"]) for row in rows],
        y=[None if row["share"] is None else float(row["share"]) for row in rows],
        mode="lines+markers",
        line={"color": PALETTE["vermillion"]},
        marker={"symbol": "diamond", "size": 10},
    )
    figure.update_layout(
        base_layout(
            template="none",
            yaxis={
                "ticksuffix": "%",
                "range": [0, 100],
                "dtick": 20,
                "gridcolor": "#e3e7ea",
                "title": {"text": "Share of technology spend, %"},
            },
            xaxis={"type": "category"},
            showlegend=False,
            height=wide_height(),
        )
    )
    responsive(figure, small_layout(yaxis={"dtick": 25, "title": {"text": "Share, %"}}))
    return figure
