"""The demo's benefit measures (`MEASURES`) with their monthly values (mobile devices
planned and deployed, and the officer hours a week they release), and the officer count
used for each year with spend recorded. Plans and monthly values are illustrative and say
so."""

from datetime import date
from decimal import Decimal

from common.money import add_months
from demo.seed.projects.specs import ASSEMBLY_2013, COMPUTING_2014, CW_2013
from projects.models import BenefitMeasure

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
