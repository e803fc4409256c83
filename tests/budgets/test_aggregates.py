"""Budget aggregates against tests/world.py, every expected number worked out by hand
from the table in its docstring (2014-15, actuals P1-P3, reporting as at P3 unless said).

Hand workings as at P3 (a period up to the reporting date with no actual counts at its
forecast, or else its budget, in the outturn; NET-01 P3 is such a period):
  OUT-01 budget 12 x 1,000 = 12,000; outturn 3 x 1,100 + 3 x 1,050 + 6 x 1,000 = 12,450
  NET-01 budget 12 x 500 = 6,000;    outturn 450 + 450 + 500 (P3 budget) + 9 x 500 = 5,900
  CHG-01 budget 12 x 200 = 2,400;    outturn 0 - 50 + 300 + 8 x 200 + 2,000 = 3,850
"""

from datetime import date
from decimal import Decimal as D

import pytest
from django.http import Http404
from django.test import RequestFactory

from budgets.models import (
    BudgetLine,
    Category,
    FinancialYear,
    LineYearTotal,
    MonthlyFigure,
    Rag,
    rag_for,
)
from budgets.reporting import reporting_for

pytestmark = pytest.mark.django_db


# Every sum and judgement `with_outturn` gives a line.
OUTTURN_FIELDS = ("full_year_budget", "original_budget", "committed", "actual_to_date", "outturn")
OUTTURN_FIELDS += ("variance", "uncommitted", "rag")


def _lines(year, as_at) -> dict:
    return {line.code: line for line in BudgetLine.objects.with_outturn(year, as_at)}


def test_with_outturn_as_at_p3_gives_each_lines_budget_actual_outturn_variance_and_rag(world):
    lines = _lines(world["year"], 3)

    out = lines["OUT-01"]
    assert out.full_year_budget == D("12000.00")
    assert out.actual_to_date == D("3300.00")
    assert out.outturn == D("12450.00")
    assert out.variance == D("450.00")
    assert out.rag == Rag.AMBER  # 3.75% over: more than 1%, not more than 5%

    net = lines["NET-01"]
    assert net.full_year_budget == D("6000.00")
    assert net.actual_to_date == D("900.00")
    assert net.outturn == D("5900.00")
    assert net.variance == D("-100.00")
    assert net.rag == Rag.GREEN  # 1.7% under

    chg = lines["CHG-01"]
    assert chg.full_year_budget == D("2400.00")
    assert chg.actual_to_date == D("250.00")  # the credit note of (50.00) counts
    assert chg.outturn == D("3850.00")
    assert chg.variance == D("1450.00")
    assert chg.rag == Rag.RED  # 60.4% over


def test_with_outturn_as_at_p2_ignores_the_p3_actuals(world):
    lines = _lines(world["year"], 2)

    # OUT-01: 2 x 1,100 + P3 budget 1,000 + 3 x 1,050 + 6 x 1,000
    assert lines["OUT-01"].actual_to_date == D("2200.00")
    assert lines["OUT-01"].outturn == D("12350.00")
    assert lines["OUT-01"].rag == Rag.AMBER  # 2.9% over
    # CHG-01: 0 - 50 + 9 x 200 + 2,000
    assert lines["CHG-01"].actual_to_date == D("-50.00")
    assert lines["CHG-01"].outturn == D("3750.00")
    assert lines["NET-01"].outturn == D("5900.00")


def test_with_outturn_before_any_actual_is_forecast_or_budget(world):
    lines = _lines(world["year"], 0)

    assert lines["OUT-01"].actual_to_date == D("0.00")
    assert lines["OUT-01"].outturn == D("12150.00")  # 9 x 1,000 + 3 x 1,050
    assert lines["NET-01"].outturn == D("6000.00")
    assert lines["NET-01"].rag == Rag.GREEN
    assert lines["CHG-01"].outturn == D("4200.00")  # 11 x 200 + 2,000


