"""Writes to budgets that span rows. Every write path (forms, imports, admin, shell)
goes through `ensure_periods_open` before it touches a monthly figure."""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction

from budgets.models import FinancialYear, MonthlyFigure


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


def _require_close_permission(user: AbstractBaseUser) -> None:
    if not user.has_perm("budgets.close_period"):
        raise PermissionDenied("Only administrators can close or reopen periods.")


@transaction.atomic
def close_period(*, year: FinancialYear, through: int, user: AbstractBaseUser) -> list[str]:
    """Close periods up to `through`. Returns the codes of lines that had no actual in a
    period being closed, so the person closing can be warned."""
    _require_close_permission(user)
    if not 1 <= through <= 12:
        raise ValueError("A period is between 1 and 12.")
    current = FinancialYear.objects.select_for_update().get(pk=year.pk)
    if through <= current.closed_through:
        raise ValueError(f"{current.label} is already closed through P{current.closed_through}.")
    missing = list(
        MonthlyFigure.objects.filter(
            year=current,
            period__gt=current.closed_through,
            period__lte=through,
            actual__isnull=True,
            line__active=True,
        )
        .values_list("line__code", flat=True)
        .distinct()
        .order_by("line__code")
    )
    current._history_user = user
    current._change_reason = f"Closed through P{through}"
    current.closed_through = through
    current.save(update_fields=["closed_through"])
    year.closed_through = through
    return missing


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
    current.save(update_fields=["closed_through"])
    year.closed_through = period - 1
