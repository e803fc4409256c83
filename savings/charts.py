"""Savings charts: rows of `InitiativeYear.objects.pipeline(...)` in, `Chart`s out.

The savings page and the dashboard draw these same two charts: every year against its
target (in-year and cumulative), and one year's pipeline from target to realised.
"""

from collections.abc import Sequence
from decimal import Decimal

import plotly.graph_objects as go

from common.chart_layout import (
    PLOT_HEIGHT,
    TEXT_FONT,
    nice_axis,
    responsive,
    small_layout,
    upward_label_top,
    wide_height,
)
from common.charts import (
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
from common.money import percent
from common.rag import rag_word

NON_CASHABLE_NOTE = "Non-cashable savings (such as officer time) are not in this chart."

BY_YEAR_COLUMNS = (
    "Year",
    "Target (in-year)",
    "Realised",
    "Forecast",
    "Gap to target",
    "RAG",
    "Cumulative target",
    "Cumulative realised",
    "Cumulative forecast",
)
# (key, legend name, colour, fill pattern): in-year bars, then running totals as lines
# (dash, marker). Each series differs by pattern or shape as well as colour.
BY_YEAR_BARS = (
    ("target", "Target (in-year)", PALETTE["grey"], ""),
    ("realised", "Realised (in-year)", PALETTE["blue"], ""),
    ("forecast", "Forecast (in-year)", PALETTE["sky"], "/"),
)
BY_YEAR_LINES = (
    ("cumulative_target", "Cumulative target", PALETTE["black"], "dash", "square"),
    ("cumulative_realised", "Cumulative realised", PALETTE["vermillion"], "solid", "circle"),
    ("cumulative_forecast", "Cumulative forecast", PALETTE["orange"], "dot", "diamond"),
)


def savings_by_year_chart(
    rows: Sequence[dict], *, year_label: str, reduction: Decimal | None = None
) -> Chart:
    """In-year savings against target for every year (bars) and the running totals
    (lines); the summary reads the selected year's cumulative position. With the
    programme's `reduction` (the £500m), a flat line marks it and the summary says how far
    the cumulative forecast to the last year of the plan goes towards it. Each year opens
    the savings page of that year."""
    title = "Savings by year against target, in-year and cumulative"
    if not rows:
        return Chart(
            id="savings",
            title=title,
            summary="No savings targets or initiatives are recorded for any year.",
            figure=None,
            columns=BY_YEAR_COLUMNS,
        )
    links = [page_url("savings:index", query={"year": r["year_label"]}) for r in rows]
    return Chart(
        id="savings",
        title=title,
        summary=_by_year_summary(rows, year_label) + _toward_reduction(rows, reduction),
        figure=link_points(_by_year_figure(rows, reduction), links),
        links=links,
        columns=BY_YEAR_COLUMNS,
        rows=[
            (
                r["year_label"],
                r["target"],
                r["realised"],
                r["forecast"],
                r["gap"],
                rag_word(r["rag"]),
                r["cumulative_target"],
                r["cumulative_realised"],
                r["cumulative_forecast"],
            )
            for r in rows
        ],
        notes=[NON_CASHABLE_NOTE],
    )


def _by_year_summary(rows: Sequence[dict], year_label: str) -> str:
    selected = next((r for r in rows if r["year_label"] == year_label), None)
    if selected is None or not selected["cumulative_target"]:
        return (
            f"No savings target is recorded for {year_label}; the chart shows the years "
            f"from {rows[0]['year_label']} to {rows[-1]['year_label']}."
        )
    return (
        f"By {year_label}, {short_money(selected['cumulative_realised'])} of the "
        f"cumulative {short_money(selected['cumulative_target'])} target has been "
        f"realised ({format_percent(selected['cumulative_realised_pct'])}), with "
        f"{short_money(selected['cumulative_forecast'])} forecast."
    )


def _toward_reduction(rows: Sequence[dict], reduction: Decimal | None) -> str:
    if not reduction:
        return ""
    last = rows[-1]
    return (
        f" The cumulative forecast to {last['year_label']} is "
        f"{short_money(last['cumulative_forecast'])}, "
        f"{format_percent(percent(last['cumulative_forecast'], reduction))} of the programme's "
        f"{short_money(reduction)} reduction."
    )


def _by_year_figure(rows: Sequence[dict], reduction: Decimal | None = None) -> go.Figure:
    years = [label(r["year_label"]) for r in rows]
    drawn = [millions(r[key]) for r in rows for key, *_ in (*BY_YEAR_BARS, *BY_YEAR_LINES)]
    drawn = [value for value in drawn if value is not None] + [millions(reduction) or 0.0]
    items = len(BY_YEAR_BARS) + len(BY_YEAR_LINES) + (1 if reduction else 0)
    layout = chart_layout(
        barmode="group",
        yaxis=money_axis("Savings, £m", **nice_axis(min(drawn), max(drawn))),
        height=wide_height(legend_rows=5, plot_height=260),
    )
    traces = []
    for key, name, colour, pattern in BY_YEAR_BARS:
        values = [r[key] for r in rows]
        marker = {"color": colour, "pattern": {"shape": pattern}}
        traces.append(money_trace("bar", years, values, name, marker=marker))
    for key, name, colour, dash, symbol in BY_YEAR_LINES:
        values = [r[key] for r in rows]
        traces.append(
            money_trace(
                "scatter",
                years,
                values,
                name,
                mode="lines+markers",
                line={"color": colour, "dash": dash, "width": 2},
                marker={"symbol": symbol, "size": 9},
            )
        )
    if reduction:
        traces.append(
            money_trace(
                "scatter",
                years,
                [reduction] * len(years),
                f"Organisation-wide reduction ({short_money(reduction)})",
                mode="lines",
                line={"color": PALETTE["grey"], "dash": "longdash", "width": 2},
            )
        )
    return responsive(
        plain_figure(traces, layout),
        small_layout(
            legend_items=items,
            yaxis={**nice_axis(min(drawn), max(drawn), ticks=4), "title": {"text": "£m"}},
        ),
    )


# The savings page's initiatives table, where a pipeline stage's initiatives are listed.
INITIATIVES_ANCHOR = "#initiatives-title"
PIPELINE_COLUMNS = ("Stage", "Amount", "Share of target")
# The longest bar label written upright (a phone's bar is some 44px: "£115.0m").
UPRIGHT_LABEL = 7
# (stage, row key, colour, fill pattern), in the order the pipeline narrows.
PIPELINE_STAGES = (
    ("Target", "target", PALETTE["grey"], ""),
    ("Identified", "identified", PALETTE["sky"], "."),
    ("Approved", "approved", PALETTE["green"], "/"),
    ("Realised", "realised", PALETTE["blue"], ""),
    ("Forecast", "forecast", PALETTE["orange"], "x"),
)


def pipeline_chart(row: dict | None, *, year_label: str) -> Chart:
    """One year's pipeline: target -> identified -> approved -> realised (+ forecast),
    and the gap from the forecast to the target. `row` is that year's pipeline row (None
    when the year has no target and no initiatives). Each stage opens the year's
    initiatives, on the savings page."""
    title = f"Savings pipeline {year_label}: target to realised"
    if row is None:
        return Chart(
            id="pipeline",
            title=title,
            summary=f"No savings target or initiatives are recorded for {year_label}.",
            figure=None,
            columns=PIPELINE_COLUMNS,
        )
    table = _pipeline_table(row)
    figure = _pipeline_figure(row)
    initiatives = page_url("savings:index", query={"year": year_label}) + INITIATIVES_ANCHOR
    return Chart(
        id="pipeline",
        title=title,
        summary=_pipeline_summary(row, year_label),
        figure=link_points(figure, [initiatives] * len(figure.data[0].x)),
        columns=PIPELINE_COLUMNS,
        rows=table,
        links=[initiatives] * len(table),
        notes=[NON_CASHABLE_NOTE],
    )


def _pipeline_table(row: dict) -> list[tuple]:
    target = row["target"]
    table = [(stage, row[key], percent(row[key], target)) for stage, key, *_ in PIPELINE_STAGES]
    if target is not None:
        table.append(("Gap: target less forecast", row["gap"], percent(row["gap"], target)))
    return [(name, value, format_percent(pct)) for name, value, pct in table]


def _pipeline_summary(row: dict, year_label: str) -> str:
    target, forecast, realised = row["target"], row["forecast"], row["realised"]
    if target is None:
        return (
            f"{year_label} has no savings target; initiatives forecast "
            f"{short_money(forecast)}, of which {short_money(realised)} is realised."
        )
    position = (
        f"leaves a gap of {short_money(row['gap'])}" if row["gap"] > 0 else "meets the target"
    )
    return (
        f"{short_money(realised)} of the {short_money(target)} target realised "
        f"({format_percent(row['realised_pct'])}); the forecast of {short_money(forecast)} "
        f"{position} "
        f"({rag_word(row['rag'])})."
    )


def _pipeline_figure(row: dict) -> go.Figure:
    shown = [stage for stage in PIPELINE_STAGES if row[stage[1]] is not None]
    values = [row[key] for _, key, *_ in shown]
    drawn = [millions(value) for value in values]
    texts = [short_money(value) for value in values]
    # Labels as wide as a phone's bar ("£60.0m") stand upright over their bars; longer ones
    # ("£10,000.00") would run into their neighbours there, and are written upwards.
    upright = max(len(text) for text in texts) <= UPRIGHT_LABEL
    # Room over the tallest bar for its label.
    top = max(drawn) * 1.15 if upright else upward_label_top(max(drawn), 0, texts, PLOT_HEIGHT)
    fig = go.Figure(
        layout=chart_layout(
            showlegend=False,
            hovermode="closest",
            yaxis=money_axis("Savings, £m", **nice_axis(min(drawn), top)),
            margin={"l": 64, "r": 24, "t": 40, "b": 40},
            height=wide_height(bottom=40 + 16),
        )
    )
    responsive(
        fig,
        small_layout(
            top=40,
            tick_labels=56,
            xaxis={"tickangle": -45, "automargin": True},
            yaxis={**nice_axis(min(drawn), top, ticks=4), "title": {"text": "£m"}},
        ),
    )
    fig.add_bar(
        x=[stage for stage, *_ in shown],
        y=[millions(value) for value in values],
        name="Savings",
        marker={
            "color": [colour for *_, colour, _ in shown],
            "pattern": {"shape": [pattern for *_, pattern in shown]},
            "line": {"color": PALETTE["black"], "width": 1},
        },
        text=texts,
        textposition="outside",
        textangle=0 if upright else -90,
        textfont={"size": TEXT_FONT},
        cliponaxis=False,
        customdata=hover_money(values),
        hovertemplate="%{x}: %{customdata}<extra></extra>",
    )
    if row["target"] is not None:
        _mark_target(fig, row)
    return fig


def _mark_target(fig: go.Figure, row: dict) -> None:
    """The target as a dashed line across the stages, and any gap called out over the
    plot."""
    fig.add_hline(
        y=millions(row["target"]), line={"color": PALETTE["black"], "dash": "dash", "width": 1}
    )
    if row["gap"] > 0:
        # Over the plot, clear of every bar and its label.
        fig.add_annotation(
            xref="paper",
            x=1,
            xanchor="right",
            yref="paper",
            y=1,
            yanchor="bottom",
            yshift=6,
            text=f"Gap to target: {short_money(row['gap'])} ({rag_word(row['rag'])})",
            showarrow=False,
            font={"color": PALETTE["black"], "size": TEXT_FONT},
            bgcolor="#ffffff",
        )


def savings_charts(rows: Sequence[dict], *, year_label: str) -> list[Chart]:
    """The savings charts for a page showing `year_label`: every year against target, and
    that year's pipeline."""
    selected = next((r for r in rows if r["year_label"] == year_label), None)
    return [
        savings_by_year_chart(rows, year_label=year_label),
        pipeline_chart(selected, year_label=year_label),
    ]
