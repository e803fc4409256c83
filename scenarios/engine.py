"""A scenario's results: the live figures of every year of the plan (the base) and the same
figures with the scenario's adjustments applied, side by side.

The base column comes from the live figures' one home (`PeriodTotal.objects.totals`,
`InitiativeYear.objects.pipeline`), so it equals the live pages to the penny. The scenario
column is the base plus what the adjustments change: the monthly figures of the lines the
adjustments touch and the savings rows of the initiatives, read with `.values()` into one
pandas frame per query and adjusted column-wise. Money stays Decimal throughout (object
columns); each adjusted figure is rounded to the penny, half-up, once.

Spend: a period's expected spend is its actual (up to the year's last closed period, where
one was entered), else its forecast, else its budget; a scenario changes forecasts only, so
an actual already entered is never changed. Savings: the scenario's savings forecast is the
initiatives' forecast as adjusted plus what the contract and line adjustments take off the
outturn (a cost they add counts against the savings).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
from django.conf import settings
from django.db.models import F, Max
from django.utils import timezone

from budgets.models import BudgetLine, FinancialYear, MonthlyFigure, PeriodTotal
from common.money import PENNY, ZERO, percent
from savings.models import InitiativeYear, ReductionProgramme, counts_as_cash
from scenarios.models import Adjustment
from scenarios.rules import Plan, cancel_stop

Kind = Adjustment.Kind
CONTRACT_KINDS = (Kind.CANCEL, Kind.RENEGOTIATE, Kind.EXTEND)
INITIATIVE_KINDS = (Kind.SLIP, Kind.SCALE)
FIGURE_COLUMNS = ["line_id", "year_id", "period", "budget", "actual", "forecast"]
LINE_COLUMNS = ["line_id", "code", "name", "contract_id", "reference"]
SAVINGS_COLUMNS = ["initiative_id", "year_id", "planned", "forecast", "code", "name", "confidence"]


def pennies(value: Decimal) -> Decimal:
    return Decimal(value).quantize(PENNY, rounding=ROUND_HALF_UP)


def to_pence(series: pd.Series) -> pd.Series:
    """Pounds and pence (Decimals of at most two places) as whole pence, exactly."""
    return series.map(lambda value: int(value.scaleb(2))).astype("int64")


def from_pence(pence: int) -> Decimal:
    return Decimal(int(pence)).scaleb(-2)


def month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def first_month_from(day: date) -> int:
    """The first month that begins on or after `day`."""
    return month_index(day) + (day.day != 1)


def confidence_weights() -> dict[str, Decimal]:
    """Percent of forecast savings counted, by delivery confidence (settings)."""
    return dict(settings.SCENARIO_CONFIDENCE_WEIGHTS)


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


def _decimal_sum(series: pd.Series) -> Decimal:
    return sum(series, ZERO)


class SpendDeltas:
    """The monthly figures of the lines that contract and line adjustments touch, in one
    frame, with each figure's expected spend before and after the adjustments."""

    def __init__(self, plan: Plan, adjustments: list[Adjustment]):
        self.plan, self.adjustments = plan, adjustments
        self.exit_costs: list[dict] = []
        self.frame = self._frame()
        for adjustment in adjustments:
            getattr(self, f"_{adjustment.kind}")(adjustment)
        self._settle()

    def _touched(self) -> pd.DataFrame:
        contracts = {a.contract_id for a in self.adjustments if a.kind in CONTRACT_KINDS}
        lines = {a.line_id for a in self.adjustments if a.kind == Kind.SET_FORECAST}
        rows = (
            BudgetLine.objects.filter(pk__in=lines)
            | BudgetLine.objects.filter(contract_id__in=contracts)
        ).values("code", "name", "contract_id", line_id=F("id"), reference=F("contract__reference"))
        return pd.DataFrame.from_records(list(rows), columns=LINE_COLUMNS)

    def _frame(self) -> pd.DataFrame:
        lines = self._touched() if self.adjustments else pd.DataFrame(columns=LINE_COLUMNS)
        figures = pd.DataFrame.from_records(
            list(
                MonthlyFigure.objects.filter(
                    line_id__in=list(lines["line_id"]), year__in=self.plan.years
                ).values(*FIGURE_COLUMNS)
            ),
            columns=FIGURE_COLUMNS,
        )
        frame = figures.merge(lines, on="line_id", how="left")
        starts = {y.pk: month_index(y.start) for y in self.plan.years}
        closed = {y.pk: y.closed_through for y in self.plan.years}
        frame["month"] = frame["year_id"].map(starts) + frame["period"] - 1
        frame["reported"] = (frame["period"] <= frame["year_id"].map(closed)) & frame[
            "actual"
        ].notna()
        planned = frame["forecast"].where(frame["forecast"].notna(), frame["budget"])
        frame["before"] = frame["actual"].where(frame["reported"], planned)
        frame["planned"] = planned.astype(object)
        return frame

    def _rows(self, adjustment: Adjustment, first: int, last: int | None = None) -> pd.Series:
        """The figures the adjustment's contract or line holds from month `first` on."""
        frame = self.frame
        if adjustment.kind == Kind.SET_FORECAST:
            mask = frame["line_id"] == adjustment.line_id
        else:
            mask = frame["contract_id"] == adjustment.contract_id
        mask &= frame["month"] >= first
        return mask if last is None else mask & (frame["month"] <= last)

    def _cancel(self, adjustment: Adjustment) -> None:
        stop = cancel_stop(adjustment)
        self.frame.loc[self._rows(adjustment, first_month_from(stop)), "planned"] = ZERO
        # A stored cancellation whose notice now runs past the plan (the live data moved
        # since it was checked) stops nothing within it and has no exit cost there.
        year = next((y for y in self.plan.years if y.start <= stop <= y.end), None)
        if adjustment.amount and year is not None:
            self.exit_costs.append(
                {
                    "year_id": year.pk,
                    "contract_id": adjustment.contract_id,
                    "reference": adjustment.contract.reference,
                    "amount": adjustment.amount,
                }
            )

    def _renegotiate(self, adjustment: Adjustment) -> None:
        rows = self._rows(adjustment, first_month_from(adjustment.on_date))
        ratio = (Decimal(100) + adjustment.percent) / Decimal(100)
        self.frame.loc[rows, "planned"] = self.frame.loc[rows, "planned"].map(
            lambda value: pennies(value * ratio)
        )

    def _extend(self, adjustment: Adjustment) -> None:
        """Each month after the contract's end up to the new end costs the annual value's
        twelfth (to the penny), split evenly between its lines by code, the odd pennies on
        the first."""
        contract = adjustment.contract
        rows = self._rows(
            adjustment,
            first_month_from(contract.end_date + timedelta(days=1)),
            month_index(adjustment.on_date),
        )
        codes = sorted(self.frame.loc[self.frame["contract_id"] == contract.pk, "code"].unique())
        if not codes:
            return
        monthly = int(pennies(adjustment.amount / 12) * 100)
        share, odd = divmod(monthly, len(codes))
        shares = {
            code: Decimal(share + (odd if i == 0 else 0)) / 100 for i, code in enumerate(codes)
        }
        self.frame.loc[rows, "planned"] = self.frame.loc[rows, "code"].map(shares)

    def _set_forecast(self, adjustment: Adjustment) -> None:
        first = month_index(adjustment.year.start) + adjustment.period - 1
        self.frame.loc[self._rows(adjustment, first), "planned"] = adjustment.amount

    def _settle(self) -> None:
        frame = self.frame
        frame["after"] = frame["actual"].where(frame["reported"], frame["planned"])
        frame["change"] = frame["after"] - frame["before"]
        self.moved = frame[frame["change"] != 0]

    def by_year(self) -> dict[int, Decimal]:
        """The change in each year's outturn: the figures' and the exit costs'."""
        totals = {k: _decimal_sum(v) for k, v in self.moved.groupby("year_id")["change"]}
        for cost in self.exit_costs:
            totals[cost["year_id"]] = totals.get(cost["year_id"], ZERO) + cost["amount"]
        return totals

    def lines(self) -> list[dict]:
        """The lines whose outturn moved, with the change over the plan, largest first."""
        moved = self.moved.groupby(["code", "name"])["change"].agg(_decimal_sum)
        rows = [{"code": code, "name": name, "change": v} for (code, name), v in moved.items()]
        return sorted(rows, key=lambda r: (-abs(r["change"]), r["code"]))

    def contracts(self) -> list[dict]:
        """The contracts whose spend moved (their lines' and exit costs), largest first."""
        totals = {k: _decimal_sum(v) for k, v in self.moved.groupby("reference")["change"]}
        for cost in self.exit_costs:
            totals[cost["reference"]] = totals.get(cost["reference"], ZERO) + cost["amount"]
        rows = [{"reference": ref, "change": change} for ref, change in totals.items() if change]
        return sorted(rows, key=lambda r: (-abs(r["change"]), r["reference"]))


