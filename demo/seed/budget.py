"""The demo's years, categories, budget lines and monthly figures.

Annual budgets are illustrative (demo-data-facts.md); monthly phasing, actuals and
forecasts are generated from `SEED`, with the stories where the figures depart from plan.
"""

import random
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from budgets.models import PERIODS, Category
from common.money import PENNY
from demo.seed.contracts import ATOS, CAP, CSC_EUS, CSC_HOST, LM
from demo.seed.sources import m

SEED = 20130201  # Computer Weekly reported the £42m and £60m targets in February 2013.

# ---------------------------------------------------------------------------- years


@dataclass(frozen=True)
class YearSpec:
    label: str
    start: date
    closed_through: int
    actuals_through: int
    # Lines whose actual for the period after `actuals_through` is already in: a period
    # being entered, so that "in progress" has something to show.
    entered_early: tuple[str, ...] = ()


YEARS = (
    YearSpec("2013-14", date(2013, 4, 1), closed_through=12, actuals_through=12),
    YearSpec("2014-15", date(2014, 4, 1), closed_through=12, actuals_through=12),
    # P1-P6 closed and published; P7 (October 2015) in progress with three lines entered.
    YearSpec(
        "2015-16",
        date(2015, 4, 1),
        closed_through=6,
        actuals_through=6,
        entered_early=("OUT-CAP-SVC", "NET-WAN", "STF-OPS"),
    ),
)
YEAR_LABELS = tuple(y.label for y in YEARS)
BASELINE, FIRST, SECOND = YEAR_LABELS

# ----------------------------------------------------------------------- categories

OUT, APP, INF, NET, EUD, LIC, STF, CHG = (
    "Outsourced services",
    "Applications",
    "Infrastructure & hosting",
    "Networks & telephony",
    "End-user devices",
    "Licences",
    "In-house staff",
    "Change portfolio",
)
CATEGORIES = (
    (OUT, Category.Kind.RUN),
    (APP, Category.Kind.RUN),
    (INF, Category.Kind.RUN),
    (NET, Category.Kind.RUN),
    (EUD, Category.Kind.RUN),
    (LIC, Category.Kind.RUN),
    (STF, Category.Kind.RUN),
    (CHG, Category.Kind.CHANGE),
)

# -------------------------------------------------------------------- budget lines

FLAT = (1,) * 12
# Change projects spend more as the year goes on.
RAMP = (6, 7, 7, 8, 8, 8, 9, 9, 9, 9, 10, 10)


@dataclass(frozen=True)
class LineSpec:
    code: str
    name: str
    category: str
    budgets: dict[str, str]  # year label -> annual budget in £m; a missing year: no figures
    contract: str | None = None
    owner: str = ""
    profile: tuple[int, ...] = FLAT
    # Year label -> the periods a line is funded in, where it is not the whole year.
    funded: dict[str, range] = field(default_factory=dict)


def _lines(category: str, owner: str, contract: str | None, rows, **extra) -> list[LineSpec]:
    return [
        LineSpec(
            code,
            name,
            category,
            {
                label: amount
                for label, amount in zip(YEAR_LABELS, amounts, strict=True)
                if amount is not None
            },
            contract=contract,
            owner=owner,
            **extra,
        )
        for code, name, *amounts in rows
    ]


CAPGEMINI_TO_DECEMBER = {SECOND: range(1, 10)}  # the contract ends on 31 Dec 2015 (P9)

