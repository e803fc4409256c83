from datetime import date, datetime
from decimal import Decimal
from itertools import accumulate

from django.conf import settings
from django.db import models
from django.db.models import (
    Case,
    Count,
    ExpressionWrapper,
    F,
    FilteredRelation,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from common.money import PENNY, ZERO, MoneyField, add_months, percent
from contracts.models import Contract

PERIODS = range(1, 13)
MONEY = models.DecimalField(max_digits=14, decimal_places=2)


class Rag(models.TextChoices):
    """Red / amber / green status. Always shown with its word, never by colour alone."""

    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


# Forecast outturn against budget: an overspend above RED is red, above AMBER is amber;
# an underspend beyond UNDERSPEND is amber too, because it usually means slippage.
RAG_RED_OVERSPEND_PERCENT = Decimal(getattr(settings, "RAG_RED_OVERSPEND_PERCENT", "5"))
RAG_AMBER_OVERSPEND_PERCENT = Decimal(getattr(settings, "RAG_AMBER_OVERSPEND_PERCENT", "1"))
RAG_AMBER_UNDERSPEND_PERCENT = Decimal(getattr(settings, "RAG_AMBER_UNDERSPEND_PERCENT", "10"))


# SHADOWING: an annotation named like a column (budget, actual, forecast) hides the column
# from the annotations after it, so sums that read those columns come first.


def _m(expression) -> Coalesce:
    """A money sum that is £0.00, not NULL, when there is nothing to add."""
    return Coalesce(expression, Value(ZERO), output_field=MONEY)


def variance_rag(variance, budget) -> Case:
    """SQL for the RAG of a variance (outturn - budget), comparing without division."""
    return Case(
        When(_over(variance, budget, RAG_RED_OVERSPEND_PERCENT), then=Value(Rag.RED)),
        When(_over(variance, budget, RAG_AMBER_OVERSPEND_PERCENT), then=Value(Rag.AMBER)),
        When(_over(-variance, budget, RAG_AMBER_UNDERSPEND_PERCENT), then=Value(Rag.AMBER)),
        default=Value(Rag.GREEN),
        output_field=models.CharField(),
    )


def _over(variance, budget, percent: Decimal) -> GreaterThan:
    """variance * 100 > budget * percent, as a boolean SQL expression."""
    return GreaterThan(
        ExpressionWrapper(variance * Value(Decimal(100)), output_field=MONEY),
        ExpressionWrapper(budget * Value(percent), output_field=MONEY),
    )


def rag_for(variance: Decimal, budget: Decimal) -> str:
    """The same rule as `variance_rag`, for values already in Python."""
    if variance * 100 > budget * RAG_RED_OVERSPEND_PERCENT:
        return Rag.RED
    if variance * 100 > budget * RAG_AMBER_OVERSPEND_PERCENT:
        return Rag.AMBER
    if -variance * 100 > budget * RAG_AMBER_UNDERSPEND_PERCENT:
        return Rag.AMBER
    return Rag.GREEN


class FinancialYear(models.Model):
    """April to March. Periods P1 (April) to P12 (March); P1..closed_through are locked."""

    label = models.CharField(max_length=7, unique=True, help_text="e.g. 2014-15")
    start = models.DateField(unique=True, help_text="1 April of the year")
    closed_through = models.PositiveSmallIntegerField(
        default=0, help_text="Periods up to and including this one are closed (0 = none)."
    )
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["start"]
        permissions = [("close_period", "Can close and reopen periods")]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_through__lte=12),
                name="year_closed_through_0_to_12",
                violation_error_message="A year has 12 periods; it closes through 12 at most.",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @classmethod
    def label_for(cls, start_year: int) -> str:
        return f"{start_year}-{(start_year + 1) % 100:02d}"

    @property
    def end(self) -> date:
        return add_months(self.start, 12) - date.resolution

    def period_start(self, period: int) -> date:
        return add_months(self.start, period - 1)

    def period_end(self, period: int) -> date:
        return add_months(self.start, period) - date.resolution

    def is_locked(self, period: int) -> bool:
        return period <= self.closed_through

    @property
    def open_periods(self) -> list[int]:
        return [p for p in PERIODS if p > self.closed_through]


