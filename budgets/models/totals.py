"""Stored totals per budget line and financial year: the sums of its monthly figures that
the spend and share figures add up (`budgets.models.spend`), kept so that those figures
read one row per line and year instead of twelve figures; and per period of a year
(`PeriodTotal`): every line's figures of the period, which the year's totals and monthly
profile read instead of every figure of the year.

They are derived, never typed: `refresh_line_year_totals` (`budgets.models.refresh`)
recomputes them from the figures, set-based, and every write path calls it in the
transaction that writes the figures (the services, imports, budget changes, budget
setting, closing and reopening periods, the demo and bench data). A single figure's
`save()` or `delete()` refreshes its own line and year (signals), so a path that saves
figures one by one cannot leave them stale; tests/budgets/test_totals_guard.py fails on a
module that writes figures in bulk without being known to refresh them.
"""

from django.db import models
from django.db.models import Case, F, Max, OuterRef, Q, Subquery, Sum, When
from django.db.models.functions import Coalesce

from budgets.models.expressions import expected_spend, with_variance
from budgets.models.figures import MonthlyFigure, period_rows, totals_row
from budgets.models.lines import BudgetLine, actuals_run_past
from budgets.models.spend import SpendQuerySet, YearSpendQuerySet
from budgets.models.years import FinancialYear
from common.money import MONEY, ZERO, money_sum


def _total(**kwargs) -> models.DecimalField:
    # Twelve figures of up to £999,999,999,999.99 each: wider than one figure.
    return models.DecimalField(max_digits=18, decimal_places=2, **kwargs)


class LineYearTotalQuerySet(SpendQuerySet, models.QuerySet):
    """The spend and share methods of `SpendQuerySet` over stored totals: the same rows as
    `MonthlyFigure.objects` gives, filtered by line and year the same way."""

    def as_at(self, year: FinancialYear, period: int) -> "LineYearTotalQuerySet":
        """These totals seen from the end of period `period` of `year`, the rule of
        `MonthlyFigureQuerySet.as_at`: an earlier year counts its actual as spent and its
        outturn as expected; a later year nothing as spent and its forecast (else budget) as
        expected; `year` itself its actual and outturn, less what its figures after
        `period` hold as actuals (read from those figures, and only for a line whose
        actuals run past `period`: none, when the reporting date is the latest actual;
        none either, when it is the year's last closed period and the row was added up
        as at it, as `refresh_line_year_totals` adds up every row it writes).

        Whether any line's actuals run past `period` is read first: from the year's
        `latest_actual` where it carries one (as `reporting_for`'s years do), else with one
        query. When none does, the rows need no correction, and leaving out the subquery
        per row keeps PostgreSQL from compiling the query (JIT), which costs more than
        running it."""
        if not actuals_run_past(year, period):
            return self.annotate(
                spent_as_at=Case(
                    When(Q(year__start__lte=year.start), then=F("actual")), output_field=MONEY
                ),
                expected_as_at=Case(
                    When(Q(year__start__lte=year.start), then=F("outturn")),
                    default=F("forecast"),
                    output_field=MONEY,
                ),
            )
        later = MonthlyFigure.objects.filter(
            line=OuterRef("line"), year=year, period__gt=period, actual__isnull=False
        ).order_by()

        def later_sum(expression) -> Subquery:
            sums = later.values("line").annotate(total=Sum(expression, output_field=MONEY))
            return Subquery(sums.values("total"), output_field=MONEY)

        running_on = Q(year=year, actual_through__gt=period)
        # A row added up as at `period` (the year's last closed period, when it was) is read
        # as stored: the figures after `period` are read only for the others.
        reported = running_on & Q(reported_through=period)
        return self.annotate(
            spent_as_at=Case(
                When(reported, then=F("reported_actual")),
                When(running_on, then=F("actual") - later_sum(F("actual"))),
                When(Q(year__start__lte=year.start), then=F("actual")),
                output_field=MONEY,
            ),
            expected_as_at=Case(
                When(reported, then=F("reported_outturn")),
                When(
                    running_on,
                    then=F("outturn") - later_sum(F("actual") - Coalesce("forecast", "budget")),
                ),
                When(Q(year__start__lte=year.start), then=F("outturn")),
                default=F("forecast"),
                output_field=MONEY,
            ),
        )

    def by_category(self, year: FinancialYear, as_at: int) -> list[dict]:
        """`MonthlyFigureQuerySet.by_category` of `year`'s figures (the same rows), from
        these totals as at period `as_at` of `year`. Two queries (see `as_at`)."""
        rows = (
            self.filter(year=year)
            .as_at(year, as_at)
            .values(
                category_id=F("line__category_id"),
                category=F("line__category__name"),
                kind=F("line__category__kind"),
            )
            .annotate(  # see SHADOWING
                actual_to_date=money_sum(Sum("spent_as_at")),
                outturn=money_sum(Sum("expected_as_at")),
                budget=money_sum(Sum("budget")),
            )
            .order_by("line__category__order", "line__category__name")
        )
        return [with_variance(row) for row in rows]

    def _seen(self) -> "LineYearTotalQuerySet":
        """These totals as at the date `as_at` chose, else as at the end of every year."""
        if "expected_as_at" in self.query.annotations:
            return self
        return self.annotate(spent_as_at=F("actual"), expected_as_at=F("outturn"))


