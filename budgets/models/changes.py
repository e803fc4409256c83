"""Budget changes: once a year's budget is approved, its budget moves only through a
recorded change (a revision, a virement between lines, or a carry-forward into the next
year), each with its reason, who and when, and its per-line, per-period amounts."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Sum
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from budgets.models.lines import BudgetLine
from budgets.models.years import FinancialYear
from common.money import MoneyField, money_sum


class BudgetChangeQuerySet(models.QuerySet):
    def touching(self, *, year=None, line=None, category=None) -> "BudgetChangeQuerySet":
        """Changes with at least one line in `year`, on `line`, or in `category` (each
        optional), once each."""
        lines = BudgetChangeLine.objects.all()
        if year is not None:
            lines = lines.filter(year=year)
        if line is not None:
            lines = lines.filter(line=line)
        if category is not None:
            lines = lines.filter(line__category=category)
        return self.filter(pk__in=lines.values("change_id"))

    def with_totals(self) -> "BudgetChangeQuerySet":
        """Each change with `net` (its amounts added up: zero for a virement or a
        carry-forward), `moved` (its positive amounts) and `line_count`. One query."""
        return self.annotate(
            net=money_sum(Sum("lines__amount")),
            moved=money_sum(Sum("lines__amount", filter=Q(lines__amount__gt=0))),
            line_count=models.Count("lines"),
        )


class BudgetChange(models.Model):
    """A recorded change to an approved budget. Append-only: a mistake is put right by
    another change, so the record reads as the committee would read it."""

    class Kind(models.TextChoices):
        REVISION = "revision", "Revision"
        VIREMENT = "virement", "Virement"
        CARRY_FORWARD = "carry_forward", "Carry-forward"

    kind = models.CharField(max_length=13, choices=Kind.choices)
    reason = models.TextField(help_text="Why the budget changes; the committee reads it.")
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    made_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()
    objects = BudgetChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-made_at", "-pk"]
        permissions = [("approve_budget", "Can approve a year's budget")]

    def __str__(self) -> str:
        return f"Budget change {self.pk}: {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("budgets:change", args=[self.pk])


class BudgetChangeLineQuerySet(models.QuerySet):
    def by_line_year(self) -> "BudgetChangeLineQuerySet":
        """Per line and year: code and `amount` (the changes added up). One query."""
        return (
            self.values("line_id", "year_id", code=F("line__code"))
            .annotate(amount=money_sum(Sum("amount")))
            .order_by("year_id", "code")
        )

    def total(self) -> dict:
        """One row: `amount`, every change's amounts added up. One query."""
        return self.aggregate(amount=money_sum(Sum("amount")))


class BudgetChangeLine(models.Model):
    """One amount of a change: added to (or, negative, taken from) one line's budget for
    one period of one year."""

    change = models.ForeignKey(BudgetChange, on_delete=models.PROTECT, related_name="lines")
    line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="budget_changes")
    year = models.ForeignKey(FinancialYear, on_delete=models.PROTECT, related_name="budget_changes")
    period = models.PositiveSmallIntegerField()
    amount = MoneyField(help_text="Added to the budget; negative takes budget away.")

    history = HistoricalRecords()
    objects = BudgetChangeLineQuerySet.as_manager()

    class Meta:
        ordering = ["change", "year__start", "line__code", "period"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period__gte=1) & Q(period__lte=12),
                name="budget_change_period_1_to_12",
                violation_error_message="A period is between 1 (April) and 12 (March).",
            ),
            models.UniqueConstraint(
                fields=["change", "line", "year", "period"],
                name="budget_change_line_once",
                violation_error_message="A change names each line and period once.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line.code} {self.year.label} P{self.period}: {self.amount}"
