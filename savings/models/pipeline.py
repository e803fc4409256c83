"""An initiative's savings in one year (`InitiativeYear`) and the figures read from them:
totals by year and by initiative, the rows whose realised saving may be stale, and the
pipeline (each year's savings against its target, with running totals as shares of the
programme's reduction)."""

from datetime import datetime
from decimal import Decimal
from itertools import accumulate

from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Sum
from django.db.models.functions import Coalesce
from simple_history.models import HistoricalRecords

from budgets.models import FinancialYear
from common.money import PENNY, ZERO, MoneyField, money_sum, percent
from savings.models.initiatives import Initiative, counts_as_cash, counts_as_non_cash
from savings.models.programme import ReductionProgramme, SavingsTarget, savings_rag


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
