"""The reduction programme the technology savings count towards (`ReductionProgramme`, found
for a year by `for_year`), its savings target for each year (`SavingsTarget`), and the RAG
of savings against a target (`savings_rag`)."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from budgets.models import FinancialYear, Rag
from common.money import MoneyField

# A year's savings are green when the forecast meets the target, amber within 10% of it.
SAVINGS_AMBER_SHORTFALL_PERCENT = Decimal("10")


def savings_rag(achieved: Decimal, target: Decimal) -> str:
    """Green at or above target, amber within 10% short, red beyond."""
    if achieved >= target:
        return Rag.GREEN
    if (target - achieved) * 100 <= target * SAVINGS_AMBER_SHORTFALL_PERCENT:
        return Rag.AMBER
    return Rag.RED


class ReductionProgrammeQuerySet(models.QuerySet):
    def for_year(self, year: FinancialYear | None) -> "ReductionProgramme | None":
        """The programme whose years include `year`, else the latest one; None when there
        is none. Every page's targets come from this one programme. One query."""
        programmes = list(
            self.select_related("first_year", "last_year", "baseline_year").order_by(
                "-first_year__start", "-pk"
            )
        )
        covering = (
            p
            for p in programmes
            if year is not None and p.first_year.start <= year.start <= p.last_year.start
        )
        return next(covering, programmes[0] if programmes else None)


class ReductionProgramme(models.Model):
    """The organisation-wide cut the technology savings contribute to (the Met's £500m)."""

    name = models.CharField(max_length=200)
    organisation_budget = MoneyField()
    reduction_target = MoneyField()
    first_year = models.ForeignKey(FinancialYear, on_delete=models.PROTECT, related_name="+")
    last_year = models.ForeignKey(FinancialYear, on_delete=models.PROTECT, related_name="+")
    baseline_year = models.ForeignKey(FinancialYear, on_delete=models.PROTECT, related_name="+")
    technology_baseline = MoneyField(help_text="Technology spend in the baseline year.")
    source = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()
    objects = ReductionProgrammeQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation_budget__gte=0)
                & Q(reduction_target__gte=0)
                & Q(technology_baseline__gte=0),
                name="programme_amounts_not_negative",
                violation_error_message="The programme's budget, reduction and baseline cannot "
                "be negative.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SavingsTarget(models.Model):
    """New in-year technology savings required in one year, against the previous year."""

    programme = models.ForeignKey(
        ReductionProgramme, on_delete=models.CASCADE, related_name="targets"
    )
    year = models.ForeignKey(FinancialYear, on_delete=models.PROTECT, related_name="targets")
    amount = MoneyField()
    source = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["year__start"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "year"], name="target_unique_year"),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="target_not_negative",
                violation_error_message="A savings target cannot be negative.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: £{self.amount:,.2f}"
