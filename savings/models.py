from datetime import datetime
from decimal import Decimal
from itertools import accumulate

from django.db import models
from django.db.models import Case, Exists, F, FilteredRelation, OuterRef, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from simple_history.models import HistoricalRecords

from budgets.models import BudgetLine, FinancialYear, Rag
from common.money import PENNY, ZERO, MoneyField, money_sum, percent
from contracts.models import Contract

# A year's savings are green when the forecast meets the target, amber within 10% of it.
SAVINGS_AMBER_SHORTFALL_PERCENT = Decimal("10")


def counts_as_cash(path: str = "") -> Q:
    """The pipeline's rule for identified, planned and forecast savings: cashable
    initiatives not abandoned. `path` reaches the initiative ("initiative__" from a year)."""
    return Q(**{f"{path}cashable": True}) & ~Q(**{f"{path}stage": Initiative.Stage.ABANDONED})


def counts_as_non_cash(path: str = "") -> Q:
    """Non-cashable initiatives not abandoned: their plans are shown apart, never in the
    cash target."""
    return Q(**{f"{path}cashable": False}) & ~Q(**{f"{path}stage": Initiative.Stage.ABANDONED})


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


class InitiativeYearQuerySet(models.QuerySet):
    def by_year(self) -> "InitiativeYearQuerySet":
        """Per year: identified (planned, not abandoned), approved (planned, approved or
        later), realised (validated claims; abandoned too: cash saved before it stopped
        still counts), claimed (claims awaiting validation, likewise),
        forecast (forecast or else planned, not abandoned) for cashable initiatives, and the
        non-cashable planned and realised kept apart. One query."""
        live, non_cash = counts_as_cash("initiative__"), counts_as_non_cash("initiative__")
        approved = Q(initiative__cashable=True) & Q(
            initiative__stage__in=Initiative.APPROVED_STAGES
        )
        return (
            self.values("year_id", year_label=F("year__label"), year_start=F("year__start"))
            .annotate(
                # An annotation named like a column hides the column from those after it.
                identified=money_sum(Sum("planned", filter=live)),
                approved=money_sum(Sum("planned", filter=approved)),
                non_cashable_planned=money_sum(Sum("planned", filter=non_cash)),
                non_cashable_realised=money_sum(
                    Sum("realised", filter=Q(initiative__cashable=False))
                ),
                forecast=money_sum(Sum(Coalesce("forecast", "planned"), filter=live)),
                realised=money_sum(Sum("realised", filter=Q(initiative__cashable=True))),
                claimed=money_sum(Sum("claimed", filter=Q(initiative__cashable=True))),
            )
            .order_by("year__start")
        )

    def by_initiative(self) -> "InitiativeYearQuerySet":
        """Per cashable initiative not abandoned, largest first: code, name, confidence,
        forecast (forecast or else planned) and realised, summed over these rows' years.
        One query."""
        return (
            self.filter(counts_as_cash("initiative__"))
            .values(
                code=F("initiative__code"),
                name=F("initiative__name"),
                confidence=F("initiative__confidence"),
            )
            .annotate(
                forecast=money_sum(Sum(Coalesce("forecast", "planned"))),
                realised=money_sum(Sum("realised")),
            )
            .order_by("-forecast", "code")
        )

    def not_updated_since(self, moment: datetime | None) -> "InitiativeYearQuerySet":
        """Rows of initiatives in delivery or delivered with no change in their history since
        `moment` (None: never changed by a person), so their realised saving may be stale."""
        since = Q(history_user__isnull=False) if moment is None else Q(history_date__gte=moment)
        changed = InitiativeYear.history.filter(since, id=OuterRef("pk"))
        return self.filter(initiative__stage__in=Initiative.DELIVERY_STAGES).exclude(
            Exists(changed)
        )

    def pipeline(self, programme: ReductionProgramme | None) -> list[dict]:
        """One row per year that has a target or initiatives: target, identified, approved,
        realised (validated), claimed (awaiting validation), realised_and_claimed, forecast,
        gap (target - forecast), realised_gap (target - validated), claimed_gap (target -
        validated and claimed), rag, realised_pct (of
        the target), and cumulative target, realised and forecast, each as a share of the
        programme's reduction, with cumulative_realised_pct (of the cumulative target).
        Two queries."""
        targets = (
            {t.year_id: t for t in programme.targets.select_related("year")} if programme else {}
        )
        sums = {row["year_id"]: _pennies(row) for row in self.by_year()}
        years = {t.year for t in targets.values()} | {
            FinancialYear(pk=k, label=r["year_label"], start=r["year_start"])
            for k, r in sums.items()
        }
        rows = [
            _against_target(
                {
                    "year_id": year.pk,
                    "year_label": year.label,
                    **_NO_SAVINGS,
                    **sums.get(year.pk, {}),
                },
                targets.get(year.pk),
            )
            for year in sorted(years, key=lambda y: y.start)
        ]
        _add_running_totals(rows, programme.reduction_target if programme else None)
        return rows


