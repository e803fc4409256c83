"""Cost growth, schedule slip and their tolerance RAG, read from the histories as at a date
(tests/projects/world.py has the table the figures are worked from)."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.db import IntegrityError, transaction

from budgets.models import Rag
from projects.models import (
    BenefitValue,
    Project,
    ProjectForecast,
    last_complete_month,
    months_between,
)

pytestmark = pytest.mark.django_db


def _growth(as_at: date | None) -> dict[str, Project]:
    return {p.code: p for p in Project.objects.with_growth(as_at)}


def test_with_growth_as_at_june_2015_reads_the_latest_baseline_and_forecast(projects):
    rows = _growth(date(2015, 6, 30))

    cc = rows["CC"]
    assert (cc.base_cost, cc.fc_cost) == (D("10000.00"), D("11500.00"))
    assert cc.cost_growth == D("1500.00")
    assert cc.cost_growth_pct == D("15.0")
    assert cc.slip_months == 8  # Oct 2015 -> Jun 2016
    assert (cc.cost_rag, cc.schedule_rag, cc.rag) == (Rag.RED, Rag.RED, Rag.RED)

    mob = rows["MOB"]
    assert mob.base_cost == D("6000.00")  # the re-baseline of 1 Jun 2014
    assert mob.cost_growth == D("300.00")
    assert mob.cost_growth_pct == D("5.0")  # exactly 5%: not over the amber tolerance
    assert mob.slip_months == 1  # Sep -> Oct 2015: not over 1 month
    assert (mob.cost_rag, mob.schedule_rag, mob.rag) == (Rag.GREEN, Rag.GREEN, Rag.GREEN)
    assert mob.original_cost == D("5000.00")
    assert mob.original_growth == D("1300.00")
    assert mob.original_growth_pct == D("26.0")


def test_with_growth_as_at_december_2014_uses_the_history_then(projects):
    rows = _growth(date(2014, 12, 31))

    cc = rows["CC"]
    assert cc.fc_cost == D("10400.00")
    assert cc.cost_growth_pct == D("4.0")
    assert cc.slip_months == 2
    assert (cc.cost_rag, cc.schedule_rag, cc.rag) == (Rag.GREEN, Rag.AMBER, Rag.AMBER)

    mob = rows["MOB"]  # re-baselined to 6,000 while the forecast was still 5,000
    assert mob.cost_growth == D("-1000.00")
    assert mob.cost_growth_pct == D("-16.7")
    assert mob.slip_months == -6
    assert mob.rag == Rag.GREEN

    old = rows["OLD"]  # closed on 31 Jan 2015: still open at the end of 2014
    assert old.is_open
    assert old.cost_growth_pct == D("50.0")
    assert old.slip_months == 3  # exactly 3 months: amber, not red
    assert (old.cost_rag, old.schedule_rag, old.rag) == (Rag.RED, Rag.AMBER, Rag.RED)


def test_closed_and_unbaselined_projects_are_not_judged(projects):
    rows = _growth(None)
    assert rows["OLD"].is_open is False
    assert (rows["OLD"].cost_rag, rows["OLD"].schedule_rag, rows["OLD"].rag) == ("", "", "")
    # Its growth is still there to read.
    assert rows["OLD"].cost_growth == D("1000.00")
    bc = rows["BC"]
    assert bc.base_cost is None and bc.cost_growth is None and bc.slip_months is None
    assert bc.rag == ""


def test_before_its_first_baseline_a_project_has_no_growth(projects):
    cc = _growth(date(2014, 3, 31))["CC"]
    assert cc.base_cost is None and cc.fc_cost is None
    assert cc.rag == ""


def test_stored_baseline_and_forecast_equal_the_newest_history_rows(projects):
    for project in Project.objects.with_growth(None):
        assert project.baseline_cost == project.base_cost
        assert project.baseline_go_live == project.base_go_live
        assert project.forecast_cost == project.fc_cost
        assert project.forecast_go_live == project.fc_go_live


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (date(2015, 10, 31), date(2016, 6, 30), 8),
        (date(2015, 3, 31), date(2015, 4, 1), 1),
        (date(2015, 9, 30), date(2015, 9, 1), 0),
        (date(2015, 9, 30), date(2015, 3, 31), -6),
    ],
)
def test_slip_in_sql_and_python_agree(projects, start, end, months):
    assert months_between(start, end) == months
    project = projects["bc"]
    ProjectForecast.objects.create(
        project=project, as_of=date(2014, 1, 1), cost=D("1.00"), go_live=end, reason="test"
    )
    project.baselines.create(
        effective=date(2014, 1, 1), cost=D("1.00"), go_live=start, reason="test", approver="x"
    )
    assert Project.objects.with_growth(None).get(code="BC").slip_months == months


@pytest.mark.parametrize(
    ("as_at", "month"),
    [
        (date(2015, 9, 30), date(2015, 9, 1)),
        (date(2015, 9, 29), date(2015, 8, 1)),
        (date(2015, 12, 31), date(2015, 12, 1)),
        (date(2016, 1, 1), date(2015, 12, 1)),
    ],
)
def test_last_complete_month(as_at, month):
    assert last_complete_month(as_at) == month


def test_a_closed_project_needs_its_closing_date(projects):
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(code="OLD").update(closed_on=None)


def test_a_project_in_delivery_needs_a_baseline(projects):
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(code="BC").update(stage=Project.Stage.DELIVERY)


def test_a_benefit_month_is_its_first_day(projects):
    with pytest.raises(IntegrityError), transaction.atomic():
        BenefitValue.objects.create(measure=projects["devices"], month=date(2015, 7, 2))


def test_a_forecast_needs_a_reason(projects):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectForecast.objects.create(
            project=projects["cc"], as_of=date(2015, 5, 1), cost=D("1.00"), reason=""
        )