def test_with_outturn_of_the_baseline_year_is_its_actuals(world):
    lines = _lines(world["base_year"], 12)

    assert lines["OUT-01"].full_year_budget == D("10800.00")
    assert lines["OUT-01"].actual_to_date == D("10800.00")
    assert lines["OUT-01"].outturn == D("10800.00")
    assert lines["OUT-01"].rag == Rag.GREEN
    # Lines with no figures in the year show zeros, not NULLs.
    assert lines["NET-01"].full_year_budget == D("0.00")
    assert lines["NET-01"].outturn == D("0.00")
    assert lines["NET-01"].rag == Rag.GREEN


def test_with_outturn_is_chainable(world):
    codes = list(
        BudgetLine.objects.filter(category__kind="run")
        .with_outturn(world["year"], 3)
        .filter(rag=Rag.AMBER)
        .values_list("code", flat=True)
    )
    assert codes == ["OUT-01"]


@pytest.mark.parametrize(
    ("actual", "rag"),
    [
        ("1050.00", Rag.AMBER),  # exactly 5% over is still amber
        ("1050.01", Rag.RED),
        ("1010.00", Rag.GREEN),  # exactly 1% over is green
        ("1010.01", Rag.AMBER),
        ("900.00", Rag.GREEN),  # exactly 10% under is green
        ("899.99", Rag.AMBER),  # further under usually means slippage
        ("-5.00", Rag.AMBER),  # a credit note larger than the spend
    ],
)
def test_rag_boundaries_in_sql_and_python_agree(db, actual, rag):
    year = FinancialYear.objects.create(label="2020-21", start=date(2020, 4, 1))
    category = Category.objects.create(name="Licences")
    line = BudgetLine.objects.create(code="LIC-01", name="Licences", category=category)
    MonthlyFigure.objects.create(line=line, year=year, period=1, budget=D("1000.00"), actual=actual)

    assert BudgetLine.objects.with_outturn(year, 1).get().rag == rag
    assert rag_for(D(actual) - D("1000.00"), D("1000.00")) == rag


def test_totals_as_at_p3(world):
    totals = MonthlyFigure.objects.for_year(world["year"]).totals(3)

    assert totals == {
        "budget": D("20400.00"),
        "original_budget": None,  # a draft year
        "committed": D("0.00"),
        "uncommitted": D("15950.00"),  # 20,400.00 - 4,450.00 - 0.00
        "actual_to_date": D("4450.00"),
        "outturn": D("22200.00"),
        "variance": D("1800.00"),
        "variance_pct": D("8.8"),
        "rag": Rag.RED,
    }


def test_totals_of_a_year_without_figures_are_zero(world):
    empty = FinancialYear.objects.create(label="2015-16", start=date(2015, 4, 1))

    totals = MonthlyFigure.objects.for_year(empty).totals(0)

    assert totals["budget"] == D("0.00")
    assert totals["outturn"] == D("0.00")
    assert totals["variance_pct"] is None
    assert totals["rag"] == Rag.GREEN


def test_by_period_gives_twelve_periods_with_running_totals(world):
    rows = MonthlyFigure.objects.for_year(world["year"]).by_period(3)

    assert [r["period"] for r in rows] == list(range(1, 13))
    assert [r["budget"] for r in rows] == [D("1700.00")] * 12
    # P3 has OUT-01 1,100 and CHG-01 300; NET-01 entered nothing.
    assert [r["actual"] for r in rows] == [D("1550.00"), D("1500.00"), D("1400.00")] + [None] * 9
    assert [r["forecast"] for r in rows] == (
        [D("1700.00")] * 3 + [D("1750.00")] * 3 + [D("1700.00")] * 5 + [D("3500.00")]
    )
    # P3 expects NET-01's budget of 500 in place of its missing actual.
    assert [r["expected"] for r in rows] == (
        [D("1550.00"), D("1500.00"), D("1900.00")]
        + [D("1750.00")] * 3
        + [D("1700.00")] * 5
        + [D("3500.00")]
    )
    assert [r["cumulative_actual"] for r in rows] == (
        [D("1550.00"), D("3050.00"), D("4450.00")] + [None] * 9
    )
    assert [r["cumulative_expected"] for r in rows] == [
        D("1550.00"),
        D("3050.00"),
        D("4950.00"),
        D("6700.00"),
        D("8450.00"),
        D("10200.00"),
        D("11900.00"),
        D("13600.00"),
        D("15300.00"),
        D("17000.00"),
        D("18700.00"),
        D("22200.00"),  # the year's outturn, as totals() gives it
    ]
    assert rows[-1]["cumulative_budget"] == D("20400.00")
    assert rows[5]["cumulative_budget"] == D("10200.00")