class Category(models.Model):
    class Kind(models.TextChoices):
        RUN = "run", "Run"
        CHANGE = "change", "Change"

    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=6, choices=Kind.choices, default=Kind.RUN)
    order = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class BudgetLineQuerySet(models.QuerySet):
    def with_outturn(self, year: FinancialYear, as_at: int) -> "BudgetLineQuerySet":
        """Lines annotated for `year` as at period `as_at`.

        Adds full_year_budget, actual_to_date (P1..as_at), outturn (see `expected_spend`),
        variance (outturn - budget; positive is an overspend) and rag. One query, whatever
        the number of lines.
        """
        # The year's figures are joined in the ON clause, so only they are read (not every
        # year's), and a line with no figures that year still appears, with zeros.
        return (
            self.annotate(year_figures=FilteredRelation("figures", condition=Q(figures__year=year)))
            .annotate(
                full_year_budget=_m(Sum("year_figures__budget")),
                actual_to_date=_m(
                    Sum("year_figures__actual", filter=Q(year_figures__period__lte=as_at))
                ),
                outturn=_m(Sum(expected_spend(as_at, "year_figures__"))),
            )
            .annotate(
                variance=ExpressionWrapper(
                    F("outturn") - F("full_year_budget"), output_field=MONEY
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
            MonthlyFigure.objects.filter(line__in=self, year__in=years)
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


class ImportBatch(models.Model):
    """One applied import file. Its sha256 is unique, so a file cannot be applied twice."""

    sha256 = models.CharField(max_length=64, unique=True)
    filename = models.CharField(max_length=255)
    file_format = models.CharField(max_length=10, help_text="figures or ledger")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    applied_at = models.DateTimeField(auto_now_add=True)
    row_count = models.PositiveIntegerField(default=0)
    figure_count = models.PositiveIntegerField(default=0)
    total = MoneyField(default=ZERO)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-applied_at"]
        verbose_name_plural = "import batches"

    def __str__(self) -> str:
        return f"{self.filename} ({self.applied_at:%d %b %Y %H:%M})"


class MonthlyFigureQuerySet(models.QuerySet):
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
            "actual_to_date": _m(Sum("actual", filter=Q(period__lte=as_at))),
            "outturn": _m(Sum(expected_spend(as_at))),
        }

    def totals(self, as_at: int) -> dict:
        """One row: budget, actual_to_date, outturn, variance (outturn - budget),
        variance_pct and rag. One query."""
        row = self.aggregate(**self.outturn_parts(as_at), budget=_m(Sum("budget")))
        return _with_variance(row)

    def by_period(self, as_at: int) -> list[dict]:
        """Twelve rows, P1..P12: budget, actual (entered actuals; None after as_at or when
        none was entered), forecast (forecast or budget), expected (see `expected_spend`),
        and cumulative budget, actual and expected. One query."""
        rows = {
            row["period"]: row
            for row in self.values("period")
            .order_by("period")
            .annotate(  # see SHADOWING
                expected=_m(Sum(expected_spend(as_at))),
                forecast=_m(Sum(Coalesce("forecast", "budget"))),
                budget=_m(Sum("budget")),
                actual=Sum("actual", output_field=MONEY),
            )
        }
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
        for row, running in zip(
            result, accumulate(r["actual"] or ZERO for r in result), strict=True
        ):
            row["cumulative_actual"] = running if row["actual"] is not None else None
        return result

    def by_category(self, as_at: int) -> list[dict]:
        """Per category: category, kind, budget, actual_to_date, outturn, variance,
        variance_pct, rag; in the categories' order. One query."""
        rows = (
            self.values(category=F("line__category__name"), kind=F("line__category__kind"))
            .annotate(**self.outturn_parts(as_at), budget=_m(Sum("budget")))
            .order_by("line__category__order", "line__category__name")
        )
        return [_with_variance(row) for row in rows]

    def spend_by_year(self) -> "MonthlyFigureQuerySet":
        """Per year: actual and outturn, where the outturn takes actuals where they exist
        and forecast or budget elsewhere (so a part-year is comparable with whole years)."""
        return (
            self.values(year_label=F("year__label"), year_start=F("year__start"))
            .annotate(**_spend_columns())
            .order_by("year__start")
        )

    # Contract spend and supplier share: the one home of each, as at one reporting date.

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

    def _spend(self) -> dict:
        return {  # see SHADOWING
            "outturn": _m(Sum("expected_as_at")),
            "actual": _m(Sum("spent_as_at")),
        }

    def spend_totals(self) -> dict:
        """One row: actual (spent) and outturn (expected) of these figures, as at the date
        `as_at` chose (without it, every year whole). One query."""
        totals = self._seen().aggregate(**self._spend())
        return {name: value.quantize(PENNY) for name, value in totals.items()}

    def spend_by_contract(self) -> "MonthlyFigureQuerySet":
        """Spend to date on a contract: per year and contract, the actual and outturn of the
        budget lines that name it (lines naming none are left out), as at the date `as_at`
        chose, else every year whole; by year, then reference. One query."""
        return (
            self._seen()
            .filter(line__contract__isnull=False)
            .values(
                year_label=F("year__label"),
                year_start=F("year__start"),
                contract_id=F("line__contract_id"),
                reference=F("line__contract__reference"),
            )
            .annotate(**self._spend())
            .order_by("year__start", "reference")
        )

    def contract_spend(self) -> Coalesce:
        """For `Contract.objects.annotate(spend=...)` over one year's figures: each
        contract's actual from `spend_by_contract`, £0.00 when no line naming it has any."""
        actual = self.spend_by_contract().filter(contract_id=OuterRef("pk")).values("actual")
        return Coalesce(Subquery(actual), Value(ZERO), output_field=MONEY)

    def spend_by_supplier(self) -> "MonthlyFigureQuerySet":
        """Per year and supplier (None for lines with no contract): actual and outturn, as
        at the date `as_at` chose, else every year whole; largest outturn first within a
        year. One query."""
        return (
            self._seen()
            .values(
                year_label=F("year__label"),
                year_start=F("year__start"),
                supplier_id=F("line__contract__supplier_id"),
                supplier=F("line__contract__supplier__name"),
            )
            .annotate(**self._spend())
            .order_by("year__start", "-outturn", "supplier")
        )

    def supplier_shares(self, supplier_id: int | None = None) -> list[dict]:
        """Supplier share: `spend_by_supplier` rows, each with its year's technology_actual
        and technology_outturn (all these figures) and the supplier's share of each (share
        and outturn_share, percentages; None when the year has none). With `supplier_id`,
        that supplier's row for every year of these figures, zeros where it has none.
        One query: every figure is in one supplier's row (None for no contract), so the
        rows add up to each year's totals."""
        rows = list(self.spend_by_supplier())
        years: dict[str, dict] = {}
        for row in rows:
            year = years.setdefault(row["year_label"], {**row, "actual": ZERO, "outturn": ZERO})
            year["actual"] += row["actual"]
            year["outturn"] += row["outturn"]
        if supplier_id is not None:
            rows = [row for row in rows if row["supplier_id"] == supplier_id]
        return self._shares(rows, years, "supplier_id", supplier_id)

    def contract_shares(self, contract_id: int | None = None) -> list[dict]:
        """As `supplier_shares`, per contract: `spend_by_contract` rows with their shares
        of each year's technology spend (with `contract_id`, that contract's row for every
        year). Two queries."""
        years = {
            row["year_label"]: row
            for row in self._seen()
            .values(year_label=F("year__label"), year_start=F("year__start"))
            .annotate(**self._spend())
            .order_by("year__start")
        }
        rows = self.spend_by_contract()
        if contract_id is not None:
            rows = rows.filter(contract_id=contract_id)
        return self._shares(list(rows), years, "contract_id", contract_id)

    @classmethod
    def _shares(cls, rows: list[dict], years: dict, key: str, wanted: int | None) -> list[dict]:
        if wanted is not None:
            found = {row["year_label"]: row for row in rows}
            empty = {key: wanted, "actual": ZERO, "outturn": ZERO}
            rows = [
                found.get(label, {"year_label": label, "year_start": year["year_start"], **empty})
                for label, year in years.items()
            ]
        return [cls._share_row(row, years[row["year_label"]]) for row in rows]

    @staticmethod
    def _share_row(row: dict, year: dict) -> dict:
        # SQLite hands sums back without a fixed scale; exports show pence.
        actual, outturn = row["actual"].quantize(PENNY), row["outturn"].quantize(PENNY)
        total_actual, total_outturn = (
            year["actual"].quantize(PENNY),
            year["outturn"].quantize(PENNY),
        )
        return {
            **row,
            "actual": actual,
            "outturn": outturn,
            "technology_actual": total_actual,
            "technology_outturn": total_outturn,
            "share": percent(actual, total_actual),
            "outturn_share": percent(outturn, total_outturn),
        }


def expected_spend(as_at: int, prefix: str = "") -> Case:
    """A figure's expected spend as at period `as_at`, the term the outturn adds up.

    Up to `as_at`: the actual, or where none was entered yet the forecast or else the
    budget (a missing actual is not a zero spend). After `as_at`: the forecast or else the
    budget. So the outturn as at the latest actual agrees with `spend_by_year`.
    """
    actual, forecast, budget = (f"{prefix}{name}" for name in ("actual", "forecast", "budget"))
    return Case(
        When(**{f"{prefix}period__lte": as_at}, then=Coalesce(actual, forecast, budget)),
        default=Coalesce(forecast, budget),
        output_field=MONEY,
    )


def _with_variance(row: dict) -> dict:
    """Add variance (outturn - budget), variance_pct and rag to a row of sums."""
    row["variance"] = row["outturn"] - row["budget"]
    row["variance_pct"] = percent(row["variance"], row["budget"])
    row["rag"] = rag_for(row["variance"], row["budget"])
    return row


def _spend_columns() -> dict:
    return {  # see SHADOWING
        "outturn": _m(Sum(Coalesce("actual", "forecast", "budget"))),
        "actual": _m(Sum("actual")),
    }


class MonthlyFigure(models.Model):
    """One line's money for one period of one year. Totals are derived, never stored."""

    line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="figures")
    year = models.ForeignKey(FinancialYear, on_delete=models.PROTECT, related_name="figures")
    period = models.PositiveSmallIntegerField()
    budget = MoneyField(default=ZERO, help_text="The phased approved budget.")
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
        indexes = [models.Index(fields=["year", "period"])]

    def __str__(self) -> str:
        return f"{self.line.code} {self.year.label} P{self.period}"

    @property
    def forecast_or_budget(self) -> Decimal:
        return self.budget if self.forecast is None else self.forecast


class PendingImportQuerySet(models.QuerySet):
    def expired(self, now: datetime | None = None) -> "PendingImportQuerySet":
        """Uploads whose time to be confirmed has run out."""
        return self.filter(expires_at__lte=now or timezone.now())


class PendingImport(models.Model):
    """An uploaded file waiting for its owner to confirm the preview, or, for a file that
    was refused, its problems waiting to be downloaded as CSV. One per person; it expires
    (see `budgets.importing.pending`)."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, blank=True)
    data = models.BinaryField(blank=True, help_text="The file as uploaded; empty if refused.")
    versions = models.JSONField(
        default=dict, blank=True, help_text="Each figure's version when the preview was shown."
    )
    problems = models.JSONField(
        default=list, blank=True, help_text="[row, column, reason] of a refused file."
    )

    objects = PendingImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["expires_at"])]

    def __str__(self) -> str:
        return f"{self.filename} ({self.owner}, until {self.expires_at:%d %b %Y %H:%M})"