# Annual budgets in £m for 2013-14, 2014-15 and 2015-16 (None: no figures that year).
# 2013-14 follows the illustrative baseline in demo-data-facts.md: Capgemini 115,
# applications 45, in-house staff 40, networks 30, licences 15, hosting 10, command and
# control 10, change 60: £325m. Later years take out the planned savings: £283m, then £223m.
# fmt: off
LINES: tuple[LineSpec, ...] = tuple(
    _lines(OUT, "Head of Service Delivery", CAP, [
        ("OUT-CAP-SVC", "Capgemini: service management and service desk", "30", "26", "16"),
        ("OUT-CAP-DC", "Capgemini: data centre and server operations", "22", "18", "10"),
        ("OUT-CAP-APP", "Capgemini: application management", "14", "12.5", "8"),
        ("OUT-CAP-DESK", "Capgemini: desktops and laptops, about 30,000 (Unisys subcontract)",
         "27", "24", "14.5"),
        ("OUT-CAP-TEL", "Capgemini: fixed telephony, 38,000 extensions (BT subcontract)",
         "12.5", "11", "6.5"),
        ("OUT-CAP-MOB", "Capgemini: mobile phones, 8,500 handsets", "4.5", "4", "2.2"),
        ("OUT-CAP-PRINT", "Capgemini: print and multifunction devices", "5", "4.5", "2.8"),
    ], funded=CAPGEMINI_TO_DECEMBER)
    + _lines(OUT, "Head of Commercial Services", ATOS, [
        ("OUT-SIAM", "Service integration and management (Atos)", None, None, "8"),
    ], funded={SECOND: range(8, 13)})  # from November 2015
    + _lines(OUT, "Head of Service Delivery", CSC_EUS, [
        ("OUT-CSC-EUS", "End-user services tower (CSC)", None, None, "5"),
    ], funded={SECOND: range(11, 13)})  # from February 2016
    + _lines(OUT, "Head of Infrastructure", CSC_HOST, [
        ("OUT-CSC-HOST", "Hosting tower (CSC)", None, None, "2.5"),
    ], funded={SECOND: range(11, 13)})
    + _lines(APP, "Head of Applications", None, [
        ("APP-CRIM", "Crime and intelligence systems support", "9", "7.5", "5"),
        ("APP-CASE", "Custody and case systems support", "6.5", "6", "4.5"),
        ("APP-ERP", "HR, payroll and finance systems support", "8", "7", "5.5"),
        ("APP-LEG", "Legacy application estate", "7.5", "5.5", "1.5"),
        ("APP-WEB", "Web, intranet and digital services", "3", "3", "3"),
        ("APP-DATA", "Data warehouse and management information", "4", "3.5", "2.5"),
        ("APP-SPEC", "Specialist and small systems", "7", "4.5", "3"),
        ("APP-CAD", "Command and control: legacy system support", "10", "10", "10"),
    ])
    + _lines(INF, "Head of Infrastructure", None, [
        ("INF-DC", "Data centre accommodation and power", "6", "3.5", "1.5"),
        ("INF-STOR", "Storage and backup", "2.5", "2", "1.5"),
        ("INF-DR", "Disaster recovery services", "1.5", "1.5", "1"),
    ])
    + _lines(NET, "Head of Infrastructure", None, [
        ("NET-WAN", "Wide area network and site links", "12", "10", "8.5"),
        ("NET-LAN", "Local networks and Wi-Fi", "4", "3.5", "3"),
        ("NET-MOB", "Mobile airtime and data", "5", "4.5", "4"),
        ("NET-RADIO", "Airwave radio service", "9", "8", "6.5"),
    ])
    + _lines(EUD, "Head of Service Delivery", None, [
        ("EUD-MOB", "Officer mobile devices: handsets and tablets", None, "1.5", "3"),
    ])
    + _lines(LIC, "Head of Commercial Services", None, [
        ("LIC-MS", "Microsoft enterprise agreement", "6", "5", "4.5"),
        ("LIC-DB", "Database and middleware licences", "4", "3.5", "3"),
        ("LIC-SEC", "Security and infrastructure software", "2.5", "2.5", "2.5"),
        ("LIC-APP", "Application and specialist software licences", "2.5", "2", "1"),
    ])
    + _lines(STF, "Director of Information", None, [
        ("STF-OPS", "Directorate of Information: operations and service staff", "18", "15", "12"),
        ("STF-ARCH", "Architecture, security and design staff", "8", "7", "6"),
        ("STF-COMM", "Commercial and supplier management staff", "6", "5.5", "5.5"),
        ("STF-PMO", "Portfolio and project management staff", "8", "6.5", "3.5"),
    ])
    + _lines(CHG, "Command and Control Programme Director", LM, [
        ("CHG-CAD", "Command and control replacement (Lockheed Martin)", None, "28", "32"),
    ], profile=RAMP)
    + _lines(CHG, "Chief Technology Officer", None, [
        ("CHG-MOB", "Mobile devices roll-out", "3", "8", "6"),
        ("CHG-TT", "Total Technology: platforms and data", "12", "6", "1.5"),
        ("CHG-TOWER", "Tower procurement, transition and Capgemini exit", "4", "6", "6"),
        ("CHG-INFRA", "Infrastructure refresh", "14", "4", None),
        ("CHG-PORT", "Other business change projects", "27", "2.5", None),
    ], profile=RAMP)
)
# fmt: on


@dataclass(frozen=True)
class Story:
    """Where the figures depart from plan: actuals (periods with actuals) or forecasts
    (open periods) at `factor` times budget, with the variance note Finance would write."""

    line: str
    year: str
    periods: range
    factor: str
    note: str


