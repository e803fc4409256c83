"""The demo's three major projects as fixed data (`PROJECTS`): each with its baselines,
monthly forecasts (written as `made on | £m | go-live | reason` tables), confidence history
and the lines, contracts and initiatives it is linked to by code, with the public sources
they cite."""

from dataclasses import dataclass
from datetime import date

from projects.models import Project

CW_2013 = 'Computer Weekly, Feb 2013, "Metropolitan Police technology strategy under review"'
COMPUTING_2014 = "Computing, Feb 2014"
ASSEMBLY_2013 = 'London Assembly, "Smart Policing" (Aug 2013)'
ILLUSTRATIVE_MONTHLY = (
    "Monthly forecasts (cost, go-live, reasons) are illustrative: the demo's story."
)


Stage, Confidence = Project.Stage, Project.Confidence


@dataclass(frozen=True)
class BaselineSpec:
    effective: date
    cost: str  # £m
    go_live: date
    approver: str
    reason: str
    source: str = ""


@dataclass(frozen=True)
class ProjectSpec:
    code: str
    name: str
    description: str
    owner: str
    stage: str
    source: str
    baselines: tuple[BaselineSpec, ...]
    # (made on, £m, go-live or None, reason); the first repeats the first baseline
    forecasts: tuple[tuple[date, str, date | None, str], ...]
    # (from, confidence, reason): the first is the first assessment
    confidence: tuple[tuple[date, str, str], ...]
    lines: tuple[str, ...] = ()
    contracts: tuple[str, ...] = ()
    initiatives: tuple[str, ...] = ()
    closed_on: date | None = None


def _forecasts(table: str) -> tuple[tuple[date, str, date | None, str], ...]:
    """Rows of `made on | £m | go-live (or none) | reason` as forecast tuples."""
    rows = []
    for line in table.strip().splitlines():
        made, cost, go_live, reason = (part.strip() for part in line.split("|"))
        live = None if go_live == "none" else date.fromisoformat(go_live)
        rows.append((date.fromisoformat(made), cost, live, reason))
    return tuple(rows)


# Each project's forecasts: made on | whole-life cost £m | go-live | reason. The first
# repeats the first baseline.
TT_FORECASTS = """
2014-02-28 | 200   | 2017-03-31 | Forecast starts at the approved baseline.
2014-09-30 | 201.5 | 2017-03-31 | Tower procurement: extra commercial and legal support.
2015-01-31 | 203   | 2017-06-30 | Tower awards later than planned; the Capgemini exit overlaps.
2015-05-31 | 204.5 | 2017-06-30 | Transition costs for the service integrator.
2015-08-31 | 206   | 2017-06-30 | Atos service integration signed (Aug 2015): mobilisation costs.
2015-11-30 | 207.5 | 2017-06-30 | Hosting tower transition later: CSC from February 2016.
2016-02-29 | 209   | 2017-09-30 | End-user services tower from February 2016; longer exit overlap.
"""
CC_FORECASTS = """
2014-04-01 | 90    | 2016-03-31 | Forecast starts at the approved baseline.
2014-09-30 | 91.5  | 2016-03-31 | Requirements signed off two months late; change requests.
2014-10-31 | 92.5  | 2016-06-30 | Go-live moved to June 2016 after the late requirements sign-off.
2014-11-30 | 93.8  | 2016-06-30 | Interfaces to legacy crime systems larger than scoped.
2014-12-31 | 95    | 2016-06-30 | Additional integrator effort on the interfaces.
2015-01-31 | 96.4  | 2016-09-30 | Data migration from the legacy system larger than scoped.
2015-02-28 | 97.5  | 2016-09-30 | Extra data migration and cleansing effort.
2015-03-31 | 99    | 2016-09-30 | Year-end review: contingency drawn down.
2015-04-30 | 100.8 | 2016-12-31 | Design rework after control-room users rejected the screens.
2015-05-31 | 102.5 | 2016-12-31 | Double running of the legacy system extended.
2015-06-30 | 105   | 2017-03-31 | Integration testing behind plan; extra integrator effort.
2015-07-31 | 108   | 2017-06-30 | Integration testing failed: re-plan.
2015-08-31 | 110   | 2017-06-30 | The integrator's re-plan costed.
2015-09-30 | 112   | 2017-09-30 | Forecast above plan again: the programme is under review.
2015-10-31 | 114.5 | 2017-09-30 | Independent review commissioned.
2015-11-30 | 116   | 2017-12-31 | Independent review: further slippage likely.
2015-12-31 | 118   | 2018-03-31 | Options appraisal: continue, re-scope or stop.
2016-03-31 | 65    | none       | Terminated: the £65m spent is its cost (MOPAC DMPCD 2016 48).
"""
MOB_FORECASTS = """
2013-06-30 | 15    | 2015-03-31 | Forecast starts at the approved baseline.
2013-08-31 | 15    | 2015-09-30 | "Up to 20,000" devices at first (London Assembly, Aug 2013).
2014-02-28 | 20    | 2016-03-31 | Re-baselined with the tablets.
2014-09-30 | 20.4  | 2016-03-31 | Device management software added.
2015-03-31 | 20.9  | 2016-06-30 | Borough roll-out slower than planned: training capacity.
2015-07-31 | 21.3  | 2016-09-30 | Connectivity problems on the mobile data network.
2015-09-30 | 21.6  | 2016-12-31 | Roll-out re-phased with the end-user services tower.
"""

