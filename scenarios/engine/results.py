"""A scenario's results, year by year: `compute` reads the live figures once (`Base`, from
their one home) and sets each year's base beside the scenario, which is the base plus what
`spend` and `savings` work out the adjustments change (`YearResult`, `Results`; the figures
each year shows are `MEASURES`)."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Max
from django.utils import timezone

from budgets.models import FinancialYear, MonthlyFigure, PeriodTotal
from common.money import ZERO, percent
from savings.models import InitiativeYear, ReductionProgramme
from scenarios.engine.savings import SavingsDeltas
from scenarios.engine.spend import SpendDeltas
from scenarios.engine.terms import INITIATIVE_KINDS, pennies
from scenarios.models import Adjustment
from scenarios.rules import Plan

# The figures each year shows, base beside scenario: (key, label, is a percentage).
MEASURES = (
    ("budget", "Revised budget", False),
    ("outturn", "Forecast outturn", False),
    ("variance", "Variance to budget", False),
    ("savings", "Savings forecast", False),
    ("target", "Savings target", False),
    ("gap", "Gap to target", False),
    ("cumulative_savings", "Cumulative savings", False),
    ("cumulative_share", "Share of the reduction", True),
)


@dataclass
class YearResult:
    year: FinancialYear
    base: dict
    scenario: dict

    @property
    def measures(self) -> list[dict]:
        """Each figure of the year: its label, base, scenario and the change."""
        return [
            {
                "key": key,
                "label": label,
                "percent": is_percent,
                "base": self.base[key],
                "scenario": self.scenario[key],
                "change": self.change(key),
            }
            for key, label, is_percent in MEASURES
        ]

    def change(self, key: str) -> Decimal | None:
        before, after = self.base[key], self.scenario[key]
        return None if before is None or after is None else after - before


@dataclass
class Results:
    years: list[YearResult]
    lines: list[dict] = field(default_factory=list)
    contracts: list[dict] = field(default_factory=list)
    initiatives: list[dict] = field(default_factory=list)
    savings_beyond_plan: Decimal = ZERO
    programme: ReductionProgramme | None = None
    computed_at: datetime | None = None
    data_changed_at: datetime | None = None


@dataclass
class Base:
    """The live figures every scenario starts from: the plan, the reduction programme the
    savings count towards, and each year's figures (`base_years`)."""

    plan: Plan
    programme: ReductionProgramme | None
    years: list[dict]

    @classmethod
    def live(cls) -> "Base":
        plan = Plan.current()
        programme = ReductionProgramme.objects.for_year(plan.years[-1] if plan.years else None)
        return cls(plan, programme, base_years(plan, programme))


def compute(
    adjustments: list[Adjustment], *, weight_by_confidence: bool = False, base: Base | None = None
) -> Results:
    """The base and scenario figures of every year of the plan. `base` (default: read now)
    lets several scenarios share one reading of the live figures."""
    base = base or Base.live()
    plan, programme = base.plan, base.programme
    spend = SpendDeltas(plan, [a for a in adjustments if a.kind not in INITIATIVE_KINDS])
    savings = SavingsDeltas(
        plan, [a for a in adjustments if a.kind in INITIATIVE_KINDS], weight_by_confidence
    )
    years = _years(base, spend.by_year(), savings.by_year())
    return Results(
        years=years,
        lines=spend.lines(),
        contracts=spend.contracts(),
        initiatives=savings.initiatives(),
        savings_beyond_plan=savings.beyond_plan,
        programme=programme,
        computed_at=timezone.now(),
        data_changed_at=MonthlyFigure.objects.aggregate(at=Max("updated_at"))["at"],
    )


def base_years(plan: Plan, programme: ReductionProgramme | None) -> list[dict]:
    """Each year's live figures from their one home: budget, outturn and variance as at the
    year's last closed period (the live pages' default), and savings forecast, target, gap
    and the cumulative forecast (with its share of the programme's reduction)."""
    pipeline = {row["year_id"]: row for row in InitiativeYear.objects.pipeline(programme)}
    rows, cumulative = [], ZERO
    for year in plan.years:
        totals = PeriodTotal.objects.for_year(year).totals(year.closed_through)
        saving = pipeline.get(year.pk, {})
        cumulative = saving.get("cumulative_forecast", cumulative)
        rows.append(
            {
                "budget": pennies(totals["budget"]),
                "outturn": pennies(totals["outturn"]),
                "variance": pennies(totals["variance"]),
                "savings": saving.get("forecast", ZERO),
                "target": saving.get("target"),
                "gap": saving.get("gap"),
                "cumulative_savings": cumulative,
                "cumulative_share": saving.get("cumulative_forecast_share"),
            }
        )
    return rows


def _years(live: Base, spend: dict[int, Decimal], savings: dict[int, Decimal]) -> list[YearResult]:
    reduction = live.programme.reduction_target if live.programme else None
    results, running = [], ZERO
    for year, stored in zip(live.plan.years, live.years, strict=True):
        base = dict(stored)
        spent = spend.get(year.pk, ZERO)
        saved = savings.get(year.pk, ZERO) - spent  # spend taken off the outturn is a saving
        running += saved
        outturn = base["outturn"] + spent
        forecast = base["savings"] + saved
        target = base["target"]
        cumulative = base["cumulative_savings"] + running
        scenario = {
            "budget": base["budget"],
            "outturn": outturn,
            "variance": outturn - base["budget"],
            "savings": forecast,
            "target": target,
            "gap": None if target is None else target - forecast,
            "cumulative_savings": cumulative,
            "cumulative_share": percent(cumulative, reduction),
        }
        if base["cumulative_share"] is None:
            base["cumulative_share"] = percent(base["cumulative_savings"], reduction)
        results.append(YearResult(year, base, scenario))
    return results
