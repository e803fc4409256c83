"""The demo's major projects, benefit measures and officer numbers (`load_projects`).

Public figures keep their source: Total Technology's £200m over 2014-17 (Computing, Feb
2014); the command and control replacement's £90m Lockheed Martin integration (2014) and
its termination in March 2016 after about £65m was spent (MOPAC DMPCD 2016 48); about
30,000 mobile devices planned (Computer Weekly, Feb 2013), "up to 20,000" (London Assembly,
Aug 2013) and tablets for 15,000 officers worth about 900 officers' time (Computing, Feb
2014); about 32,000 officers (Computer Weekly, Feb 2013). Everything month by month -
forecasts, go-live dates, deployments, hours - is illustrative, and each record says so.

`load_projects` creates only what is missing, keyed on natural keys (project codes,
forecast and baseline dates, measure codes, months, years), from fixed data: running it
again changes nothing, and what a user changed stays. Budget lines, contracts, initiatives
and years are linked by code where they exist.
"""

from dataclasses import dataclass, field
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
    "Monthly forecasts (cost, go-live and their reasons) are illustrative: the demo's story."
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


START = "Forecast starts at the approved baseline."

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
        (
            (date(2014, 2, 28), "200", date(2017, 3, 31), START),
            (date(2014, 9, 30), "201.5", date(2017, 3, 31),
             "Tower procurement: extra commercial and legal support."),
            (date(2015, 1, 31), "203", date(2017, 6, 30),
             "Tower contract awards later than planned; the Capgemini exit overlaps."),
            (date(2015, 5, 31), "204.5", date(2017, 6, 30),
             "Transition costs for the service integrator."),
            (date(2015, 8, 31), "206", date(2017, 6, 30),
             "Atos service integration signed (Aug 2015): mobilisation costs."),
            (date(2015, 11, 30), "207.5", date(2017, 6, 30),
             "Hosting tower transition later: CSC from February 2016."),
            (date(2016, 2, 29), "209", date(2017, 9, 30),
             "End-user services tower starts February 2016; longer exit overlap."),
        ),
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
        (
            (date(2014, 4, 1), "90", date(2016, 3, 31), START),
            (date(2014, 9, 30), "91.5", date(2016, 3, 31),
             "Requirements signed off two months late; integrator change requests."),
            (date(2014, 10, 31), "92.5", date(2016, 6, 30),
             "Go-live moved to June 2016 after the late requirements sign-off."),
            (date(2014, 11, 30), "93.8", date(2016, 6, 30),
             "Interfaces to legacy crime and intelligence systems larger than scoped."),
            (date(2014, 12, 31), "95", date(2016, 6, 30),
             "Additional integrator effort on the interfaces."),
            (date(2015, 1, 31), "96.4", date(2016, 9, 30),
             "Data migration from the legacy system larger than scoped."),
            (date(2015, 2, 28), "97.5", date(2016, 9, 30),
             "Extra data migration and cleansing effort."),
            (date(2015, 3, 31), "99", date(2016, 9, 30),
             "Year-end review: contingency drawn down."),
            (date(2015, 4, 30), "100.8", date(2016, 12, 31),
             "Design rework after control-room users rejected the screens."),
            (date(2015, 5, 31), "102.5", date(2016, 12, 31),
             "Double running of the legacy system extended."),
            (date(2015, 6, 30), "105", date(2017, 3, 31),
             "Integration testing behind plan; extra integrator effort."),
            (date(2015, 7, 31), "108", date(2017, 6, 30), "Integration testing failed: re-plan."),
            (date(2015, 8, 31), "110", date(2017, 6, 30), "The integrator's re-plan costed."),
            (date(2015, 9, 30), "112", date(2017, 9, 30),
             "Forecast above plan again: the programme is under review."),
            (date(2015, 10, 31), "114.5", date(2017, 9, 30), "Independent review commissioned."),
            (date(2015, 11, 30), "116", date(2017, 12, 31),
             "Independent review: further slippage likely."),
            (date(2015, 12, 31), "118", date(2018, 3, 31),
             "Options appraisal: continue, re-scope or stop."),
            (date(2016, 3, 31), "65", None,
             "Terminated: the whole-life cost is the £65m spent, with no go-live "
             "(MOPAC DMPCD 2016 48)."),
        ),
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
        (
            (date(2013, 6, 30), "15", date(2015, 3, 31), START),
            (date(2013, 8, 31), "15", date(2015, 9, 30),
             '"Up to 20,000" devices in the first phase (London Assembly, Aug 2013): '
             "completion later."),
            (date(2014, 2, 28), "20", date(2016, 3, 31), "Re-baselined with the tablets."),
            (date(2014, 9, 30), "20.4", date(2016, 3, 31), "Device management software added."),
            (date(2015, 3, 31), "20.9", date(2016, 6, 30),
             "Borough roll-out slower than planned: training capacity."),
            (date(2015, 7, 31), "21.3", date(2016, 9, 30),
             "Connectivity problems on the mobile data network."),
            (date(2015, 9, 30), "21.6", date(2016, 12, 31),
             "Roll-out re-phased with the end-user services tower."),
        ),
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
PLANNED_HOURS_PER_DEVICE = Decimal("0.96")
ACTUAL_HOURS_PER_DEVICE = Decimal("0.8")


