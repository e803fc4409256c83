"""Monthly figures: one line's money for one period of one year, and the QuerySet
methods that are the one home of every budgets figure."""

from decimal import Decimal
from itertools import accumulate

from django.conf import settings
from django.db import models
from django.db.models import (
    Case,
    Count,
    F,
    FilteredRelation,
    Max,
    Q,
    Sum,
    When,
)
from django.db.models.functions import Coalesce
from simple_history.models import HistoricalRecords

from budgets.models.expressions import (
    PERIODS,
    expected_spend,
    with_variance,
)
from budgets.models.imports import ImportBatch
from budgets.models.lines import BudgetLine
from budgets.models.spend import SpendQuerySet
from budgets.models.years import FinancialYear
from common.money import MONEY, ZERO, MoneyField, money_sum

# The row that stands for every supplier not named in a top-N supplier list.
OTHER_SUPPLIERS = "Other suppliers"


def uncommitted(budget: Decimal, actual: Decimal, committed: Decimal) -> Decimal:
    """Uncommitted budget: the revised budget less what is spent (actual to date) and what
    is ordered but not yet invoiced (committed). Commitments do not change the outturn."""
    return budget - actual - committed


def totals_row(sums: dict) -> dict:
    """`totals`' row from its sums (budget, original_budget, committed, actual_to_date,
    outturn), whichever source added them up: with uncommitted, variance and RAG."""
    sums["uncommitted"] = uncommitted(sums["budget"], sums["actual_to_date"], sums["committed"])
    return with_variance(sums)


def period_rows(rows: dict[int, dict], as_at: int) -> list[dict]:
    """`by_period`'s twelve rows from each period's sums (budget, actual, forecast,
    expected; a period missing from `rows` has none), whichever source added them up."""
    empty = {"budget": ZERO, "actual": None, "forecast": ZERO, "expected": ZERO}
    result = []
    for period in PERIODS:
        row = rows.get(period, empty)
        result.append(
            {
                "period": period,
                "budget": row["budget"],
                "actual": row["actual"] if period <= as_at else None,
                "forecast": row["forecast"],
                "expected": row["expected"],
            }
        )
    for key in ("budget", "expected"):
        for row, running in zip(result, accumulate(r[key] for r in result), strict=True):
            row[f"cumulative_{key}"] = running
    for row, running in zip(result, accumulate(r["actual"] or ZERO for r in result), strict=True):
        row["cumulative_actual"] = running if row["actual"] is not None else None
    return result


