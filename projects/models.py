"""Major projects (baseline against forecast, with their histories) and benefit measures.

A project's baseline is set when its business case is approved and changes only through a
recorded `Rebaseline`; its forecast changes only through an appended `ProjectForecast`.
Both histories are kept whole, so the cost growth and schedule slip can be read as at any
date (`ProjectQuerySet.with_growth`). The project row carries the latest of each for
forms and the admin; the services keep them equal to the newest history rows.
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Case, ExpressionWrapper, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import ExtractMonth, ExtractYear
from django.db.models.lookups import GreaterThan
from django.urls import reverse
from simple_history.models import HistoricalRecords

from budgets.models import BudgetLine, FinancialYear, Rag
from common.money import MONEY, MoneyField, add_months, percent
from contracts.models import Contract
from savings.models import Initiative

COST_RED_PERCENT = Decimal(getattr(settings, "PROJECT_COST_RED_PERCENT", "10"))
COST_AMBER_PERCENT = Decimal(getattr(settings, "PROJECT_COST_AMBER_PERCENT", "5"))
SLIP_RED_MONTHS = int(getattr(settings, "PROJECT_SLIP_RED_MONTHS", 3))
SLIP_AMBER_MONTHS = int(getattr(settings, "PROJECT_SLIP_AMBER_MONTHS", 1))


def months_between(start: date, end: date) -> int:
    """Calendar months from `start`'s month to `end`'s: the schedule slip's rule, the same
    as `with_growth`'s slip_months in SQL (31 Mar to 1 Apr is one month)."""
    return (end.year - start.year) * 12 + end.month - start.month


def QuantityField(**kwargs) -> models.DecimalField:  # noqa: N802 - reads like a field class
    """A benefit's value in its own unit (devices, hours a week, FTE or pounds): exact."""
    return models.DecimalField(max_digits=14, decimal_places=2, **kwargs)


def _growth_over(growth, baseline, percent_: Decimal) -> GreaterThan:
    """growth * 100 > baseline * percent, compared without division."""
    return GreaterThan(
        ExpressionWrapper(growth * Value(Decimal(100)), output_field=MONEY),
        ExpressionWrapper(baseline * Value(percent_), output_field=MONEY),
    )


class ProjectQuerySet(models.QuerySet):
    def with_growth(self, as_at: date | None = None) -> "ProjectQuerySet":
        """Projects annotated with their position as at `as_at` (today's when None), read
        from the histories: base_cost and base_go_live (the latest baseline on or before
        the date), original_cost (the first baseline), fc_cost and fc_go_live (the latest
        forecast), cost_growth (fc_cost - base_cost), original_growth (fc_cost -
        original_cost), slip_months (calendar months from base_go_live to fc_go_live),
        is_open (not closed on or before the date), and cost_rag, schedule_rag and rag
        (the worse of the two), empty for a project that is closed or has no baseline.
        One query, whatever the number of projects."""
        forecasts = ProjectForecast.objects.filter(project=OuterRef("pk"))
        baselines = Rebaseline.objects.filter(project=OuterRef("pk"))
        if as_at is not None:
            forecasts = forecasts.filter(as_of__lte=as_at)
            baselines = baselines.filter(effective__lte=as_at)
        latest_forecast = forecasts.order_by("-as_of", "-pk")
        latest_baseline = baselines.order_by("-effective", "-pk")
        first_baseline = baselines.order_by("effective", "pk")
        closed = Q(closed_on__isnull=False)
        if as_at is not None:
            closed &= Q(closed_on__lte=as_at)
        return (
            self.annotate(
                base_cost=Subquery(latest_baseline.values("cost")[:1], output_field=MONEY),
                base_go_live=Subquery(latest_baseline.values("go_live")[:1]),
                original_cost=Subquery(first_baseline.values("cost")[:1], output_field=MONEY),
                original_go_live=Subquery(first_baseline.values("go_live")[:1]),
                fc_cost=Subquery(latest_forecast.values("cost")[:1], output_field=MONEY),
                fc_go_live=Subquery(latest_forecast.values("go_live")[:1]),
                is_open=Case(
                    When(closed, then=Value(False)),
                    default=Value(True),
                    output_field=models.BooleanField(),
                ),
            )
            .annotate(
                cost_growth=ExpressionWrapper(F("fc_cost") - F("base_cost"), output_field=MONEY),
                original_growth=ExpressionWrapper(
                    F("fc_cost") - F("original_cost"), output_field=MONEY
                ),
                slip_months=ExpressionWrapper(
                    (ExtractYear("fc_go_live") - ExtractYear("base_go_live")) * 12
                    + ExtractMonth("fc_go_live")
                    - ExtractMonth("base_go_live"),
                    output_field=models.IntegerField(),
                ),
            )
            .annotate(cost_rag=_cost_rag(), schedule_rag=_schedule_rag())
            .annotate(rag=_worse_rag())
        )


