"""What a close looks at (budgets.closing), against tests/world.py: 2014-15 closed through
P2, actuals for P1-P3 except NET-01 P3, forecasts OUT-01 P4-P6 1,050.00 and CHG-01 P12
2,000.00. The variance note rule is made small enough for these figures to meet it."""

from datetime import UTC, date, datetime
from decimal import Decimal as D

import pytest

from budgets.closing import (
    closed_at,
    missing_actuals,
    unbudgeted_extensions,
    unexplained_actuals,
    unexplained_outturns,
    unreviewed_forecasts,
)
from budgets.models import BudgetLine, FinancialYear, MonthlyFigure, refresh_line_year_totals
from budgets.services import close_period, note_required, reopen_period
from contracts.models import Contract, ContractChange

pytestmark = pytest.mark.django_db

JUNE_1 = datetime(2014, 6, 1, 9, 0, tzinfo=UTC)
P2_CLOSED = datetime(2014, 6, 5, 10, 0, tzinfo=UTC)
JUNE_10 = datetime(2014, 6, 10, 9, 0, tzinfo=UTC)


@pytest.fixture
def small_note_rule(settings):
    """A note is needed beyond 10% of budget and £50.00 (the world's figures are small)."""
    settings.VARIANCE_NOTE_PERCENT = D("10")
    settings.VARIANCE_NOTE_AMOUNT = D("50")


def _figures(code: str, *periods: int):
    return MonthlyFigure.objects.filter(line__code=code, year__label="2014-15", period__in=periods)


def _year() -> FinancialYear:
    return FinancialYear.objects.get(label="2014-15")


# When a period was last closed


def test_a_year_created_closed_counts_as_closed_when_it_was_created(world):
    year = world["year"]
    created = year.history.get().history_date

    assert closed_at(year, 2) == created
    assert closed_at(year, 1) == created
    assert closed_at(year, 3) is None
    assert closed_at(year, 0) is None


def test_closed_at_is_the_latest_close_after_a_reopen(world, admin_user):
    year = world["year"]
    close_period(year=year, through=3, user=admin_user)
    first = year.history.latest().history_date
    assert closed_at(year, 3) == first

    reopen_period(year=year, period=3, reason="Late invoice", user=admin_user)
    assert closed_at(year, 3) == first  # the last time it closed, though open now
    close_period(year=year, through=4, user=admin_user)
    again = year.history.latest().history_date

    assert again > first
    assert closed_at(year, 3) == again
    assert closed_at(year, 4) == again
    assert closed_at(year, 2) == year.history.earliest().history_date  # never reopened


def test_a_year_never_closed_has_no_close(world):
    year = FinancialYear.objects.create(label="2015-16", start=date(2015, 4, 1))
    assert closed_at(year, 1) is None


# Lines missing actuals


def test_missing_actuals_are_the_open_periods_up_to_the_one_closing(world):
    found = [(f.line.code, f.period) for f in missing_actuals(world["year"], 3)]
    assert found == [("NET-01", 3)]  # P1 and P2 are closed; OUT-01 and CHG-01 have P3

    found = [(f.line.code, f.period) for f in missing_actuals(world["year"], 4)]
    assert found == [("CHG-01", 4), ("NET-01", 3), ("NET-01", 4), ("OUT-01", 4)]


def test_missing_actuals_leave_out_inactive_lines(world):
    BudgetLine.objects.filter(code="NET-01").update(active=False)
    assert list(missing_actuals(world["year"], 3)) == []


def test_an_actual_entered_is_no_longer_missing(world):
    _figures("NET-01", 3).update(actual=D("0.00"))
    assert list(missing_actuals(world["year"], 3)) == []


# Variance notes: actuals


def test_an_actual_far_from_budget_without_a_note_is_listed(world, small_note_rule):
    # P3: OUT-01 1,100.00 against 1,000.00 is exactly 10%, not beyond it; CHG-01 300.00
    # against 200.00 is £100.00 and 50% over. CHG-01 P2 (-50.00) is in a closed period.
    found = [(f.line.code, f.period) for f in unexplained_actuals(world["year"], 3)]
    assert found == [("CHG-01", 3)]


