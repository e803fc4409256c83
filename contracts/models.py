from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import Case, Q, Value, When
from django.urls import reverse
from simple_history.models import HistoricalRecords

from common.money import MoneyField, add_months

# The longest notice a contract may need: the one statement of the rule's limit, used by
# the rules below, the database constraint, and every form through them.
MAX_NOTICE_MONTHS = 60


class Supplier(models.Model):
    name = models.CharField(max_length=200, unique=True)
    notes = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

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
    MAX_NOTICE_MONTHS = MAX_NOTICE_MONTHS

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
        default=6,
        help_text=f"Months of notice needed before the end date (0 to {MAX_NOTICE_MONTHS}).",
    )
    annual_value = MoneyField(default=Decimal("0.00"))
    total_value = MoneyField(default=Decimal("0.00"))
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACTIVE)
    owner = models.CharField(max_length=120, blank=True)
    source = models.TextField(blank=True, help_text="Where the public figures come from.")
    version = models.PositiveIntegerField(default=1)

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
                condition=Q(notice_months__lte=MAX_NOTICE_MONTHS),
                name="contract_notice_at_most_60_months",
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

    def rule_errors(self) -> dict[str, str]:
        """The rules every contract meets, as {field: message}, empty when it meets them:
        it ends on or after the day it starts, its notice is 0 to MAX_NOTICE_MONTHS
        months, and its values are not negative. Stated once here: the services, forms
        and admin check them through this, and the database constraints back them up."""
        errors: dict[str, str] = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = (
                f"The end date ({self.end_date:%-d %b %Y}) cannot be before the start date "
                f"({self.start_date:%-d %b %Y})."
            )
        notice = self.notice_months
        if notice is None or not 0 <= notice <= MAX_NOTICE_MONTHS:
            errors["notice_months"] = (
                f"The notice period must be between 0 and {MAX_NOTICE_MONTHS} months."
            )
        for field in ("annual_value", "total_value"):
            value = getattr(self, field)
            if value is not None and value < 0:
                label = self._meta.get_field(field).verbose_name
                errors[field] = f"The {label} cannot be negative."
        return errors

    def clean_fields(self, exclude=None) -> None:
        """Field checks, then `rule_errors`: by the field where the form shows it, else for
        the whole form, and in place of a field's generic range message."""
        errors: dict[str, list] = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field, message in self.rule_errors().items():
            if exclude and field in exclude:
                errors.setdefault(NON_FIELD_ERRORS, []).append(message)
            else:
                errors[field] = [message]
        if errors:
            raise ValidationError(errors)


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

    @property
    def added_term(self) -> tuple[date, date] | None:
        """An extension's added days: from the day after the old end to the new end."""
        if self.kind != self.Kind.EXTENSION or not (self.old_end_date and self.new_end_date):
            return None
        return self.old_end_date + timedelta(days=1), self.new_end_date