class SavingsDeltas:
    """The savings rows of cashable initiatives not abandoned (the pipeline's forecast), in
    one frame, with each row's forecast before and after slips, scales and the confidence
    weights. A slip moves whole years, and the months' share of a part year into the next
    (a year's saving spread evenly over its months); savings slipped past the plan's last
    year are counted apart."""

    def __init__(self, plan: Plan, adjustments: list[Adjustment], weighted: bool):
        self.plan, self.beyond_plan = plan, ZERO
        self.ordinal = {y.pk: i for i, y in enumerate(plan.years)}
        needed = bool(adjustments) or weighted
        self.frame = self._frame() if needed else pd.DataFrame(columns=[*SAVINGS_COLUMNS, "at"])
        self.frame["before"] = self.frame["forecast"].where(
            self.frame["forecast"].notna(), self.frame["planned"]
        )
        self.frame["after"] = self.frame["before"]
        for adjustment in adjustments:
            getattr(self, f"_{adjustment.kind}")(adjustment)
        if weighted:
            self._weigh()
        self._settle()

    def _frame(self) -> pd.DataFrame:
        rows = (
            InitiativeYear.objects.filter(counts_as_cash("initiative__"), year__in=self.plan.years)
            .values("initiative_id", "year_id", "planned", "forecast")
            .annotate(
                code=F("initiative__code"),
                name=F("initiative__name"),
                confidence=F("initiative__confidence"),
            )
        )
        frame = pd.DataFrame.from_records(list(rows), columns=SAVINGS_COLUMNS)
        frame["at"] = frame["year_id"].map(self.ordinal)
        return frame

    def _scale(self, adjustment: Adjustment) -> None:
        rows = self.frame["initiative_id"] == adjustment.initiative_id
        factor = adjustment.factor
        self.frame.loc[rows, "after"] = self.frame.loc[rows, "after"].map(
            lambda value: pennies(value * factor)
        )

    def _slip(self, adjustment: Adjustment) -> None:
        frame = self.frame
        rows = frame["initiative_id"] == adjustment.initiative_id
        years, months = divmod(adjustment.months, 12)
        slipped = frame[rows]
        moved = slipped["after"].map(lambda value: pennies(value * months / 12))
        stay = slipped.assign(at=slipped["at"] + years, before=ZERO)
        stay["after"] = slipped["after"] - moved
        later = slipped.assign(at=slipped["at"] + years + 1, before=ZERO, after=moved)
        frame.loc[rows, "after"] = ZERO
        self.frame = pd.concat([frame, stay, later], ignore_index=True)

    def _weigh(self) -> None:
        weights = {key: value / 100 for key, value in confidence_weights().items()}
        frame = self.frame
        frame["after"] = [
            pennies(value * weights.get(confidence, Decimal(1)))
            for value, confidence in zip(frame["after"], frame["confidence"], strict=True)
        ]

    def _settle(self) -> None:
        frame = self.frame
        frame["change"] = frame["after"] - frame["before"]
        beyond = frame["at"] >= len(self.plan.years)
        self.beyond_plan = _decimal_sum(frame.loc[beyond, "after"])
        self.moved = frame[frame["change"] != 0]

    def by_year(self) -> dict[int, Decimal]:
        """The change in each year's savings forecast (savings slipped past the plan are
        lost to it)."""
        inside = self.moved[self.moved["at"] < len(self.plan.years)]
        pks = [y.pk for y in self.plan.years]
        return {pks[int(at)]: _decimal_sum(v) for at, v in inside.groupby("at")["change"]}

    def initiatives(self) -> list[dict]:
        """The initiatives whose forecast savings moved within the plan, largest first.
        Summed as whole pence (exact, and summed by pandas rather than row by row)."""
        inside = self.frame[self.frame["at"] < len(self.plan.years)]
        sums = (
            inside.assign(base=to_pence(inside["before"]), scenario=to_pence(inside["after"]))
            .groupby(["code", "name"])[["base", "scenario"]]
            .sum()
        )
        moved = sums[sums["base"] != sums["scenario"]]
        rows = [
            {"code": code, "name": name, "base": from_pence(base), "scenario": from_pence(after)}
            for (code, name), base, after in zip(
                moved.index, moved["base"], moved["scenario"], strict=True
            )
        ]
        return sorted(rows, key=lambda r: (-abs(r["scenario"] - r["base"]), r["code"]))
