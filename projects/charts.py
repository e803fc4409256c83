"""Project and benefit charts: plain rows in (from `projects.figures`), a Chart out.

Tables and summaries carry the Decimals and dates; figures draw floats (£m for money) with
the formatted Decimal as hover text. Names reach plotly escaped (plotly renders some HTML in
labels), the tables are escaped by the template.
"""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from html import escape

import plotly.graph_objects as go
from django.utils.formats import date_format

from budgets.models import Rag
from common.charts import (
    MONEY_HOVER,
    PALETTE,
    Chart,
    base_layout,
    chart_layout,
    hover_money,
    millions,
    money_axis,
    short_money,
)
from common.money import format_money, percent
from common.rag import rag_word
from projects.figures import format_quantity
from projects.models import (
    COST_AMBER_PERCENT,
    COST_RED_PERCENT,
    BenefitMeasure,
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


def _month(value: date | None) -> str:
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
        layout=chart_layout(yaxis=money_axis("Whole-life cost, £m", rangemode="tozero")),
    )
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
    if base:
        growth = last["forecast_cost"] - base
        side = "above" if growth >= 0 else "below"
        text += (
            f": {short_money(abs(growth))} ({abs(percent(growth, base))}%) {side} the "
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
            yaxis={"type": "date", "gridcolor": "#e3e7ea", "title": {"text": "Go-live"}},
        ),
    )
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
        return f"Baseline go-live {_month(last['baseline_go_live'])}; no forecast go-live."
    first = dated[0]
    text = (
        f"The forecast go-live moved from {_month(first['forecast_go_live'])} (forecast of "
        f"{_day(first['date'])}) to {_month(dated[-1]['forecast_go_live'])} (forecast of "
        f"{_day(dated[-1]['date'])})"
    )
    if last["forecast_go_live"] is None:
        text += f"; since {_day(last['date'])} there is no go-live: the project stopped"
    elif (slip := _slip(last)) is not None:
        text += f", {slip} months after the baseline of {_month(last['baseline_go_live'])}"
    return text + "."


