"""The demo's published reports: 2015-16 P1-P6, each published as its period closed, with
the commentary a finance business partner would write (illustrative, like the monthly
figures)."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from budgets.models import FinancialYear
from reports.models import Commentary, PublishedReport
from reports.publishing import publish_report

YEAR = "2015-16"
PUBLISHED_PERIODS = range(1, 7)
LONDON = ZoneInfo("Europe/London")
Section = Commentary.Section

COMMENTARY = {
    5: {
        Section.SUMMARY: (
            "At the end of August the technology budget is forecast to outturn close to "
            "budget. The savings forecast for the year remains about £10m short of the £60m "
            "target; the gap sits almost entirely in data centre consolidation.\n\n"
            "The Capgemini exit plan is on track for December, with the Atos service "
            "integration contract starting in November."
        ),
        Section.SAVINGS: (
            "Data centre consolidation has moved to red: the second migration wave slipped "
            "after the hosting tower award, so its in-year saving is forecast at half of "
            "plan. Commercial is testing whether part of it can be brought forward."
        ),
    },
    6: {
        Section.SUMMARY: (
            "At the end of September, half way through the year, spend is close to the "
            "phased budget and forecast outturn has moved by less than 1% since August. "
            "The savings gap is unchanged at about £10m (red).\n\n"
            "P7 actuals are being entered; the October figures will be reported once the "
            "period closes."
        ),
        Section.SPEND: (
            "Command and control replacement spend is ahead of profile as the integrator "
            "works to a revised plan; the forecast assumes no further change requests this "
            "year. Legacy application support is underspent following decommissioning of "
            "the first group of systems."
        ),
        Section.SAVINGS: (
            "Of the £60m target, £50m is forecast. Data centre consolidation remains red; "
            "the other initiatives are on plan. Finance and Commercial will bring options "
            "to close the gap to the next meeting."
        ),
        Section.CONTRACTS: (
            "The Capgemini contract ends in December 2015; exit and transition costs are "
            "within the change portfolio budget. The Airwave radio and network contracts "
            "come up for decision within six months and are on the decisions list."
        ),
        Section.RISKS: (
            "The main risks to the forecast are further slippage of the data centre "
            "migrations and cost growth on command and control. Both are reviewed monthly "
            "by the programme board."
        ),
    },
}


def _published_on(year: FinancialYear, period: int) -> datetime:
    """Ten days after the period ends, at 10:00 London time: when it was closed."""
    day = year.period_end(period) + timedelta(days=10)
    return datetime.combine(day, time(10, 0), tzinfo=LONDON)


@transaction.atomic
def publish_demo_reports(*, admin: AbstractBaseUser, finance: AbstractBaseUser) -> int:
    """Publish the demo year's closed periods that have no report yet, each dated as if
    published when it closed, with its commentary. Returns how many were published."""
    year = FinancialYear.objects.filter(label=YEAR).first()
    if year is None:
        return 0
    published = 0
    for period in PUBLISHED_PERIODS:
        if period > year.closed_through:
            break
        if PublishedReport.objects.filter(year=year, period=period).exists():
            continue
        report = publish_report(year=year, period=period, user=admin)
        PublishedReport.objects.filter(pk=report.pk).update(
            published_at=_published_on(year, period)
        )
        for section, text in COMMENTARY.get(period, {}).items():
            Commentary.objects.create(report=report, section=section, text=text, updated_by=finance)
        published += 1
    return published
