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

The parts: `results` (the base, `compute` and each year's figures side by side), `spend`
(contract and line adjustments over the monthly figures), `savings` (slips, scales and
confidence weights over the initiatives' savings) and `terms` (adjustment kinds, pennies
and months).
"""

from scenarios.engine.results import MEASURES, Base, Results, YearResult, base_years, compute
from scenarios.engine.savings import SavingsDeltas, confidence_weights
from scenarios.engine.spend import SpendDeltas

__all__ = [
    "MEASURES",
    "Base",
    "Results",
    "SavingsDeltas",
    "SpendDeltas",
    "YearResult",
    "base_years",
    "compute",
    "confidence_weights",
]
