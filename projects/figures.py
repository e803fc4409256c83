"""The figures pages, the dashboard and the reports show about projects and benefits.

Each is computed here once, from the QuerySet methods in `projects.models` and
`budgets.models`, and returned as plain values, so every page that shows one calls the
same function: `projects_summary`, `project_timeline`, `measure_curve`,
`measures_progress`, `devices_headline`, `spend_per_officer_by_year` and `fte_for_hours`.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.utils.formats import date_format

from budgets.models import FinancialYear, LineYearTotal, MonthlyFigure, PeriodTotal, Rag
from common.money import MINUS, ZERO, display_round, percent
from projects.models import (
    BenefitMeasure,
    BenefitValue,
    OfficerCount,
    Project,
    QuantityField,
    last_complete_month,
)

OFFICER_WEEKLY_HOURS = Decimal(getattr(settings, "OFFICER_WEEKLY_HOURS", "40"))
OFFICER_ABSTRACTION_PERCENT = Decimal(getattr(settings, "OFFICER_ABSTRACTION_PERCENT", "20"))

# ------------------------------------------------------------------------------ projects


def projects_summary(as_at: date | None = None) -> dict:
    """The committee's view of the major projects as at `as_at` (today when None), over
    the projects open and baselined then: how many; how many are red on cost, on schedule
    and on either; total baseline, total forecast and total cost growth (£ and % of the
    baseline); and the red projects themselves (code, name, cost_growth, cost_growth_pct,
    slip_months, cost_rag, schedule_rag), worst growth first. Two queries."""
    judged = Project.objects.with_growth(as_at).filter(is_open=True, base_cost__isnull=False)
    red_cost, red_schedule = Q(cost_rag=Rag.RED), Q(schedule_rag=Rag.RED)
    # Both queries name the columns they need: the overall `rag`, which repeats both RAGs'
    # expressions, is left out (writing it into the SQL took longer than running it).
    summed = ("pk", "cost_rag", "schedule_rag", "base_cost", "fc_cost", "cost_growth")
    totals = judged.values(*summed).aggregate(
        projects=Count("pk"),
        red_on_cost=Count("pk", filter=red_cost),
        red_on_schedule=Count("pk", filter=red_schedule),
        red=Count("pk", filter=red_cost | red_schedule),
        total_baseline=Sum("base_cost"),
        total_forecast=Sum("fc_cost"),
        total_growth=Sum("cost_growth"),
    )
    for key in ("total_baseline", "total_forecast", "total_growth"):
        totals[key] = ZERO if totals[key] is None else Decimal(totals[key])
    totals["total_growth_pct"] = percent(totals["total_growth"], totals["total_baseline"])
    red = judged.filter(red_cost | red_schedule).order_by("-cost_growth", "code")
    columns = ("code", "name", "cost_growth", "slip_months", "cost_rag", "schedule_rag")
    totals["red_projects"] = [
        {
            **{name: row[name] for name in columns},
            # Project.cost_growth_pct, from the same two values
            "cost_growth_pct": percent(row["cost_growth"], row["base_cost"]),
        }
        for row in red.values(*columns, "base_cost")
    ]
    totals["as_at"] = as_at
    return totals


def project_timeline(project: Project) -> list[dict]:
    """The project's forecasts and baselines in date order, one row per event: date, kind
    (baseline or forecast), reason, and after the event the forecast and baseline cost
    and go-live then in force (None before the first). Two queries."""
    events = [(b.effective, 0, b.pk, "baseline", b.reason, b) for b in project.baselines.all()] + [
        (f.as_of, 1, f.pk, "forecast", f.reason, f) for f in project.forecasts.all()
    ]
    rows, state = (
        [],
        dict.fromkeys(("forecast_cost", "forecast_go_live", "baseline_cost", "baseline_go_live")),
    )
    for day, _, _, kind, reason, event in sorted(events, key=lambda e: e[:3]):
        state[f"{kind}_cost"], state[f"{kind}_go_live"] = event.cost, event.go_live
        rows.append({"date": day, "kind": kind, "reason": reason, **state})
    return rows


def project_spend(project: Project) -> dict:
    """Spend on the project's budget lines: `by_year` (budgets' `spend_by_year` rows:
    actual and outturn per year) and `to_date` (every actual recorded). Two queries."""
    figures = MonthlyFigure.objects.filter(line__projects=project)
    return {
        "by_year": list(LineYearTotal.objects.filter(line__projects=project).spend_by_year()),
        "to_date": figures.totals(as_at=12)["actual_to_date"],
    }


# ------------------------------------------------------------------------------ benefits


def fte_for_hours(hours_per_week: Decimal | None) -> Decimal | None:
    """Officer hours a week as full-time officers, to one decimal place (half-up): one FTE
    is OFFICER_WEEKLY_HOURS less OFFICER_ABSTRACTION_PERCENT (see `fte_assumption`)."""
    if hours_per_week is None:
        return None
    return display_round(Decimal(hours_per_week) / productive_hours(), 1)


def productive_hours() -> Decimal:
    """Hours a week one full-time officer is available for duty."""
    return OFFICER_WEEKLY_HOURS * (100 - OFFICER_ABSTRACTION_PERCENT) / 100


def fte_assumption() -> str:
    hours, weekly, abstractions = (
        f"{display_round(value, 1).normalize():f}"
        for value in (productive_hours(), OFFICER_WEEKLY_HOURS, OFFICER_ABSTRACTION_PERCENT)
    )
    return (
        f"One full-time officer (FTE) is {weekly} hours a week less {abstractions}% "
        f"abstractions (leave, training, sickness, court), so {hours} hours a week "
        "released is one officer back on the "
        "beat. The hours are an officer's normal 8-hour daily duty, five days a week; "
        "the abstraction rate is an illustrative assumption."
    )


def measure_curve(measure: BenefitMeasure, as_at: date | None = None) -> list[dict]:
    """Month by month: month, planned, actual (None after `as_at` or when not recorded),
    variance (actual - planned, where both) and, for hours a week, planned and actual FTE.
    One query."""
    cutoff = last_complete_month(as_at) if as_at is not None else None
    rows = []
    for value in measure.values.order_by("month"):
        actual = value.actual if cutoff is None or value.month <= cutoff else None
        row = {
            "month": value.month,
            "planned": value.planned,
            "actual": actual,
            "variance": None if actual is None or value.planned is None else actual - value.planned,
            "note": value.note,
            "version": value.version,
        }
        if measure.unit == BenefitMeasure.Unit.HOURS_PER_WEEK:
            row["planned_fte"] = fte_for_hours(value.planned)
            row["actual_fte"] = fte_for_hours(actual)
        rows.append(row)
    return rows


@dataclass
class Progress:
    """A measure's latest recorded actual against its plan (see `measures_progress`)."""

    measure: BenefitMeasure
    month: date | None  # the latest month with an actual, up to as_at
    actual: Decimal | None
    planned_then: Decimal | None  # the plan for that month
    plan_final: Decimal | None  # the plan's last planned level
    plan_final_month: date | None

    @property
    def share_of_plan(self) -> Decimal | None:
        return percent(self.actual, self.planned_then)

    @property
    def fte(self) -> Decimal | None:
        """Hours a week released as officers back on the beat (hours measures only)."""
        if self.measure.unit != BenefitMeasure.Unit.HOURS_PER_WEEK:
            return None
        return fte_for_hours(self.actual)


