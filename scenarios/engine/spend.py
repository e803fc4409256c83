"""What contract and line adjustments do to spend: `SpendDeltas` reads the monthly
figures of the lines they touch into one pandas frame, applies each adjustment (cancel,
renegotiate, extend, set a forecast) and gives the change in outturn by year, line and
contract, exit costs included. A period's expected spend is its actual (up to the year's
last closed period, where one was entered), else its forecast, else its budget, so an
actual already entered never changes."""

from datetime import timedelta
from decimal import Decimal

import pandas as pd
from django.db.models import F

from budgets.models import BudgetLine, MonthlyFigure
from common.money import ZERO
from scenarios.engine.terms import (
    CONTRACT_KINDS,
    Kind,
    _decimal_sum,
    first_month_from,
    month_index,
    pennies,
)
from scenarios.models import Adjustment
from scenarios.rules import Plan, cancel_stop

FIGURE_COLUMNS = ["line_id", "year_id", "period", "budget", "actual", "forecast"]
LINE_COLUMNS = ["line_id", "code", "name", "contract_id", "reference"]


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
