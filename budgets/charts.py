"""Budget charts: plain rows in, a plotly Figure (or a whole `Chart`) out."""

from collections.abc import Sequence
from decimal import Decimal

import plotly.graph_objects as go
from django.urls import reverse

from common.chart_layout import responsive, small_layout, wide_height
from common.charts import PALETTE, Chart, base_layout, link_points

LINE_CHART_COLUMNS = ("Period", "Revised budget", "Actual", "Forecast")


def pounds(value: Decimal | None) -> float | None:
    """Pounds as a float, for drawing only: one line's months are too small for £m."""
    return None if value is None else float(value)


def line_months_figure(rows: Sequence[dict]) -> go.Figure:
    """One line's year by month: budget (line), actual (bars), forecast (dashed line).

    Each row has period, budget, actual (None if not entered) and forecast_shown (the
    forecast or else the budget, None where an actual exists): `reporting.line_months`.
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
        name="Revised budget",
        x=periods,
        y=[pounds(row["budget"]) for row in rows],
        mode="lines+markers",
        line={"color": PALETTE["grey"], "width": 2},
        hovertemplate="£%{y:,.2f}<extra>Revised budget</extra>",
    )
    figure.add_scatter(
        name="Forecast",
        x=periods,
        y=[pounds(row["forecast_shown"]) for row in rows],
        mode="lines+markers",
        line={"color": PALETTE["orange"], "width": 2, "dash": "dash"},
        marker={"symbol": "diamond"},
        hovertemplate="£%{y:,.2f}<extra>Forecast</extra>",
    )
    layout = base_layout(template="none", height=wide_height(legend_rows=1))
    layout["yaxis"] = {**layout["yaxis"], "tickformat": ",.0f", "title": {"text": "£"}}
    figure.update_layout(**layout)
    responsive(figure, small_layout(legend_items=3, xaxis={"dtick": 2}))
    return figure


def line_months_chart(
    *, code: str, year_label: str, rows: Sequence[dict], csv_url: str = ""
) -> Chart:
    """One line's year as a chart card: the figure, a summary in words and its table.

    `rows` as for `line_months_figure`; the table (and so the chart's CSV) holds exactly
    what the chart draws, the forecast being the forecast or else the budget. Each month
    opens that period's page (every line's figures for the month).
    """
    entered = sum(1 for row in rows if row["actual"] is not None)
    links = [reverse("budgets:period", args=[year_label, r["period"]]) for r in rows]
    return Chart(
        id="line-chart",
        title=f"Revised budget, actual and forecast by month, {year_label}",
        summary=(
            f"{code} in {year_label}: actuals entered for {entered} of {len(rows)} "
            "periods; budget, actual and forecast by month."
        ),
        figure=link_points(line_months_figure(rows), links),
        links=links,
        columns=LINE_CHART_COLUMNS,
        rows=[(f"P{r['period']}", r["budget"], r["actual"], r["forecast_shown"]) for r in rows],
        csv_url=csv_url,
    )
