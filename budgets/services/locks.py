"""The locks every write of a monthly figure meets, and the administrator's moves of them.
A closed period refuses every write path (`ensure_periods_open`, read afresh under a row
lock); an approved budget refuses every direct write of a budget (`ensure_budget_draft`);
`close_period` and `reopen_period` move a year's `closed_through`, keeping the reason in its
history, and add up the year's stored totals as at the new last closed period (the
pages' default reporting date) in the same transaction."""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction

from budgets.models import FinancialYear, refresh_line_year_totals
from common.locking import bump


class PeriodLockedError(Exception):
    """A write was refused because its period is closed."""

    def __init__(self, year: FinancialYear, period: int):
        self.year, self.period = year, period
        super().__init__(
            f"P{period} {year.label} is closed (closed through P{year.closed_through}); "
            "an administrator must reopen it before it can change."
        )


def ensure_periods_open(year: FinancialYear, periods: Iterable[int]) -> None:
    """Refuse, naming the first locked period, if any of `periods` is closed.

    Reads `closed_through` afresh with a row lock, so a period closed by someone else a
    moment ago is honoured by a save already under way.
    """
    current = FinancialYear.objects.select_for_update().get(pk=year.pk)
    year.closed_through = current.closed_through
    locked = sorted(p for p in set(periods) if current.is_locked(p))
    if locked:
        raise PeriodLockedError(current, locked[0])


class BudgetApprovedError(Exception):
    """A write would change the budget of a year whose budget is approved: after approval
    the budget moves only through a recorded budget change (`budgets.revisions`)."""

    def __init__(self, year: FinancialYear):
        self.year = year
        super().__init__(
            f"The {year.label} budget is approved: it changes only through a recorded "
            "budget change (a revision, virement or carry-forward, with its reason)."
        )


def ensure_budget_draft(year: FinancialYear) -> None:
    """Refuse (BudgetApprovedError) when `year`'s budget is approved, read afresh. Every
    write path that sets a figure's budget directly calls this first."""
    approved = FinancialYear.objects.filter(pk=year.pk, budget_approved_at__isnull=False)
    if approved.exists():
        raise BudgetApprovedError(year)


def _require_close_permission(user: AbstractBaseUser) -> None:
    if not user.has_perm("budgets.close_period"):
        raise PermissionDenied("Only administrators can close or reopen periods.")


@transaction.atomic
def close_period(
    *, year: FinancialYear, through: int, user: AbstractBaseUser, reason: str = ""
) -> None:
    """Close periods up to `through`. A reason (why it closes with work still outstanding)
    is kept in the year's history. `budgets.closing` says what is outstanding."""
    _require_close_permission(user)
    if not 1 <= through <= 12:
        raise ValueError("A period is between 1 and 12.")
    current = FinancialYear.objects.select_for_update().get(pk=year.pk)
    if through <= current.closed_through:
        raise ValueError(f"{current.label} is already closed through P{current.closed_through}.")
    current._history_user = user
    current._change_reason = ": ".join(filter(None, [f"Closed through P{through}", reason.strip()]))
    current.closed_through = through
    bump(current)
    current.save(update_fields=["closed_through", "version"])
    refresh_line_year_totals(year_ids=[current.pk], periods=[])  # as at the new date
    year.closed_through, year.version = through, current.version


@transaction.atomic
def reopen_period(*, year: FinancialYear, period: int, reason: str, user: AbstractBaseUser) -> None:
    """Reopen `period` and every later one; the reason is kept in the year's history."""
    _require_close_permission(user)
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("Give a reason for reopening; it is kept in the history.")
    current = FinancialYear.objects.select_for_update().get(pk=year.pk)
    if not 1 <= period <= current.closed_through:
        raise ValueError(f"P{period} {current.label} is not closed.")
    current._history_user = user
    current._change_reason = f"Reopened from P{period}: {reason}"
    current.closed_through = period - 1
    bump(current)
    current.save(update_fields=["closed_through", "version"])
    refresh_line_year_totals(year_ids=[current.pk], periods=[])  # as at the new date
    year.closed_through, year.version = period - 1, current.version