# fmt: off
PROJECTS = (
    ProjectSpec(
        "TOTAL-TECH",
        "Total Technology: platforms, data and the tower contracts",
        "£200m of investment over 2014-17 to replace the Capgemini service with separately "
        "tendered towers, modernise platforms and data, and cut technology running costs by "
        "30%.",
        "Chief Technology Officer",
        Stage.DELIVERY,
        f"{COMPUTING_2014} (£200m over 2014-17; running costs cut by 30%). The approval date, "
        f"go-live and approver are illustrative. {ILLUSTRATIVE_MONTHLY}",
        (BaselineSpec(date(2014, 2, 28), "200", date(2017, 3, 31),
                      "MOPAC investment decision (illustrative)",
                      "Total Technology strategy approved: £200m over 2014-17.",
                      COMPUTING_2014),),
        _forecasts(TT_FORECASTS),
        (
            (date(2014, 2, 28), Confidence.AMBER_GREEN, "First assessment at approval."),
            (date(2015, 1, 31), Confidence.AMBER, "Tower contract awards later than planned."),
        ),
        lines=("CHG-TT", "CHG-TOWER", "CHG-INFRA"),
        contracts=("MPS-ATOS-SIAM-2015", "MPS-CSC-EUS-2016", "MPS-CSC-HOST-2016",
                   "MPS-ACN-APPS-2016"),
        initiatives=("SAV-CAP-TOWER", "SAV-APP-RAT", "SAV-DC"),
    ),
    ProjectSpec(
        "COMMAND-CONTROL",
        "Command and control replacement",
        "Replacement of the command and control (CAD) system that dispatches officers to "
        "emergency calls, with Lockheed Martin as systems integrator (£90m, 2014). "
        "Terminated in March 2016 after about £65m had been spent; the legacy system stays "
        "in service.",
        "Command and Control Programme Director",
        Stage.CLOSED,
        "Computer Weekly (2014 award to Lockheed Martin, £90m); MOPAC DMPCD 2016 48 "
        "(terminated March 2016 after about £65m spent). The baseline go-live and approver "
        f"are illustrative. {ILLUSTRATIVE_MONTHLY}",
        (BaselineSpec(date(2014, 4, 1), "90", date(2016, 3, 31),
                      "MOPAC investment decision (illustrative)",
                      "Business case approved; Lockheed Martin appointed as integrator.",
                      "Computer Weekly (2014 award, £90m)."),),
        _forecasts(CC_FORECASTS),
        (
            (date(2014, 4, 1), Confidence.AMBER, "First assessment at approval."),
            (date(2015, 1, 31), Confidence.AMBER_RED,
             "Data migration and interfaces larger than scoped."),
            (date(2015, 7, 31), Confidence.RED, "Integration testing failed."),
        ),
        lines=("CHG-CAD",),
        contracts=("MPS-LM-CC-2014",),
        closed_on=date(2016, 3, 31),
    ),
    ProjectSpec(
        "MOBILE",
        "Mobile devices for officers",
        "Mobile devices so that officers spend less time in stations on paperwork: about "
        '30,000 devices planned (Feb 2013), "up to 20,000" in the first phase (Aug 2013), '
        "and tablets for 15,000 officers worth about 900 officers' time (Feb 2014).",
        "Chief Technology Officer",
        Stage.DELIVERY,
        f"{CW_2013}; {ASSEMBLY_2013}; {COMPUTING_2014}. Costs, dates and approvers are "
        f"illustrative. {ILLUSTRATIVE_MONTHLY}",
        (
            BaselineSpec(date(2013, 6, 30), "15", date(2015, 3, 31),
                         "Management Board (illustrative)",
                         "Business case approved: about 30,000 devices.", CW_2013),
            BaselineSpec(date(2014, 2, 28), "20", date(2016, 3, 31),
                         "Management Board (illustrative)",
                         "Tablets for 15,000 officers added; roll-out re-phased to March 2016.",
                         COMPUTING_2014),
        ),
        _forecasts(MOB_FORECASTS),
        (
            (date(2013, 6, 30), Confidence.AMBER_GREEN, "First assessment at approval."),
            (date(2015, 3, 31), Confidence.AMBER, "Borough roll-out slower than planned."),
        ),
        lines=("CHG-MOB", "EUD-MOB"),
        initiatives=("SAV-MOBILE",),
    ),
)
# fmt: on
