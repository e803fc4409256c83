"""What a period's close looks at in the budget: when a period was last closed, the
figures still to be entered, explained or reviewed before the next one closes, and the
months a contract's extension added that no line budgets for.

Each function answers one question for one year and returns rows or a QuerySet; the
pre-close checklist (`reports.checklist`) puts them together.
"""

from datetime import date, datetime

from django.db.models import Count, Exists, Max, Min, OuterRef, Q, QuerySet

from budgets.models import BudgetLine, FinancialYear, MonthlyFigure
from budgets.services import note_required
from contracts.models import Contract, ContractChange


def closed_at(year: FinancialYear, through: int) -> datetime | None:
    """When periods up to `through` were last closed: the time of the latest history row
    of `year` that took `closed_through` from below `through` to `through` or beyond (a
    year created already closed counts from its creation). None when `through` is 0 or
    was never closed."""
    if through < 1:
        return None
    rows = year.history.order_by("history_date", "history_id").values_list(
        "history_date", "closed_through"
    )
    previous, moment = 0, None
    for when, closed_through in rows:
        if previous < through <= closed_through:
            moment = when
        previous = closed_through
    return moment


def missing_actuals(year: FinancialYear, through: int) -> QuerySet:
    """Figures of active lines with no actual in the open periods up to `through`, by line
    code and period. A line with no figure for a period is not in that period's budget,
    so it is not missing one."""
    return (
        MonthlyFigure.objects.filter(
            year=year,
            period__gt=year.closed_through,
            period__lte=through,
            actual__isnull=True,
            line__active=True,
        )
        .select_related("line")
        .order_by("line__code", "period")
    )


def unexplained_actuals(year: FinancialYear, through: int) -> list[MonthlyFigure]:
    """Figures in the open periods up to `through` whose actual is far enough from budget
    to need a variance note (`note_required`, the entry grid's rule) and have none."""
    candidates = (
        MonthlyFigure.objects.filter(
            year=year,
            period__gt=year.closed_through,
            period__lte=through,
            actual__isnull=False,
            line__active=True,
        )
        .filter(Q(note="") | Q(note__regex=r"^\s*$"))
        .select_related("line")
        .order_by("line__code", "period")
    )
    return [f for f in candidates if note_required(actual=f.actual, budget=f.budget)]


def unexplained_outturns(year: FinancialYear, as_at: int) -> list[BudgetLine]:
    """Active lines whose full-year forecast outturn as at `as_at` is far enough from the
    full-year budget to need a variance note (the same rule as an actual's) with no note
    on any of the line's figures of the year. Lines come with `with_outturn`'s figures."""
    noted = MonthlyFigure.objects.filter(line=OuterRef("pk"), year=year).exclude(
        Q(note="") | Q(note__regex=r"^\s*$")
    )
    in_year = MonthlyFigure.objects.filter(line=OuterRef("pk"), year=year)
    lines = (
        BudgetLine.objects.active()
        .filter(Exists(in_year))
        .exclude(Exists(noted))
        .with_outturn(year, as_at)
        .order_by("code")
    )
    return [
        line for line in lines if note_required(actual=line.outturn, budget=line.full_year_budget)
    ]


def unreviewed_forecasts(year: FinancialYear, period: int) -> QuerySet:
    """Active lines with figures in the open periods after `period` that nobody has changed
    since the previous period closed (`closed_at(year, period - 1)`); where no period of
    the year has closed yet, those never changed by a person since they were loaded
    (no `updated_by`). One row per line: line_id, line__code, line__name, `stale` (how
    many of its figures), `first_period`, `last_period` and `last_changed` (the latest
    change among them)."""
    since = closed_at(year, period - 1)
    stale = Q(updated_by__isnull=True) if since is None else Q(updated_at__lt=since)
    figures = MonthlyFigure.objects.filter(
        year=year, period__gt=max(period, year.closed_through)
    ).filter(stale)
    return (
        figures.filter(line__active=True)
        .values("line_id", "line__code", "line__name")
        .annotate(
            stale=Count("pk"),
            first_period=Min("period"),
            last_period=Max("period"),
            last_changed=Max("updated_at"),
        )
        .order_by("line__code")
    )


def unbudgeted_extensions(year: FinancialYear) -> list[dict]:
    """Active lines paying a live contract whose extension added months in `year` that have
    neither a budget nor a forecast for the line (`BudgetLineQuerySet.uncovered_months`):
    one row per extension and line, with `change`, `line` and `periods` (those months'
    periods). The added months (`ContractChange.added_term`) are cut at the contract's end
    date now and at the year's ends. One query, and three per extension in the year."""
    changes = (
        ContractChange.objects.filter(
            kind=ContractChange.Kind.EXTENSION,
            contract__in=Contract.objects.live(),
            old_end_date__lt=year.end,
            new_end_date__gte=year.start,
        )
        .select_related("contract")
        .order_by("contract__reference", "effective_date", "pk")
    )
    rows = []
    for change in changes:
        first, last = change.added_term
        first, last = max(first, year.start), min(last, change.contract.end_date, year.end)
        if first > last:
            continue
        lines = BudgetLine.objects.active().filter(contract_id=change.contract_id)
        for line, months in lines.uncovered_months(first, last):
            periods = [_period_of(year, month) for month in months]
            rows.append({"change": change, "line": line, "periods": periods})
    return rows


def _period_of(year: FinancialYear, month: date) -> int:
    """The period of `year` that holds `month` (P1 is the year's first month)."""
    return (month.year - year.start.year) * 12 + month.month - year.start.month + 1
