"""The admin's services: every save of a year, category, line or figure checks the user's
permission and the version the form was opened at, whoever calls it."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied

from budgets.models import BudgetLine, Category, FinancialYear, MonthlyFigure
from budgets.services import (
    PeriodLockedError,
    VarianceNoteError,
    close_period,
    reopen_period,
    save_category,
    save_figure,
    save_line,
    save_year,
)
from common.locking import StaleVersionError
from common.roles import ADMIN
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def _stored(model, pk):
    return model.objects.get(pk=pk)


def test_save_line_bumps_the_version_and_records_the_user(world, admin_user):
    line = BudgetLine.objects.get(code="NET-01")
    line.name = "Networks and telephony"

    save_line(line=line, user=admin_user, expected_version=1)

    stored = _stored(BudgetLine, line.pk)
    assert (stored.name, stored.version) == ("Networks and telephony", 2)
    assert stored.history.latest().history_user == admin_user


def test_save_line_refuses_a_stale_version_naming_who_changed_it(world, admin_user):
    other = make_user("anna", ADMIN, last_name="Other")
    mine = BudgetLine.objects.get(code="NET-01")
    theirs = BudgetLine.objects.get(code="NET-01")
    theirs.owner = "Head of networks"
    save_line(line=theirs, user=other, expected_version=1)

    mine.name = "Mine"
    with pytest.raises(StaleVersionError) as refused:
        save_line(line=mine, user=admin_user, expected_version=1)

    assert refused.value.changed_by == "Anna Other"
    assert refused.value.current.version == 2
    stored = _stored(BudgetLine, mine.pk)
    assert (stored.name, stored.owner, stored.version) == (
        "Network services",
        "Head of networks",
        2,
    )


@pytest.mark.parametrize("role_fixture", ["finance_user", "committee_user"])
def test_only_admins_save_lines_categories_and_years(request, world, role_fixture):
    user = request.getfixturevalue(role_fixture)
    line = BudgetLine.objects.get(code="NET-01")
    line.name = "Renamed"
    category = Category.objects.get(name="Networks")
    category.order = 99
    year = FinancialYear.objects.get(label="2014-15")
    year.label = "2099-00"

    with pytest.raises(PermissionDenied):
        save_line(line=line, user=user, expected_version=1)
    with pytest.raises(PermissionDenied):
        save_category(category=category, user=user, expected_version=1)
    with pytest.raises(PermissionDenied):
        save_year(year=year, user=user, expected_version=1)
    with pytest.raises(PermissionDenied):
        save_line(
            line=BudgetLine(code="NEW-01", name="New", category=category),
            user=user,
            expected_version=None,
        )

    assert _stored(BudgetLine, line.pk).name == "Network services"
    assert _stored(Category, category.pk).order != 99
    assert _stored(FinancialYear, year.pk).label == "2014-15"
    assert not BudgetLine.objects.filter(code="NEW-01").exists()


def test_save_category_refuses_a_stale_version(world, admin_user):
    category = Category.objects.get(name="Networks")
    Category.objects.filter(pk=category.pk).update(version=5, order=7)
    category.name = "Networks and telephony"

    with pytest.raises(StaleVersionError):
        save_category(category=category, user=admin_user, expected_version=1)

    stored = _stored(Category, category.pk)
    assert (stored.name, stored.order, stored.version) == ("Networks", 7, 5)


def test_save_year_keeps_the_stored_closed_periods(world, admin_user):
    year = FinancialYear.objects.get(label="2014-15")  # closed through P2
    year.closed_through = 0  # as a crafted form might send
    year.start = year.start.replace(day=1)

    save_year(year=year, user=admin_user, expected_version=1)

    stored = _stored(FinancialYear, year.pk)
    assert (stored.closed_through, stored.version) == (2, 2)


def test_closing_and_reopening_move_the_years_version(world, admin_user):
    year = world["year"]
    close_period(year=year, through=3, user=admin_user)
    assert _stored(FinancialYear, year.pk).version == 2
    reopen_period(year=year, period=3, reason="Late invoice", user=admin_user)
    assert _stored(FinancialYear, year.pk).version == 3
    year.label = "stale"
    with pytest.raises(StaleVersionError):
        save_year(year=year, user=admin_user, expected_version=1)
    assert _stored(FinancialYear, year.pk).label == "2014-15"


def _figure(code: str, period: int) -> MonthlyFigure:
    return MonthlyFigure.objects.get(line__code=code, year__label="2014-15", period=period)


def test_save_figure_writes_through_the_grids_rules_with_history(world, finance_user):
    figure = _figure("OUT-01", 4)
    figure.actual, figure.note = D("1234.56"), "Extra licences"

    save_figure(figure=figure, user=finance_user, expected_version=1)

    stored = _figure("OUT-01", 4)
    assert (stored.actual, stored.note, stored.version) == (D("1234.56"), "Extra licences", 2)
    assert stored.updated_by == finance_user
    assert stored.history.latest().history_user == finance_user


def test_save_figure_refuses_a_stale_version(world, finance_user, admin_user):
    figure = _figure("OUT-01", 4)
    MonthlyFigure.objects.filter(pk=figure.pk).update(actual=D("2.00"), version=2)
    figure.actual = D("1.00")

    with pytest.raises(StaleVersionError):
        save_figure(figure=figure, user=admin_user, expected_version=1)

    assert _figure("OUT-01", 4).actual == D("2.00")


def test_save_figure_refuses_a_closed_period(world, admin_user):
    figure = _figure("OUT-01", 2)
    figure.actual = D("1.00")
    with pytest.raises(PeriodLockedError):
        save_figure(figure=figure, user=admin_user, expected_version=1)
    assert _figure("OUT-01", 2).actual == D("1100.00")


def test_save_figure_needs_a_note_far_from_budget(world, admin_user, settings):
    settings.VARIANCE_NOTE_PERCENT, settings.VARIANCE_NOTE_AMOUNT = D("10"), D("100")
    figure = _figure("OUT-01", 4)  # budget 1,000.00
    figure.actual = D("1500.00")
    with pytest.raises(VarianceNoteError):
        save_figure(figure=figure, user=admin_user, expected_version=1)
    assert _figure("OUT-01", 4).actual is None


def test_only_admins_change_a_budget_and_committee_nothing(world, finance_user, committee_user):
    figure = _figure("OUT-01", 4)
    figure.budget = D("5000.00")
    with pytest.raises(PermissionDenied):
        save_figure(figure=figure, user=finance_user, expected_version=1)
    figure = _figure("OUT-01", 4)
    figure.actual = D("1.00")
    with pytest.raises(PermissionDenied):
        save_figure(figure=figure, user=committee_user, expected_version=1)
    stored = _figure("OUT-01", 4)
    assert (stored.budget, stored.actual, stored.version) == (D("1000.00"), None, 1)
