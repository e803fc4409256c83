"""The Met demo dataset: public figures where they exist, illustrative figures elsewhere.

Every record carrying a public figure keeps its `source`; monthly phasing, monthly actuals,
forecasts and initiative splits are illustrative, and the banner says so on every page.
Generation is deterministic (`SEED`); `manage.py seed_demo` writes it.

Contract statuses are as at the demo's reporting date, the end of P6 2015-16 (30 Sep 2015);
later events within the modelled years (the Lockheed Martin termination at 31 Mar 2016)
are recorded as dated changes.
"""

import random
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from budgets.models import PERIODS, Category
from common.money import PENNY, ZERO
from common.roles import ADMIN, COMMITTEE, FINANCE
from contracts.models import Contract, ContractChange
from savings.models import Initiative

SEED = 20130201  # Computer Weekly reported the £42m and £60m targets in February 2013.
MILLION = Decimal(1_000_000)


def m(millions: str) -> Decimal:
    """£m as written in the tables below, in exact pounds and pence."""
    return (Decimal(millions) * MILLION).quantize(PENNY)


# Sources, written once.
CW_2013 = 'Computer Weekly, Feb 2013, "Metropolitan Police technology strategy under review"'
CAPGEMINI_SOURCES = (
    "CIO UK; TechEye (2005 award: 7 years, £350m; 2010 extension to Dec 2015 for £193m "
    "with £43m estimated savings; ~30,000 desktops and laptops, 38,000 phone extensions, "
    "8,500 mobile phones; BT and Unisys subcontractors). "
    f"{CW_2013}, and Computer Weekly's blog on the Capgemini contract (about £115m a year, "
    "over a third of technology spend)."
)
ILLUSTRATIVE_DAYS = " Days and months not given by the source are illustrative."

# ---------------------------------------------------------------------------- years


@dataclass(frozen=True)
class YearSpec:
    label: str
    start: date
    closed_through: int
    actuals_through: int