class LineYearTotal(models.Model):
    """One budget line's monthly figures of one year, added up. Derived, never typed:
    `refresh_line_year_totals` writes them; a line and year without figures has none."""

    line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="year_totals")
    year = models.ForeignKey(FinancialYear, on_delete=models.CASCADE, related_name="line_totals")
    budget = _total(help_text="The revised budget.")
    original_budget = _total(null=True, help_text="None while the year's budget is a draft.")
    committed = _total()
    forecast = _total(help_text="Forecast where one is entered, else budget.")
    actual = _total(help_text="Every actual entered (£0.00 when none is).")
    outturn = _total(help_text="Actual where entered, else forecast, else budget.")
    actual_through = models.PositiveSmallIntegerField(
        null=True, help_text="The latest period with an actual; None when none has one."
    )
    # As at the year's last closed period, the dashboard's and register's default date:
    # while next month's actuals are entered, those pages read these instead of adding up
    # the figures after it. None until added up (the rows are then read the long way).
    reported_through = models.PositiveSmallIntegerField(
        null=True, help_text="The year's closed_through when these totals were added up."
    )
    reported_actual = _total(null=True, help_text="Actuals of P1 to reported_through.")
    reported_outturn = _total(
        null=True,
        help_text="The outturn as at reported_through: actual, else forecast, else budget up "
        "to it; forecast, else budget after it.",
    )

    objects = LineYearTotalQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["line", "year"], name="line_year_total_unique"),
        ]
        indexes = [models.Index(fields=["year", "line"])]

    def __str__(self) -> str:
        return f"{self.line_id} {self.year_id} totals"


# What each stored total adds up, in the order of LineYearTotal's columns.
SUMS = {
    "budget": Coalesce(Sum("budget"), ZERO, output_field=MONEY),
    "original_budget": Sum("original_budget", output_field=MONEY),
    "committed": Coalesce(Sum("committed"), ZERO, output_field=MONEY),
    "forecast": Coalesce(Sum(Coalesce("forecast", "budget")), ZERO, output_field=MONEY),
    "actual": Coalesce(Sum("actual"), ZERO, output_field=MONEY),
    "outturn": Coalesce(Sum(Coalesce("actual", "forecast", "budget")), ZERO, output_field=MONEY),
    "actual_through": Max(Case(When(actual__isnull=False, then=F("period")))),
    # As at the year's closed_through (one value per line and year: the year's).
    "reported_through": Max("year__closed_through"),
    "reported_actual": Coalesce(
        Sum("actual", filter=Q(period__lte=F("year__closed_through"))), ZERO, output_field=MONEY
    ),
    "reported_outturn": Coalesce(
        Sum(expected_spend(F("year__closed_through"))), ZERO, output_field=MONEY
    ),
}


