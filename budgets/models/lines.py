"""Budget lines: stable across years; their money lives in monthly figures."""

from datetime import date

from django.db import models
from django.db.models import (
    Case,
    ExpressionWrapper,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    Subquery,
    Sum,
    When,
)
from django.urls import reverse
from simple_history.models import HistoricalRecords

from budgets.models.expressions import expected_spend, variance_rag
from budgets.models.years import Category, FinancialYear
from common.money import MONEY, add_months, money_sum
from contracts.models import Contract


def actuals_run_past(year: FinancialYear, period: int) -> bool:
    """Whether any of `year`'s figures after `period` has an actual."""
    if hasattr(year, "latest_actual"):  # the latest period with an actual, None for none
        return (year.latest_actual or 0) > period
    # LineYearTotal, reached through its relation (totals.py imports this module).
    return year.line_totals.filter(actual_through__gt=period).exists()


class BudgetLineQuerySet(models.QuerySet):
    def with_outturn(self, year: FinancialYear, as_at: int) -> "BudgetLineQuerySet":
        """Lines annotated for `year` as at period `as_at`.

        Adds full_year_budget (the revised budget), original_budget (None while the
        year's budget is a draft), committed, actual_to_date (P1..as_at), outturn (see
        `expected_spend`), variance (outturn - budget; positive is an overspend), rag and
        uncommitted (revised budget - actual to date - committed, the rule of
        `figures.uncommitted`). One query, whatever the number of lines, and one more to
        learn whether any actual runs past `as_at` where `year` does not carry its
        `latest_actual` (as `reporting_for`'s years do).

        When none does, which is the case at the latest actual, every figure's expected
        spend is its actual, else forecast, else budget: the line's stored totals
        (`LineYearTotal`) already hold these sums, so one row per line is read instead of
        twelve figures. When some do and `as_at` is the year's last closed period (the
        default date, while next month's actuals are entered), the stored totals hold the
        sums as at it too (`reported_…`); a line whose row was added up as at another date
        adds up its own figures. At any other date, the year's figures are added up.
        """
        running_past = actuals_run_past(year, as_at)
        if running_past and as_at != year.closed_through:
            return self._with_summed_outturn(year, as_at)
        # A line with no figures that year has no stored row: the join keeps it, with zeros.
        totals = FilteredRelation("year_totals", condition=Q(year_totals__year=year))
        actual, outturn = F("stored__actual"), F("stored__outturn")
        if running_past:
            actual, outturn = self._reported(year, as_at)
        return self.annotate(stored=totals)._with_variance(
            full_year_budget=money_sum(F("stored__budget")),
            original_budget=F("stored__original_budget"),
            committed=money_sum(F("stored__committed")),
            actual_to_date=money_sum(actual),
            outturn=money_sum(outturn),
        )

    def _reported(self, year: FinancialYear, as_at: int) -> tuple[Case, Case]:
        """A line's actual to date and outturn as at `as_at` from its stored row (`stored`):
        the whole year's where no actual runs past `as_at`, else the sums as at it where the
        row was added up as at it, else added up from the line's figures (one per line)."""
        whole = Q(stored__actual_through__isnull=True) | Q(stored__actual_through__lte=as_at)
        reported = Q(stored__reported_through=as_at)
        # MonthlyFigure, reached through its relation (figures.py imports this module).
        figures = self.model.figures.field.model.objects.filter(line=OuterRef("pk"), year=year)

        def added_up(expression) -> Subquery:
            sums = figures.order_by().values("line").annotate(total=Sum(expression))
            return Subquery(sums.values("total"), output_field=MONEY)

        actual = Case(
            When(whole, then=F("stored__actual")),
            When(reported, then=F("stored__reported_actual")),
            default=added_up(Case(When(period__lte=as_at, then=F("actual")), output_field=MONEY)),
            output_field=MONEY,
        )
        outturn = Case(
            When(whole, then=F("stored__outturn")),
            When(reported, then=F("stored__reported_outturn")),
            default=added_up(expected_spend(as_at)),
            output_field=MONEY,
        )
        return actual, outturn

    def _with_summed_outturn(self, year: FinancialYear, as_at: int) -> "BudgetLineQuerySet":
        """`with_outturn` added up from the year's figures (any reporting date)."""
        # The year's figures are joined in the ON clause, so only they are read (not every
        # year's), and a line with no figures that year still appears, with zeros.
        figures = FilteredRelation("figures", condition=Q(figures__year=year))
        return self.annotate(year_figures=figures)._with_variance(
            full_year_budget=money_sum(Sum("year_figures__budget")),
            original_budget=Sum("year_figures__original_budget", output_field=MONEY),
            committed=money_sum(Sum("year_figures__committed")),
            actual_to_date=money_sum(
                Sum("year_figures__actual", filter=Q(year_figures__period__lte=as_at))
            ),
            outturn=money_sum(Sum(expected_spend(as_at, "year_figures__"))),
        )

    def _with_variance(self, **sums) -> "BudgetLineQuerySet":
        """These lines with `with_outturn`'s sums, and the variance, uncommitted and RAG
        worked out from them."""
        return (
            self.annotate(**sums)
            .annotate(
                variance=ExpressionWrapper(
                    F("outturn") - F("full_year_budget"), output_field=MONEY
                ),
                uncommitted=ExpressionWrapper(
                    F("full_year_budget") - F("actual_to_date") - F("committed"),
                    output_field=MONEY,
                ),
            )
            .annotate(rag=variance_rag(F("variance"), F("full_year_budget")))
        )

    def active(self) -> "BudgetLineQuerySet":
        return self.filter(active=True)

    # Contract cover: what a contract's lines budget for the months its term covers.

    def uncovered_months(self, first: date, last: date) -> list[tuple["BudgetLine", list[date]]]:
        """These lines (by code) that have a month from `first` to `last` (by month, both
        included) with neither a budget nor a forecast, each with those months (their first
        days): e.g. the months a contract's extension added. Months before the first
        financial year are left out, as no figures are held for them. Three queries."""
        years = list(FinancialYear.objects.order_by("start"))
        if not years:
            return []
        months, month = [], max(first.replace(day=1), years[0].start)
        while month <= last:
            months.append(month)
            month = add_months(month, 1)
        # (year, period) of each month: periods run P1..P12 from the year's start.
        place = {
            m: (y.pk, period)
            for y in years
            for m in months
            if 1 <= (period := (m.year - y.start.year) * 12 + m.month - y.start.month + 1) <= 12
        }
        covered = set(
            # MonthlyFigure, reached through its relation (figures.py imports this module).
            self.model.figures.field.model.objects.filter(line__in=self, year__in=years)
            .filter(Q(budget__gt=0) | Q(forecast__isnull=False))
            .values_list("line_id", "year_id", "period")
        )
        found = []
        for line in self.order_by("code"):
            missing = [m for m in months if (line.pk, *place.get(m, (None, None))) not in covered]
            if missing:
                found.append((line, missing))
        return found


class BudgetLine(models.Model):
    """A stable line of the technology budget; its money lives in MonthlyFigure rows."""

    code = models.SlugField(max_length=30, unique=True, help_text="e.g. OUT-CAP-01")
    name = models.CharField(max_length=200)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="lines")
    contract = models.ForeignKey(
        Contract,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="budget_lines",
        help_text="The contract this line pays, if any.",
    )
    owner = models.CharField(max_length=120, blank=True)
    active = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()
    objects = BudgetLineQuerySet.as_manager()

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("budgets:line", args=[self.code])