def _judged() -> Q:
    """A project is judged against tolerance while open and baselined."""
    return Q(is_open=True, base_cost__isnull=False)


def _cost_rag() -> Case:
    growth, base = F("cost_growth"), F("base_cost")
    return Case(
        When(~_judged() | Q(fc_cost__isnull=True), then=Value("")),
        When(_growth_over(growth, base, COST_RED_PERCENT), then=Value(Rag.RED)),
        When(_growth_over(growth, base, COST_AMBER_PERCENT), then=Value(Rag.AMBER)),
        default=Value(Rag.GREEN),
        output_field=models.CharField(),
    )


def _schedule_rag() -> Case:
    return Case(
        When(~_judged() | Q(fc_go_live__isnull=True), then=Value("")),
        When(slip_months__gt=SLIP_RED_MONTHS, then=Value(Rag.RED)),
        When(slip_months__gt=SLIP_AMBER_MONTHS, then=Value(Rag.AMBER)),
        default=Value(Rag.GREEN),
        output_field=models.CharField(),
    )


def _worse_rag() -> Case:
    either = Q(cost_rag=Rag.RED) | Q(schedule_rag=Rag.RED)
    amber = Q(cost_rag=Rag.AMBER) | Q(schedule_rag=Rag.AMBER)
    return Case(
        When(either, then=Value(Rag.RED)),
        When(amber, then=Value(Rag.AMBER)),
        When(Q(cost_rag=Rag.GREEN) | Q(schedule_rag=Rag.GREEN), then=Value(Rag.GREEN)),
        default=Value(""),
        output_field=models.CharField(),
    )


class Project(models.Model):
    class Stage(models.TextChoices):
        BUSINESS_CASE = "business_case", "Business case"
        DELIVERY = "delivery", "Delivery"
        LIVE = "live", "Live"
        CLOSED = "closed", "Closed"

    # The IPA's five-point delivery confidence, as the savings initiatives use it.
    Confidence = Initiative.Confidence
    # Stages a project may be in without an approved baseline.
    UNBASELINED_STAGES = (Stage.BUSINESS_CASE, Stage.CLOSED)

    code = models.SlugField(max_length=30, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.CharField("senior responsible owner", max_length=120, blank=True)
    stage = models.CharField(max_length=16, choices=Stage.choices, default=Stage.BUSINESS_CASE)
    closed_on = models.DateField(null=True, blank=True, help_text="Set when the project closes.")
    confidence = models.CharField(
        "delivery confidence",
        max_length=12,
        choices=Initiative.Confidence.choices,
        default=Initiative.Confidence.AMBER,
    )
    # Set by the services only: baseline through a re-baseline, forecast through a forecast.
    baseline_cost = MoneyField(verbose_name="baseline whole-life cost", null=True, blank=True)
    baseline_go_live = models.DateField("baseline go-live", null=True, blank=True)
    forecast_cost = MoneyField(verbose_name="forecast whole-life cost", null=True, blank=True)
    forecast_go_live = models.DateField("forecast go-live", null=True, blank=True)
    lines = models.ManyToManyField(BudgetLine, blank=True, related_name="projects")
    contracts = models.ManyToManyField(Contract, blank=True, related_name="projects")
    initiatives = models.ManyToManyField(Initiative, blank=True, related_name="projects")
    source = models.TextField(
        blank=True, help_text="Where the figures come from; say which are illustrative."
    )
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()
    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(stage="closed") & Q(closed_on__isnull=False))
                | (~Q(stage="closed") & Q(closed_on__isnull=True)),
                name="project_closed_on_iff_closed",
                violation_error_message="A closed project needs its closing date, and only "
                "a closed project has one.",
            ),
            models.CheckConstraint(
                condition=Q(stage__in=["business_case", "closed"])
                | (Q(baseline_cost__isnull=False) & Q(baseline_go_live__isnull=False)),
                name="project_baselined_after_business_case",
                violation_error_message="A project in delivery or live needs an approved baseline.",
            ),
            models.CheckConstraint(
                condition=(Q(baseline_cost__isnull=True) | Q(baseline_cost__gte=0))
                & (Q(forecast_cost__isnull=True) | Q(forecast_cost__gte=0)),
                name="project_costs_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", args=[self.code])

    @property
    def cost_growth_pct(self) -> Decimal | None:
        """Cost growth as a percentage of the baseline; needs `with_growth`."""
        return percent(self.cost_growth, self.base_cost)

    @property
    def original_growth_pct(self) -> Decimal | None:
        return percent(self.original_growth, self.original_cost)


