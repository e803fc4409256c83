from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Case, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from simple_history.models import HistoricalRecords

from common.money import ZERO, MoneyField, add_months


class Supplier(models.Model):
    name = models.CharField(max_length=200, unique=True)
    notes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("contracts:supplier", args=[self.pk])


def _latest_end(cutoff: date, notice_months: int) -> date:
    """The last end date whose decision date (end less `notice_months`, clamped to the
    month's end) falls on or before `cutoff`. From a month's last day every later day of
    the target month maps back onto it (31 Dec less 6 months is 30 Jun), hence the case."""
    latest = add_months(cutoff, notice_months)
    if (cutoff + timedelta(days=1)).month != cutoff.month:
        return add_months(latest.replace(day=1), 1) - timedelta(days=1)
    return latest


class ContractQuerySet(models.QuerySet):
    def decision_due_by(self, cutoff: date) -> "ContractQuerySet":
        """Live contracts whose decision date (end date minus notice) is on or before `cutoff`.

        For each notice length n the contracts due are those ending on or before the last
        end date whose decision date is `cutoff` or earlier; notice takes few values, so
        this is one OR per value and stays in one SQL query.
        """
        condition = Q()
        for months in range(0, Contract.MAX_NOTICE_MONTHS + 1):
            condition |= Q(notice_months=months, end_date__lte=_latest_end(cutoff, months))
        return self.live().filter(condition)

    def live(self) -> "ContractQuerySet":
        """Contracts still running or not yet started (not expired or terminated)."""
        return self.exclude(status__in=[Contract.Status.EXPIRED, Contract.Status.TERMINATED])

    def timeline(self, since: date) -> "ContractQuerySet":
        """Gantt rows: contracts ending on or after `since`, by start date, as dicts of
        reference, title, supplier, start_date, end_date, notice_months, annual_value, status."""
        return (
            self.filter(end_date__gte=since)
            .order_by("start_date", "reference")
            .values(
                "reference",
                "title",
                "start_date",
                "end_date",
                "notice_months",
                "annual_value",
                "status",
                supplier_name=models.F("supplier__name"),
            )
        )

    def with_spend(self, *, year_id: int | None, through_period: int) -> "ContractQuerySet":
        """Adds `spend`: actuals of the budget lines that name each contract in one year,
        periods 1 to `through_period` (£0.00 when none). One query, whatever the rows.

        Budget lines live in a later app (budgets imports contracts), so the sum follows
        the reverse relation by name instead of importing its models.
        """
        # The year's figures are joined in the ON clause, so other years' rows are not read.
        year_figures = models.FilteredRelation(
            "budget_lines__figures",
            condition=Q(
                budget_lines__figures__year_id=year_id,
                budget_lines__figures__period__lte=through_period,
            ),
        )
        return self.annotate(year_figures=year_figures).annotate(
            spend=Coalesce(Sum("year_figures__actual"), Value(ZERO), output_field=MoneyField())
        )

    def with_expiry_rag(self, as_at: date) -> "ContractQuerySet":
        """Adds `expiry_rag`: red when a live contract ends less than 6 months after
        `as_at`, amber less than 12, else green; empty for expired or terminated ones."""
        ended = [Contract.Status.EXPIRED, Contract.Status.TERMINATED]
        return self.annotate(
            expiry_rag=Case(
                When(status__in=ended, then=Value("")),
                When(end_date__lt=add_months(as_at, 6), then=Value("red")),
                When(end_date__lt=add_months(as_at, 12), then=Value("amber")),
                default=Value("green"),
                output_field=models.CharField(),
            )
        )


class Contract(models.Model):
    MAX_NOTICE_MONTHS = 60

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        ACTIVE = "active", "Active"
        EXPIRED = "expired", "Expired"
        TERMINATED = "terminated", "Terminated"

    reference = models.SlugField(
        max_length=40,
        unique=True,
        help_text="Short unique reference used in links, e.g. MPS-CAP-2005.",
    )
    title = models.CharField(max_length=200)
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="contracts")
    description = models.TextField(blank=True)
    start_date = models.DateField()
    end_date = models.DateField()
    notice_months = models.PositiveSmallIntegerField(
        default=6, help_text="Months of notice needed before the end date (0 to 60)."
    )
    annual_value = MoneyField(default=Decimal("0.00"))
    total_value = MoneyField(default=Decimal("0.00"))
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACTIVE)
    owner = models.CharField(max_length=120, blank=True)
    source = models.TextField(blank=True, help_text="Where the public figures come from.")

    history = HistoricalRecords()
    objects = ContractQuerySet.as_manager()

    class Meta:
        ordering = ["end_date", "reference"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="contract_end_not_before_start",
            ),
            models.CheckConstraint(
                condition=Q(annual_value__gte=0) & Q(total_value__gte=0),
                name="contract_values_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(notice_months__lte=60), name="contract_notice_at_most_60_months"
            ),
        ]
        indexes = [models.Index(fields=["status", "end_date"])]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("contracts:detail", args=[self.reference])

    @property
    def decision_date(self) -> date:
        """The last day to give notice: the end date less the notice period."""
        return add_months(self.end_date, -self.notice_months)


class ContractChange(models.Model):
    """One event in a contract's life. Append-only: the history of a contract is its changes."""

    class Kind(models.TextChoices):
        AWARD = "award", "Award"
        EXTENSION = "extension", "Extension"
        VARIATION = "variation", "Variation"
        RENEGOTIATION = "renegotiation", "Renegotiation"
        TERMINATION = "termination", "Termination"

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="changes")
    effective_date = models.DateField()
    kind = models.CharField(max_length=16, choices=Kind.choices)
    old_end_date = models.DateField(null=True, blank=True)
    new_end_date = models.DateField(null=True, blank=True)
    value_change = MoneyField(
        default=Decimal("0.00"), help_text="Change to the total contract value; may be negative."
    )
    expected_annual_saving = MoneyField(default=Decimal("0.00"))
    note = models.TextField(blank=True)
    source = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["effective_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expected_annual_saving__gte=0),
                name="contractchange_saving_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.contract.reference} on {self.effective_date}"
