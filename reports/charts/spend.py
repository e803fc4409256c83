"""Spend charts: the year by month against budget, and by category."""

from collections.abc import Mapping, Sequence

import plotly.graph_objects as go
from django.urls import reverse

from common.chart_layout import (
    aligned_axes,
    legend_above,
    nice_axis,
    responsive,
    small_layout,
    wide_height,
    wrapped_ticks,
)
from common.charts import (
    MONEY_HOVER,
    PALETTE,
    Chart,
    chart_layout,
    format_percent,
    hover_money,
    label,
    link_points,
    millions,
    money_axis,
    money_trace,
    page_url,
    plain_figure,
    short_money,
)
from common.rag import rag_word

MONTHLY_COLUMNS = (
    "Period",
    "Revised budget",
    "Actual",
    "Forecast",
    "Cumulative revised budget",
    "Cumulative actual",
    "Cumulative expected",
)
# (key, legend name, colour, pattern, whether drawn only after the reporting date)
MONTHLY_BARS = (
    ("budget", "Revised budget", PALETTE["grey"], "", False),
    ("actual", "Actual", PALETTE["blue"], "", False),
    ("forecast", "Forecast (after the reporting date)", PALETTE["orange"], "/", True),
)
# (key, legend name, colour, dash, marker, whether drawn only from the reporting date)
MONTHLY_LINES = (
    ("cumulative_budget", "Cumulative revised budget", PALETTE["black"], "dash", "square", False),
    ("cumulative_actual", "Cumulative actual", PALETTE["vermillion"], "solid", "circle", False),
    ("cumulative_expected", "Cumulative forecast", PALETTE["green"], "dot", "diamond", True),
)


def monthly_chart(rows: Sequence[dict], totals: dict, *, year_label: str, as_at: int) -> Chart:
    """Monthly actual against budget (bars) with the cumulative burn-up (lines on the
    right axis) running on to the forecast outturn. `rows` are `by_period()` rows,
    `totals` the year's `totals()`. Each period opens that period's page (every role
    may read it; Finance enters figures there)."""
    links = [reverse("budgets:period", args=[year_label, r["period"]]) for r in rows]
    return Chart(
        id="monthly",
        title=f"Monthly spend {year_label}: actual against budget, with burn-up",
        summary=_monthly_summary(rows, totals, as_at),
        figure=link_points(_monthly_figure(rows, totals, as_at), links),
        links=links,
        columns=MONTHLY_COLUMNS,
        rows=[
            (
                f"P{r['period']}",
                r["budget"],
                r["actual"],
                r["forecast"],
                r["cumulative_budget"],
                r["cumulative_actual"],
                r["cumulative_expected"],
            )
            for r in rows
        ],
    )


def _monthly_summary(rows: Sequence[dict], totals: dict, as_at: int) -> str:
    if as_at:
        opening = (
            f"Actual {short_money(totals['actual_to_date'])} to P{as_at} against a budget "
            f"to date of {short_money(rows[as_at - 1]['cumulative_budget'])}; "
        )
    else:
        opening = "No actuals yet; "
    over = "over" if totals["variance"] > 0 else "under"
    return (
        f"{opening}forecast outturn {short_money(totals['outturn'])} against a "
        f"{short_money(totals['budget'])} budget, {short_money(abs(totals['variance']))} "
        f"{over} ({format_percent(abs(totals['variance_pct'] or 0))}, {rag_word(totals['rag'])})."
    )


def _monthly_figure(rows: Sequence[dict], totals: dict, as_at: int) -> go.Figure:
    periods = [f"P{r['period']}" for r in rows]
    bars = _extent(r[key] for r in rows for key, *_ in MONTHLY_BARS)
    lines = _extent([*(r[key] for r in rows for key, *_ in MONTHLY_LINES), totals["outturn"]])
    left, right = aligned_axes(bars, lines, ticks=5)
    small_left, small_right = aligned_axes(bars, lines, ticks=4)
    legend_items = len(MONTHLY_BARS) + len(MONTHLY_LINES)
    layout = chart_layout(
        barmode="group",
        # Round ticks on both axes, on the same grid lines.
        yaxis=money_axis("Monthly, £m", **left),
        yaxis2=money_axis("Cumulative, £m", overlaying="y", side="right", showgrid=False, **right),
        margin={"l": 64, "r": 72, "t": 24, "b": 40},
        legend=legend_above(),
        height=wide_height(legend_rows=4, plot_height=260, bottom=40),
        annotations=[
            {
                "x": "P12",
                "y": millions(totals["outturn"]),
                "yref": "y2",
                "text": f"Outturn {short_money(totals['outturn'])}",
                "showarrow": True,
                "ax": -60,
                "ay": -25,
                "bgcolor": "#ffffff",
            }
        ],
    )
    traces = []
    for key, name, colour, pattern, after_only in MONTHLY_BARS:
        values = [None if after_only and r["period"] <= as_at else r[key] for r in rows]
        marker = {"color": colour, "pattern": {"shape": pattern}}
        traces.append(money_trace("bar", periods, values, name, marker=marker))
    for key, name, colour, dash, symbol, from_only in MONTHLY_LINES:
        values = [None if from_only and r["period"] < as_at else r[key] for r in rows]
        traces.append(
            money_trace(
                "scatter",
                periods,
                values,
                name,
                yaxis="y2",
                mode="lines+markers",
                line={"color": colour, "dash": dash, "width": 2},
                marker={"symbol": symbol, "size": 7},
            )
        )
    return responsive(
        plain_figure(traces, layout),
        small_layout(
            legend_items=legend_items,
            right=52,
            yaxis={**small_left, "title": {"text": "£m"}},
            yaxis2={**small_right, "title": {"text": ""}},
            xaxis={"dtick": 2},
        ),
    )


