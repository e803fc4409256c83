"""The demo's major projects, benefit measures and officer numbers: `load_projects`.

Public figures keep their source; everything month by month is illustrative and says so.
Only what is missing is created, keyed on natural keys, from fixed data: running it again
changes nothing and keeps what users changed. Lines, contracts and initiatives are linked
by code where they exist."""

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from budgets.models import BudgetLine, FinancialYear
from common.money import add_months
from contracts.models import Contract
from projects.models import (
    BenefitMeasure,
    BenefitValue,
    OfficerCount,
    Project,
    ProjectForecast,
    Rebaseline,
)
from savings.models import Initiative

MILLION = Decimal(1_000_000)
CHANGE_REASON = "Demo data loaded by seed_demo"

CW_2013 = 'Computer Weekly, Feb 2013, "Metropolitan Police technology strategy under review"'
COMPUTING_2014 = "Computing, Feb 2014"
ASSEMBLY_2013 = 'London Assembly, "Smart Policing" (Aug 2013)'
ILLUSTRATIVE_MONTHLY = (
    "Monthly forecasts (cost, go-live, reasons) are illustrative: the demo's story."
)

Stage, Confidence = Project.Stage, Project.Confidence


def m(millions: str) -> Decimal:
    return (Decimal(millions) * MILLION).quantize(Decimal("0.01"))


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

# ----------------------------------------------------------------------------- benefits

PLAN_START, PLAN_END = date(2013, 10, 1), date(2016, 3, 1)
PLAN_DEVICES_PER_MONTH = 1000  # 1,000 in Oct 2013 ... 30,000 in Mar 2016
ACTUALS_FROM, ACTUALS_TO = date(2014, 1, 1), date(2015, 9, 1)  # the demo's reporting date
# Devices deployed each month, January 2014 to September 2015: 12,400 in all.
DEPLOYED = (200, 300, 400, 500, 500, 600, 600, 600, 700, 700, 600, 500, 500, 600, 700, 700, 800)
DEPLOYED += (800, 700, 600, 800)
# 900 officers' time for the tablets (Computing, Feb 2014) at 32 productive hours a week is
# 28,800 hours a week: planned at 0.96 hours a device at the full 30,000; realised at an
# illustrative 0.8 hours a device.
PLANNED_HOURS_PER_DEVICE, ACTUAL_HOURS_PER_DEVICE = Decimal("0.96"), Decimal("0.8")


def _months(first: date, last: date) -> list[date]:
    count = (last.year - first.year) * 12 + last.month - first.month
    return [add_months(first, n) for n in range(count + 1)]


def device_values() -> dict[date, tuple[Decimal | None, Decimal | None]]:
    """Planned and deployed devices at each month's end (a running total)."""
    planned = {
        month: Decimal(PLAN_DEVICES_PER_MONTH * (n + 1))
        for n, month in enumerate(_months(PLAN_START, PLAN_END))
    }
    deployed, running = {}, 0
    for month, added in zip(_months(ACTUALS_FROM, ACTUALS_TO), DEPLOYED, strict=True):
        running += added
        deployed[month] = Decimal(running)
    return {
        month: (planned.get(month), deployed.get(month))
        for month in sorted(planned.keys() | deployed.keys())
    }


def hours_values() -> dict[date, tuple[Decimal | None, Decimal | None]]:
    """Officer hours a week released, from the devices planned and deployed."""
    return {
        month: (
            None if planned is None else planned * PLANNED_HOURS_PER_DEVICE,
            None if deployed is None else deployed * ACTUAL_HOURS_PER_DEVICE,
        )
        for month, (planned, deployed) in device_values().items()
    }


# Each measure's fields; `project` and `initiative` are codes.
MEASURES = (
    {
        "code": "MOBILE-DEVICES",
        "name": "Mobile devices deployed",
        "description": "Devices in officers' hands at the end of each month, against the plan "
        'of about 30,000. Public statements later spoke of "up to 20,000" (Aug 2013) and '
        "tablets for 15,000 officers (Feb 2014); the plan shown is the February 2013 ambition.",
        "unit": BenefitMeasure.Unit.DEVICES,
        "source": f"{CW_2013} (about 30,000 devices); {ASSEMBLY_2013}; {COMPUTING_2014}. "
        "Monthly plan and deployments are illustrative.",
        "project": "MOBILE",
        "initiative": "SAV-MOBILE",
    },
    {
        "code": "OFFICER-HOURS",
        "name": "Officer hours released per week",
        "description": "Hours a week officers no longer spend on paperwork in stations "
        "because they have a mobile device: shown as full-time officers back on the beat.",
        "unit": BenefitMeasure.Unit.HOURS_PER_WEEK,
        "source": f"{COMPUTING_2014} (tablets for 15,000 officers worth about 900 officers' "
        "time, planned here as 28,800 hours a week at 32 productive hours per officer). "
        "Monthly plan and actuals are illustrative (0.96 hours a week per device planned, "
        "0.8 realised).",
        "project": "MOBILE",
        "initiative": "SAV-MOBILE",
    },
)
MEASURE_VALUES = {"MOBILE-DEVICES": device_values, "OFFICER-HOURS": hours_values}

