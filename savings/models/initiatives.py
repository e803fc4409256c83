"""Savings initiatives (`Initiative`: lever, stage, delivery confidence, what it is
measured against) and the pipeline's rule for which of them count (`counts_as_cash`,
`counts_as_non_cash`), with the QuerySet that reads one year's savings beside each
initiative and totals them by that rule."""

from django.db import models
from django.db.models import Case, F, FilteredRelation, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from simple_history.models import HistoricalRecords

from budgets.models import BudgetLine, FinancialYear
from common.money import MoneyField, money_sum
from contracts.models import Contract


def counts_as_cash(path: str = "") -> Q:
    """The pipeline's rule for identified, planned and forecast savings: cashable
    initiatives not abandoned. `path` reaches the initiative ("initiative__" from a year)."""
    return Q(**{f"{path}cashable": True}) & ~Q(**{f"{path}stage": Initiative.Stage.ABANDONED})


def counts_as_non_cash(path: str = "") -> Q:
    """Non-cashable initiatives not abandoned: their plans are shown apart, never in the
    cash target."""
    return Q(**{f"{path}cashable": False}) & ~Q(**{f"{path}stage": Initiative.Stage.ABANDONED})


class InitiativeQuerySet(models.QuerySet):
    def with_year(self, year: FinancialYear) -> "InitiativeQuerySet":
        """Initiatives with a savings row in `year`, annotated with that row's planned,
        forecast (forecast or else planned), realised (None until recorded) and over_plan.
        One join on the (initiative, year) row: one result row per initiative."""
        return (
            self.annotate(this_year=FilteredRelation("years", condition=Q(years__year=year)))
            .filter(this_year__isnull=False)
            .annotate(
                planned=F("this_year__planned"),
                forecast=Coalesce("this_year__forecast", "this_year__planned"),
                realised=F("this_year__realised"),
                claimed=F("this_year__claimed"),
                over_plan=Case(
                    When(this_year__realised__gt=F("this_year__planned"), then=Value(True)),
                    default=Value(False),
                    output_field=models.BooleanField(),
                ),
            )
        )

    def year_totals(self) -> dict:
        """Totals of rows from `with_year`, by the pipeline's rules: planned and forecast of
        cashable initiatives not abandoned, realised of cashable ones, and the non-cashable
        planned and realised apart."""
        live, non_cash = counts_as_cash(), counts_as_non_cash()
        # Aggregate aliases may not reuse the annotation names they sum.
        totals = self.aggregate(
            total_planned=money_sum(Sum("planned", filter=live)),
            total_forecast=money_sum(Sum("forecast", filter=live)),
            total_realised=money_sum(Sum("realised", filter=Q(cashable=True))),
            total_claimed=money_sum(Sum("claimed", filter=Q(cashable=True))),
            total_non_cashable_planned=money_sum(Sum("planned", filter=non_cash)),
            total_non_cashable_realised=money_sum(Sum("realised", filter=Q(cashable=False))),
        )
        return {key.removeprefix("total_"): value for key, value in totals.items()}


class Initiative(models.Model):
    class Lever(models.TextChoices):
        RENEGOTIATE = "renegotiate", "Renegotiate"
        CANCEL = "cancel", "Cancel"
        RETENDER = "re-tender", "Re-tender"
        CONSOLIDATE = "consolidate", "Consolidate"
        DEMAND = "demand", "Demand management"
        PRODUCTIVITY = "productivity", "Productivity"

    class Stage(models.TextChoices):
        IDENTIFIED = "identified", "Identified"
        APPROVED = "approved", "Approved"
        IN_DELIVERY = "in_delivery", "In delivery"
        DELIVERED = "delivered", "Delivered"
        ABANDONED = "abandoned", "Abandoned"

    class Confidence(models.TextChoices):
        """The IPA's five-point delivery confidence assessment."""

        RED = "red", "Red"
        AMBER_RED = "amber_red", "Amber/Red"
        AMBER = "amber", "Amber"
        AMBER_GREEN = "amber_green", "Amber/Green"
        GREEN = "green", "Green"

    APPROVED_STAGES = (Stage.APPROVED, Stage.IN_DELIVERY, Stage.DELIVERED)
    DELIVERY_STAGES = (Stage.IN_DELIVERY, Stage.DELIVERED)  # when savings are realised

    code = models.SlugField(max_length=30, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.CharField(max_length=120, blank=True)
    lever = models.CharField(max_length=16, choices=Lever.choices)
    stage = models.CharField(max_length=16, choices=Stage.choices, default=Stage.IDENTIFIED)
    confidence = models.CharField(
        max_length=12, choices=Confidence.choices, default=Confidence.AMBER
    )
    cashable = models.BooleanField(
        default=True,
        help_text="Cash off the budget. Non-cashable savings (e.g. officer time) never "
        "count towards the cash target.",
    )
    contract = models.ForeignKey(
        Contract, null=True, blank=True, on_delete=models.SET_NULL, related_name="initiatives"
    )
    lines = models.ManyToManyField(BudgetLine, blank=True, related_name="initiatives")
    # What the saving is measured against, and how its realisation is evidenced.
    baseline_amount = MoneyField(
        null=True, blank=True, help_text="The spend the saving is measured against (£)."
    )
    baseline_year = models.ForeignKey(
        FinancialYear, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    baseline_method = models.TextField(
        blank=True, help_text="How the baseline was worked out, in words."
    )
    measurement = models.TextField(
        blank=True, help_text="How realisation is evidenced (which reports, invoices, counts)."
    )
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()
    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(baseline_amount__isnull=True) | Q(baseline_amount__gte=0),
                name="initiative_baseline_not_negative",
                violation_error_message="A baseline amount cannot be negative.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("savings:initiative", args=[self.code])
