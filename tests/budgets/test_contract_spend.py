"""Contract spend and supplier share, the one home of each (MonthlyFigureQuerySet.as_at,
contract_spend, contract_shares, supplier_shares), worked by hand from tests/world.py.

As at 2014-15 P2 (31 May 2014):
OUT-01 (CAP-2005) spent 2 x 1,100 = 2,200.00; expected 2,200 + P3 budget 1,000 (its
actual is after the date) + 3 x 1,050 + 6 x 1,000 = 12,350.00.
NET-01 (BT-NET) spent 2 x 450 = 900.00; expected 900 + 10 x 500 = 5,900.00.
CHG-01 (no contract) spent 0 - 50 = -50.00; expected -50 + 9 x 200 + 2,000 = 3,750.00.
Technology: actual 3,050.00, outturn 22,000.00.
"""

from datetime import date
from decimal import Decimal as D

from budgets.models import BudgetLine, MonthlyFigure
from common.money import add_months
from contracts.models import Contract

SHARE = ("year_label", "actual", "outturn", "technology_actual", "technology_outturn")


def _as_at_p2(world):
    return MonthlyFigure.objects.as_at(world["year"], 2)


def test_as_at_counts_only_actuals_up_to_the_date_and_forecast_or_budget_after(world):
    figures = _as_at_p2(world).for_year(world["year"])
    assert figures.spend_totals() == {"actual": D("3050.00"), "outturn": D("22000.00")}
    # The outturn is the dashboard headline's outturn as at the same period.
    assert figures.totals(2)["outturn"] == D("22000.00")


def test_as_at_an_earlier_year_counts_later_years_as_forecast_only(world):
    later = MonthlyFigure.objects.as_at(world["base_year"], 6).for_year(world["year"])
    # 2014-15 lies wholly after 30 Sep 2013: nothing spent; forecast or budget throughout.
    # OUT-01 3 x 1,000 + 3 x 1,050 + 6 x 1,000; NET-01 12 x 500; CHG-01 11 x 200 + 2,000.
    assert later.spend_totals() == {"actual": D("0.00"), "outturn": D("22350.00")}
    base = MonthlyFigure.objects.as_at(world["base_year"], 6).for_year(world["base_year"])
    assert base.spend_totals() == {"actual": D("5400.00"), "outturn": D("10800.00")}


def test_contract_spend_annotates_each_contract_with_its_actual_to_date(world):
    Contract.objects.create(
        reference="NO-LINES",
        title="Nothing paid yet",
        supplier=world["suppliers"]["bt"],
        start_date=date(2014, 1, 1),
        end_date=date(2016, 1, 1),
    )
    spend = _as_at_p2(world).for_year(world["year"]).contract_spend()
    rows = Contract.objects.annotate(spend=spend).order_by("reference")
    assert [(c.reference, c.spend) for c in rows] == [
        ("BT-NET", D("900.00")),
        ("CAP-2005", D("2200.00")),
        ("NO-LINES", D("0.00")),
    ]


def test_contract_shares_of_one_contract_for_every_year(world, django_assert_num_queries):
    with django_assert_num_queries(2):
        rows = _as_at_p2(world).contract_shares(world["contracts"]["bt"].pk)
    assert [{key: row[key] for key in (*SHARE, "share", "outturn_share")} for row in rows] == [
        {
            "year_label": "2013-14",
            "actual": D("0.00"),  # no line named BT-NET that year
            "outturn": D("0.00"),
            "technology_actual": D("10800.00"),
            "technology_outturn": D("10800.00"),
            "share": D("0.0"),
            "outturn_share": D("0.0"),
        },
        {
            "year_label": "2014-15",
            "actual": D("900.00"),
            "outturn": D("5900.00"),
            "technology_actual": D("3050.00"),
            "technology_outturn": D("22000.00"),
            "share": D("29.5"),  # 900 / 3,050 = 29.51%
            "outturn_share": D("26.8"),  # 5,900 / 22,000 = 26.82%
        },
    ]


def test_supplier_shares_as_at_the_reporting_date_in_one_query(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = _as_at_p2(world).supplier_shares()
    assert [
        (r["year_label"], r["supplier"], r["actual"], r["outturn"], r["share"], r["outturn_share"])
        for r in rows
    ] == [
        ("2013-14", "Capgemini", D("10800.00"), D("10800.00"), D("100.0"), D("100.0")),
        ("2014-15", "Capgemini", D("2200.00"), D("12350.00"), D("72.1"), D("56.1")),
        ("2014-15", "BT", D("900.00"), D("5900.00"), D("29.5"), D("26.8")),
        ("2014-15", None, D("-50.00"), D("3750.00"), D("-1.6"), D("17.0")),
    ]
    assert {r["technology_outturn"] for r in rows if r["year_label"] == "2014-15"} == {
        D("22000.00")
    }


def test_supplier_shares_of_one_supplier_fill_years_without_spend(world):
    rows = _as_at_p2(world).supplier_shares(world["suppliers"]["bt"].pk)
    assert [(r["year_label"], r["actual"], r["share"], r["outturn_share"]) for r in rows] == [
        ("2013-14", D("0.00"), D("0.0"), D("0.0")),
        ("2014-15", D("900.00"), D("29.5"), D("26.8")),
    ]


def test_without_as_at_every_year_counts_whole(world):
    rows = MonthlyFigure.objects.supplier_shares(world["suppliers"]["capgemini"].pk)
    assert [(r["year_label"], r["actual"], r["outturn"]) for r in rows] == [
        ("2013-14", D("10800.00"), D("10800.00")),
        ("2014-15", D("3300.00"), D("12450.00")),
    ]


def test_uncovered_months_are_those_without_budget_or_forecast(world, django_assert_num_queries):
    """OUT-01 has figures for 2013-14 and 2014-15, every month budgeted; nothing after."""
    lines = BudgetLine.objects.filter(code__in=["OUT-01", "NET-01"])
    with django_assert_num_queries(3):
        found = lines.uncovered_months(date(2012, 4, 1), date(2015, 5, 31))
    # Before 2013-14 no figures are held, so those months are not counted.
    # NET-01 has no 2013-14 figures at all.
    net_2013_14 = [add_months(date(2013, 4, 1), n) for n in range(12)]
    assert found == [
        (world["lines"]["net"], [*net_2013_14, date(2015, 4, 1), date(2015, 5, 1)]),
        (world["lines"]["out"], [date(2015, 4, 1), date(2015, 5, 1)]),
    ]