class PeriodTotalQuerySet(YearSpendQuerySet, models.QuerySet):
    """`MonthlyFigureQuerySet.totals` and `by_period` of a whole year's figures, and
    `spend_by_year` and `spend_totals` of every line's (the same rows), from twelve stored
    period totals a year."""

    def as_at(self, year: FinancialYear, period: int) -> "PeriodTotalQuerySet":
        """These totals seen from the end of period `period` of `year`, the rule of
        `MonthlyFigureQuerySet.as_at` applied to each period's sums (it is one per period):
        a period on or before that date counts its actual as spent and its outturn as
        expected; a later one nothing as spent and its forecast (else budget) as expected."""
        reported = Q(year__start__lt=year.start) | Q(year=year, period__lte=period)
        return self.annotate(
            spent_as_at=Case(When(reported, then=F("actual")), output_field=MONEY),
            expected_as_at=Case(
                When(reported, then=F("outturn")), default=F("forecast"), output_field=MONEY
            ),
        )

    def _seen(self) -> "PeriodTotalQuerySet":
        """These totals as at the date `as_at` chose, else as at the end of every year."""
        if "expected_as_at" in self.query.annotations:
            return self
        return self.annotate(spent_as_at=F("actual"), expected_as_at=F("outturn"))

    def for_year(self, year: FinancialYear) -> "PeriodTotalQuerySet":
        """The period totals of one financial year."""
        return self.filter(year=year)

    def latest_actual_period(self) -> int:
        """`MonthlyFigureQuerySet.latest_actual_period` of these periods' figures. One
        query (of at most twelve rows a year, where the figures' is of every figure)."""
        return self.filter(actual__isnull=False).aggregate(p=Max("period"))["p"] or 0

    def totals(self, as_at: int) -> dict:
        """`MonthlyFigureQuerySet.totals` of these periods' figures. One query."""
        reported = Q(period__lte=as_at)
        return totals_row(
            self.aggregate(
                actual_to_date=money_sum(Sum("actual", filter=reported)),
                outturn=money_sum(
                    Sum(Case(When(reported, then=F("outturn")), default=F("forecast")))
                ),
                original_budget=Sum("original_budget", output_field=MONEY),
                committed=money_sum(Sum("committed")),
                budget=money_sum(Sum("budget")),
            )
        )

    def by_period(self, as_at: int) -> list[dict]:
        """`MonthlyFigureQuerySet.by_period` of these periods' figures. One query."""
        rows = {
            total.period: {
                "budget": total.budget,
                "actual": total.actual,
                "forecast": total.forecast,
                # expected_spend's rule: up to as_at the outturn's terms, after it the forecast's
                "expected": total.outturn if total.period <= as_at else total.forecast,
            }
            for total in self.order_by("period")
        }
        return period_rows(rows, as_at)


class PeriodTotal(models.Model):
    """Every line's monthly figures of one period of one year, added up: what the year's
    totals and monthly profile read instead of each line's figures. Derived, never typed:
    `refresh_line_year_totals` writes them with the totals per line and year; a period
    without figures has none."""

    year = models.ForeignKey(FinancialYear, on_delete=models.CASCADE, related_name="period_totals")
    period = models.PositiveSmallIntegerField()
    budget = _total(help_text="The revised budget.")
    original_budget = _total(null=True, help_text="None while the year's budget is a draft.")
    committed = _total()
    forecast = _total(help_text="Forecast where one is entered, else budget.")
    actual = _total(null=True, help_text="Every actual entered; None when none is.")
    outturn = _total(help_text="Actual where entered, else forecast, else budget.")

    objects = PeriodTotalQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "period"], name="period_total_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.year_id} P{self.period} totals"


# What each stored period total adds up, in the order of PeriodTotal's columns.
PERIOD_SUMS = {name: SUMS[name] for name in ("budget", "original_budget", "committed")} | {
    "forecast": SUMS["forecast"],
    "actual": Sum("actual", output_field=MONEY),
    "outturn": SUMS["outturn"],
}