@dataclass(frozen=True)
class MeasureSpec:
    code: str
    name: str
    description: str
    unit: str
    source: str
    project: str
    initiative: str
    values: dict = field(default_factory=dict)  # month -> (planned, actual)


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


MEASURES = (
    MeasureSpec(
        "MOBILE-DEVICES",
        "Mobile devices deployed",
        "Devices in officers' hands at the end of each month, against the plan of about "
        '30,000. Public statements later spoke of "up to 20,000" (Aug 2013) and tablets for '
        "15,000 officers (Feb 2014); the plan shown is the February 2013 ambition.",
        BenefitMeasure.Unit.DEVICES,
        f"{CW_2013} (about 30,000 devices); {ASSEMBLY_2013}; {COMPUTING_2014}. Monthly plan "
        "and deployments are illustrative.",
        "MOBILE",
        "SAV-MOBILE",
    ),
    MeasureSpec(
        "OFFICER-HOURS",
        "Officer hours released per week",
        "Hours a week officers no longer spend on paperwork in stations because they have a "
        "mobile device: shown as full-time officers back on the beat.",
        BenefitMeasure.Unit.HOURS_PER_WEEK,
        f"{COMPUTING_2014} (tablets for 15,000 officers worth about 900 officers' time, "
        "planned here as 28,800 hours a week at 32 productive hours per officer). Monthly "
        "plan and actuals are illustrative (0.96 hours a week per device planned, 0.8 "
        "realised).",
        "MOBILE",
        "SAV-MOBILE",
    ),
)
MEASURE_VALUES = {"MOBILE-DEVICES": device_values, "OFFICER-HOURS": hours_values}

OFFICERS = 32_000
OFFICERS_SOURCE = (
    f"{CW_2013} (about 32,000 officers to maintain). No yearly count is sourced, so the "
    "same figure is used for every year."
)

# ------------------------------------------------------------------------------ loading


def _when(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


@transaction.atomic
def load_projects(*, user: AbstractBaseUser | None = None) -> None:
    """Create whatever part of the projects, benefits and officer numbers is missing; leave
    what exists as it is. History rows carry `user` and, for the story's past events,
    their own dates."""
    for spec in PROJECTS:
        _load_project(spec, user)
    for spec in MEASURES:
        _load_measure(spec, user)
    for year in FinancialYear.objects.exclude(officer_count__isnull=False):
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


def _load_measure(spec: MeasureSpec, user) -> None:
    measure = BenefitMeasure.objects.filter(code=spec.code).first()
    if measure is None:
        measure = BenefitMeasure(
            code=spec.code,
            name=spec.name,
            description=spec.description,
            unit=spec.unit,
            cashable=False,
            owner="Chief Technology Officer",
            project=Project.objects.filter(code=spec.project).first(),
            initiative=Initiative.objects.filter(code=spec.initiative).first(),
            source=spec.source,
        )
        measure._history_user, measure._change_reason = user, CHANGE_REASON
        measure.save()
    existing = set(measure.values.values_list("month", flat=True))
    missing = [
        BenefitValue(measure=measure, month=month, planned=planned, actual=actual, updated_by=user)
        for month, (planned, actual) in MEASURE_VALUES[spec.code]().items()
        if month not in existing
    ]
    if missing:
        bulk_create_with_history(missing, BenefitValue, batch_size=500, default_user=user)