class MonthlyFigureQuerySet(SpendQuerySet, models.QuerySet):
    def for_year(self, year: FinancialYear) -> "MonthlyFigureQuerySet":
        """Figures of one financial year."""
        return self.filter(year=year)

    def latest_actual_period(self) -> int:
        """The latest period with any actual among these figures (0 when none): the
        reporting date's period."""
        return self.filter(actual__isnull=False).aggregate(p=Max("period"))["p"] or 0

    def period_completeness(self, period: int) -> tuple[int, int]:
        """(active lines with an actual for `period`, active lines with any figure): how
        complete a period in progress is."""
        counts = self.filter(line__active=True).aggregate(
            with_actual=Count("line", distinct=True, filter=Q(period=period, actual__isnull=False)),
            total=Count("line", distinct=True),
        )
        return counts["with_actual"], counts["total"]

    def outturn_parts(self, as_at: int) -> dict:
        """Sum expressions: actual_to_date (P1..as_at) and outturn (see `expected_spend`)."""
        return {
            "actual_to_date": money_sum(Sum("actual", filter=Q(period__lte=as_at))),
            "outturn": money_sum(Sum(expected_spend(as_at))),
        }

    def totals(self, as_at: int) -> dict:
        """One row: budget (the revised budget), original_budget (None while the year's
        budget is a draft), committed, actual_to_date, outturn, variance (outturn -
        budget), variance_pct, rag and uncommitted (see `uncommitted`). One query."""
        return totals_row(
            self.aggregate(
                **self.outturn_parts(as_at),
                original_budget=Sum("original_budget", output_field=MONEY),
                committed=money_sum(Sum("committed")),
                budget=money_sum(Sum("budget")),
            )
        )

    def by_period(self, as_at: int) -> list[dict]:
        """Twelve rows, P1..P12: budget, actual (entered actuals; None after as_at or when
        none was entered), forecast (forecast or budget), expected (see `expected_spend`),
        and cumulative budget, actual and expected. One query."""
        rows = {
            row["period"]: row
            for row in self.values("period")
            .order_by("period")
            .annotate(  # see SHADOWING
                expected=money_sum(Sum(expected_spend(as_at))),
                forecast=money_sum(Sum(Coalesce("forecast", "budget"))),
                budget=money_sum(Sum("budget")),
                actual=Sum("actual", output_field=MONEY),
            )
        }
        return period_rows(rows, as_at)

    def by_category(self, as_at: int) -> list[dict]:
        """Per category: category_id, category, kind, budget, actual_to_date, outturn,
        variance, variance_pct, rag; in the categories' order. One query."""
        rows = (
            self.values(
                category_id=F("line__category_id"),
                category=F("line__category__name"),
                kind=F("line__category__kind"),
            )
            .annotate(**self.outturn_parts(as_at), budget=money_sum(Sum("budget")))
            .order_by("line__category__order", "line__category__name")
        )
        return [with_variance(row) for row in rows]

    def entry_subtotals(self, last_year: tuple[FinancialYear | None, int] | None = None) -> dict:
        """Budget, actual, committed and variance (actual - budget, over the figures with
        an actual; None when none has one) summed per line category id, and over all of
        them under the key None, each with `count`, the number of figures: the period
        page's subtotals and total. With `last_year` (a year, or None for none, and a
        period), each also has last_year_actual: the actual of these figures' lines in that
        period of that year (None where none has one). One query: every figure is in one
        category's row, so those rows add up to the total."""
        figures = self
        sums = {  # variance first: the sums below take the fields' names
            "variance": Sum(F("actual") - F("budget"), output_field=MONEY),  # (SHADOWING)
            "budget": money_sum(Sum("budget")),
            "actual": Sum("actual", output_field=MONEY),
            "committed": money_sum(Sum("committed")),
        }
        if last_year is not None:
            # Each figure's line's figure of that period and year: at most one (a line has
            # one figure a period), joined in the ON clause.
            year, period = last_year
            before = Q(line__figures__year=year, line__figures__period=period)
            figures = self.annotate(before=FilteredRelation("line__figures", condition=before))
            sums["last_year_actual"] = Sum("before__actual", output_field=MONEY)
        rows = figures.values("line__category").order_by().annotate(**sums, count=Count("pk"))
        subtotals = {row.pop("line__category"): row for row in rows}
        total = {name: _add(row[name] for row in subtotals.values()) for name in sums}
        for name in ("budget", "committed"):  # £0.00, not None, as their sums say
            total[name] = total[name] or ZERO
        total["count"] = sum(row["count"] for row in subtotals.values())
        subtotals[None] = total
        return subtotals

    # Spend and shares (`SpendQuerySet`), seen from one reporting date.

    def as_at(self, year: FinancialYear, period: int) -> "MonthlyFigureQuerySet":
        """These figures seen from the end of period `period` of `year`, for the spend and
        share methods below. A figure on or before that date (any of an earlier year, P1 to
        `period` of `year`) counts its actual as spent and its actual, else forecast, else
        budget as expected; a later one counts nothing as spent and its forecast, else
        budget, as expected: the outturn rule of `expected_spend`, across years."""
        reported = Q(year__start__lt=year.start) | Q(year=year, period__lte=period)
        return self.annotate(
            spent_as_at=Case(When(reported, then=F("actual")), output_field=MONEY),
            expected_as_at=Case(
                When(reported, then=Coalesce("actual", "forecast", "budget")),
                default=Coalesce("forecast", "budget"),
                output_field=MONEY,
            ),
        )

    def _seen(self) -> "MonthlyFigureQuerySet":
        """These figures as at the date `as_at` chose, else as at the end of every year."""
        if "expected_as_at" in self.query.annotations:
            return self
        return self.annotate(
            spent_as_at=F("actual"),
            expected_as_at=Coalesce("actual", "forecast", "budget", output_field=MONEY),
        )


