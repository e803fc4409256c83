"""Benefit charts (planned against actual) and spend per officer, from plain rows."""

from collections.abc import Sequence
from decimal import Decimal
from html import escape

import plotly.graph_objects as go

from common.chart_layout import responsive, small_layout, wide_height
from common.charts import PALETTE, Chart, base_layout, format_percent, hover_money
from common.money import format_money, percent
from projects.charts.projects import month_label
from projects.figures import format_quantity
from projects.models import BenefitMeasure


def benefit_chart(measure: BenefitMeasure, rows: Sequence[dict]) -> Chart:
    """A measure's planned and actual level by month. `rows` are `measure_curve` rows."""
    unit = measure.get_unit_display()
    hours = measure.unit == BenefitMeasure.Unit.HOURS_PER_WEEK
    columns = ["Month", f"Planned ({unit})", f"Actual ({unit})", "Actual - planned"]
    if hours:
        columns += ["Planned FTE", "Actual FTE"]
    table = [
        [month_label(r["month"]), *(_q(r[k], measure) for k in ("planned", "actual", "variance"))]
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
            height=wide_height(legend_rows=1),
        ),
    )
    responsive(figure, small_layout(legend_items=2, xaxis={"nticks": 4}))
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
    unit = "" if measure.unit == BenefitMeasure.Unit.POUNDS else f" {measure.get_unit_display()}"
    planned = [r for r in rows if r["planned"] is not None]
    recorded = [r for r in rows if r["actual"] is not None]
    plan_end = "there is no plan"
    if planned:
        end = planned[-1]
        plan_end = f"the plan reaches {_q(end['planned'], measure)} by {month_label(end['month'])}"
    if not recorded:
        return f"No actuals recorded yet; {plan_end}."
    last = recorded[-1]
    text = f"By {month_label(last['month'])}, {_q(last['actual'], measure)}{unit.lower()}"
    if last["planned"] is not None:
        share = percent(last["actual"], last["planned"])
        text += f" against {_q(last['planned'], measure)} planned"
        text += f" ({format_percent(share)} of plan)" if share is not None else ""
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
            height=wide_height(),
        ),
    )
    responsive(figure, small_layout(xaxis={"tickangle": -45}, tick_labels=48))
    first, last = counted[0], counted[-1]
    if first is last:
        summary = f"{first['year_label']}: {format_money(first['per_officer'])} per officer."
    else:
        change = last["per_officer"] - first["per_officer"]
        verb = "rose" if change > 0 else "fell" if change < 0 else "held"
        summary = (
            f"Technology spend per officer {verb} from {format_money(first['per_officer'])} "
            f"in {first['year_label']} to {format_money(last['per_officer'])} in "
            f"{last['year_label']} ({format_percent(percent(change, first['per_officer']))})."
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