class ProjectForecast(models.Model):
    """One forecast of a project's whole-life cost and go-live, kept with its reason.
    Appended, never edited: a project's forecasts are its forecast history."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="forecasts")
    as_of = models.DateField(help_text="The date the forecast was made.")
    cost = MoneyField(verbose_name="forecast whole-life cost")
    go_live = models.DateField(
        "forecast go-live", null=True, blank=True, help_text="Empty: no go-live (stopped)."
    )
    reason = models.TextField()
    source = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["project__code", "as_of", "pk"]
        get_latest_by = ["as_of", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(cost__gte=0), name="forecast_cost_not_negative"),
            models.CheckConstraint(condition=~Q(reason=""), name="forecast_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} forecast {self.as_of:%d %b %Y}"


class Rebaseline(models.Model):
    """An approved baseline: the first is the business case's approval, each later one a
    re-baseline, with its reason and approver. Appended, never edited."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="baselines")
    effective = models.DateField(help_text="The date the baseline was approved.")
    cost = MoneyField(verbose_name="baseline whole-life cost")
    go_live = models.DateField("baseline go-live")
    previous_cost = MoneyField(null=True, blank=True)
    previous_go_live = models.DateField(null=True, blank=True)
    reason = models.TextField()
    approver = models.CharField(max_length=200, help_text="Who approved it (person or board).")
    source = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["project__code", "effective", "pk"]
        get_latest_by = ["effective", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(cost__gte=0), name="baseline_cost_not_negative"),
            models.CheckConstraint(
                condition=~Q(reason="") & ~Q(approver=""), name="baseline_has_reason_and_approver"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} baseline {self.effective:%d %b %Y}"

    @property
    def is_first(self) -> bool:
        return self.previous_cost is None


class BenefitMeasure(models.Model):
    """Something a project or initiative should improve, measured monthly in its unit.

    Each month's planned and actual values are levels at the end of the month (devices in
    use, hours a week released, FTE, or pounds a year), not that month's increments."""

    class Unit(models.TextChoices):
        DEVICES = "devices", "Devices"
        HOURS_PER_WEEK = "hours_per_week", "Hours per week"
        FTE = "fte", "Officer FTE"
        POUNDS = "pounds", "£"

    code = models.SlugField(max_length=30, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    unit = models.CharField(max_length=16, choices=Unit.choices)
    cashable = models.BooleanField(
        default=False, help_text="Cash off the budget; officer time and devices are not."
    )
    owner = models.CharField(max_length=120, blank=True)
    initiative = models.ForeignKey(
        Initiative, null=True, blank=True, on_delete=models.SET_NULL, related_name="benefits"
    )
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.SET_NULL, related_name="benefits"
    )
    source = models.TextField(
        blank=True, help_text="Where the figures come from; say which are illustrative."
    )
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("benefits:measure", args=[self.code])


class BenefitValueQuerySet(models.QuerySet):
    def through(self, as_at: date | None) -> "BenefitValueQuerySet":
        """Months that had ended by `as_at` (every month when None)."""
        if as_at is None:
            return self
        return self.filter(month__lte=last_complete_month(as_at))


def last_complete_month(as_at: date) -> date:
    """The first day of the last month that ended on or before `as_at`."""
    following = as_at + date.resolution
    return add_months(following.replace(day=1), -1)


class BenefitValue(models.Model):
    """A benefit measure's planned and actual level at the end of one month."""

    measure = models.ForeignKey(BenefitMeasure, on_delete=models.CASCADE, related_name="values")
    month = models.DateField(help_text="The first day of the month.")
    planned = QuantityField(null=True, blank=True, help_text="Empty: no plan for this month.")
    actual = QuantityField(null=True, blank=True, help_text="Empty until recorded.")
    note = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = BenefitValueQuerySet.as_manager()

    class Meta:
        ordering = ["measure__code", "month"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "month"], name="benefit_value_unique_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="benefit_month_first_day"),
            models.CheckConstraint(
                condition=(Q(planned__isnull=True) | Q(planned__gte=0))
                & (Q(actual__isnull=True) | Q(actual__gte=0)),
                name="benefit_values_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure.code} {self.month:%b %Y}"


class OfficerCount(models.Model):
    """Police officers in a financial year: the denominator of spend per officer."""

    year = models.OneToOneField(
        FinancialYear, on_delete=models.PROTECT, related_name="officer_count"
    )
    officers = models.PositiveIntegerField()
    source = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["year__start"]
        constraints = [
            models.CheckConstraint(condition=Q(officers__gt=0), name="officers_more_than_none"),
        ]

    def __str__(self) -> str:
        return f"{self.year.label}: {self.officers:,} officers"