def _add(values) -> Decimal | None:
    """The sum of the values that are not None; None when all are (as SQL's SUM)."""
    present = [value for value in values if value is not None]
    return sum(present, ZERO) if present else None


def top_suppliers(rows: list[dict], *, year_label: str, named: int) -> list[dict]:
    """`supplier_shares()` rows with at most `named` suppliers by name: those with the most
    outturn in `year_label` (then in every year); every other supplier's spend in one row per
    year (supplier OTHER_SUPPLIERS, supplier_id None, `others` the number of suppliers in
    it) with its share of the year. So a chart or table of them stays the same size
    whatever the number of suppliers."""
    in_year: dict[int, Decimal] = {}
    in_all: dict[int, Decimal] = {}
    for r in rows:
        if r["supplier_id"] is not None:
            in_all[r["supplier_id"]] = in_all.get(r["supplier_id"], ZERO) + r["outturn"]
            if r["year_label"] == year_label:
                in_year[r["supplier_id"]] = r["outturn"]
    ranked = sorted(in_all, key=lambda sid: (-in_year.get(sid, ZERO), -in_all[sid], sid))
    kept = set(ranked[:named])
    years: dict[str, list[dict]] = {}
    others: dict[str, dict] = {}
    for row in rows:
        if row["supplier_id"] is None or row["supplier_id"] in kept:
            years.setdefault(row["year_label"], []).append(row)
            continue
        years.setdefault(row["year_label"], [])
        other = others.setdefault(
            row["year_label"],
            {**row, "supplier": OTHER_SUPPLIERS, "supplier_id": None, "others": 0}
            | {"actual": ZERO, "outturn": ZERO},
        )
        other["actual"] += row["actual"]
        other["outturn"] += row["outturn"]
        other["others"] += 1
    for label, other in others.items():
        total = {"actual": other["technology_actual"], "outturn": other["technology_outturn"]}
        years[label].append(SpendQuerySet._share_row(other, total))
    return [row for year_rows in years.values() for row in year_rows]


class MonthlyFigure(models.Model):
    """One line's money for one period of one year. Totals are derived, never typed: those
    stored per line and year (`LineYearTotal`) are recomputed from these by every write."""

    line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="figures")
    year = models.ForeignKey(FinancialYear, on_delete=models.PROTECT, related_name="figures")
    period = models.PositiveSmallIntegerField()
    budget = MoneyField(
        default=ZERO, help_text="The revised budget: the original plus every budget change."
    )
    original_budget = MoneyField(
        null=True, blank=True, help_text="Frozen when the year's budget is approved."
    )
    committed = MoneyField(
        default=ZERO, help_text="Orders placed, not yet invoiced. Does not change outturn."
    )
    actual = MoneyField(null=True, blank=True, help_text="Empty until entered.")
    forecast = MoneyField(null=True, blank=True, help_text="Empty means: as budget.")
    note = models.TextField(blank=True, help_text="Explanation of a variance.")
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    import_batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="figures"
    )

    history = HistoricalRecords()
    objects = MonthlyFigureQuerySet.as_manager()

    class Meta:
        ordering = ["year__start", "line__code", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["line", "year", "period"], name="figure_unique_line_year_period"
            ),
            models.CheckConstraint(
                condition=Q(period__gte=1) & Q(period__lte=12),
                name="figure_period_1_to_12",
                violation_error_message="A period is between 1 (April) and 12 (March).",
            ),
            models.CheckConstraint(
                condition=Q(budget__gte=0),
                name="figure_budget_not_negative",
                violation_error_message="A budget cannot be negative (an actual can: a credit).",
            ),
        ]
        # A period's figures (the period page, its subtotals and the stored period
        # totals' refresh), and which lines have one, from the index alone.
        indexes = [models.Index(fields=["year", "period", "line"])]

    def __str__(self) -> str:
        return f"{self.line.code} {self.year.label} P{self.period}"

    @property
    def variance(self) -> Decimal | None:
        """This period's actual less its budget; None until the actual is entered."""
        return None if self.actual is None else self.actual - self.budget

    @property
    def forecast_or_budget(self) -> Decimal:
        return self.budget if self.forecast is None else self.forecast