def test_a_note_explains_an_actual_but_blank_space_does_not(world, small_note_rule):
    _figures("CHG-01", 3).update(note="  \n ")
    assert [f.line.code for f in unexplained_actuals(world["year"], 3)] == ["CHG-01"]

    _figures("CHG-01", 3).update(note="Test environment bought early")
    assert unexplained_actuals(world["year"], 3) == []


def test_an_actual_needs_a_note_only_beyond_both_thresholds(world, settings):
    settings.VARIANCE_NOTE_PERCENT = D("10")
    settings.VARIANCE_NOTE_AMOUNT = D("100")  # CHG-01 P3 is £100.00 over: not beyond
    assert unexplained_actuals(world["year"], 3) == []
    settings.VARIANCE_NOTE_AMOUNT = D("99.99")
    settings.VARIANCE_NOTE_PERCENT = D("50")  # and 50% over: not beyond
    assert unexplained_actuals(world["year"], 3) == []


# Variance notes: full-year forecasts


def test_a_full_year_forecast_far_from_budget_without_a_note_is_listed(world, small_note_rule):
    # As at P3: OUT-01 12,450.00 against 12,000.00 (3.75%); NET-01 5,900.00 against
    # 6,000.00; CHG-01 0 - 50 + 300 + 8 x 200 + 2,000 = 3,850.00 against 2,400.00.
    (line,) = unexplained_outturns(world["year"], 3)

    assert line.code == "CHG-01"
    assert (line.outturn, line.full_year_budget) == (D("3850.00"), D("2400.00"))
    assert note_required(actual=line.outturn, budget=line.full_year_budget)


def test_any_note_on_the_lines_figures_of_the_year_explains_its_forecast(world, small_note_rule):
    _figures("CHG-01", 12).update(note="Go-live moved into March")
    assert unexplained_outturns(world["year"], 3) == []


def test_a_forecast_needs_a_note_only_beyond_both_thresholds(world, settings):
    settings.VARIANCE_NOTE_PERCENT = D("10")
    settings.VARIANCE_NOTE_AMOUNT = D("1450")  # CHG-01 is £1,450.00 over: not beyond
    assert unexplained_outturns(world["year"], 3) == []
    settings.VARIANCE_NOTE_AMOUNT = D("1449.99")
    assert [line.code for line in unexplained_outturns(world["year"], 3)] == ["CHG-01"]
    settings.VARIANCE_NOTE_PERCENT = D("61")  # 1,450 / 2,400 is 60.4%
    assert unexplained_outturns(world["year"], 3) == []


def test_a_note_in_another_year_does_not_explain_this_years_forecast(world, small_note_rule):
    # OUT-01 as at P3: 3 x 1,100 + 9 x 2,000 = 21,300.00 against 12,000.00.
    _figures("OUT-01", *range(4, 13)).update(forecast=D("2000.00"))
    world["base_year"].figures.filter(line__code="OUT-01", period=1).update(note="Last year")
    refresh_line_year_totals()  # as every bulk write of figures does

    assert [line.code for line in unexplained_outturns(world["year"], 3)] == ["CHG-01", "OUT-01"]


# Forecasts not reviewed since the last close


@pytest.fixture
def p2_closed_on_5_june(world):
    """P2 closed at 10:00 on 5 June 2014; every figure last changed on 1 June."""
    world["year"].history.update(history_date=P2_CLOSED)
    MonthlyFigure.objects.filter(year=world["year"]).update(updated_at=JUNE_1)
    return world


def _unreviewed(period: int = 3) -> list[tuple]:
    return [
        (row["line__code"], row["stale"], row["first_period"], row["last_period"])
        for row in unreviewed_forecasts(_year(), period)
    ]


