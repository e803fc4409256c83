"""The demo's reduction programme, its technology savings targets and the initiatives
meant to meet them."""

from dataclasses import dataclass

from demo.seed.budget import FIRST, LINES, SECOND
from demo.seed.contracts import CAP, CSC_HOST
from demo.seed.sources import CW_2013, m
from savings.models import Initiative

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
    # year label -> (planned, forecast, realised) in £m; forecast/realised may be None.
    # Realised is what the demo's claims for the year add up to (demo/seed/claims.py).
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
