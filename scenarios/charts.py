"""The gap to target per year, the base against one scenario or several: `Results` in,
a `Chart` out (grouped bars, each series with its own fill pattern as well as colour)."""

from collections.abc import Sequence

import plotly.graph_objects as go

from common.charts import (
    MONEY_HOVER,
    SERIES,
    Chart,
    chart_layout,
    hover_money,
    label,
    millions,
    money_axis,
    short_money,
)
from scenarios.engine import Results

PATTERNS = ("", "/", "x", ".", "\\")


def gap_chart(named: Sequence[tuple[str, Results]], *, chart_id: str = "gap") -> Chart:
    """The gap to target (target less savings forecast; negative is ahead of target) of
    each year with a target: the base, then each named scenario's."""
    years = [y for y in named[0][1].years if y.base["target"] is not None] if named else []
    series = [("Base (live figures)", [y.base["gap"] for y in years])] + [
        (name, [y.scenario["gap"] for y in results.years if y.base["target"] is not None])
        for name, results in named
    ]
    title = "Gap to the savings target per year, base and " + (
        "scenario" if len(named) == 1 else "scenarios"
    )
    columns = ("Year", *(name for name, _ in series))
    if not years:
        return Chart(chart_id, title, "No year of the plan has a savings target.", None, columns)
    rows = [(y.year.label, *(values[i] for _, values in series)) for i, y in enumerate(years)]
    return Chart(
        id=chart_id,
        title=title,
        summary=_summary(years[-1].year.label, series),
        figure=_figure([y.year.label for y in years], series),
        columns=columns,
        rows=rows,
        notes=["A gap below zero means the savings forecast is ahead of the target."],
    )


def _summary(last: str, series: list[tuple[str, list]]) -> str:
    base = series[0][1]
    text = f"In {last} the gap to target is {short_money(base[-1])} on the live figures"
    others = [f"{short_money(values[-1])} in {name}" for name, values in series[1:]]
    return text + (f"; {'; '.join(others)}" if others else "") + "."


def _figure(years: list[str], series: list[tuple[str, list]]) -> go.Figure:
    fig = go.Figure(layout=chart_layout(barmode="group", yaxis=money_axis("Gap to target, £m")))
    for i, (name, values) in enumerate(series):
        fig.add_bar(
            x=[label(y) for y in years],
            y=[millions(v) for v in values],
            name=label(name),
            marker={
                "color": SERIES[i % len(SERIES)],
                "pattern": {"shape": PATTERNS[i % len(PATTERNS)]},
            },
            customdata=hover_money(values),
            hovertemplate=MONEY_HOVER,
        )
    return fig