def test_forecasts_after_the_period_not_changed_since_the_last_close_are_listed(
    p2_closed_on_5_june,
):
    assert _unreviewed() == [("CHG-01", 9, 4, 12), ("NET-01", 9, 4, 12), ("OUT-01", 9, 4, 12)]
    assert _unreviewed(11) == [("CHG-01", 1, 12, 12), ("NET-01", 1, 12, 12), ("OUT-01", 1, 12, 12)]


def test_forecasts_changed_since_the_last_close_count_as_reviewed(p2_closed_on_5_june):
    _figures("OUT-01", *range(4, 13)).update(updated_at=JUNE_10)
    _figures("NET-01", 7).update(updated_at=JUNE_10)

    assert _unreviewed() == [("CHG-01", 9, 4, 12), ("NET-01", 8, 4, 12)]
    (net,) = [r for r in unreviewed_forecasts(_year(), 3) if r["line__code"] == "NET-01"]
    assert net["last_changed"] == JUNE_1


def test_with_no_close_in_the_year_forecasts_never_changed_by_a_person_are_listed(
    world, finance_user
):
    year = world["year"]
    FinancialYear.objects.filter(pk=year.pk).update(closed_through=0)
    year.history.all().delete()  # as if the year had been created open
    year.refresh_from_db()
    MonthlyFigure.objects.filter(year=year).exclude(line__code="NET-01").update(
        updated_by=finance_user
    )

    assert [(r["line__code"], r["stale"]) for r in unreviewed_forecasts(year, 1)] == [
        ("NET-01", 11)
    ]


# Contracts extended with unbudgeted months. In the world CAP-2005 was extended from
# 31 Mar 2012 to 31 Dec 2015, so it added every month of 2014-15; OUT-01 pays it and
# budgets 1,000.00 every month.


def _unbudgeted() -> list[tuple]:
    return [
        (row["change"].contract.reference, row["line"].code, row["periods"])
        for row in unbudgeted_extensions(_year())
    ]


def test_months_an_extension_added_with_no_budget_or_forecast_are_listed(world):
    assert _unbudgeted() == []

    _figures("OUT-01", 10, 11, 12).update(budget=D("0.00"))
    assert _unbudgeted() == [("CAP-2005", "OUT-01", [10, 11, 12])]

    _figures("OUT-01", 12).update(forecast=D("0.00"))  # a forecast, even of nothing, is one
    assert _unbudgeted() == [("CAP-2005", "OUT-01", [10, 11])]


def test_months_after_the_contract_now_ends_are_not_counted(world):
    _figures("OUT-01", 10, 11, 12).update(budget=D("0.00"))
    Contract.objects.filter(reference="CAP-2005").update(end_date=date(2015, 1, 15))
    assert _unbudgeted() == [("CAP-2005", "OUT-01", [10])]


def test_months_before_the_extension_are_not_counted(world):
    _figures("OUT-01", 1, 2, 12).update(budget=D("0.00"))
    ContractChange.objects.filter(contract__reference="CAP-2005").update(
        old_end_date=date(2014, 5, 31)
    )
    assert _unbudgeted() == [("CAP-2005", "OUT-01", [12])]  # June 2014 on were added


def test_inactive_lines_ended_contracts_and_other_years_extensions_are_left_out(world):
    _figures("OUT-01", 12).update(budget=D("0.00"))
    BudgetLine.objects.filter(code="OUT-01").update(active=False)
    assert _unbudgeted() == []

    BudgetLine.objects.filter(code="OUT-01").update(active=True)
    Contract.objects.filter(reference="CAP-2005").update(status=Contract.Status.TERMINATED)
    assert _unbudgeted() == []

    Contract.objects.filter(reference="CAP-2005").update(status=Contract.Status.ACTIVE)
    ContractChange.objects.filter(contract__reference="CAP-2005").update(
        new_end_date=date(2014, 3, 31)
    )
    assert _unbudgeted() == []
