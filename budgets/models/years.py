"""Financial years and their periods, and budget categories."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import (
    Q,
)
from simple_history.models import HistoricalRecords

from budgets.models.expressions import PERIODS
from common.money import add_months


class FinancialYear(models.Model):
    """April to March. Periods P1 (April) to P12 (March); P1..closed_through are locked."""

    label = models.CharField(max_length=7, unique=True, help_text="e.g. 2014-15")
    start = models.DateField(unique=True, help_text="1 April of the year")
    closed_through = models.PositiveSmallIntegerField(
        default=0, help_text="Periods up to and including this one are closed (0 = none)."
    )
    budget_approved_at = models.DateTimeField(
        null=True, blank=True, help_text="Empty while the budget is a draft."
    )
    budget_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
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

    @property
    def is_budget_approved(self) -> bool:
        """Once approved, the original budget is frozen and the budget changes only by a
        recorded budget change."""
        return self.budget_approved_at is not None

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