def measures_progress(as_at: date | None = None, **filters) -> list[Progress]:
    """For every measure (or those matching `filters`): the latest actual recorded for a
    month ended by `as_at`, the plan for that month, and where the plan ends. One query."""
    values = BenefitValue.objects.filter(measure=OuterRef("pk"))
    latest = values.through(as_at).filter(actual__isnull=False).order_by("-month")
    final = values.filter(planned__isnull=False).order_by("-month")
    measures = BenefitMeasure.objects.filter(**filters).annotate(
        latest_month=Subquery(latest.values("month")[:1]),
        latest_actual=Subquery(latest.values("actual")[:1], output_field=QuantityField()),
        latest_planned=Subquery(latest.values("planned")[:1], output_field=QuantityField()),
        final_month=Subquery(final.values("month")[:1]),
        final_planned=Subquery(final.values("planned")[:1], output_field=QuantityField()),
    )
    return [
        Progress(
            measure=m,
            month=m.latest_month,
            actual=m.latest_actual,
            planned_then=m.latest_planned,
            plan_final=m.final_planned,
            plan_final_month=m.final_month,
        )
        for m in measures.select_related("project", "initiative").order_by("code")
    ]


def format_quantity(value: Decimal | None, unit: str) -> str:
    """12,400 devices' worth of digits: thousands separated, no trailing zeros; pounds as
    money elsewhere; a negative level with the minus first (−£1,234.5, U+2212) as every
    figure. An em dash for none."""
    if value is None:
        return "—"
    rounded = display_round(value, 2)
    text = f"{abs(rounded).normalize():,f}"
    text = f"£{text}" if unit == BenefitMeasure.Unit.POUNDS else text
    return f"{MINUS}{text}" if rounded < 0 else text