def _extent(values) -> tuple[float, float]:
    """The lowest and highest of `values` (Decimals, None skipped) in £m, for an axis."""
    drawn = [millions(v) for v in values if v is not None]
    return (min(drawn, default=0.0), max(drawn, default=0.0))


CATEGORY_COLUMNS = (
    "Category",
    "Kind",
    "Revised budget",
    "Actual to date",
    "Forecast outturn",
    "Variance",
    "RAG",
)
CATEGORY_BARS = (
    ("budget", "Revised budget", PALETTE["grey"], ""),
    ("outturn", "Forecast outturn", PALETTE["blue"], "/"),
)


def category_chart(
    rows: Sequence[dict], *, year_label: str, query: Mapping[str, object] | None = None
) -> Chart:
    """Budget against forecast outturn for each category. `rows` are `by_category()` rows.
    Each category opens the budget lines table filtered to it, for the page's `query`
    (year and reporting date; by default the year)."""
    query = query or {"year": year_label}
    title = f"Spend by category {year_label}: budget against forecast outturn"
    if not rows:
        return Chart(
            id="categories",
            title=title,
            summary=f"No budget is recorded for {year_label}.",
            figure=None,
            columns=CATEGORY_COLUMNS,
        )
    links = [page_url("budgets:index", query={**query, "category": r["category_id"]}) for r in rows]
    return Chart(
        id="categories",
        title=title,
        summary=_category_summary(rows, year_label),
        figure=link_points(_category_figure(rows), links),
        links=links,
        columns=CATEGORY_COLUMNS,
        rows=[
            (
                r["category"],
                r["kind"].title(),
                r["budget"],
                r["actual_to_date"],
                r["outturn"],
                r["variance"],
                rag_word(r["rag"]),
            )
            for r in rows
        ],
    )


def _category_summary(rows: Sequence[dict], year_label: str) -> str:
    worst = max(rows, key=lambda r: r["variance"])
    if worst["variance"] <= 0:
        return f"Every category is forecast to spend within its {year_label} budget."
    return (
        f"{worst['category']} has the largest forecast overspend: "
        f"{short_money(worst['variance'])} over its {short_money(worst['budget'])} budget "
        f"({rag_word(worst['rag'])})."
    )


def _category_figure(rows: Sequence[dict]) -> go.Figure:
    names = [label(r["category"]) for r in rows]
    axis = nice_axis(*_extent(r[key] for r in rows for key, *_ in CATEGORY_BARS))
    plot_height = max(200, 44 * len(rows))
    layout = chart_layout(
        barmode="group",
        hovermode="y unified",
        xaxis={**money_axis("£m"), "tickprefix": "£", **axis},
        yaxis={"autorange": "reversed", "automargin": True, "type": "category"},
        margin={"l": 20, "r": 24, "t": 24, "b": 56},
        legend=legend_above(),
        height=wide_height(legend_rows=1, plot_height=plot_height),
    )
    traces = [
        {
            "type": "bar",
            "y": names,
            "x": [millions(r[key]) for r in rows],
            "orientation": "h",
            "name": name,
            "marker": {"color": colour, "pattern": {"shape": pattern}},
            "customdata": hover_money([r[key] for r in rows]),
            "hovertemplate": MONEY_HOVER,
        }
        for key, name, colour, pattern in CATEGORY_BARS
    ]
    return responsive(
        plain_figure(traces, layout),
        small_layout(
            legend_items=len(CATEGORY_BARS),
            x_title=True,
            left=12,
            plot_height=max(240, 56 * len(rows)),
            xaxis=nice_axis(*_extent(r[key] for r in rows for key, *_ in CATEGORY_BARS), ticks=3),
            yaxis=wrapped_ticks(names, 14),
        ),
    )
