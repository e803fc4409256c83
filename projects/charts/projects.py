"""Project charts: the ballooning picture (forecast cost and go-live over time against
the baseline) and cost growth against tolerance."""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from html import escape

import plotly.graph_objects as go
from django.utils.formats import date_format

from budgets.models import Rag
from common.chart_layout import responsive, small_layout, wide_height
from common.charts import (
    MONEY_HOVER,
    PALETTE,
    Chart,
    base_layout,
    chart_layout,
    format_percent,
    hover_money,
    link_points,
    millions,
    money_axis,
    page_url,
    short_money,
)
from common.money import format_money, percent
from common.rag import rag_word
from projects.models import (
    COST_AMBER_PERCENT,
    COST_RED_PERCENT,
    Project,
    months_between,
)

RAG_COLOUR = {
    Rag.RED: PALETTE["vermillion"],
    Rag.AMBER: PALETTE["orange"],
    Rag.GREEN: PALETTE["green"],
}
RAG_PATTERN = {Rag.RED: "x", Rag.AMBER: "/", Rag.GREEN: ""}


def _day(value: date | None) -> str:
    return "—" if value is None else date_format(value)


def month_label(value: date | None) -> str:
    return "—" if value is None else date_format(value, "M Y")


def _step(name: str, x: list, y: list, colour: str, dash: str = "solid", **extra) -> go.Scatter:
    return go.Scatter(
        name=escape(name),
        x=x,
        y=y,
        mode="lines+markers",
        line={"shape": "hv", "color": colour, "dash": dash, "width": 3},
        marker={"symbol": "circle" if dash == "solid" else "square", "size": 7},
        **extra,
    )


# ------------------------------------------------------------------------------ projects


def cost_history_chart(project: Project, rows: Sequence[dict]) -> Chart:
    """The forecast whole-life cost over time against the baseline: the ballooning
    picture. `rows` are `project_timeline(project)` rows."""
    title = f"{project.code}: forecast whole-life cost against baseline"
    columns = ("Date", "Change", "Forecast cost", "Baseline cost", "Reason")
    table = [
        (r["date"], r["kind"].capitalize(), r["forecast_cost"], r["baseline_cost"], r["reason"])
        for r in rows
    ]
    if not rows:
        return Chart(
            id="cost-history",
            title=title,
            summary="No baseline or forecast has been recorded yet.",
            figure=None,
            columns=columns,
        )
    dates = [r["date"].isoformat() for r in rows]
    figure = go.Figure(
        data=[
            _step(
                "Baseline",
                dates,
                [millions(r["baseline_cost"]) for r in rows],
                PALETTE["grey"],
                "dash",
                customdata=hover_money(r["baseline_cost"] for r in rows),
                hovertemplate=MONEY_HOVER,
            ),
            _step(
                "Forecast",
                dates,
                [millions(r["forecast_cost"]) for r in rows],
                PALETTE["vermillion"],
                customdata=hover_money(r["forecast_cost"] for r in rows),
                hovertemplate=MONEY_HOVER,
            ),
        ],
        layout=chart_layout(
            yaxis=money_axis("Whole-life cost, £m", rangemode="tozero"),
            height=wide_height(legend_rows=1),
        ),
    )
    responsive(figure, small_layout(legend_items=2, xaxis={"nticks": 4}))
    return Chart(
        id="cost-history",
        title=title,
        summary=_cost_summary(rows),
        figure=figure,
        columns=columns,
        rows=table,
    )


def _cost_summary(rows: Sequence[dict]) -> str:
    first = next((r for r in rows if r["forecast_cost"] is not None), None)
    last = rows[-1]
    if first is None:
        return f"Baseline {short_money(last['baseline_cost'])}; no forecast yet."
    text = (
        f"The forecast whole-life cost moved from {short_money(first['forecast_cost'])} on "
        f"{_day(first['date'])} to {short_money(last['forecast_cost'])} on {_day(last['date'])}"
    )
    peak = max(rows, key=lambda r: r["forecast_cost"] or 0)
    if peak["forecast_cost"] > last["forecast_cost"]:
        text += f", after peaking at {short_money(peak['forecast_cost'])} on {_day(peak['date'])}"
    base = last["baseline_cost"]
    if last["kind"] == "forecast" and last["forecast_go_live"] is None:
        return text + f": it stopped without going live, against a {short_money(base)} baseline."
    if base:
        growth = last["forecast_cost"] - base
        side = "above" if growth >= 0 else "below"
        text += (
            f": {short_money(abs(growth))} ({format_percent(abs(percent(growth, base)))}) "
            f"{side} the "
            f"{short_money(base)} baseline"
        )
    return text + "."


