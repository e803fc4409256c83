"""What initiative adjustments do to savings: `SavingsDeltas` reads the savings rows of
cashable initiatives not abandoned into one pandas frame, slips and scales them, weighs them
by delivery confidence when asked (`confidence_weights`, from settings) and gives the change
in the savings forecast by year and by initiative, counting apart what slips past the plan."""

from decimal import Decimal

import pandas as pd
from django.conf import settings
from django.db.models import F

from common.money import ZERO
from savings.models import InitiativeYear, counts_as_cash
from scenarios.engine.terms import _decimal_sum, from_pence, pennies, to_pence
from scenarios.models import Adjustment
from scenarios.rules import Plan

SAVINGS_COLUMNS = ["initiative_id", "year_id", "planned", "forecast", "code", "name", "confidence"]


def confidence_weights() -> dict[str, Decimal]:
    """Percent of forecast savings counted, by delivery confidence (settings)."""
    return dict(settings.SCENARIO_CONFIDENCE_WEIGHTS)


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
