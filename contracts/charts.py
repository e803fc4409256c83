"""Contract and supplier charts: plain rows in, a plotly Figure out."""

from decimal import Decimal

import plotly.graph_objects as go

from common.charts import PALETTE, base_layout, millions


def spend_against_value(rows: list[dict], annual_value: Decimal) -> go.Figure:
    """Bars of actual spend and forecast outturn per year, and the annual value as a line.

    `rows`: year_label, actual, outturn (Decimals).
    """
    years = [row["year_label"] for row in rows]
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
    figure.update_layout(
        base_layout(
            barmode="group",
            yaxis={"tickprefix": "£", "ticksuffix": "m", "rangemode": "tozero"},
            xaxis={"type": "category"},
        )
    )
    return figure


def supplier_share(rows: list[dict]) -> go.Figure:
    """The supplier's share of technology spend per year, as a line (concentration).

    `rows`: year_label, share (a percentage Decimal, or None for a year without spend).
    """
    figure = go.Figure()
    figure.add_scatter(
        name="Share of technology spend",
        x=[row["year_label"] for row in rows],
        y=[None if row["share"] is None else float(row["share"]) for row in rows],
        mode="lines+markers",
        line={"color": PALETTE["vermillion"]},
        marker={"symbol": "diamond", "size": 10},
    )
    figure.update_layout(
        base_layout(
            yaxis={"ticksuffix": "%", "range": [0, 100]},
            xaxis={"type": "category"},
            showlegend=False,
        )
    )
    return figure