def test_by_period_of_a_year_without_figures_has_twelve_zero_rows(world):
    empty = FinancialYear.objects.create(label="2015-16", start=date(2015, 4, 1))

    rows = MonthlyFigure.objects.for_year(empty).by_period(0)

    assert len(rows) == 12
    assert {r["budget"] for r in rows} == {D("0.00")}
    assert {r["actual"] for r in rows} == {None}
    assert rows[-1]["cumulative_expected"] == D("0.00")


def test_by_category_in_category_order(world):
    rows = MonthlyFigure.objects.for_year(world["year"]).by_category(3)

    assert rows == [
        {
            "category_id": world["lines"]["out"].category_id,
            "category": "Outsourced services",
            "kind": "run",
            "budget": D("12000.00"),
            "actual_to_date": D("3300.00"),
            "outturn": D("12450.00"),
            "variance": D("450.00"),
            "variance_pct": D("3.8"),
            "rag": Rag.AMBER,
        },
        {
            "category_id": world["lines"]["net"].category_id,
            "category": "Networks",
            "kind": "run",
            "budget": D("6000.00"),
            "actual_to_date": D("900.00"),
            "outturn": D("5900.00"),
            "variance": D("-100.00"),
            "variance_pct": D("-1.7"),
            "rag": Rag.GREEN,
        },
        {
            "category_id": world["lines"]["chg"].category_id,
            "category": "Change portfolio",
            "kind": "change",
            "budget": D("2400.00"),
            "actual_to_date": D("250.00"),
            "outturn": D("3850.00"),
            "variance": D("1450.00"),
            "variance_pct": D("60.4"),
            "rag": Rag.RED,
        },
    ]


def test_spend_by_year_takes_actuals_then_forecast_or_budget(world):
    rows = list(MonthlyFigure.objects.spend_by_year())

    assert rows == [
        {
            "year_label": "2013-14",
            "year_start": date(2013, 4, 1),
            "actual": D("10800.00"),
            "outturn": D("10800.00"),
        },
        {
            "year_label": "2014-15",
            "year_start": date(2014, 4, 1),
            "actual": D("4450.00"),
            "outturn": D("22200.00"),
        },
    ]


def test_spend_by_supplier_per_year_largest_first(world):
    rows = [
        (r["year_label"], r["supplier"], r["actual"], r["outturn"])
        for r in MonthlyFigure.objects.spend_by_supplier()
    ]

    assert rows == [
        ("2013-14", "Capgemini", D("10800.00"), D("10800.00")),
        ("2014-15", "Capgemini", D("3300.00"), D("12450.00")),
        ("2014-15", "BT", D("900.00"), D("5900.00")),
        ("2014-15", None, D("250.00"), D("3850.00")),  # CHG-01 names no contract
    ]


def test_spend_by_supplier_gives_the_supplier_id(world):
    row = MonthlyFigure.objects.for_year(world["year"]).spend_by_supplier()[0]
    assert row["supplier_id"] == world["suppliers"]["capgemini"].pk


def test_spend_by_contract_per_year_leaves_out_lines_without_one(world):
    rows = [
        (r["year_label"], r["reference"], r["contract_id"], r["actual"], r["outturn"])
        for r in MonthlyFigure.objects.spend_by_contract()
    ]
    cap, bt = world["contracts"]["cap"].pk, world["contracts"]["bt"].pk

    assert rows == [
        ("2013-14", "CAP-2005", cap, D("10800.00"), D("10800.00")),
        ("2014-15", "BT-NET", bt, D("900.00"), D("5900.00")),
        ("2014-15", "CAP-2005", cap, D("3300.00"), D("12450.00")),
    ]