def go_live_history_chart(project: Project, rows: Sequence[dict]) -> Chart:
    """The forecast go-live over time against the baseline go-live: a line that climbs is
    a date that keeps slipping."""
    title = f"{project.code}: forecast go-live against baseline"
    columns = ("Date", "Change", "Forecast go-live", "Baseline go-live", "Slip (months)")
    table = [
        (
            r["date"],
            r["kind"].capitalize(),
            r["forecast_go_live"],
            r["baseline_go_live"],
            _slip(r),
        )
        for r in rows
    ]
    if not rows:
        return Chart(
            id="go-live-history",
            title=title,
            summary="No baseline or forecast has been recorded yet.",
            figure=None,
            columns=columns,
        )
    dates = [r["date"].isoformat() for r in rows]

    def series(key: str) -> list:
        return [r[key].isoformat() if r[key] else None for r in rows]

    figure = go.Figure(
        data=[
            _step(
                "Baseline go-live",
                dates,
                series("baseline_go_live"),
                PALETTE["grey"],
                "dash",
                hovertemplate="%{y|%d %b %Y}<extra>Baseline go-live</extra>",
            ),
            _step(
                "Forecast go-live",
                dates,
                series("forecast_go_live"),
                PALETTE["blue"],
                hovertemplate="%{y|%d %b %Y}<extra>Forecast go-live</extra>",
            ),
        ],
        layout=base_layout(
            template="none",
            margin={"l": 80, "r": 20, "t": 20, "b": 50},
            yaxis={
                "type": "date",
                "gridcolor": "#e3e7ea",
                "tickformat": "%b %Y",
                "title": {"text": "Go-live"},
            },
            height=wide_height(legend_rows=1),
        ),
    )
    responsive(figure, small_layout(legend_items=2, left=72, xaxis={"nticks": 4}))
    return Chart(
        id="go-live-history",
        title=title,
        summary=_go_live_summary(rows),
        figure=figure,
        columns=columns,
        rows=table,
    )


def _slip(row: dict) -> int | None:
    if row["forecast_go_live"] is None or row["baseline_go_live"] is None:
        return None
    return months_between(row["baseline_go_live"], row["forecast_go_live"])


def _go_live_summary(rows: Sequence[dict]) -> str:
    dated = [r for r in rows if r["forecast_go_live"] is not None]
    last = rows[-1]
    if not dated:
        return f"Baseline go-live {month_label(last['baseline_go_live'])}; no forecast go-live."
    first = dated[0]
    text = (
        f"The forecast go-live moved from {month_label(first['forecast_go_live'])} (forecast of "
        f"{_day(first['date'])}) to {month_label(dated[-1]['forecast_go_live'])} (forecast of "
        f"{_day(dated[-1]['date'])})"
    )
    if last["forecast_go_live"] is None:
        text += f"; since {_day(last['date'])} there is no go-live: the project stopped"
    elif (slip := _slip(last)) is not None:
        text += f", {slip} months after the baseline of {month_label(last['baseline_go_live'])}"
    return text + "."


def growth_chart(projects: Sequence[Project], *, as_at: date | None = None) -> Chart:
    """Cost growth of each open, baselined project against the tolerance lines. `projects`
    come from `Project.objects.with_growth(as_at)`; each opens its page as at `as_at`."""
    judged = [p for p in projects if p.is_open and p.base_cost is not None]
    query = {"as_at": as_at.isoformat()} if as_at else None
    links = [page_url("projects:detail", p.code, query=query) for p in judged]
    columns = ("Project", "Baseline", "Forecast", "Growth", "Growth %", "Slip (months)", "RAG")
    table = [
        (
            f"{p.code} {p.name}",
            p.base_cost,
            p.fc_cost,
            p.cost_growth,
            format_percent(p.cost_growth_pct),
            p.slip_months,
            rag_word(p.rag),
        )
        for p in judged
    ]
    title = "Cost growth against baseline, open projects"
    if not judged:
        return Chart(
            id="growth",
            title=title,
            summary="No open project has an approved baseline.",
            figure=None,
            columns=columns,
        )
    labels = [escape(p.code) for p in judged]
    figure = go.Figure(
        data=[
            go.Bar(
                x=labels,
                y=[float(p.cost_growth_pct or 0) for p in judged],
                marker={
                    "color": [RAG_COLOUR.get(p.cost_rag, PALETTE["grey"]) for p in judged],
                    "pattern": {"shape": [RAG_PATTERN.get(p.cost_rag, "") for p in judged]},
                    "line": {"color": PALETTE["black"], "width": 1},
                },
                customdata=[
                    f"{escape(p.name)}: {format_money(p.cost_growth)} "
                    f"({format_percent(p.cost_growth_pct)}), "
                    f"{rag_word(p.cost_rag)}"
                    for p in judged
                ],
                hovertemplate="%{customdata}<extra></extra>",
                name="Cost growth",
            )
        ],
        layout=base_layout(
            template="none",
            showlegend=False,
            yaxis={"ticksuffix": "%", "gridcolor": "#e3e7ea", "title": {"text": "Growth, %"}},
            shapes=[_tolerance_line(COST_RED_PERCENT), _tolerance_line(COST_AMBER_PERCENT)],
            height=wide_height(),
        ),
    )
    responsive(figure, small_layout(xaxis={"tickangle": -45}, tick_labels=48))
    over = [p for p in judged if p.cost_rag == Rag.RED]
    worst = max(judged, key=lambda p: p.cost_growth_pct or 0)
    summary = (
        f"{len(over)} of {len(judged)} open projects are more than {COST_RED_PERCENT}% over "
        f"their baseline cost; the largest growth is {worst.code}'s "
        f"{short_money(worst.cost_growth)} ({format_percent(worst.cost_growth_pct)})."
    )
    return Chart(
        id="growth",
        title=title,
        summary=summary,
        figure=link_points(figure, links),
        columns=columns,
        rows=table,
        links=links,
        notes=[
            f"Dotted lines: the amber ({format_percent(COST_AMBER_PERCENT)}) and red "
            f"({format_percent(COST_RED_PERCENT)}) tolerances."
        ],
    )


def _tolerance_line(level: Decimal) -> dict:
    return {
        "type": "line",
        "xref": "paper",
        "x0": 0,
        "x1": 1,
        "y0": float(level),
        "y1": float(level),
        "line": {"color": PALETTE["black"], "dash": "dot", "width": 1},
    }