# fmt: off
ACTUAL_STORIES = (
    Story("APP-LEG", FIRST, range(4, 13), "1.25",
          "Legacy systems kept running while their replacements are late (double running)."),
    Story("INF-DC", FIRST, range(7, 13), "1.5",
          "Data centre exit later than planned: accommodation and power still paid."),
    Story("LIC-MS", FIRST, range(10, 13), "0.85", "Licence true-up lower than budgeted."),
    Story("CHG-CAD", FIRST, range(9, 13), "1.08", "Integrator change requests above plan."),
    Story("OUT-CAP-SVC", SECOND, range(3, 4), "0.8", "Service credits for missed service levels."),
    Story("APP-LEG", SECOND, range(1, 7), "1.4",
          "Decommissioning slipped again: double running continues."),
    Story("INF-DC", SECOND, range(1, 7), "1.8",
          "No consolidation until the hosting tower is awarded."),
    Story("CHG-CAD", SECOND, range(1, 7), "1.12",
          "Integration testing behind plan; extra integrator effort."),
)
FORECAST_STORIES = (
    Story("CHG-CAD", SECOND, range(7, 13), "1.15",
          "Forecast above plan: the programme is under review."),
    Story("INF-DC", SECOND, range(7, 13), "1.8",
          "Consolidation waits for the hosting tower (CSC)."),
    Story("APP-LEG", SECOND, range(7, 13), "1.4", "Decommissioning now expected next year."),
    Story("OUT-SIAM", SECOND, range(8, 9), "0.5", "Mobilisation: first month part-charged."),
    Story("OUT-CAP-DESK", SECOND, range(7, 10), "1.1",
          "Exit period: renegotiated charges not yet agreed."),
    Story("OUT-CAP-SVC", SECOND, range(7, 10), "1.1",
          "Exit period: renegotiated charges not yet agreed."),
    Story("CHG-TOWER", SECOND, range(10, 13), "1.3",
          "Capgemini exit and transition costs above plan."),
)
# fmt: on

# --------------------------------------------------------------------- generation


def phase(annual: Decimal, weights: tuple[int, ...]) -> list[Decimal]:
    """Twelve monthly budgets in proportion to `weights` that add up exactly to `annual`:
    each is rounded down to the penny and the rounding pennies go to the last funded period
    (P12 for a line funded all year)."""
    total = sum(weights)
    months = [(annual * w / total).quantize(PENNY, rounding=ROUND_DOWN) for w in weights]
    last = max(i for i, w in enumerate(weights) if w)
    months[last] += annual - sum(months)
    return months


def _weights(line: LineSpec, year: str) -> tuple[int, ...]:
    funded = line.funded.get(year, PERIODS)
    return tuple(
        w if period in funded else 0 for period, w in zip(PERIODS, line.profile, strict=True)
    )


def _times(amount: Decimal, factor: Decimal) -> Decimal:
    return (amount * factor).quantize(PENNY, rounding=ROUND_HALF_UP)


def figure_rows() -> list[dict]:
    """Every monthly figure of the demo as plain values, the same on every call.

    Actuals are the budget times a small random noise (within ±1.5%, drawn from
    `random.Random(SEED)`) or a story's factor; open periods carry a forecast only where a
    story says the year will not go to plan.
    """
    rng = random.Random(SEED)
    actual_stories = {(s.line, s.year, p): s for s in ACTUAL_STORIES for p in s.periods}
    forecast_stories = {(s.line, s.year, p): s for s in FORECAST_STORIES for p in s.periods}
    through = {y.label: y.actuals_through for y in YEARS}
    early = {(code, y.label, y.actuals_through + 1) for y in YEARS for code in y.entered_early}
    rows = []
    for year in YEAR_LABELS:
        for line in LINES:
            if year not in line.budgets:
                continue
            budgets = phase(m(line.budgets[year]), _weights(line, year))
            for period, budget in zip(PERIODS, budgets, strict=True):
                noise = Decimal(rng.randint(-150, 150)) / Decimal(10_000)
                row = {
                    "line": line.code,
                    "year": year,
                    "period": period,
                    "budget": budget,
                    "actual": None,
                    "forecast": None,
                    "note": "",
                }
                story = actual_stories.get((line.code, year, period))
                if period <= through[year] or (line.code, year, period) in early:
                    factor = Decimal(story.factor) if story else 1 + noise
                    row["actual"] = _times(budget, factor)
                    row["note"] = story.note if story else ""
                elif story := forecast_stories.get((line.code, year, period)):
                    row["forecast"] = _times(budget, Decimal(story.factor))
                    row["note"] = story.note
                rows.append(row)
    return rows
