"""What-if scenarios: a named, saved set of adjustments over the live figures. A scenario
never writes to the figures it adjusts; `scenarios.engine` works its results out afresh on
every view."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from budgets.models import BudgetLine, FinancialYear
from common.money import MoneyField, format_money, format_percent
from contracts.models import Contract
from reports.models import PublishedReport
from savings.models import Initiative

# The longest slip an initiative may be given, in months.
MAX_SLIP_MONTHS = 60


class Scenario(models.Model):
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    weight_by_confidence = models.BooleanField(
        default=False,
        help_text="Also discount every initiative's forecast savings by its delivery "
        "confidence (the weights shown on the scenarios page).",
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    made_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("scenarios:detail", args=[self.pk])


class Adjustment(models.Model):
    """One change a scenario makes to the live figures. Which fields it uses depends on its
    kind (`FIELDS`); `clean` checks that those are given and in range, and
    `scenarios.rules` checks them against the live data (the plan's dates, the contract's
    status)."""

    class Kind(models.TextChoices):
        CANCEL = "cancel", "Cancel a contract"
        RENEGOTIATE = "renegotiate", "Renegotiate a contract"
        EXTEND = "extend", "Extend a contract"
        SLIP = "slip", "Slip an initiative"
        SCALE = "scale", "Scale an initiative's savings"
        SET_FORECAST = "set_forecast", "Set a line's forecast"

    # The fields each kind needs; `amount` is optional for a cancellation (its exit cost).
    FIELDS = {
        Kind.CANCEL: ("contract", "on_date"),
        Kind.RENEGOTIATE: ("contract", "on_date", "percent"),
        Kind.EXTEND: ("contract", "on_date", "amount"),
        Kind.SLIP: ("initiative", "months"),
        Kind.SCALE: ("initiative", "factor"),
        Kind.SET_FORECAST: ("line", "year", "period", "amount"),
    }

    OPTIONAL_FIELDS = (
        "contract",
        "initiative",
        "line",
        "on_date",
        "amount",
        "percent",
        "factor",
        "months",
        "year",
        "period",
    )

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="adjustments")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    contract = models.ForeignKey(
        Contract, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    initiative = models.ForeignKey(
        Initiative, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    line = models.ForeignKey(
        BudgetLine, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    on_date = models.DateField(
        null=True,
        blank=True,
        help_text="Cancel or renegotiate: from this date. Extend: to this date.",
    )
    amount = MoneyField(
        null=True,
        blank=True,
        help_text="Cancel: the exit cost (optional). Extend: the annual value. "
        "Set forecast: the monthly amount.",
    )
    percent = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Renegotiate: the change in price, e.g. -10 for 10% less.",
    )
    factor = models.DecimalField(
        max_digits=6,
        decimal_places=3,
        null=True,
        blank=True,
        help_text="Scale: multiply the forecast savings, e.g. 0.5 for half.",
    )
    months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Slip: months later than forecast."
    )
    year = models.ForeignKey(
        FinancialYear, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    period = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Set forecast: from this period (1 = April) on."
    )
    note = models.CharField(max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(factor__isnull=True) | Q(factor__gte=0),
                name="adjustment_factor_not_negative",
                violation_error_message="A factor cannot be below zero.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.target}"

    def drop_unused(self) -> None:
        """Clear the fields this kind does not use (a cancellation keeps its exit cost), so
        that what is stored is what the adjustment means."""
        used = {*self.FIELDS.get(self.kind, ()), *(("amount",) if self.kind == "cancel" else ())}
        for name in self.OPTIONAL_FIELDS:
            if name not in used:
                setattr(self, name, None)

    def clean(self) -> None:
        self.drop_unused()
        errors = self.range_errors()
        if errors:
            raise ValidationError(errors)

    @property
    def target(self) -> object:
        """The contract, initiative or line the adjustment changes."""
        return self.contract or self.initiative or self.line

    def missing_fields(self) -> list[str]:
        return [name for name in self.FIELDS.get(self.kind, ()) if _blank(getattr(self, name))]

    def range_errors(self) -> dict[str, str]:
        """The checks that need no live data, as {field: message}."""
        errors = dict.fromkeys(self.missing_fields(), "Needed for this kind of adjustment.")
        if self.factor is not None and self.factor < 0:
            errors["factor"] = f"A factor cannot be below zero (got {self.factor})."
        if self.percent is not None and self.percent <= -100:
            errors["percent"] = "A renegotiation cannot cut the price by 100% or more: cancel it."
        if self.months is not None and not 1 <= self.months <= MAX_SLIP_MONTHS:
            errors["months"] = f"A slip is 1 to {MAX_SLIP_MONTHS} months."
        if self.period is not None and not 1 <= self.period <= 12:
            errors["period"] = "A period is between 1 (April) and 12 (March)."
        if self.amount is not None and self.amount < 0:
            errors["amount"] = "The amount cannot be negative."
        return errors

    @property
    def summary(self) -> str:
        """The adjustment in words, for its list and the appendix."""
        return describe(self)


def _blank(value) -> bool:
    return value is None or value == ""


def describe(adjustment: Adjustment) -> str:
    a, kind = adjustment, Adjustment.Kind
    when = f"{a.on_date:%-d %b %Y}" if a.on_date else ""
    words = {
        kind.CANCEL: f"Cancel {a.contract and a.contract.reference} from {when}"
        + (f", exit cost {format_money(a.amount)}" if a.amount else ""),
        kind.RENEGOTIATE: f"Renegotiate {a.contract and a.contract.reference} by "
        f"{format_percent(a.percent, places=2)} from {when}",
        kind.EXTEND: f"Extend {a.contract and a.contract.reference} to {when} at "
        f"{format_money(a.amount)} a year",
        kind.SLIP: f"Slip {a.initiative and a.initiative.code} by {a.months} months",
        kind.SCALE: f"Scale {a.initiative and a.initiative.code}'s savings by {a.factor}",
        kind.SET_FORECAST: f"Set {a.line and a.line.code}'s forecast to "
        f"{format_money(a.amount)} a month from {a.year} P{a.period}",
    }
    return words.get(a.kind, a.kind)


class PackAppendix(models.Model):
    """A scenario's results as they stood when it was put in a published report's pack:
    frozen like the report itself, so the pack reads the same whatever changes later."""

    report = models.ForeignKey(PublishedReport, on_delete=models.CASCADE, related_name="+")
    scenario = models.ForeignKey(
        Scenario, null=True, on_delete=models.SET_NULL, related_name="appendices"
    )
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    rows = models.JSONField(help_text="Year, figure, base, scenario, change; money as text.")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["added_at", "pk"]
        verbose_name_plural = "pack appendices"
        constraints = [
            models.UniqueConstraint(fields=["report", "scenario"], name="appendix_once_per_report"),
        ]

    def __str__(self) -> str:
        return f"{self.title} in {self.report}"
