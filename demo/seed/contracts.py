"""The demo's suppliers, contracts and contract changes, from public reports.

Contract statuses are as at the demo's reporting date, the end of P6 2015-16 (30 Sep 2015);
later events within the modelled years (the Lockheed Martin termination at 31 Mar 2016)
are recorded as dated changes.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from common.money import ZERO
from contracts.models import Contract, ContractChange
from demo.seed.sources import CW_2013, m

CAPGEMINI_SOURCES = (
    "CIO UK; TechEye (2005 award: 7 years, £350m; 2010 extension to Dec 2015 for £193m "
    "with £43m estimated savings; ~30,000 desktops and laptops, 38,000 phone extensions, "
    "8,500 mobile phones; BT and Unisys subcontractors). "
    f"{CW_2013}, and Computer Weekly's blog on the Capgemini contract (about £115m a year, "
    "over a third of technology spend)."
)
ILLUSTRATIVE_DAYS = " Days and months not given by the source are illustrative."

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
