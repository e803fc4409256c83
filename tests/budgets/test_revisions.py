"""Approving a year's budget and changing it afterwards (budgets/revisions.py), with the
world of tests/world.py: 2014-15, closed through P2, OUT-01 1,000.00, NET-01 500.00 and
CHG-01 200.00 a month, so a full-year budget of 20,400.00."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied

from budgets.models import BudgetChange, BudgetChangeLine, FinancialYear, MonthlyFigure
from budgets.revisions import (
    BudgetChangeConflictError,
    BudgetChangeError,
    ChangeAmount,
    approve_budget,
    record_budget_change,
)
from budgets.services import BudgetApprovedError, PeriodLockedError, save_figure

VIREMENT = BudgetChange.Kind.VIREMENT
REVISION = BudgetChange.Kind.REVISION
CARRY = BudgetChange.Kind.CARRY_FORWARD


def figure(line, year, period) -> MonthlyFigure:
    return MonthlyFigure.objects.get(line=line, year=year, period=period)


@pytest.fixture
def approved(world, admin_user) -> dict:
    approve_budget(year=world["year"], user=admin_user, expected_version=world["year"].version)
    return world


def test_admin_approves_and_freezes_every_original_budget(world, admin_user):
    year = world["year"]
    approve_budget(year=year, user=admin_user, expected_version=year.version)
    year.refresh_from_db()
    assert year.is_budget_approved and year.budget_approved_by == admin_user
    figures = MonthlyFigure.objects.for_year(year)
    assert figures.filter(original_budget__isnull=True).count() == 0
    assert figures.totals(2)["original_budget"] == D("20400.00")
    assert figures.totals(2)["budget"] == D("20400.00")
    frozen = figure(world["lines"]["out"], year, 5).history.first()
    assert frozen.original_budget == D("1000.00")
    assert frozen.history_change_reason == "Original budget frozen: 2014-15 approved"
    assert frozen.history_user == admin_user
    # The other year is still a draft, its originals unset.
    assert MonthlyFigure.objects.for_year(world["base_year"]).totals(12)["original_budget"] is None


def test_finance_cannot_approve_and_approval_happens_once(world, finance_user, admin_user):
    year = world["year"]
    with pytest.raises(PermissionDenied):
        approve_budget(year=year, user=finance_user, expected_version=year.version)
    assert not FinancialYear.objects.get(pk=year.pk).is_budget_approved
    approve_budget(year=year, user=admin_user, expected_version=year.version)
    with pytest.raises(ValueError, match="already approved"):
        approve_budget(year=year, user=admin_user, expected_version=year.version)


def test_virement_that_does_not_net_to_zero_is_refused_naming_the_difference(approved, admin_user):
    out, net, year = approved["lines"]["out"], approved["lines"]["net"], approved["year"]
    with pytest.raises(BudgetChangeError) as refused:
        record_budget_change(
            kind=VIREMENT,
            reason="Move support money to networks",
            amounts=[
                ChangeAmount(out, year, 6, D("-300.00")),
                ChangeAmount(net, year, 6, D("400.00")),
            ],
            user=admin_user,
        )
    assert "add up to £100.00" in str(refused.value)
    assert "more is added than taken away by £100.00" in str(refused.value)
    assert not BudgetChange.objects.exists()
    assert figure(net, year, 6).budget == D("500.00")


def test_virement_moves_budget_and_keeps_the_original(approved, admin_user):
    out, net, year = approved["lines"]["out"], approved["lines"]["net"], approved["year"]
    change = record_budget_change(
        kind=VIREMENT,
        reason="Move support money to networks",
        amounts=[
            ChangeAmount(out, year, 6, D("-300.00")),
            ChangeAmount(net, year, 6, D("300.00")),
        ],
        user=admin_user,
    )
    assert (figure(out, year, 6).budget, figure(out, year, 6).original_budget) == (
        D("700.00"),
        D("1000.00"),
    )
    assert figure(net, year, 6).budget == D("800.00")
    assert (
        figure(net, year, 6)
        .history.first()
        .history_change_reason.startswith(f"Budget change {change.pk}: Virement")
    )
    row = BudgetChange.objects.with_totals().get()
    assert (row.net, row.moved, row.line_count) == (D("0.00"), D("300.00"), 2)


def test_revised_is_original_plus_changes_per_line_and_in_total(approved, admin_user):
    """The reconciliation: revised = original + the sum of changes."""
    out, net, chg = (approved["lines"][k] for k in ("out", "net", "chg"))
    year = approved["year"]
    record_budget_change(
        kind=VIREMENT,
        reason="Networks",
        amounts=[ChangeAmount(out, year, 6, D("-300.00")), ChangeAmount(net, year, 7, D("300.00"))],
        user=admin_user,
    )
    record_budget_change(
        kind=REVISION,
        reason="Mobile pilot funded",
        amounts=[
            ChangeAmount(chg, year, 12, D("1250.50")),
            ChangeAmount(chg, year, 11, D("-0.50")),
        ],
        user=admin_user,
    )
    totals = MonthlyFigure.objects.for_year(year).totals(2)
    assert totals["original_budget"] == D("20400.00")
    assert totals["budget"] == D("21650.00")
    changes = BudgetChangeLine.objects.filter(year=year)
    assert totals["budget"] == totals["original_budget"] + changes.total()["amount"]
    by_line = {row["code"]: row["amount"] for row in changes.by_line_year()}
    assert by_line == {"CHG-01": D("1250.00"), "NET-01": D("300.00"), "OUT-01": D("-300.00")}
    for line in (out, net, chg):
        line_totals = MonthlyFigure.objects.for_year(year).filter(line=line).totals(2)
        assert line_totals["budget"] == line_totals["original_budget"] + by_line[line.code]
    assert line_totals["budget"] == D("3650.00")  # CHG-01: 2,400.00 + 1,250.00


def test_change_to_a_closed_period_is_refused(approved, admin_user):
    out, year = approved["lines"]["out"], approved["year"]
    with pytest.raises(PeriodLockedError, match="P2 2014-15 is closed"):
        record_budget_change(
            kind=REVISION,
            reason="Late",
            amounts=[ChangeAmount(out, year, 2, D("10.00"))],
            user=admin_user,
        )
    assert figure(out, year, 2).budget == D("1000.00")
    assert not BudgetChange.objects.exists()


def test_change_to_a_draft_year_is_refused(world, admin_user):
    with pytest.raises(BudgetChangeError, match="2014-15 budget is a draft"):
        record_budget_change(
            kind=REVISION,
            reason="Too early",
            amounts=[ChangeAmount(world["lines"]["out"], world["year"], 6, D("10.00"))],
            user=admin_user,
        )


def test_finance_cannot_record_a_budget_change(approved, finance_user):
    with pytest.raises(PermissionDenied):
        record_budget_change(
            kind=REVISION,
            reason="Not mine to make",
            amounts=[ChangeAmount(approved["lines"]["out"], approved["year"], 6, D("10.00"))],
            user=finance_user,
        )
    assert figure(approved["lines"]["out"], approved["year"], 6).budget == D("1000.00")


def test_carry_forward_moves_an_amount_into_the_next_year(approved, admin_user):
    out, year = approved["lines"]["out"], approved["year"]
    with pytest.raises(BudgetChangeError, match="2014-15 has no next year"):
        record_budget_change(
            kind=CARRY,
            reason="Slipped delivery",
            amounts=[ChangeAmount(out, year, 12, D("-500.00"))],
            user=admin_user,
        )
    later = FinancialYear.objects.create(label="2015-16", start=date(2015, 4, 1))
    MonthlyFigure.objects.create(line=out, year=later, period=1, budget=D("800.00"))
    approve_budget(year=later, user=admin_user, expected_version=later.version)
    short = r"add up to −£100.00 \(more is taken away than added by £100.00\)"
    with pytest.raises(BudgetChangeError, match=short):
        record_budget_change(
            kind=CARRY,
            reason="Slipped delivery",
            amounts=[
                ChangeAmount(out, year, 12, D("-500.00")),
                ChangeAmount(out, later, 1, D("400.00")),
            ],
            user=admin_user,
        )
    record_budget_change(
        kind=CARRY,
        reason="Slipped delivery",
        amounts=[
            ChangeAmount(out, year, 12, D("-500.00")),
            ChangeAmount(out, later, 1, D("500.00")),
        ],
        user=admin_user,
    )
    assert figure(out, year, 12).budget == D("500.00")
    assert (figure(out, later, 1).budget, figure(out, later, 1).original_budget) == (
        D("1300.00"),
        D("800.00"),
    )


def test_a_change_may_not_leave_a_budget_below_zero(approved, admin_user):
    with pytest.raises(BudgetChangeError, match="CHG-01 P6 2014-15: the change would leave"):
        record_budget_change(
            kind=REVISION,
            reason="Cut",
            amounts=[ChangeAmount(approved["lines"]["chg"], approved["year"], 6, D("-200.01"))],
            user=admin_user,
        )
    assert not BudgetChange.objects.exists()


def test_change_recorded_meanwhile_on_the_same_figures_is_a_conflict(approved, admin_user):
    out, year = approved["lines"]["out"], approved["year"]
    amounts = [ChangeAmount(out, year, 6, D("10.00"))]
    record_budget_change(kind=REVISION, reason="First", amounts=amounts, user=admin_user)
    with pytest.raises(BudgetChangeConflictError, match="Someone changed the budget"):
        record_budget_change(
            kind=REVISION, reason="Second", amounts=amounts, user=admin_user, seen_through=0
        )
    assert figure(out, year, 6).budget == D("1010.00")


def test_direct_budget_edit_of_an_approved_year_is_refused(approved, admin_user):
    row = figure(approved["lines"]["out"], approved["year"], 6)
    row.budget = D("1500.00")
    with pytest.raises(BudgetApprovedError, match="only through a recorded budget change"):
        save_figure(figure=row, user=admin_user, expected_version=row.version)
    assert figure(approved["lines"]["out"], approved["year"], 6).budget == D("1000.00")
