"""Commitments (orders placed, not yet invoiced): entered in the period grid, imported in
a `committed` column, and the uncommitted budget (revised budget - actual - committed).
With tests/world.py: 2014-15 closed through P2, OUT-01 budget 1,000.00 a month, actuals
1,100.00 in P1-P3."""

from decimal import Decimal as D

from django.urls import reverse

from budgets.importing import apply_import, parse_file, validate
from budgets.models import BudgetLine, MonthlyFigure, refresh_line_year_totals
from budgets.revisions import approve_budget


def figure(world, code, period) -> MonthlyFigure:
    return MonthlyFigure.objects.get(line__code=code, year=world["year"], period=period)


def grid_post(row: MonthlyFigure, **values) -> dict:
    data = {f"version-{row.pk}": row.version}
    for field in ("actual", "committed", "note"):
        shown = "" if getattr(row, field) is None else str(getattr(row, field))
        data[f"{field}-{row.pk}"] = values.get(field, shown)
        data[f"was-{field}-{row.pk}"] = shown
    return data


def test_finance_enters_a_commitment_in_the_period_grid(world, finance_client):
    row = figure(world, "OUT-01", 4)
    url = reverse("budgets:period", args=["2014-15", 4])
    response = finance_client.post(url, grid_post(row, committed="£2,500.50"))
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.committed == D("2500.50")
    assert row.version == 2


def test_negative_commitment_is_refused_and_the_typed_value_kept(world, finance_client):
    row = figure(world, "OUT-01", 4)
    url = reverse("budgets:period", args=["2014-15", 4])
    response = finance_client.post(url, grid_post(row, committed="(10.00)"))
    assert response.status_code == 200
    assert "a commitment cannot be negative" in response.content.decode()
    assert 'value="(10.00)"' in response.content.decode()
    assert figure(world, "OUT-01", 4).committed == D("0.00")


def test_commitment_in_a_closed_period_is_refused(world, finance_client):
    row = figure(world, "OUT-01", 2)
    url = reverse("budgets:period", args=["2014-15", 2])
    response = finance_client.post(url, grid_post(row, committed="100.00"))
    assert response.status_code == 409
    assert figure(world, "OUT-01", 2).committed == D("0.00")


def test_committee_cannot_post_commitments(world, committee_client):
    row = figure(world, "OUT-01", 4)
    url = reverse("budgets:period", args=["2014-15", 4])
    assert committee_client.post(url, grid_post(row, committed="100.00")).status_code == 403
    assert figure(world, "OUT-01", 4).committed == D("0.00")


def test_uncommitted_budget_is_revised_less_actual_less_committed(world):
    MonthlyFigure.objects.filter(line__code="OUT-01", year=world["year"], period=5).update(
        committed=D("750.25")
    )
    refresh_line_year_totals()  # as every bulk write of figures does
    figures = MonthlyFigure.objects.for_year(world["year"]).filter(line__code="OUT-01")
    totals = figures.totals(3)
    # 12,000.00 budget - 3,300.00 actual (P1-P3) - 750.25 committed
    assert totals["committed"] == D("750.25")
    assert totals["uncommitted"] == D("7949.75")
    line = BudgetLine.objects.with_outturn(world["year"], 3).get(code="OUT-01")
    assert (line.committed, line.uncommitted) == (D("750.25"), D("7949.75"))
    # Commitments do not change the outturn.
    assert totals["outturn"] == line.outturn == D("12450.00")


def upload(text: str, user):
    return validate(parse_file("figures.csv", text.encode()))


def test_committed_column_is_imported(world, finance_user):
    plan = upload(
        "line_code,year,period,actual,committed\nOUT-01,2014-15,P5,,1200.00\n", finance_user
    )
    assert not plan.errors
    (change,) = plan.changes
    assert (change.old_committed, change.new_committed) == (D("0.00"), D("1200.00"))
    apply_import(plan=plan, user=finance_user, filename="figures.csv", sha256="a" * 64)
    assert figure(world, "OUT-01", 5).committed == D("1200.00")
    assert figure(world, "OUT-01", 5).actual is None


def test_negative_committed_in_a_file_is_refused_naming_row_and_column(world, finance_user):
    plan = upload(
        "line_code,year,period,actual,committed\nOUT-01,2014-15,P5,,(5.00)\n", finance_user
    )
    assert [str(p) for p in plan.errors] == [
        "row 2, column committed: a commitment cannot be negative"
    ]


def test_a_budget_column_for_an_approved_year_is_refused_by_row_and_column(
    world, finance_user, admin_user
):
    approve_budget(year=world["year"], user=admin_user, expected_version=None)
    plan = upload(
        "line_code,year,period,actual,budget\nOUT-01,2014-15,P5,900.00,\nNET-01,2014-15,P5,,600\n",
        finance_user,
    )
    assert [str(p) for p in plan.errors] == [
        "row 3, column budget: 2014-15's budget is approved; change it with a budget change"
    ]
    assert figure(world, "NET-01", 5).budget == D("500.00")


def test_a_budget_column_for_a_draft_year_is_planned_beside_the_other_figures(world, finance_user):
    # Who may write budgets is checked when the import is applied (test_budget_import.py).
    plan = upload(
        "line_code,year,period,actual,budget\nOUT-01,2014-15,P5,900.00,\nNET-01,2014-15,P5,,600\n",
        finance_user,
    )
    assert plan.errors == []
    net = next(c for c in plan.changes if c.line_code == "NET-01")
    assert (net.budget, net.budget_after) == (D("500.00"), D("600"))
    assert figure(world, "NET-01", 5).budget == D("500.00")
