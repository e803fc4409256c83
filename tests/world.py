"""A small, hand-built dataset whose totals are written out by hand in the tests.

Year 2014-15, closed through P2, actuals entered for P1-P3:

| line   | category (kind)    | contract | budget/month | actual P1-P3          | forecast       |
|--------|--------------------|----------|--------------|-----------------------|----------------|
| OUT-01 | Outsourced (run)   | CAP-2005 | 1,000.00     | 1,100.00 each         | P4-P6 1,050.00 |
| NET-01 | Networks (run)     | BT-NET   |   500.00     | 450.00, 450.00, none  | none (budget)  |
| CHG-01 | Change (change)    | none     |   200.00     | 0.00, (50.00), 300.00 | P12 2,000.00   |

2013-14 has OUT-01 only: budget 900.00 and actual 900.00 every month.
Outturn: a period up to the reporting date with no actual (NET-01 P3) counts at its
forecast or else its budget, so as at P3 NET-01's outturn is 5,900.00 and the year's
22,200.00, the same as `spend_by_year` (tests/budgets/test_aggregates.py works them out).
Savings: target 2014-15 £10,000.00 (programme reduction £100,000.00); initiatives
CAP-RENEG (approved, cashable: planned 6,000.00, forecast 5,000.00, realised 4,000.00),
APP-RAT (identified, cashable: planned 3,000.00), OLD-X (abandoned: planned 2,000.00),
MOBILE (in delivery, non-cashable: planned 7,000.00, realised 1,000.00).
"""

from datetime import date
from decimal import Decimal as D

from budgets.models import (
    BudgetLine,
    Category,
    FinancialYear,
    MonthlyFigure,
    refresh_line_year_totals,
)
from contracts.models import Contract, ContractChange, Supplier
from savings.models import Initiative, InitiativeYear, ReductionProgramme, SavingsTarget


def build_world() -> dict:
    capgemini = Supplier.objects.create(name="Capgemini")
    bt = Supplier.objects.create(name="BT")
    cap = Contract.objects.create(
        reference="CAP-2005",
        title="Outsourced IT services",
        supplier=capgemini,
        start_date=date(2005, 4, 1),
        end_date=date(2015, 12, 31),
        notice_months=6,
        annual_value=D("12000.00"),
        total_value=D("350000.00"),
        source="test",
    )
    ContractChange.objects.create(
        contract=cap,
        effective_date=date(2010, 6, 1),
        kind=ContractChange.Kind.EXTENSION,
        old_end_date=date(2012, 3, 31),
        new_end_date=date(2015, 12, 31),
        value_change=D("193000.00"),
        expected_annual_saving=D("4300.00"),
    )
    bt_net = Contract.objects.create(
        reference="BT-NET",
        title="Network services",
        supplier=bt,
        start_date=date(2012, 4, 1),
        end_date=date(2017, 3, 31),
        notice_months=12,
        annual_value=D("6000.00"),
        total_value=D("30000.00"),
    )
    outsourced = Category.objects.create(name="Outsourced services", kind="run", order=1)
    networks = Category.objects.create(name="Networks", kind="run", order=2)
    change = Category.objects.create(name="Change portfolio", kind="change", order=3)
    out = BudgetLine.objects.create(
        code="OUT-01", name="Capgemini service", category=outsourced, contract=cap
    )
    net = BudgetLine.objects.create(
        code="NET-01", name="Network services", category=networks, contract=bt_net
    )
    chg = BudgetLine.objects.create(code="CHG-01", name="Change projects", category=change)
    base = FinancialYear.objects.create(label="2013-14", start=date(2013, 4, 1), closed_through=12)
    year = FinancialYear.objects.create(label="2014-15", start=date(2014, 4, 1), closed_through=2)

    figures = []
    for period in range(1, 13):
        figures.append(
            MonthlyFigure(
                line=out, year=base, period=period, budget=D("900.00"), actual=D("900.00")
            )
        )
        figures.append(
            MonthlyFigure(
                line=out,
                year=year,
                period=period,
                budget=D("1000.00"),
                actual=D("1100.00") if period <= 3 else None,
                forecast=D("1050.00") if 4 <= period <= 6 else None,
            )
        )
        figures.append(
            MonthlyFigure(
                line=net,
                year=year,
                period=period,
                budget=D("500.00"),
                actual=D("450.00") if period <= 2 else None,
            )
        )
        figures.append(
            MonthlyFigure(
                line=chg,
                year=year,
                period=period,
                budget=D("200.00"),
                actual={1: D("0.00"), 2: D("-50.00"), 3: D("300.00")}.get(period),
                forecast=D("2000.00") if period == 12 else None,
            )
        )
    MonthlyFigure.objects.bulk_create(figures)
    refresh_line_year_totals()  # as every bulk write of figures does

    programme = ReductionProgramme.objects.create(
        name="Test programme",
        organisation_budget=D("1000000.00"),
        reduction_target=D("100000.00"),
        first_year=year,
        last_year=year,
        baseline_year=base,
        technology_baseline=D("10800.00"),
    )
    target = SavingsTarget.objects.create(programme=programme, year=year, amount=D("10000.00"))
    stage = Initiative.Stage
    reneg = Initiative.objects.create(
        code="CAP-RENEG",
        name="Renegotiate",
        lever="renegotiate",
        stage=stage.APPROVED,
        contract=cap,
    )
    reneg.lines.add(out)
    apps = Initiative.objects.create(
        code="APP-RAT", name="Applications", lever="consolidate", stage=stage.IDENTIFIED
    )
    old = Initiative.objects.create(
        code="OLD-X", name="Abandoned idea", lever="cancel", stage=stage.ABANDONED
    )
    mobile = Initiative.objects.create(
        code="MOBILE",
        name="Mobile devices",
        lever="productivity",
        stage=stage.IN_DELIVERY,
        cashable=False,
    )
    InitiativeYear.objects.bulk_create(
        [
            InitiativeYear(
                initiative=reneg,
                year=year,
                planned=D("6000.00"),
                forecast=D("5000.00"),
                realised=D("4000.00"),
            ),
            InitiativeYear(initiative=apps, year=year, planned=D("3000.00")),
            InitiativeYear(initiative=old, year=year, planned=D("2000.00")),
            InitiativeYear(
                initiative=mobile, year=year, planned=D("7000.00"), realised=D("1000.00")
            ),
        ]
    )
    return {
        "suppliers": {"capgemini": capgemini, "bt": bt},
        "contracts": {"cap": cap, "bt": bt_net},
        "lines": {"out": out, "net": net, "chg": chg},
        "base_year": base,
        "year": year,
        "programme": programme,
        "target": target,
        "initiatives": {"reneg": reneg, "apps": apps, "old": old, "mobile": mobile},
    }
