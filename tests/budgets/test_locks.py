"""The period lock: one guard for every write path, and close/reopen for Admins only."""

import pytest
from django.core.exceptions import PermissionDenied

from budgets.models import FinancialYear
from budgets.services import PeriodLockedError, close_period, ensure_periods_open, reopen_period

pytestmark = pytest.mark.django_db


def _closed_through(year: FinancialYear) -> int:
    return FinancialYear.objects.get(pk=year.pk).closed_through


def test_open_periods_pass_the_guard(world):
    year = world["year"]  # closed through P2: P3 is the first open period

    assert ensure_periods_open(year, [3, 4, 12]) is None
    assert ensure_periods_open(year, []) is None
    assert year.closed_through == 2  # read afresh, unchanged
    assert _closed_through(year) == 2
    with pytest.raises(PeriodLockedError):  # while the period before the first open fails
        ensure_periods_open(year, [3, 2])


def test_guard_refuses_a_closed_period_naming_it(world):
    with pytest.raises(PeriodLockedError) as refused:
        ensure_periods_open(world["year"], [5, 2, 3])

    assert refused.value.period == 2
    assert str(refused.value) == (
        "P2 2014-15 is closed (closed through P2); an administrator must reopen it before "
        "it can change."
    )


def test_guard_names_the_first_closed_period(world):
    with pytest.raises(PeriodLockedError, match=r"^P1 2014-15 is closed"):
        ensure_periods_open(world["year"], [2, 1])


def test_guard_reads_the_lock_afresh_not_from_a_stale_copy(world):
    stale = FinancialYear.objects.get(pk=world["year"].pk)
    FinancialYear.objects.filter(pk=stale.pk).update(closed_through=6)

    with pytest.raises(PeriodLockedError, match=r"^P5 2014-15 is closed \(closed through P6\)"):
        ensure_periods_open(stale, [5])
    assert stale.closed_through == 6


def test_close_period_closes_through_the_period(world, admin_user):
    close_period(year=world["year"], through=3, user=admin_user)

    assert _closed_through(world["year"]) == 3
    assert world["year"].closed_through == 3


def test_close_period_may_close_several_periods_at_once(world, admin_user):
    close_period(year=world["year"], through=12, user=admin_user)

    assert _closed_through(world["year"]) == 12


def test_closing_is_recorded_in_history_with_the_user(world, admin_user):
    close_period(year=world["year"], through=3, user=admin_user)

    record = world["year"].history.latest()
    assert record.history_user == admin_user
    assert record.history_change_reason == "Closed through P3"
    assert record.closed_through == 3
    assert record.prev_record.closed_through == 2


def test_a_reason_for_closing_is_kept_in_the_history(world, admin_user):
    close_period(year=world["year"], through=3, user=admin_user, reason=" NET-01 invoice late ")

    record = world["year"].history.latest()
    assert record.history_change_reason == "Closed through P3: NET-01 invoice late"
    assert _closed_through(world["year"]) == 3


@pytest.mark.parametrize("through", [1, 2, 13, 0])
def test_close_period_refuses_a_period_already_closed_or_outside_1_to_12(
    world, admin_user, through
):
    with pytest.raises(ValueError):
        close_period(year=world["year"], through=through, user=admin_user)
    assert _closed_through(world["year"]) == 2


def test_reopen_period_records_the_reason_and_user(world, admin_user):
    reopen_period(year=world["year"], period=2, reason=" Late BT invoice ", user=admin_user)

    assert _closed_through(world["year"]) == 1
    record = world["year"].history.latest()
    assert record.history_user == admin_user
    assert record.history_change_reason == "Reopened from P2: Late BT invoice"
    assert record.history_type == "~"
    assert record.diff_against(record.prev_record).changes[0].old == 2
    assert record.diff_against(record.prev_record).changes[0].new == 1


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_reopen_period_requires_a_reason(world, admin_user, reason):
    with pytest.raises(ValueError, match="Give a reason"):
        reopen_period(year=world["year"], period=2, reason=reason, user=admin_user)
    assert _closed_through(world["year"]) == 2
    assert world["year"].history.count() == 1  # only its creation


@pytest.mark.parametrize("period", [3, 0])
def test_reopen_period_refuses_a_period_that_is_not_closed(world, admin_user, period):
    with pytest.raises(ValueError):
        reopen_period(year=world["year"], period=period, reason="why", user=admin_user)
    assert _closed_through(world["year"]) == 2


@pytest.mark.parametrize("role_fixture", ["finance_user", "committee_user"])
def test_only_admins_close_periods(request, world, role_fixture):
    user = request.getfixturevalue(role_fixture)

    with pytest.raises(PermissionDenied):
        close_period(year=world["year"], through=3, user=user)
    assert _closed_through(world["year"]) == 2


@pytest.mark.parametrize("role_fixture", ["finance_user", "committee_user"])
def test_only_admins_reopen_periods(request, world, role_fixture):
    user = request.getfixturevalue(role_fixture)

    with pytest.raises(PermissionDenied):
        reopen_period(year=world["year"], period=1, reason="please", user=user)
    assert _closed_through(world["year"]) == 2
    assert world["year"].history.count() == 1