YEARS = (
    YearSpec("2013-14", date(2013, 4, 1), closed_through=12, actuals_through=12),
    YearSpec("2014-15", date(2014, 4, 1), closed_through=12, actuals_through=12),
    YearSpec("2015-16", date(2015, 4, 1), closed_through=5, actuals_through=6),
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

# ---------------------------------------------------------------------- contracts

SUPPLIERS = {
    "Capgemini": "",
    "Atos": "",
    "CSC": "Computer Sciences Corporation.",
    "Accenture": "",
    "BT": "Also a subcontractor to Capgemini (telephony) under MPS-CAP-2005.",
    "Lockheed Martin": "",
    "Unisys": "Subcontractor to Capgemini (desktop services) under MPS-CAP-2005; paid "
    "through that contract, so its spend shows under Capgemini.",
}


@dataclass(frozen=True)
class ContractSpec:
    reference: str
    supplier: str
    title: str
    description: str
    start: date
    end: date
    notice_months: int
    annual_value: Decimal
    total_value: Decimal
    status: str
    owner: str
    source: str


@dataclass(frozen=True)
class ChangeSpec:
    reference: str
    kind: str
    effective: date
    old_end: date | None
    new_end: date | None
    value_change: Decimal
    expected_annual_saving: Decimal
    note: str
    source: str


CAP, ATOS, CSC_EUS, CSC_HOST, ACN, BT_NET, LM = (
    "MPS-CAP-2005",
    "MPS-ATOS-SIAM-2015",
    "MPS-CSC-EUS-2016",
    "MPS-CSC-HOST-2016",
    "MPS-ACN-APPS-2016",
    "MPS-BT-NET-2017",
    "MPS-LM-CC-2014",
)
Status = Contract.Status

CONTRACTS = (
    ContractSpec(
        CAP,
        "Capgemini",
        "Outsourced IT service: desktops, infrastructure, telephony, applications",
        "Awarded 2005 for 7 years (£350m), extended in 2010 to December 2015 for £193m. "
        "About 30,000 desktops and laptops, 38,000 phone extensions and 8,500 mobile "
        "phones; BT and Unisys are subcontractors. Replaced by separately tendered towers.",
        date(2005, 4, 1),
        date(2015, 12, 31),
        12,
        m("115"),
        m("543"),
        Status.ACTIVE,
        "Head of Commercial Services",
        CAPGEMINI_SOURCES + ILLUSTRATIVE_DAYS,
    ),
    ContractSpec(
        ATOS,
        "Atos",
        "Service integration and management (SIAM)",
        "Signed August 2015; runs the other towers' suppliers from November 2015 for five "
        "years. Its value was later raised to £143m.",
        date(2015, 11, 1),
        date(2020, 10, 31),
        12,
        m("19.2"),
        m("96"),
        Status.PLANNED,
        "Head of Commercial Services",
        "MOPAC decision PCD 437 (signed Aug 2015, from Nov 2015, 5 years, £96m; later "
        "£143m)." + ILLUSTRATIVE_DAYS,
    ),
    ContractSpec(
        CSC_EUS,
        "CSC",
        "End-user services tower",
        "Desktops, laptops, service desk and deskside support after Capgemini.",
        date(2016, 2, 1),
        date(2021, 1, 31),
        12,
        m("31"),
        m("155"),
        Status.PLANNED,
        "Head of Service Delivery",
        "Computing, Feb 2016 (£155m over 5 years)." + ILLUSTRATIVE_DAYS,
    ),
    ContractSpec(
        CSC_HOST,
        "CSC",
        "Hosting tower",
        "Data centres and hosting after Capgemini; the data centre consolidation depends on it.",
        date(2016, 2, 1),
        date(2022, 1, 31),
        12,
        Decimal("15833333.33"),
        m("95"),
        Status.PLANNED,
        "Head of Infrastructure",
        "Computing, Feb 2016 (about £95m over 6 years)." + ILLUSTRATIVE_DAYS,
    ),
    ContractSpec(
        ACN,
        "Accenture",
        "Applications management tower",
        "Application support and development: five years with an option of three more.",
        date(2016, 7, 1),
        date(2021, 6, 30),
        12,
        Decimal("17200000.00"),
        m("86"),
        Status.PLANNED,
        "Head of Applications",
        "The Register, 2016 (£86m, 5+3 years)." + ILLUSTRATIVE_DAYS,
    ),
    ContractSpec(
        BT_NET,
        "BT",
        "Network services",
        "Wide and local area networks and telephony: five years with an option of two more, "
        "up to £200m.",
        date(2017, 4, 1),
        date(2022, 3, 31),
        12,
        Decimal("28571428.57"),
        m("200"),
        Status.PLANNED,
        "Head of Infrastructure",
        "MOPAC PCD 151 (up to £200m over 5+2 years, 2017)." + ILLUSTRATIVE_DAYS,
    ),
    ContractSpec(
        LM,
        "Lockheed Martin",
        "Command and control replacement: systems integrator",
        "Integrator for the replacement of the command and control (CAD) system, awarded "
        "2014 (£90m). Terminated in March 2016 after about £65m had been spent.",
        date(2014, 4, 1),
        date(2016, 3, 31),
        6,
        m("18"),
        m("90"),
        Status.ACTIVE,
        "Command and Control Programme Director",
        "Computer Weekly (2014 award, £90m); MOPAC DMPCD 2016 48 (terminated Mar 2016 "
        "after £65m spent)." + ILLUSTRATIVE_DAYS,
    ),
)

# BT and Unisys worked under Capgemini: the MPS paid Capgemini, so the lines name MPS-CAP-2005
# and these subcontracts carry no value of their own (none was published).
SUBCONTRACTS = tuple(
    ContractSpec(
        f"{CAP}-{supplier.upper()}",
        supplier,
        f"{scope} (subcontract to Capgemini)",
        f"{scope} under the Capgemini contract MPS-CAP-2005; paid through it, so its spend "
        "is part of Capgemini's.",
        date(2005, 4, 1),
        date(2015, 12, 31),
        0,
        ZERO,
        ZERO,
        Status.ACTIVE,
        "Head of Service Delivery",
        "CIO UK; TechEye (BT and Unisys subcontractors to Capgemini)." + ILLUSTRATIVE_DAYS,
    )
    for supplier, scope in (("Unisys", "Desktop services"), ("BT", "Telephony services"))
)

Kind = ContractChange.Kind
CONTRACT_CHANGES = (
    ChangeSpec(
        CAP,
        Kind.AWARD,
        date(2005, 4, 1),
        None,
        date(2012, 3, 31),
        m("350"),
        ZERO,
        "Awarded for 7 years, £350m.",
        "CIO UK; TechEye." + ILLUSTRATIVE_DAYS,
    ),
    ChangeSpec(
        CAP,
        Kind.EXTENSION,
        date(2010, 7, 1),
        date(2012, 3, 31),
        date(2015, 12, 31),
        m("193"),
        # The £43m is over the life of the extension (April 2012 to December 2015, 45
        # months); spread evenly it is about £11.5m a year.
        Decimal("11466666.67"),
        "Extended to 31 December 2015 for £193m, with £43m estimated savings over the "
        "extension (about £11.5m a year when spread evenly; the spread is illustrative).",
        "CIO UK; TechEye." + ILLUSTRATIVE_DAYS,
    ),
    ChangeSpec(
        ATOS,
        Kind.AWARD,
        date(2015, 8, 1),
        None,
        date(2020, 10, 31),
        m("96"),
        ZERO,
        "Signed August 2015; service from November 2015 for five years, £96m.",
        "MOPAC decision PCD 437." + ILLUSTRATIVE_DAYS,
    ),
    ChangeSpec(
        LM,
        Kind.AWARD,
        date(2014, 4, 1),
        None,
        None,
        m("90"),
        ZERO,
        "Awarded 2014, £90m.",
        "Computer Weekly." + ILLUSTRATIVE_DAYS,
    ),
    ChangeSpec(
        LM,
        Kind.TERMINATION,
        date(2016, 3, 31),
        None,
        date(2016, 3, 31),
        m("-25"),
        ZERO,
        "Terminated March 2016 after about £65m of the £90m had been spent.",
        "MOPAC DMPCD 2016 48.",
    ),
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

# ------------------------------------------------------------------------ savings

PROGRAMME_NAME = "MPS budget reduction 2013-16 (the 20:20:20 challenge)"
PROGRAMME = {
    "organisation_budget": m("3000"),
    "reduction_target": m("500"),
    "technology_baseline": m("325"),
    "source": f"{CW_2013} (a £3bn budget, £500m to find while keeping about 32,000 "
    "officers; technology about £325m a year); MOPAC Police and Crime Plan 2013-16.",
}
TARGETS = {
    FIRST: (m("42"), f"{CW_2013}: £42m technology savings in 2014-15."),
    SECOND: (m("60"), f"{CW_2013}: £60m technology savings in 2015-16."),
}

Lever, Stage, Confidence = Initiative.Lever, Initiative.Stage, Initiative.Confidence


@dataclass(frozen=True)
class InitiativeSpec:
    code: str
    name: str
    lever: str
    stage: str
    confidence: str
    owner: str
    lines: tuple[str, ...]
    # year label -> (planned, forecast, realised) in £m; forecast/realised may be None
    years: dict[str, tuple[str, str | None, str | None]]
    contract: str | None = None
    cashable: bool = True
    description: str = ""


ILLUSTRATIVE_SPLIT = (
    "The split of the sourced £42m and £60m targets between initiatives is illustrative."
)
INITIATIVES = (
    InitiativeSpec(
        "SAV-CAP-TOWER",
        "Capgemini renegotiation and tower re-tender",
        Lever.RETENDER,
        Stage.IN_DELIVERY,
        Confidence.AMBER_RED,
        "Head of Commercial Services",
        (
            *(line.code for line in LINES if line.contract == CAP),
            "OUT-SIAM",
            "OUT-CSC-EUS",
            "OUT-CSC-HOST",
        ),
        # 2015-16: realised to the end of P6; the towers start later than hoped.
        {FIRST: ("15", "15", "15"), SECOND: ("25", "21", "9.5")},
        contract=CAP,
        description="Renegotiate the Capgemini service, then replace it with separately "
        "tendered towers under a service integrator. " + ILLUSTRATIVE_SPLIT,
    ),
    InitiativeSpec(
        "SAV-APP-RAT",
        "Application rationalisation",
        Lever.CANCEL,
        Stage.IN_DELIVERY,
        Confidence.AMBER,
        "Head of Applications",
        ("APP-LEG", "APP-SPEC", "APP-CRIM", "APP-DATA"),
        {FIRST: ("8", "6.75", "6.75"), SECOND: ("12", "10.5", "4.8")},
        description="Retire duplicate and legacy applications. " + ILLUSTRATIVE_SPLIT,
    ),
    InitiativeSpec(
        "SAV-DC",
        "Data centres and hosting consolidation",
        Lever.CONSOLIDATE,
        Stage.APPROVED,
        Confidence.RED,
        "Head of Infrastructure",
        ("INF-DC", "INF-STOR", "INF-DR", "OUT-CAP-DC"),
        {FIRST: ("5", "4.05", "4.05"), SECOND: ("8", "4", "1.2")},
        contract=CSC_HOST,
        description="Close data centres and move hosting to one provider; waits for the "
        "hosting tower. " + ILLUSTRATIVE_SPLIT,
    ),
    InitiativeSpec(
        "SAV-HEADCOUNT",
        "In-house headcount",
        Lever.PRODUCTIVITY,
        Stage.IN_DELIVERY,
        Confidence.AMBER_GREEN,
        "Director of Information",
        ("STF-OPS", "STF-ARCH", "STF-COMM", "STF-PMO"),
        {FIRST: ("6", "6", "6"), SECOND: ("7", "6.5", "3.2")},
        description="Fewer in-house posts as services move to the towers. " + ILLUSTRATIVE_SPLIT,
    ),
    InitiativeSpec(
        "SAV-NET",
        "Networks and telephony",
        Lever.RENEGOTIATE,
        Stage.IN_DELIVERY,
        Confidence.GREEN,
        "Head of Infrastructure",
        ("NET-WAN", "NET-LAN", "NET-MOB", "NET-RADIO", "OUT-CAP-TEL"),
        {FIRST: ("4", "4", "4"), SECOND: ("4", "4", "2")},
        description="Renegotiate network and telephony charges. " + ILLUSTRATIVE_SPLIT,
    ),
    InitiativeSpec(
        "SAV-DESK-PRINT",
        "Desktop and print",
        Lever.DEMAND,
        Stage.DELIVERED,
        Confidence.GREEN,
        "Head of Service Delivery",
        ("OUT-CAP-DESK", "OUT-CAP-PRINT"),
        {FIRST: ("2", "1.9", "1.9"), SECOND: ("2", "2", "1")},
        description="Fewer printers and desktops per officer. " + ILLUSTRATIVE_SPLIT,
    ),
    InitiativeSpec(
        "SAV-LIC",
        "Licences",
        Lever.RENEGOTIATE,
        Stage.IN_DELIVERY,
        Confidence.GREEN,
        "Head of Commercial Services",
        ("LIC-MS", "LIC-DB", "LIC-SEC", "LIC-APP"),
        {FIRST: ("2", "2.2", "2.2"), SECOND: ("2", "2", "1.1")},
        description="Renegotiate enterprise agreements and drop unused licences. "
        + ILLUSTRATIVE_SPLIT,
    ),
    InitiativeSpec(
        "SAV-MOBILE",
        "Mobile devices: officer time",
        Lever.PRODUCTIVITY,
        Stage.IN_DELIVERY,
        Confidence.AMBER,
        "Chief Technology Officer",
        ("CHG-MOB", "EUD-MOB"),
        {FIRST: ("4.5", "1.5", "1.5"), SECOND: ("22.5", "12", "4")},
        cashable=False,
        description='About 30,000 mobile devices planned (Feb 2013), then "up to 20,000" '
        "(Aug 2013); tablets for 15,000 officers, worth about 900 officers' time "
        "(Feb 2014). Officer time is non-cashable: it never counts towards the cash "
        "target. Its value in pounds (officer time at an illustrative £50,000 a year) and "
        f'its phasing are illustrative. Sources: {CW_2013}; London Assembly, "Smart '
        'Policing" (Aug 2013); Computing, Feb 2014.',
    ),
)

# ------------------------------------------------------------------------ users

DEMO_USERS = (("finance", FINANCE), ("committee", COMMITTEE), ("admin", ADMIN))


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
                if period <= through[year]:
                    factor = Decimal(story.factor) if story else 1 + noise
                    row["actual"] = _times(budget, factor)
                    row["note"] = story.note if story else ""
                elif story := forecast_stories.get((line.code, year, period)):
                    row["forecast"] = _times(budget, Decimal(story.factor))
                    row["note"] = story.note
                rows.append(row)
    return rows