def devices_headline(as_at: date | None = None) -> dict | None:
    """The mobile devices headline: "Devices deployed 12,400 of 30,000 planned by Mar
    2016", from the first measure counted in devices (by code). Keys: text, measure,
    deployed, deployed_month, planned_then (the plan for that month), planned (the plan's
    final level) and planned_by (its month). None when no measure counts devices."""
    progress = measures_progress(as_at, unit=BenefitMeasure.Unit.DEVICES)
    if not progress:
        return None
    first = progress[0]
    deployed = first.actual if first.actual is not None else ZERO
    text = f"Devices deployed {format_quantity(deployed, first.measure.unit)}"
    if first.plan_final is not None:
        text += f" of {format_quantity(first.plan_final, first.measure.unit)} planned by "
        text += date_format(first.plan_final_month, "M Y")
    if first.month is not None:
        text += f" (to the end of {date_format(first.month, 'M Y')})"
    return {
        "text": text,
        "measure": first.measure,
        "deployed": deployed,
        "deployed_month": first.month,
        "planned_then": first.planned_then,
        "planned": first.plan_final,
        "planned_by": first.plan_final_month,
    }


# ----------------------------------------------------------------------- spend per officer


def spend_per_officer_by_year(year: FinancialYear | None = None, as_at: int = 12) -> list[dict]:
    """Technology spend per police officer, one row per year with monthly figures: year,
    outturn (budgets' `spend_by_year`: actuals where entered, else forecast or budget),
    actual, officers and their source (None where no count is recorded), per_officer
    (outturn / officers, to the penny, half-up), and the change on the previous year
    (£ and %). Given `year`, the years up to it, seen from the end of its period `as_at`
    (the dashboard's reporting date: that year's outturn is the dashboard's). Two queries."""
    counts = {c.year.label: c for c in OfficerCount.objects.select_related("year")}
    figures = PeriodTotal.objects.all()  # stored per period: spend_by_year's rows
    if year is not None:
        figures = figures.filter(year__start__lte=year.start).as_at(year, as_at)
    rows, previous = [], None
    for spend in figures.spend_by_year():
        count = counts.get(spend["year_label"])
        outturn = Decimal(spend["outturn"])
        per_officer = display_round(outturn / count.officers, 2) if count else None
        change = None
        if per_officer is not None and previous is not None:
            change = per_officer - previous
        rows.append(
            {
                "year_label": spend["year_label"],
                "outturn": outturn,
                "actual": Decimal(spend["actual"]),
                "officers": count.officers if count else None,
                "source": count.source if count else "",
                "per_officer": per_officer,
                "change": change,
                "change_pct": percent(change, previous),
            }
        )
        previous = per_officer
    return rows
