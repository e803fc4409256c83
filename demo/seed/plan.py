"""The demo's medium-term plan, 2016-17 to 2019-20: every figure here is illustrative.

The shape comes from public reports (demo-data-facts.md): the Capgemini contract ends on
31 Dec 2015, so from April 2016 its seven lines are budgeted at £0 (the exit's full-year
effect), and the replacement contracts are budgeted instead: Atos service integration
(£96m over 5 years from Nov 2015), the CSC end-user tower (£155m over 5 years) and hosting
tower (about £95m over 6 years) from Feb 2016, and Accenture applications (£86m over 5
years from July 2016, a line new to the plan). The command-and-control replacement was
terminated in March 2016 and has no budget after it.

Each plan year's budget is the year before less its (illustrative) savings target, as
2014-15 and 2015-16 are the year before less £42m and £60m. The contract lines are
budgeted at their annual values; the other lines share what is left in proportion to the
year before, rounded to £10,000, with the rounding left on the change portfolio line
CHG-TT, so that every year adds up exactly. The plan years stay draft budgets, open and
without actuals.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from simple_history.utils import bulk_create_with_history

from budgets.models import (
    PERIODS,
    BudgetLine,
    FinancialYear,
    MonthlyFigure,
    refresh_line_year_totals,
)
from demo.seed.budget import APP, FLAT, RAMP, LineSpec, phase
from demo.seed.contracts import ACN
from demo.seed.savings import PROGRAMME_NAME
from demo.seed.sources import m
from savings.models import Initiative, InitiativeYear, ReductionProgramme, SavingsTarget

ILLUSTRATIVE = "Illustrative medium-term plan"


@dataclass(frozen=True)
class PlanYear:
    label: str
    start: date
    target: str  # £m of new in-year technology savings, illustrative


PLAN_YEARS = (
    PlanYear("2016-17", date(2016, 4, 1), "30"),
    PlanYear("2017-18", date(2017, 4, 1), "20"),
    PlanYear("2018-19", date(2018, 4, 1), "15"),
    PlanYear("2019-20", date(2019, 4, 1), "10"),
)
PLAN_LABELS = tuple(y.label for y in PLAN_YEARS)
FIRST_PLAN = PLAN_LABELS[0]
TARGET_SOURCE = (
    f"{ILLUSTRATIVE}: the sourced targets stop at 2015-16 (£42m, £60m); later targets are "
    "illustrative, shaped by the replacement contracts (demo-data-facts.md)."
)

# A line new to the plan: the Accenture applications contract, from July 2016 (P4).
NEW_LINES = (
    LineSpec(
        "APP-ACN",
        "Application management (Accenture)",
        APP,
        {},
        contract=ACN,
        owner="Head of Applications",
    ),
)
ACN_FROM = {FIRST_PLAN: range(4, 13)}

CAPGEMINI_LINES = (
    "OUT-CAP-SVC",
    "OUT-CAP-DC",
    "OUT-CAP-APP",
    "OUT-CAP-DESK",
    "OUT-CAP-TEL",
    "OUT-CAP-MOB",
    "OUT-CAP-PRINT",
)
# The replacement contracts at their annual values (£m): Atos £96m / 5, CSC end-user
# £155m / 5, CSC hosting about £95m / 6, Accenture £86m / 5 (nine months in 2016-17).
CONTRACT_LINES = {
    "OUT-SIAM": "19.2",
    "OUT-CSC-EUS": "31",
    "OUT-CSC-HOST": "15.8",
    "APP-ACN": "17.2",
}
FIRST_PLAN_CONTRACTS = {**CONTRACT_LINES, "APP-ACN": "12.9"}

# 2016-17: £223m less £30m = £193m, line by line (£m).
# fmt: off
FIRST_PLAN_OTHERS = {
    **dict.fromkeys(CAPGEMINI_LINES, "0"),
    "APP-CRIM": "3.5", "APP-CASE": "3", "APP-ERP": "4.5", "APP-LEG": "1", "APP-WEB": "2.5",
    "APP-DATA": "2", "APP-SPEC": "1.5", "APP-CAD": "10",
    "INF-DC": "1", "INF-STOR": "1", "INF-DR": "1",
    "NET-WAN": "8", "NET-LAN": "3", "NET-MOB": "4", "NET-RADIO": "6.5",
    "EUD-MOB": "3.5",
    "LIC-MS": "4.5", "LIC-DB": "3", "LIC-SEC": "2.5", "LIC-APP": "1",
    "STF-OPS": "10", "STF-ARCH": "5.5", "STF-COMM": "5", "STF-PMO": "3",
    "CHG-MOB": "9", "CHG-TT": "8", "CHG-TOWER": "6.6",
}
# fmt: on
BALANCING_LINE = "CHG-TT"
CHANGE_LINES = {"CHG-MOB", "CHG-TT", "CHG-TOWER"}
TEN_THOUSAND = Decimal("0.01")  # in £m

# Illustrative planned savings by initiative (£m), adding up to each year's target.
PLAN_SAVINGS = {
    "2016-17": {"SAV-CAP-TOWER": "18", "SAV-APP-RAT": "6", "SAV-DC": "4", "SAV-HEADCOUNT": "2"},
    "2017-18": {"SAV-APP-RAT": "8", "SAV-HEADCOUNT": "5", "SAV-DC": "4", "SAV-LIC": "3"},
    "2018-19": {"SAV-APP-RAT": "6", "SAV-HEADCOUNT": "5", "SAV-LIC": "2", "SAV-NET": "2"},
    "2019-20": {"SAV-HEADCOUNT": "4", "SAV-APP-RAT": "3", "SAV-NET": "3"},
}
PREVIOUS_TOTAL = "223"  # the 2015-16 budget, £m


def plan_budgets() -> dict[str, dict[str, Decimal]]:
    """Each plan year's full-year budget per line code, in £m (exact decimals)."""
    years = {FIRST_PLAN: _decimals({**FIRST_PLAN_CONTRACTS, **FIRST_PLAN_OTHERS})}
    previous, total = years[FIRST_PLAN], Decimal(PREVIOUS_TOTAL) - Decimal(PLAN_YEARS[0].target)
    for year in PLAN_YEARS[1:]:
        total -= Decimal(year.target)
        years[year.label] = previous = _next_year(previous, total)
    return years