_NO_SAVINGS = dict.fromkeys(
    (
        "identified",
        "approved",
        "realised",
        "claimed",
        "forecast",
        "non_cashable_planned",
        "non_cashable_realised",
    ),
    ZERO,
)


def _pennies(row: dict) -> dict:
    """Pounds and pence whatever the database does to the scale of a sum (SQLite drops
    it), so that tables and downloads read 9000.00, not 9000."""
    return {
        key: value.quantize(PENNY) if isinstance(value, Decimal) else value
        for key, value in row.items()
    }


def _against_target(row: dict, target: "SavingsTarget | None") -> dict:
    """A pipeline row's target, and its gap, realised gap, RAG and realised share (all
    None without a target)."""
    row["target"] = target.amount if target else None
    row["target_source"] = target.source if target else ""
    row["realised_and_claimed"] = row["realised"] + row["claimed"]
    if target is None:
        row["gap"] = row["realised_gap"] = row["claimed_gap"] = None
        row["rag"] = row["realised_pct"] = None
        return row
    row["gap"] = target.amount - row["forecast"]
    row["realised_gap"] = target.amount - row["realised"]
    row["claimed_gap"] = target.amount - row["realised_and_claimed"]
    row["rag"] = savings_rag(row["forecast"], target.amount)
    row["realised_pct"] = percent(row["realised"], target.amount)
    return row


def _add_running_totals(rows: list[dict], reduction: Decimal | None) -> None:
    """Cumulative target, realised and forecast, each also as a share of the reduction."""
    for key in ("target", "realised", "forecast"):
        running = accumulate(r[key] or ZERO for r in rows)
        for row, total in zip(rows, running, strict=True):
            row[f"cumulative_{key}"] = total
            row[f"cumulative_{key}_share"] = percent(total, reduction)
    for row in rows:
        row["cumulative_realised_pct"] = percent(
            row["cumulative_realised"], row["cumulative_target"]
        )


class InitiativeYear(models.Model):
    """An initiative's savings in one year: planned (the plan), forecast (latest view;
    empty means as planned), realised (its validated claims) and claimed (its claims
    awaiting validation)."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="years")
    year = models.ForeignKey(
        FinancialYear, on_delete=models.PROTECT, related_name="initiative_years"
    )
    planned = MoneyField(default=ZERO)
    forecast = MoneyField(null=True, blank=True)
    # Both kept by savings.claims' services in the claim's transaction: realised is the sum
    # of the validated claims (None until one is), claimed the sum awaiting validation.
    realised = MoneyField(null=True, blank=True)
    claimed = MoneyField(default=ZERO)
    note = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()
    objects = InitiativeYearQuerySet.as_manager()

    class Meta:
        ordering = ["year__start", "initiative__code"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "year"], name="initiative_year_unique"),
            models.CheckConstraint(
                condition=Q(planned__gte=0),
                name="planned_not_negative",
                violation_error_message="A planned saving cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(forecast__isnull=True) | Q(forecast__gte=0),
                name="forecast_saving_not_negative",
                violation_error_message="A forecast saving cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(realised__isnull=True) | Q(realised__gte=0),
                name="realised_saving_not_negative",
                violation_error_message="A realised saving cannot be negative.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.initiative.code} {self.year.label}"

    @property
    def over_plan(self) -> bool:
        """Realised above planned is allowed, but flagged for a second look."""
        return self.realised is not None and self.realised > self.planned


# The claims model lives in its own module (models.py would pass 400 lines); importing it
# here registers it with the app.
from savings.claims import SavingsClaim  # noqa: E402, F401
