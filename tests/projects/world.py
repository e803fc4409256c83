"""Projects, benefits and officer numbers on top of tests/world.py, every figure small
enough to work out by hand. Built through the services, as the pages would.

| project | stage         | baselines (approved on: cost, go-live)       |
|---------|---------------|----------------------------------------------|
| CC      | delivery      | 1 Apr 2014: 10,000.00, 31 Oct 2015           |
| MOB     | delivery      | 15 Jan 2014: 5,000.00, 31 Mar 2015;          |
|         |               | re-baselined 1 Jun 2014: 6,000.00, 30 Sep 2015 |
| OLD     | closed on 31 Jan 2015 | 1 Jan 2014: 2,000.00, 31 Dec 2014    |
| BC      | business case | none                                         |

| project | forecasts (made on: cost, go-live)                                 |
|---------|--------------------------------------------------------------------|
| CC      | 1 Apr 2014 (from the baseline): 10,000.00, 31 Oct 2015             |
|         | 1 Oct 2014: 10,400.00, 31 Dec 2015; 1 Apr 2015: 11,500.00, 30 Jun 2016 |
| MOB     | 15 Jan 2014 (from the baseline): 5,000.00, 31 Mar 2015             |
|         | 1 Jan 2015: 6,300.00, 31 Oct 2015                                  |
| OLD     | 1 Jan 2014 (from the baseline): 2,000.00, 31 Dec 2014              |
|         | 1 Jun 2014: 3,000.00, 31 Mar 2015                                  |

CC pays CHG-01; MOB pays NET-01 and is linked to the MOBILE initiative.

Benefits: DEVICES (devices, MOB): planned 100, 200, 300 for Apr, May, Jun 2015; actual 80,
150 for Apr, May. HOURS (hours a week, MOB): planned 320.00 and actual 160.00 for Apr 2015.
Officers: 2013-14 and 2014-15, 40 each.
"""

from datetime import date
from decimal import Decimal as D

from django.contrib.auth.models import User

from budgets.models import FinancialYear
from common.roles import ADMIN
from projects.models import BenefitMeasure, Project
from projects.services import (
    rebaseline,
    record_benefit_actual,
    record_forecast,
    save_measure,
    save_project,
    set_benefit_plan,
    set_officer_count,
)
from tests.conftest import make_user


def _project(user, code: str, name: str, **links) -> Project:
    return save_project(
        project=None,
        version=None,
        code=code,
        name=name,
        description="",
        owner="Senior owner",
        stage=Project.Stage.BUSINESS_CASE,
        closed_on=None,
        confidence=Project.Confidence.AMBER,
        source="test",
        lines=links.get("lines", []),
        contracts=[],
        initiatives=links.get("initiatives", []),
        reason="",
        user=user,
    )


def _baseline(user, project: Project, effective: date, cost: str, go_live: date) -> None:
    project.refresh_from_db()
    rebaseline(
        project=project,
        version=project.version,
        cost=D(cost),
        go_live=go_live,
        effective=effective,
        approver="Investment board",
        reason="Business case approved" if project.baseline_cost is None else "Scope added",
        user=user,
    )


def _forecast(user, project: Project, as_of: date, cost: str, go_live: date) -> None:
    project.refresh_from_db()
    record_forecast(
        project=project,
        version=project.version,
        cost=D(cost),
        go_live=go_live,
        as_of=as_of,
        reason=f"Forecast of {as_of}",
        user=user,
    )


def build_projects(world: dict) -> dict:
    admin = User.objects.filter(username="projects-admin").first() or make_user(
        "projects-admin", ADMIN
    )
    cc = _project(admin, "CC", "Command and control", lines=[world["lines"]["chg"]])
    _baseline(admin, cc, date(2014, 4, 1), "10000.00", date(2015, 10, 31))
    _forecast(admin, cc, date(2014, 10, 1), "10400.00", date(2015, 12, 31))
    _forecast(admin, cc, date(2015, 4, 1), "11500.00", date(2016, 6, 30))

    mob = _project(
        admin,
        "MOB",
        "Mobile devices",
        lines=[world["lines"]["net"]],
        initiatives=[world["initiatives"]["mobile"]],
    )
    _baseline(admin, mob, date(2014, 1, 15), "5000.00", date(2015, 3, 31))
    _baseline(admin, mob, date(2014, 6, 1), "6000.00", date(2015, 9, 30))
    _forecast(admin, mob, date(2015, 1, 1), "6300.00", date(2015, 10, 31))

    old = _project(admin, "OLD", "Old project")
    _baseline(admin, old, date(2014, 1, 1), "2000.00", date(2014, 12, 31))
    _forecast(admin, old, date(2014, 6, 1), "3000.00", date(2015, 3, 31))
    old.refresh_from_db()
    save_project(
        project=old,
        version=old.version,
        code="OLD",
        name="Old project",
        description="",
        owner="Senior owner",
        stage=Project.Stage.CLOSED,
        closed_on=date(2015, 1, 31),
        confidence=Project.Confidence.AMBER,
        source="test",
        lines=[],
        contracts=[],
        initiatives=[],
        reason="",
        user=admin,
    )
    bc = _project(admin, "BC", "Business case only")

    devices = _measure(admin, "DEVICES", "Devices deployed", BenefitMeasure.Unit.DEVICES, mob)
    for month, planned, actual in (
        (date(2015, 4, 1), "100", "80"),
        (date(2015, 5, 1), "200", "150"),
        (date(2015, 6, 1), "300", None),
    ):
        _value(admin, devices, month, planned, actual)
    hours = _measure(admin, "HOURS", "Hours released", BenefitMeasure.Unit.HOURS_PER_WEEK, mob)
    _value(admin, hours, date(2015, 4, 1), "320.00", "160.00")

    for year in (world["base_year"], world["year"]):
        set_officer_count(year=year, officers=40, source="test", version=None, user=admin)
    return {
        "admin": admin,
        "cc": Project.objects.get(code="CC"),
        "mob": Project.objects.get(code="MOB"),
        "old": Project.objects.get(code="OLD"),
        "bc": bc,
        "devices": devices,
        "hours": hours,
        "year": FinancialYear.objects.get(label="2014-15"),
    }


def _measure(user, code: str, name: str, unit: str, project: Project) -> BenefitMeasure:
    return save_measure(
        measure=None,
        version=None,
        code=code,
        name=name,
        description="",
        unit=unit,
        cashable=False,
        owner="",
        initiative=None,
        project=project,
        source="test",
        user=user,
    )


def _value(user, measure, month: date, planned: str, actual: str | None) -> None:
    row = set_benefit_plan(
        measure=measure, month=month, planned=D(planned), reason="", version=None, user=user
    )
    if actual is not None:
        record_benefit_actual(
            measure=measure,
            month=month,
            actual=D(actual),
            note="",
            version=row.version,
            user=user,
        )
