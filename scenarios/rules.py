"""The plan a scenario runs over (every financial year held) and the checks of an
adjustment against the live data: its dates inside the plan, its contract still running,
its initiative not abandoned. Stated once here: the service refuses by them and the form
shows them by their field."""

from dataclasses import dataclass
from datetime import date

from budgets.models import FinancialYear
from common.money import add_months
from contracts.models import Contract
from savings.models import Initiative
from scenarios.models import Adjustment


@dataclass(frozen=True)
class Plan:
    """The financial years a scenario's results cover, first to last."""

    years: tuple[FinancialYear, ...]

    @classmethod
    def current(cls) -> "Plan":
        return cls(tuple(FinancialYear.objects.order_by("start")))

    @property
    def start(self) -> date | None:
        return self.years[0].start if self.years else None

    @property
    def end(self) -> date | None:
        return self.years[-1].end if self.years else None

    def covers(self, day: date) -> bool:
        return bool(self.years) and self.start <= day <= self.end

    def outside(self, day: date) -> str:
        if not self.years:
            return "There are no financial years yet, so no date is inside the plan."
        return (
            f"{day:%-d %b %Y} is outside the plan, which runs from {self.start:%-d %b %Y} "
            f"to {self.end:%-d %b %Y}."
        )


ENDED = (Contract.Status.EXPIRED, Contract.Status.TERMINATED)


def cancel_stop(adjustment: Adjustment) -> date:
    """The day a cancellation takes effect: notice given on `on_date`, plus the contract's
    notice period. Every month that begins on or after it has no forecast spend."""
    return add_months(adjustment.on_date, adjustment.contract.notice_months)


def adjustment_errors(adjustment: Adjustment, plan: Plan) -> dict[str, str]:
    """Every rule `adjustment` breaks, as {field: message}; empty when it may be saved."""
    errors = adjustment.range_errors()
    if errors:
        return errors
    checks = {
        Adjustment.Kind.CANCEL: _cancel_errors,
        Adjustment.Kind.RENEGOTIATE: _contract_errors,
        Adjustment.Kind.EXTEND: _extend_errors,
        Adjustment.Kind.SLIP: _initiative_errors,
        Adjustment.Kind.SCALE: _initiative_errors,
        Adjustment.Kind.SET_FORECAST: _set_forecast_errors,
    }
    return checks[adjustment.kind](adjustment, plan)


def _contract_errors(adjustment: Adjustment, plan: Plan) -> dict[str, str]:
    contract, day = adjustment.contract, adjustment.on_date
    if contract.status in ENDED:
        state = contract.get_status_display().lower()
        return {"contract": f"{contract.reference} has already ended ({state})."}
    if not plan.covers(day):
        return {"on_date": plan.outside(day)}
    if adjustment.kind != Adjustment.Kind.EXTEND and day > contract.end_date:
        return {
            "on_date": f"{contract.reference} has already ended by then: it ends on "
            f"{contract.end_date:%-d %b %Y}."
        }
    return {}


def _cancel_errors(adjustment: Adjustment, plan: Plan) -> dict[str, str]:
    errors = _contract_errors(adjustment, plan)
    if errors:
        return errors
    contract, stop = adjustment.contract, cancel_stop(adjustment)
    if stop > contract.end_date:
        return {
            "on_date": f"With {contract.notice_months} months' notice from "
            f"{adjustment.on_date:%-d %b %Y}, {contract.reference} would stop on "
            f"{stop:%-d %b %Y}, after it ends anyway ({contract.end_date:%-d %b %Y})."
        }
    if stop > plan.end:
        return {"on_date": f"The notice would run out on {stop:%-d %b %Y}: {plan.outside(stop)}"}
    return {}


def _extend_errors(adjustment: Adjustment, plan: Plan) -> dict[str, str]:
    errors = _contract_errors(adjustment, plan)
    if errors:
        return errors
    contract = adjustment.contract
    if adjustment.on_date <= contract.end_date:
        return {
            "on_date": f"{contract.reference} already runs to "
            f"{contract.end_date:%-d %b %Y}: extend it to a later date."
        }
    if not contract.budget_lines.exists():
        return {"contract": f"{contract.reference} has no budget line to carry its cost."}
    return {}


def _initiative_errors(adjustment: Adjustment, plan: Plan) -> dict[str, str]:
    initiative = adjustment.initiative
    if initiative.stage == Initiative.Stage.ABANDONED:
        return {"initiative": f"{initiative.code} is abandoned: it forecasts no savings."}
    return {}


def _set_forecast_errors(adjustment: Adjustment, plan: Plan) -> dict[str, str]:
    year = adjustment.year
    if year.pk not in {y.pk for y in plan.years}:
        return {"year": f"{year} is not a year of the plan."}
    return {}
