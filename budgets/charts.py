"""Budget charts: plain rows in, a plotly Figure out."""

from collections.abc import Sequence
from decimal import Decimal

import plotly.graph_objects as go

from common.charts import PALETTE, base_layout


def pounds(value: Decimal | None) -> float | None:
    """Pounds as a float, for drawing only: one line's months are too small for £m."""
    return None if value is None else float(value)


def line_months_figure(rows: Sequence[dict]) -> go.Figure:
    """One line's year by month: budget (line), actual (bars), forecast (dashed line).

    Each row has period, budget, actual (None if not entered) and forecast (forecast or
    budget, None where an actual exists).
    """
    periods = [f"P{row['period']}" for row in rows]
    figure = go.Figure()
    figure.add_bar(
        name="Actual",
        x=periods,
        y=[pounds(row["actual"]) for row in rows],
        marker_color=PALETTE["blue"],
        hovertemplate="£%{y:,.2f}<extra>Actual</extra>",
    )
    figure.add_scatter(
        name="Budget",
        x=periods,
        y=[pounds(row["budget"]) for row in rows],
        mode="lines+markers",
        line={"color": PALETTE["grey"], "width": 2},
        hovertemplate="£%{y:,.2f}<extra>Budget</extra>",
    )
    figure.add_scatter(
        name="Forecast",
        x=periods,
        y=[pounds(row["forecast"]) for row in rows],
        mode="lines+markers",
        line={"color": PALETTE["orange"], "width": 2, "dash": "dash"},
        marker={"symbol": "diamond"},
        hovertemplate="£%{y:,.2f}<extra>Forecast</extra>",
    )
    layout = base_layout()
    layout["yaxis"] = {**layout["yaxis"], "tickformat": ",.0f"}
    figure.update_layout(**layout)
    return figure
