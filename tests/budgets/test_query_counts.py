"""Each aggregate runs a fixed number of SQL queries, with 5 budget lines or 50."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from budgets.models import BudgetLine, Category, FinancialYear, MonthlyFigure
from budgets.reporting import reporting_for
from contracts.models import Contract, Supplier
from savings.models import Initiative, InitiativeYear, ReductionProgramme, SavingsTarget

pytestmark = pytest.mark.django_db


class Estate:
    """Budget lines, each with its own supplier, contract, twelve figures in each of two
    years and an initiative saving in each year; `grow` adds lines up to a count."""

    def __init__(self):
        self.base = FinancialYear.objects.create(label="2013-14", start=date(2013, 4, 1))
        self.year = FinancialYear.objects.create(label="2014-15", start=date(2014, 4, 1))
        self.categories = [
            Category.objects.create(name=name, kind=kind, order=n)
            for n, (name, kind) in enumerate(
                [("Run A", "run"), ("Run B", "run"), ("Chg", "change")]
            )
        ]
        self.programme = ReductionProgramme.objects.create(
            name="Programme",
            organisation_budget=D("1000000.00"),
            reduction_target=D("100000.00"),
            first_year=self.year,
            last_year=self.year,
            baseline_year=self.base,
            technology_baseline=D("0.00"),
        )
        for year in (self.base, self.year):
            SavingsTarget.objects.create(programme=self.programme, year=year, amount=D("9.00"))
        self.count = 0

    def grow(self, to: int) -> None:
        for n in range(self.count, to):
            supplier = Supplier.objects.create(name=f"Supplier {n}")
            contract = Contract.objects.create(
                reference=f"C-{n}",
                title=f"Contract {n}",
                supplier=supplier,
                start_date=date(2010, 4, 1),
                end_date=date(2015, 3, 31),
                notice_months=n % 13,
            )
            line = BudgetLine.objects.create(
                code=f"L-{n:03d}",
                name=f"Line {n}",
                category=self.categories[n % 3],
                contract=contract,
            )
            MonthlyFigure.objects.bulk_create(
                MonthlyFigure(
                    line=line,
                    year=year,
                    period=period,
                    budget=D("100.00"),
                    actual=D("101.00") if year == self.base or period <= 3 else None,
                    forecast=D("99.00") if period == 12 else None,
                )
                for year in (self.base, self.year)
                for period in range(1, 13)
            )
            initiative = Initiative.objects.create(
                code=f"I-{n}", name=f"Initiative {n}", lever="cancel", cashable=n % 4 != 0
            )
            InitiativeYear.objects.bulk_create(
                InitiativeYear(initiative=initiative, year=year, planned=D("5.00"))
                for year in (self.base, self.year)
            )
        self.count = to


AGGREGATES = {
    # One more than the sum itself: whether any actual runs past P3 (the year given here,
    # unlike reporting_for's, does not carry its latest actual).
    "BudgetLine.with_outturn": (
        2,
        lambda e: list(BudgetLine.objects.with_outturn(e.year, 3)),
    ),
    "MonthlyFigure.totals": (1, lambda e: MonthlyFigure.objects.for_year(e.year).totals(3)),
    "MonthlyFigure.by_period": (
        1,
        lambda e: MonthlyFigure.objects.for_year(e.year).by_period(3),
    ),
    "MonthlyFigure.by_category": (
        1,
        lambda e: MonthlyFigure.objects.for_year(e.year).by_category(3),
    ),
    "MonthlyFigure.spend_by_year": (1, lambda e: list(MonthlyFigure.objects.spend_by_year())),
    "MonthlyFigure.spend_by_supplier": (
        1,
        lambda e: list(MonthlyFigure.objects.spend_by_supplier()),
    ),
    "MonthlyFigure.spend_by_contract": (
        1,
        lambda e: list(MonthlyFigure.objects.spend_by_contract()),
    ),
    "MonthlyFigure.latest_actual_period": (
        1,
        lambda e: MonthlyFigure.objects.for_year(e.year).latest_actual_period(),
    ),
    "Contract.decision_due_by": (
        1,
        lambda e: list(Contract.objects.decision_due_by(date(2014, 9, 30))),
    ),
    "InitiativeYear.by_year": (1, lambda e: list(InitiativeYear.objects.by_year())),
    "InitiativeYear.pipeline": (2, lambda e: InitiativeYear.objects.pipeline(e.programme)),
    "reporting_for": (1, lambda e: reporting_for(RequestFactory().get("/"))),
}


@pytest.mark.parametrize("name", AGGREGATES)
def test_query_count_does_not_grow_with_the_number_of_lines(name):
    expected, run = AGGREGATES[name]
    estate = Estate()
    counts = []
    for lines in (5, 50):
        estate.grow(to=lines)
        with CaptureQueriesContext(connection) as queries:
            run(estate)
        counts.append(len(queries))

    assert counts == [expected, expected]


def test_the_aggregates_see_all_50_lines():
    estate = Estate()
    estate.grow(to=50)

    assert len(BudgetLine.objects.with_outturn(estate.year, 3)) == 50
    totals = MonthlyFigure.objects.for_year(estate.year).totals(3)
    assert totals["budget"] == D("60000.00")  # 50 lines x 12 x 100
    assert totals["actual_to_date"] == D("15150.00")  # 50 x 3 x 101
    assert totals["outturn"] == D("60100.00")  # 50 x (303 + 8 x 100 + 99)
    assert len(list(MonthlyFigure.objects.spend_by_supplier())) == 100  # 50 per year
    # 37 initiatives are cashable (every fourth is not): 37 x 5.00 planned in each year
    assert [r["identified"] for r in InitiativeYear.objects.by_year()] == [D("185.00")] * 2