def growth_chart(projects: Sequence[Project]) -> Chart:
    """Cost growth of each open, baselined project against the tolerance lines. `projects`
    come from `Project.objects.with_growth(...)`."""
    judged = [p for p in projects if p.is_open and p.base_cost is not None]
    columns = ("Project", "Baseline", "Forecast", "Growth", "Growth %", "Slip (months)", "RAG")
    table = [
        (
            f"{p.code} {p.name}",
            p.base_cost,
            p.fc_cost,
            p.cost_growth,
            f"{p.cost_growth_pct}%",
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
                    f"{escape(p.name)}: {format_money(p.cost_growth)} ({p.cost_growth_pct}%), "
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
        ),
    )
    over = [p for p in judged if p.cost_rag == Rag.RED]
    worst = max(judged, key=lambda p: p.cost_growth_pct or 0)
    summary = (
        f"{len(over)} of {len(judged)} open projects are more than {COST_RED_PERCENT}% over "
        f"their baseline cost; the largest growth is {worst.code}'s "
        f"{short_money(worst.cost_growth)} ({worst.cost_growth_pct}%)."
    )
    return Chart(
        id="growth",
        title=title,
        summary=summary,
        figure=figure,
        columns=columns,
        rows=table,
        notes=[
            f"Dotted lines: the amber ({COST_AMBER_PERCENT}%) and red ({COST_RED_PERCENT}%) "
            "tolerances."
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


# ------------------------------------------------------------------------------ benefits


def benefit_chart(measure: BenefitMeasure, rows: Sequence[dict]) -> Chart:
    """A measure's planned and actual level by month. `rows` are `measure_curve` rows."""
    unit = measure.get_unit_display()
    hours = measure.unit == BenefitMeasure.Unit.HOURS_PER_WEEK
    columns = ["Month", f"Planned ({unit})", f"Actual ({unit})", "Actual - planned"]
    if hours:
        columns += ["Planned FTE", "Actual FTE"]
    table = [
        [_month(r["month"]), *(_q(r[k], measure) for k in ("planned", "actual", "variance"))]
        + ([_q(r["planned_fte"], measure), _q(r["actual_fte"], measure)] if hours else [])
        for r in rows
    ]
    title = f"{measure.name}: planned and actual"
    chart_id = f"benefit-{measure.code}"
    if not rows:
        return Chart(id=chart_id, title=title, summary="No plan or actuals yet.", figure=None)
    months = [r["month"].isoformat() for r in rows]
    figure = go.Figure(
        data=[
            go.Scatter(
                name="Planned",
                x=months,
                y=[_f(r["planned"]) for r in rows],
                mode="lines",
                line={"color": PALETTE["grey"], "dash": "dash", "width": 3},
            ),
            go.Scatter(
                name="Actual",
                x=months,
                y=[_f(r["actual"]) for r in rows],
                mode="lines+markers",
                line={"color": PALETTE["blue"], "width": 3},
                marker={"size": 6},
            ),
        ],
        layout=base_layout(
            template="none",
            yaxis={"gridcolor": "#e3e7ea", "title": {"text": escape(unit)}, "rangemode": "tozero"},
        ),
    )
    return Chart(
        id=chart_id,
        title=title,
        summary=_benefit_summary(measure, rows),
        figure=figure,
        columns=columns,
        rows=table,
    )


def _q(value: Decimal | None, measure: BenefitMeasure) -> str:
    return format_quantity(value, measure.unit)


def _f(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _benefit_summary(measure: BenefitMeasure, rows: Sequence[dict]) -> str:
    unit = measure.get_unit_display().lower()
    planned = [r for r in rows if r["planned"] is not None]
    recorded = [r for r in rows if r["actual"] is not None]
    plan_end = (
        f"the plan reaches {_q(planned[-1]['planned'], measure)} by {_month(planned[-1]['month'])}"
        if planned
        else "there is no plan"
    )
    if not recorded:
        return f"No actuals recorded yet; {plan_end}."
    last = recorded[-1]
    text = f"By {_month(last['month'])}, {_q(last['actual'], measure)} ({unit})"
    if last["planned"] is not None:
        share = percent(last["actual"], last["planned"])
        text += f" against {_q(last['planned'], measure)} planned"
        text += f" ({share}% of plan)" if share is not None else ""
    if measure.unit == BenefitMeasure.Unit.HOURS_PER_WEEK:
        text += f", {last['actual_fte']} officers' time"
    return f"{text}; {plan_end}."


# -------------------------------------------------------------------- spend per officer


def spend_per_officer_chart(rows: Sequence[dict]) -> Chart:
    """Technology spend per police officer by year, with its trend. `rows` are
    `spend_per_officer_by_year()` rows."""
    columns = ("Year", "Technology outturn", "Officers", "Spend per officer", "Change")
    table = [
        (
            r["year_label"],
            r["outturn"],
            "—" if r["officers"] is None else f"{r['officers']:,}",
            r["per_officer"],
            r["change"],
        )
        for r in rows
    ]
    counted = [r for r in rows if r["per_officer"] is not None]
    title = "Technology spend per police officer"
    if not counted:
        return Chart(
            id="spend-per-officer",
            title=title,
            summary="No officer numbers are recorded for the years with figures.",
            figure=None,
            columns=columns,
            rows=table,
        )
    figure = go.Figure(
        data=[
            go.Bar(
                x=[r["year_label"] for r in counted],
                y=[float(r["per_officer"]) for r in counted],
                marker={"color": PALETTE["blue"], "line": {"color": PALETTE["black"], "width": 1}},
                customdata=hover_money(r["per_officer"] for r in counted),
                hovertemplate="%{x}: %{customdata} per officer<extra></extra>",
                name="Spend per officer",
            )
        ],
        layout=base_layout(
            template="none",
            showlegend=False,
            yaxis={"tickprefix": "£", "gridcolor": "#e3e7ea", "title": {"text": "£ per officer"}},
        ),
    )
    first, last = counted[0], counted[-1]
    if first is last:
        summary = f"{first['year_label']}: {format_money(first['per_officer'])} per officer."
    else:
        change = last["per_officer"] - first["per_officer"]
        verb = "rose" if change > 0 else "fell" if change < 0 else "held"
        summary = (
            f"Technology spend per officer {verb} from {format_money(first['per_officer'])} "
            f"in {first['year_label']} to {format_money(last['per_officer'])} in "
            f"{last['year_label']} ({percent(change, first['per_officer'])}%)."
        )
    return Chart(
        id="spend-per-officer",
        title=title,
        summary=summary,
        figure=figure,
        columns=columns,
        rows=table,
        notes=[
            "Outturn is actual spend where entered, else forecast or budget: a year in "
            "progress is its forecast outturn."
        ],
    )