def _decimals(amounts: dict[str, str]) -> dict[str, Decimal]:
    return {code: Decimal(amount) for code, amount in amounts.items()}


def _next_year(previous: dict[str, Decimal], total: Decimal) -> dict[str, Decimal]:
    """The contract lines at their annual values; the others (the Capgemini lines dropped)
    scaled to what is left, the rounding on BALANCING_LINE."""
    contracts = _decimals(CONTRACT_LINES)
    others = {
        code: amount
        for code, amount in previous.items()
        if code not in contracts and code not in CAPGEMINI_LINES
    }
    factor = (total - sum(contracts.values())) / sum(others.values())
    scaled = {
        code: (amount * factor).quantize(TEN_THOUSAND, rounding=ROUND_HALF_UP)
        for code, amount in others.items()
    }
    scaled[BALANCING_LINE] += total - sum(contracts.values()) - sum(scaled.values())
    return {**contracts, **scaled}


def plan_figure_rows() -> list[dict]:
    """Every monthly budget of the plan as plain values, the same on every call: no
    actuals, forecasts or notes."""
    rows = []
    for label, budgets in plan_budgets().items():
        for code, annual in sorted(budgets.items()):
            weights = RAMP if code in CHANGE_LINES else FLAT
            if code == "APP-ACN" and label in ACN_FROM:
                funded = ACN_FROM[label]
                weights = tuple(w if p in funded else 0 for p, w in zip(PERIODS, FLAT, strict=True))
            months = phase(m(str(annual)), weights)
            rows.extend(
                {"line": code, "year": label, "period": period, "budget": budget}
                for period, budget in zip(PERIODS, months, strict=True)
            )
    return rows


def load_plan(loader, *, categories: dict, contracts: dict) -> None:
    """Create what is missing of the plan (`loader` is `load._Loader`): its years (draft,
    open), the new line, the monthly budgets with history, the illustrative targets and
    initiatives' planned savings."""
    years = {
        y.label: loader.ensure(FinancialYear, {"label": y.label}, {"start": y.start})
        for y in PLAN_YEARS
    }
    for spec in NEW_LINES:
        loader.ensure(
            BudgetLine,
            {"code": spec.code},
            {
                "name": spec.name,
                "category": categories[spec.category],
                "contract": contracts[spec.contract],
                "owner": spec.owner,
            },
        )
    _load_plan_figures(loader, years)
    programme = ReductionProgramme.objects.get(name=PROGRAMME_NAME)
    for year in PLAN_YEARS:
        loader.ensure(
            SavingsTarget,
            {"programme": programme, "year": years[year.label]},
            {"amount": m(year.target), "source": TARGET_SOURCE},
        )
    initiatives = {i.code: i for i in Initiative.objects.filter(code__in=_initiative_codes())}
    for label, planned in PLAN_SAVINGS.items():
        for code, amount in planned.items():
            loader.ensure(
                InitiativeYear,
                {"initiative": initiatives[code], "year": years[label]},
                {"planned": m(amount), "note": f"{ILLUSTRATIVE}."},
            )


def _initiative_codes() -> set[str]:
    return {code for planned in PLAN_SAVINGS.values() for code in planned}


def _load_plan_figures(loader, years: dict) -> None:
    rows = plan_figure_rows()
    lines = dict(
        BudgetLine.objects.filter(code__in={r["line"] for r in rows}).values_list("code", "id")
    )
    existing = set(
        MonthlyFigure.objects.filter(year__in=years.values()).values_list(
            "line_id", "year_id", "period"
        )
    )
    missing = [
        MonthlyFigure(
            line_id=lines[row["line"]],
            year=years[row["year"]],
            period=row["period"],
            budget=row["budget"],
        )
        for row in rows
        if (lines[row["line"]], years[row["year"]].pk, row["period"]) not in existing
    ]
    if missing:
        bulk_create_with_history(
            missing, MonthlyFigure, batch_size=500, default_change_reason=ILLUSTRATIVE
        )
        refresh_line_year_totals(year_ids=[year.pk for year in years.values()])
        loader.created[MonthlyFigure] += len(missing)
