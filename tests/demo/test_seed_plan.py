"""The demo's medium-term plan to 2019-20 (demo/seed/plan.py): the Capgemini exit's
full-year effect in 2016-17, the replacement contracts budgeted, each year the one before
less its illustrative target, every plan year a draft."""

from decimal import Decimal as D

import pytest
from django.contrib.auth.models import User
from django.db.models import Sum

from budgets.models import FinancialYear, MonthlyFigure
from savings.models import InitiativeYear, ReductionProgramme, SavingsTarget
from tests.conftest import client_for
from tests.demo.test_seed_demo import seed


@pytest.fixture(autouse=True)
def fast_hasher(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo(db, monkeypatch) -> None:
    monkeypatch.setenv("DEMO_PASSWORD", "kestrel-harbour-lantern-42")
    seed()


def budget(label: str, **filters) -> D:
    figures = MonthlyFigure.objects.filter(year__label=label, **filters)
    return figures.aggregate(total=Sum("budget"))["total"]


def months(label: str, code: str) -> list[D]:
    return list(
        MonthlyFigure.objects.filter(year__label=label, line__code=code)
        .order_by("period")
        .values_list("budget", flat=True)
    )


def test_the_plan_budgets_the_capgemini_exit_and_the_replacement_contracts(demo):
    assert budget("2016-17") == D("193000000.00")  # £223m less £30m
    assert budget("2017-18") == D("173000000.00")  # less £20m
    assert budget("2018-19") == D("158000000.00")  # less £15m
    assert budget("2019-20") == D("148000000.00")  # less £10m
    # The Capgemini exit's full-year effect: its seven lines at £0 from April 2016.
    assert budget("2016-17", line__contract__reference="MPS-CAP-2005") == D("0.00")
    assert (
        MonthlyFigure.objects.filter(
            year__label="2016-17", line__contract__reference="MPS-CAP-2005"
        ).count()
        == 7 * 12
    )
    assert not MonthlyFigure.objects.filter(
        year__label="2017-18", line__contract__reference="MPS-CAP-2005"
    ).exists()
    assert not MonthlyFigure.objects.filter(year__label="2016-17", line__code="CHG-CAD").exists()
    # The replacement contracts, budgeted for the full year.
    assert months("2016-17", "OUT-SIAM") == [D("1600000.00")] * 12  # £19.2m a year
    assert budget("2016-17", line__code="OUT-CSC-EUS") == D("31000000.00")
    assert budget("2016-17", line__code="OUT-CSC-HOST") == D("15800000.00")
    # Accenture from July 2016: £12.9m over P4-P12, £1,433,333.33 a month, the rounding
    # pennies in P12.
    acn = months("2016-17", "APP-ACN")
    assert acn[:3] == [D("0.00")] * 3
    assert acn[3:11] == [D("1433333.33")] * 8
    assert acn[11] == D("1433333.36")
    assert budget("2017-18", line__code="APP-ACN") == D("17200000.00")
    plan = FinancialYear.objects.filter(start__year__gte=2016)
    assert [y.label for y in plan] == ["2016-17", "2017-18", "2018-19", "2019-20"]
    assert all(not y.is_budget_approved and y.closed_through == 0 for y in plan)
    assert not MonthlyFigure.objects.filter(year__in=plan, actual__isnull=False).exists()


def test_targets_beyond_2015_16_are_illustrative_and_the_pipeline_runs_to_2019_20(demo):
    later = SavingsTarget.objects.filter(year__start__year__gte=2016)
    assert [t.amount for t in later] == [m * D("1000000") for m in (30, 20, 15, 10)]
    assert all(t.source.startswith("Illustrative medium-term plan") for t in later)
    assert not SavingsTarget.objects.filter(
        year__start__year__lt=2016, source__icontains="illustrative"
    ).exists()
    plan_savings = InitiativeYear.objects.filter(year__start__year__gte=2016)
    assert all(row.note == "Illustrative medium-term plan." for row in plan_savings)
    rows = InitiativeYear.objects.pipeline(ReductionProgramme.objects.get())
    last = rows[-1]
    assert [r["year_label"] for r in rows] == [
        "2014-15",
        "2015-16",
        "2016-17",
        "2017-18",
        "2018-19",
        "2019-20",
    ]
    # 42 + 60 + 30 + 20 + 15 + 10 = £177m of the £500m reduction: 35.4%.
    assert last["cumulative_target"] == D("177000000.00")
    assert last["cumulative_target_share"] == D("35.4")


def test_a_second_run_writes_nothing(demo):
    before = (MonthlyFigure.objects.count(), MonthlyFigure.history.count())
    assert "nothing changed" in seed()
    assert (MonthlyFigure.objects.count(), MonthlyFigure.history.count()) == before


def test_the_dashboard_shows_progress_toward_the_500m_over_the_whole_plan(demo):
    client = client_for(User.objects.get(username="committee"))
    response = client.get("/?year=2015-16")
    chart = response.context["dashboard"].chart("savings")
    assert [row[0] for row in chart.rows][-1] == "2019-20"
    # Forecast (or planned) savings: £39.9m in 2014-15, £50.0m in 2015-16, then the plan's
    # £30m + £20m + £15m + £10m: £164.9m, 33.0% of £500m.
    assert chart.summary.endswith(
        "The cumulative forecast to 2019-20 is £164.9m, 33.0% of the programme's £500.0m reduction."
    )
    assert chart.figure.data[-1].name == "Organisation-wide reduction (£500.0m)"
    for url in ("/?year=2016-17", "/budgets/2016-17/budget/", "/savings/?year=2019-20"):
        assert client.get(url).status_code == 200, url
