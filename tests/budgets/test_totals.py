"""The stored totals per line and year and per period (budgets.models.totals) equal a
fresh aggregate of the figures after every kind of write, and the figures read from them
(spend and shares, a year's totals, monthly profile and categories) equal those added up
from the figures, at every reporting date."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.management import call_command

from budgets import revisions, services, setting
from budgets.importing import apply_import, parse_file, validate
from budgets.models import (
    BudgetLine,
    FinancialYear,
    LineYearTotal,
    MonthlyFigure,
    PeriodTotal,
    fresh_line_year_totals,
    fresh_period_totals,
    refresh_line_year_totals,
)
from budgets.revisions import ChangeAmount
from budgets.services import FigureEntry
from contracts.models import Supplier

FIELDS = (
    "budget",
    "original_budget",
    "committed",
    "forecast",
    "actual",
    "outturn",
    "actual_through",
    "reported_through",
    "reported_actual",
    "reported_outturn",
)
PERIODS = ("actual_through", "reported_through")  # periods, not money


PERIOD_FIELDS = ("budget", "original_budget", "committed", "forecast", "actual", "outturn")


def stored() -> dict:
    rows = {
        (row["line_id"], row["year_id"]): {name: row[name] for name in FIELDS}
        for row in LineYearTotal.objects.values("line_id", "year_id", *FIELDS)
    }
    for row in PeriodTotal.objects.values("year_id", "period", *PERIOD_FIELDS):
        rows[("P", row["year_id"], row["period"])] = {name: row[name] for name in PERIOD_FIELDS}
    return rows


def _pence(row: dict, names) -> dict:
    # SQLite sums have no fixed scale; stored ones have pence.
    values = {name: row[f"total_{name}"] for name in names}
    return {
        name: value if value is None or name in PERIODS else value.quantize(D("0.01"))
        for name, value in values.items()
    }


def fresh() -> dict:
    rows = {
        (row["line_id"], row["year_id"]): _pence(row, FIELDS) for row in fresh_line_year_totals()
    }
    for row in fresh_period_totals():
        rows[("P", row["year_id"], row["period"])] = _pence(row, PERIOD_FIELDS)
    return rows


def assert_exact():
    expected = fresh()
    assert any(key[0] == "P" for key in expected), "the comparison needs figures"
    assert stored() == expected


def figure(world, code, period, year="year"):
    return MonthlyFigure.objects.get(line__code=code, year=world[year], period=period)


def test_the_world_starts_exact_and_a_corrupted_total_is_noticed(world):
    assert_exact()
    LineYearTotal.objects.filter(line=world["lines"]["out"], year=world["year"]).update(
        outturn=D("1.00")
    )
    with pytest.raises(AssertionError):
        assert_exact()
    refresh_line_year_totals(year_ids=[world["year"].pk])
    assert_exact()


def test_a_corrupted_or_missing_period_total_is_noticed(world):
    PeriodTotal.objects.filter(year=world["year"], period=2).update(actual=D("1.00"))
    with pytest.raises(AssertionError):
        assert_exact()
    refresh_line_year_totals(pairs=[(world["lines"]["net"].pk, world["year"].pk)])
    assert_exact()
    PeriodTotal.objects.filter(year=world["base_year"], period=12).delete()
    with pytest.raises(AssertionError):
        assert_exact()
    refresh_line_year_totals(year_ids=[world["base_year"].pk])
    assert_exact()


def test_a_missing_or_surplus_total_is_noticed(world):
    LineYearTotal.objects.filter(line=world["lines"]["net"]).delete()
    with pytest.raises(AssertionError):
        assert_exact()
    refresh_line_year_totals(line_ids=[world["lines"]["net"].pk])
    assert_exact()


def test_the_hand_worked_totals(world):
    out = LineYearTotal.objects.get(line=world["lines"]["out"], year=world["year"])
    # 12 x 1,000 budget; actuals 3 x 1,100; forecast 3 x 1,050 for P4-P6, budget elsewhere.
    assert (out.budget, out.actual, out.actual_through) == (D("12000.00"), D("3300.00"), 3)
    assert out.outturn == D("3300.00") + 3 * D("1050.00") + 6 * D("1000.00")
    assert out.forecast == 6 * D("1000.00") + 3 * D("1050.00") + 3 * D("1000.00")
    assert out.original_budget is None and out.committed == D("0.00")


def test_after_period_entry(world, finance_user):
    f = figure(world, "NET-01", 3)
    services.record_period(
        year=world["year"],
        period=3,
        entries=[FigureEntry(figure_id=f.pk, version=f.version, actual=D("480.00"))],
        user=finance_user,
    )
    assert LineYearTotal.objects.get(line=f.line, year=f.year).actual == D("1380.00")
    assert_exact()


def test_after_forecast_entry(world, finance_user):
    f = figure(world, "CHG-01", 9)
    services.record_forecasts(
        year=world["year"],
        entries=[FigureEntry(figure_id=f.pk, version=f.version, forecast=D("750.00"))],
        user=finance_user,
    )
    assert_exact()


def test_after_an_admin_save_and_a_new_and_deleted_figure(world, admin_user):
    f = figure(world, "OUT-01", 8)
    f.budget = D("1234.56")
    services.save_figure(figure=f, user=admin_user, expected_version=f.version)
    assert_exact()
    later = FinancialYear.objects.create(label="2015-16", start=date(2015, 4, 1))
    new = MonthlyFigure(line=world["lines"]["net"], year=later, period=1, budget=D("10.00"))
    services.save_figure(figure=new, user=admin_user, expected_version=None)
    assert LineYearTotal.objects.filter(line=new.line, year=new.year).exists()
    assert_exact()
    new.delete()
    assert not LineYearTotal.objects.filter(line=new.line, year=new.year).exists()
    assert_exact()


def test_after_an_import(world, finance_user):
    payload = (
        b"line_code,year,period,actual,forecast,committed\n"
        b"NET-01,2014-15,3,470.00,,25.00\n"
        b"CHG-01,2014-15,4,10.00,,\n"
        b"NET-01,2014-15,11,,650.00,\n"
    )
    plan = validate(parse_file("totals.csv", payload))
    assert not plan.errors
    apply_import(plan=plan, user=finance_user, filename="totals.csv", sha256="totals-1")
    net = LineYearTotal.objects.get(line=world["lines"]["net"], year=world["year"])
    assert (net.committed, net.actual_through) == (D("25.00"), 3)
    assert_exact()


def test_after_approval_and_each_kind_of_budget_change(world, admin_user):
    year = world["year"]
    revisions.approve_budget(year=year, user=admin_user, expected_version=year.version)
    out = LineYearTotal.objects.get(line=world["lines"]["out"], year=year)
    assert out.original_budget == D("12000.00")
    assert_exact()
    out_line, net_line = world["lines"]["out"], world["lines"]["net"]
    revisions.record_budget_change(
        kind="revision",
        reason="More for networks",
        amounts=[ChangeAmount(net_line, year, 9, D("300.00"))],
        user=admin_user,
    )
    assert_exact()
    revisions.record_budget_change(
        kind="virement",
        reason="Networks from outsourcing",
        amounts=[
            ChangeAmount(out_line, year, 10, D("-200.00")),
            ChangeAmount(net_line, year, 10, D("200.00")),
        ],
        user=admin_user,
    )
    assert_exact()
    later = FinancialYear.objects.create(label="2015-16", start=date(2015, 4, 1))
    MonthlyFigure.objects.create(line=out_line, year=later, period=1, budget=D("800.00"))
    revisions.approve_budget(year=later, user=admin_user, expected_version=later.version)
    assert_exact()
    revisions.record_budget_change(
        kind="carry_forward",
        reason="Unspent into next year",
        amounts=[
            ChangeAmount(out_line, year, 12, D("-100.00")),
            ChangeAmount(out_line, later, 1, D("100.00")),
        ],
        user=admin_user,
    )
    assert LineYearTotal.objects.get(line=out_line, year=later).budget == D("900.00")
    assert_exact()


def test_after_setting_up_and_setting_a_budget(world, admin_user):
    lines = list(BudgetLine.objects.order_by("code"))
    year = setting.create_next_year(
        previous=world["year"], lines=lines, copy_budgets=True, user=admin_user
    )
    assert LineYearTotal.objects.filter(year=year).count() == len(lines)
    assert_exact()
    f = MonthlyFigure.objects.get(line=world["lines"]["chg"], year=year, period=5)
    setting.set_budgets(
        year=year,
        entries=[FigureEntry(figure_id=f.pk, version=f.version, budget=D("999.99"))],
        user=admin_user,
    )
    assert_exact()


@pytest.mark.django_db
def test_after_the_demo_seed():
    call_command("seed_demo", verbosity=0)
    assert LineYearTotal.objects.count() > 0
    assert_exact()


# The figures read from the stored totals are those added up from the figures.

SHARES = ("spend_by_year", "spend_by_supplier", "spend_by_contract")


def _both(world, year, period):
    return (
        LineYearTotal.objects.as_at(world[year], period),
        MonthlyFigure.objects.as_at(world[year], period),
    )


@pytest.mark.parametrize("year", ["base_year", "year"])
@pytest.mark.parametrize("period", [0, 1, 2, 3, 6, 12])
def test_spend_and_shares_as_at_any_date_equal_the_figures(world, year, period):
    # World actuals run to P3 of 2014-15: P0-P2 need the later actuals taken off.
    stored_rows, figure_rows = _both(world, year, period)
    for method in SHARES:
        assert list(getattr(stored_rows, method)()) == list(getattr(figure_rows, method)())
    assert stored_rows.supplier_shares() == figure_rows.supplier_shares()
    bt = world["contracts"]["bt"].pk
    assert stored_rows.contract_shares(bt) == figure_rows.contract_shares(bt)
    for y in (world["base_year"], world["year"]):
        assert (
            stored_rows.filter(year=y).spend_totals() == figure_rows.filter(year=y).spend_totals()
        )


def test_every_year_whole_equals_the_figures(world):
    assert list(LineYearTotal.objects.spend_by_year()) == list(
        MonthlyFigure.objects.spend_by_year()
    )
    capgemini = world["suppliers"]["capgemini"].pk
    assert LineYearTotal.objects.supplier_shares(capgemini) == (
        MonthlyFigure.objects.supplier_shares(capgemini)
    )


@pytest.mark.parametrize("year", ["base_year", "year"])
@pytest.mark.parametrize("period", [0, 2, 3, 12])
def test_one_supplier_or_contract_shared_against_the_period_totals_equals_the_figures(
    world, year, period
):
    stored_rows, figure_rows = _both(world, year, period)
    years = list(PeriodTotal.objects.as_at(world[year], period).spend_by_year())
    for supplier in world["suppliers"].values():
        assert stored_rows.supplier_shares(supplier.pk, years=years) == (
            figure_rows.supplier_shares(supplier.pk)
        )
    for contract in world["contracts"].values():
        assert stored_rows.contract_shares(contract.pk, years=years) == (
            figure_rows.contract_shares(contract.pk)
        )
    assert stored_rows.supplier_shares(years=years) == figure_rows.supplier_shares()
    for y in (world["base_year"], world["year"]):  # one year's spend, as the registers read it
        periods = PeriodTotal.objects.as_at(world[year], period).filter(year=y)
        assert periods.spend_totals() == figure_rows.filter(year=y).spend_totals()
    idle = Supplier.objects.create(name="No contracts yet")  # zeros in every year
    assert stored_rows.supplier_shares(idle.pk, years=years) == (
        figure_rows.supplier_shares(idle.pk)
    )
    assert {row["actual"] for row in figure_rows.supplier_shares(idle.pk)} == {D("0.00")}


def test_one_supplier_shared_against_the_period_totals_reads_only_its_own_lines(world):
    # Another supplier's stored totals, made wrong: the shares of every supplier added up
    # show it; one supplier's, against the period totals, never read them.
    capgemini, bt = world["suppliers"]["capgemini"].pk, world["suppliers"]["bt"].pk
    LineYearTotal.objects.filter(line__contract__supplier_id=bt).update(actual=D("999999"))
    rows = LineYearTotal.objects.as_at(world["year"], 3)
    years = list(PeriodTotal.objects.as_at(world["year"], 3).spend_by_year())
    figures = MonthlyFigure.objects.as_at(world["year"], 3)
    assert rows.supplier_shares(capgemini, years=years) == figures.supplier_shares(capgemini)
    assert rows.supplier_shares(capgemini) != figures.supplier_shares(capgemini)
    cap = world["contracts"]["cap"].pk
    assert rows.contract_shares(cap, years=years) == figures.contract_shares(cap)


def test_the_shares_read_one_query_as_the_figures_do(world, django_assert_num_queries):
    stored_rows, _ = _both(world, "year", 2)
    with django_assert_num_queries(1):
        stored_rows.supplier_shares()
    with django_assert_num_queries(2):
        stored_rows.contract_shares(world["contracts"]["cap"].pk)


def test_the_hand_worked_totals_as_at_the_last_closed_period(world):
    out = LineYearTotal.objects.get(line=world["lines"]["out"], year=world["year"])
    # Closed through P2: actuals 2 x 1,100; then P3's budget 1,000 (its actual is after
    # the date), forecast 3 x 1,050 for P4-P6 and budget 6 x 1,000.
    assert out.reported_through == 2
    assert out.reported_actual == D("2200.00")
    assert out.reported_outturn == D("2200.00") + D("1000.00") + 3 * D("1050.00") + 6 * D("1000.00")


@pytest.mark.parametrize("period", [1, 2])
def test_shares_and_categories_as_at_the_last_closed_period_read_the_stored_sums(world, period):
    # Closed through P2, actuals to P3: as at P2 the sums stored as at P2 are read, as at
    # P1 the figures after P1 are. A wrong stored sum shows only where it is read.
    year = world["year"]
    figures = MonthlyFigure.objects.as_at(year, period)
    by_category = MonthlyFigure.objects.for_year(year).by_category(period)
    LineYearTotal.objects.filter(line=world["lines"]["out"], year=year).update(
        reported_actual=D("1.00"), reported_outturn=D("2.00")
    )
    shares = LineYearTotal.objects.as_at(year, period).supplier_shares()
    categories = LineYearTotal.objects.by_category(year, period)
    if period == 2:
        assert shares != figures.supplier_shares()
        assert categories != by_category
    else:
        assert shares == figures.supplier_shares()
        assert categories == by_category
    # Rows added up as at another date are corrected from their figures instead.
    LineYearTotal.objects.filter(year=year).update(reported_through=0)
    assert LineYearTotal.objects.as_at(year, period).supplier_shares() == figures.supplier_shares()
    assert LineYearTotal.objects.by_category(year, period) == by_category


def test_closing_and_reopening_add_the_totals_up_as_at_the_new_date(world, admin_user):
    year = world["year"]
    p4 = figure(world, "OUT-01", 4)
    p4.actual = D("1200.00")  # next month's actual, entered before P3 closes
    p4.save()
    reported = LineYearTotal.objects.filter(year=year).values_list("reported_through", flat=True)
    services.close_period(year=year, through=3, user=admin_user)
    assert set(reported) == {3}
    out = LineYearTotal.objects.get(line=world["lines"]["out"], year=year)
    assert (out.actual_through, out.reported_actual) == (4, 3 * D("1100.00"))
    assert_exact()
    services.reopen_period(year=year, period=2, reason="A late invoice", user=admin_user)
    assert set(reported.all()) == {1}  # read again
    assert_exact()
    for period in (1, 3):
        assert (
            LineYearTotal.objects.as_at(year, period).supplier_shares()
            == MonthlyFigure.objects.as_at(year, period).supplier_shares()
        )


def test_the_migration_adds_up_the_totals_held_before_it_as_a_refresh_does(world):
    from importlib import import_module

    from django.db import connection

    fill = import_module("budgets.migrations.0009_reported_totals").FILL
    LineYearTotal.objects.update(reported_through=None, reported_actual=None, reported_outturn=None)
    with pytest.raises(AssertionError):
        assert_exact()
    with connection.cursor() as cursor:
        cursor.execute(fill)
    assert_exact()


# A year's totals, monthly profile and categories, read from the stored totals, are
# those added up from the figures.


@pytest.mark.parametrize("year", ["base_year", "year"])
@pytest.mark.parametrize("period", [0, 1, 2, 3, 6, 12])
def test_year_totals_profile_and_categories_as_at_any_date_equal_the_figures(world, year, period):
    figures = MonthlyFigure.objects.for_year(world[year])
    periods = PeriodTotal.objects.for_year(world[year])
    assert periods.totals(period) == figures.totals(period)
    assert periods.by_period(period) == figures.by_period(period)
    assert LineYearTotal.objects.by_category(world[year], period) == figures.by_category(period)


def test_the_hand_worked_period_totals(world):
    # P4 of 2014-15: no actual yet; OUT-01's forecast 1,050 over its budget of 1,000.
    p4 = PeriodTotal.objects.get(year=world["year"], period=4)
    assert p4.actual is None
    assert p4.forecast - p4.budget == D("50.00")
    assert p4.outturn == p4.forecast
    row = PeriodTotal.objects.for_year(world["year"]).by_period(3)[3]
    assert (row["period"], row["actual"], row["expected"]) == (4, None, p4.forecast)


def test_a_year_without_figures_has_empty_totals(world, django_assert_num_queries):
    empty = FinancialYear.objects.create(label="2016-17", start=date(2016, 4, 1))
    periods = PeriodTotal.objects.for_year(empty)
    assert periods.totals(0) == MonthlyFigure.objects.for_year(empty).totals(0)
    assert periods.by_period(0) == MonthlyFigure.objects.for_year(empty).by_period(0)
    with django_assert_num_queries(1):
        periods.by_period(3)


@pytest.mark.parametrize("period", [0, 2, 3, 12])
def test_a_year_carrying_its_latest_actual_gives_the_same_rows_in_fewer_queries(
    world, period, django_assert_num_queries
):
    year = FinancialYear.objects.get(pk=world["year"].pk)
    year.latest_actual = MonthlyFigure.objects.for_year(year).latest_actual_period()
    assert year.latest_actual == 3
    with django_assert_num_queries(1):
        carried = LineYearTotal.objects.as_at(year, period).supplier_shares()
    assert carried == LineYearTotal.objects.as_at(world["year"], period).supplier_shares()
    assert carried == MonthlyFigure.objects.as_at(world["year"], period).supplier_shares()


@pytest.mark.parametrize("year", ["base_year", "year"])
@pytest.mark.parametrize("period", [0, 1, 2, 3, 6, 12])
def test_spend_by_year_from_the_period_totals_equals_the_figures(world, year, period):
    stored_rows = PeriodTotal.objects.as_at(world[year], period)
    figure_rows = MonthlyFigure.objects.as_at(world[year], period)
    assert list(stored_rows.spend_by_year()) == list(figure_rows.spend_by_year())
    for y in (world["base_year"], world["year"]):
        assert (
            stored_rows.filter(year=y).spend_totals() == figure_rows.filter(year=y).spend_totals()
        )
    assert list(PeriodTotal.objects.spend_by_year()) == list(MonthlyFigure.objects.spend_by_year())


def test_a_save_of_one_period_adds_up_only_that_periods_totals_again(world, finance_user):
    # A wrong total of a period the save does not touch stays wrong: only P3's is rewritten
    # (the signal path of a figure saved on its own does the same).
    PeriodTotal.objects.filter(year=world["year"], period=5).update(budget=D("1.00"))
    f = figure(world, "NET-01", 3)
    services.record_period(
        year=world["year"],
        period=3,
        entries=[FigureEntry(figure_id=f.pk, version=f.version, actual=D("480.00"))],
        user=finance_user,
    )
    figure(world, "OUT-01", 4).save()
    assert PeriodTotal.objects.get(year=world["year"], period=5).budget == D("1.00")
    expected = fresh()
    for period in (3, 4):
        key = ("P", world["year"].pk, period)
        assert stored()[key] == expected[key]
    refresh_line_year_totals(year_ids=[world["year"].pk])
    assert_exact()


def test_refreshing_no_periods_rewrites_no_period_total(world):
    PeriodTotal.objects.filter(year=world["year"], period=5).update(budget=D("1.00"))
    refresh_line_year_totals(year_ids=[world["year"].pk], periods=[])
    assert PeriodTotal.objects.get(year=world["year"], period=5).budget == D("1.00")
    refresh_line_year_totals(year_ids=[world["year"].pk], periods=[(world["year"].pk, 5)])
    assert_exact()