def test_latest_actual_period(world):
    figures = MonthlyFigure.objects
    assert figures.for_year(world["year"]).latest_actual_period() == 3
    assert figures.for_year(world["base_year"]).latest_actual_period() == 12
    assert figures.filter(line__code="NET-01").latest_actual_period() == 2
    empty = FinancialYear.objects.create(label="2015-16", start=date(2015, 4, 1))
    assert figures.for_year(empty).latest_actual_period() == 0


def _reporting(**params):
    return reporting_for(RequestFactory().get("/", params))


def test_reporting_defaults_to_the_last_closed_period_not_the_latest_actual(world):
    # 2014-15 is closed through P2; P3 has actuals for two of three lines.
    reporting = _reporting()

    assert reporting.year == world["year"]
    assert reporting.as_at == 2
    assert reporting.as_at_overridden is False
    assert reporting.in_progress is False
    assert reporting.as_at_date == date(2014, 5, 31)
    assert reporting.label == "2014-15 P2 (31 May 2014)"
    assert reporting.status == "P2 closed"
    assert [y.label for y in reporting.years] == ["2013-14", "2014-15"]


def test_a_period_in_progress_is_chosen_explicitly_and_says_how_complete_it_is(world):
    reporting = _reporting(as_at="3")
    assert reporting.as_at == 3
    assert reporting.in_progress is True
    assert (reporting.lines_with_actuals, reporting.lines_total) == (2, 3)
    assert reporting.status == "P3 in progress: actuals for 2 of 3 lines"
    assert reporting.beyond_data is False


def test_a_period_beyond_the_data_says_so(world):
    reporting = _reporting(as_at="5")
    assert reporting.in_progress is True
    assert reporting.beyond_data is True
    assert reporting.status == "P5 in progress: actuals for 0 of 3 lines"


def test_a_year_with_no_closed_period_reports_as_at_its_start(world):
    world["year"].closed_through = 0
    world["year"].save()
    assert _reporting().year == world["base_year"]  # the latest year with a closed period
    reporting = _reporting(year="2014-15")
    assert reporting.as_at == 0
    assert reporting.as_at_date == date(2014, 4, 1)
    assert reporting.status == "No period of 2014-15 is closed yet"


def test_reporting_for_a_chosen_year(world):
    reporting = _reporting(year="2013-14")
    assert reporting.year == world["base_year"]
    assert reporting.as_at == 12
    assert reporting.as_at_date == date(2014, 3, 31)


def test_reporting_as_at_can_be_overridden(world):
    reporting = _reporting(as_at="P1")
    assert reporting.as_at == 1
    assert reporting.as_at_overridden is True
    assert reporting.as_at_date == date(2014, 4, 30)
    assert _reporting(as_at="0").label == "2014-15, before any period is closed"


@pytest.mark.parametrize("as_at", ["13", "-1", "P", "x"])
def test_reporting_ignores_an_as_at_outside_0_to_12(world, as_at):
    reporting = _reporting(as_at=as_at)
    assert reporting.as_at == 2
    assert reporting.as_at_overridden is False


def test_reporting_for_an_unknown_year_is_404(world):
    with pytest.raises(Http404):
        _reporting(year="2099-00")


def test_reporting_a_year_label_argument_wins_over_the_query(world):
    request = RequestFactory().get("/", {"year": "2014-15"})
    assert reporting_for(request, "2013-14").year == world["base_year"]


def test_reporting_with_no_years(db):
    reporting = _reporting()
    assert reporting.year is None
    assert reporting.as_at == 0
    assert reporting.label == "no data"


def test_reporting_default_skips_a_later_year_without_figures_and_needs_one_query(
    world, django_assert_num_queries
):
    FinancialYear.objects.create(label="2015-16", start=date(2015, 4, 1))
    with django_assert_num_queries(1):
        reporting = _reporting()
    assert reporting.year == world["year"]
    assert reporting.as_at == 2
    assert [y.label for y in reporting.years] == ["2013-14", "2014-15", "2015-16"]