OFFICERS = 32_000
OFFICERS_SOURCE = (
    f"{CW_2013} (about 32,000 officers to maintain). No yearly count is sourced, so the "
    "same figure is used for every year."
)


def _when(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


@transaction.atomic
def load_projects(*, user: AbstractBaseUser | None = None) -> None:
    """Create what is missing; history rows carry `user` and the story's own dates."""
    for spec in PROJECTS:
        _load_project(spec, user)
    for spec in MEASURES:
        _load_measure(spec, user)
    # Years with spend recorded; the plan's later years have no officer numbers to divide by.
    recorded = FinancialYear.objects.filter(figures__actual__isnull=False).distinct()
    for year in recorded.exclude(officer_count__isnull=False):
        count = OfficerCount(year=year, officers=OFFICERS, source=OFFICERS_SOURCE)
        count._history_user, count._change_reason = user, CHANGE_REASON
        count.save()


def _load_project(spec: ProjectSpec, user) -> None:
    project = Project.objects.filter(code=spec.code).first()
    if project is None:
        project = _create_project(spec, user)
    for baseline, previous in zip(spec.baselines, (None, *spec.baselines), strict=False):
        if project.baselines.filter(effective=baseline.effective).exists():
            continue
        row = Rebaseline(
            project=project,
            effective=baseline.effective,
            cost=m(baseline.cost),
            go_live=baseline.go_live,
            previous_cost=m(previous.cost) if previous else None,
            previous_go_live=previous.go_live if previous else None,
            approver=baseline.approver,
            reason=baseline.reason,
            source=baseline.source or spec.source,
            recorded_by=user,
        )
        row._history_user, row._history_date = user, _when(baseline.effective)
        row.save()
    for as_of, cost, go_live, reason in spec.forecasts:
        if project.forecasts.filter(as_of=as_of).exists():
            continue
        row = ProjectForecast(
            project=project,
            as_of=as_of,
            cost=m(cost),
            go_live=go_live,
            reason=reason,
            source=ILLUSTRATIVE_MONTHLY,
            recorded_by=user,
        )
        row._history_user, row._history_date = user, _when(as_of)
        row.save()


def _create_project(spec: ProjectSpec, user) -> Project:
    """The project as it stands now, with its confidence history dated as it happened."""
    _, last_cost, last_go_live, _ = spec.forecasts[-1]
    (first_day, first_confidence, first_reason), *changes = spec.confidence
    project = Project(
        code=spec.code,
        name=spec.name,
        description=spec.description,
        owner=spec.owner,
        stage=spec.stage,
        closed_on=spec.closed_on,
        confidence=first_confidence,
        baseline_cost=m(spec.baselines[-1].cost),
        baseline_go_live=spec.baselines[-1].go_live,
        forecast_cost=m(last_cost),
        forecast_go_live=last_go_live,
        source=spec.source,
    )
    project._history_user, project._history_date = user, _when(first_day)
    project._change_reason = f"{CHANGE_REASON}. {first_reason}"[:100]
    project.save()
    for day, confidence, reason in changes:
        project.confidence = confidence
        project._history_user, project._history_date = user, _when(day)
        project._change_reason = reason
        project.save()
    project.lines.set(BudgetLine.objects.filter(code__in=spec.lines))
    project.contracts.set(Contract.objects.filter(reference__in=spec.contracts))
    project.initiatives.set(Initiative.objects.filter(code__in=spec.initiatives))
    return project


def _load_measure(spec: dict, user) -> None:
    measure = BenefitMeasure.objects.filter(code=spec["code"]).first()
    if measure is None:
        measure = BenefitMeasure(
            **spec
            | {
                "project": Project.objects.filter(code=spec["project"]).first(),
                "initiative": Initiative.objects.filter(code=spec["initiative"]).first(),
                "owner": "Chief Technology Officer",
            }
        )
        measure._history_user, measure._change_reason = user, CHANGE_REASON
        measure.save()
    existing = set(measure.values.values_list("month", flat=True))
    missing = [
        BenefitValue(measure=measure, month=month, planned=planned, actual=actual, updated_by=user)
        for month, (planned, actual) in MEASURE_VALUES[spec["code"]]().items()
        if month not in existing
    ]
    if missing:
        bulk_create_with_history(missing, BenefitValue, batch_size=500, default_user=user)