def test_reporting_default_prefers_the_year_with_a_closed_period_to_a_later_budget(world):
    later = FinancialYear.objects.create(label="2015-16", start=date(2015, 4, 1))
    MonthlyFigure.objects.create(
        line=world["lines"]["out"], year=later, period=1, budget=D("1000.00")
    )
    assert _reporting().year == world["year"]
    chosen = _reporting(year="2015-16")
    assert chosen.year == later
    assert chosen.as_at == 0
    assert chosen.label == "2015-16, before any period is closed"


def test_with_outturn_at_the_latest_actual_reads_the_stored_totals_and_agrees_with_the_sums(
    world,
):
    year = world["year"]  # actuals run to P3
    fields = OUTTURN_FIELDS
    summed = {
        line.code: [getattr(line, name) for name in fields]
        for line in BudgetLine.objects.all()._with_summed_outturn(year, 3)
    }
    assert {code: [getattr(line, n) for n in fields] for code, line in _lines(year, 3).items()} == (
        summed
    )
    # It reads them: a stored total that is wrong shows as at P3, not as at P2 (summed).
    LineYearTotal.objects.filter(line__code="OUT-01", year=year).update(outturn=D("1.00"))
    assert _lines(year, 3)["OUT-01"].outturn == D("1.00")
    assert _lines(year, 2)["OUT-01"].outturn == D("12350.00")


def test_with_outturn_of_a_year_without_figures_gives_every_line_zeros(world):
    empty = FinancialYear.objects.create(label="2021-22", start=date(2021, 4, 1))
    line = BudgetLine.objects.with_outturn(empty, 0).get(code="OUT-01")
    assert (line.full_year_budget, line.outturn, line.actual_to_date) == (D("0"), D("0"), D("0"))
    assert line.original_budget is None and line.rag == Rag.GREEN


def test_with_outturn_at_the_last_closed_period_reads_the_sums_stored_as_at_it(world):
    # While next month's actuals are entered, the default date (P2, the last closed
    # period) is before the latest actual (P3): the stored sums as at P2 are read.
    year = world["year"]
    assert year.closed_through == 2
    fields = OUTTURN_FIELDS
    summed = {
        line.code: [getattr(line, name) for name in fields]
        for line in BudgetLine.objects.all()._with_summed_outturn(year, 2)
    }
    assert {code: [getattr(line, n) for n in fields] for code, line in _lines(year, 2).items()} == (
        summed
    )
    out = _lines(year, 2)["OUT-01"]  # P1-P2 actuals 1,100; P3 budget 1,000; P4-P6 1,050
    assert (out.actual_to_date, out.outturn) == (D("2200.00"), D("12350.00"))
    # It reads them: a wrong stored sum shows as at P2, and not as at P1 (summed).
    stored = LineYearTotal.objects.filter(line__code="OUT-01", year=year)
    stored.update(reported_outturn=D("1.00"), reported_actual=D("2.00"))
    assert (_lines(year, 2)["OUT-01"].actual_to_date, _lines(year, 2)["OUT-01"].outturn) == (
        D("2.00"),
        D("1.00"),
    )
    assert _lines(year, 1)["OUT-01"].outturn == D("12250.00")  # P2 at its budget
    # A row added up as at another date is added up from its figures: still right.
    stored.update(reported_through=1)
    assert {code: [getattr(line, n) for n in fields] for code, line in _lines(year, 2).items()} == (
        summed
    )
    # A line with no figures that year has no stored row: zeros, as the sums give.
    BudgetLine.objects.create(code="NEW-01", name="New", category=world["lines"]["out"].category)
    new = _lines(year, 2)["NEW-01"]
    assert (new.full_year_budget, new.actual_to_date, new.outturn) == (D("0"), D("0"), D("0"))
    summed_new = BudgetLine.objects.all()._with_summed_outturn(year, 2).get(code="NEW-01")
    assert [getattr(new, n) for n in fields] == [getattr(summed_new, n) for n in fields]
