"""Writes to budgets that span rows. Every write path (forms, imports, admin, shell)
goes through `ensure_periods_open` before it touches a monthly figure."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from budgets.models import BudgetLine, FinancialYear, MonthlyFigure

UNCHANGED = object()  # an entry field the person did not submit


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


# Entering figures through the browser: a whole page is saved or nothing is.


@dataclass(frozen=True)
class FigureEntry:
    """What a person submitted for one monthly figure, with the version they loaded.

    A field left as UNCHANGED is not touched; `actual` and `forecast` may be None (blank).
    """

    figure_id: int
    version: int
    actual: Decimal | object | None = UNCHANGED
    forecast: Decimal | object | None = UNCHANGED
    note: str | object = UNCHANGED


@dataclass(frozen=True)
class Conflict:
    """A figure someone else saved after the page was loaded: their values and name."""

    figure: MonthlyFigure

    @property
    def line(self) -> BudgetLine:
        return self.figure.line

    @property
    def entered_by(self) -> str:
        user = self.figure.updated_by
        if user is None:
            return "an import or the system"
        return user.get_full_name() or user.get_username()


class ConflictError(Exception):
    """Someone changed some of these figures after the page was loaded; nothing was saved."""

    def __init__(self, conflicts: list[Conflict]):
        self.conflicts = conflicts
        codes = ", ".join(c.line.code for c in conflicts)
        super().__init__(f"Someone else changed {codes} after you loaded the page.")


class VarianceNoteError(Exception):
    """Actuals far from budget need an explanation; nothing was saved."""

    def __init__(self, figures: list[MonthlyFigure]):
        self.figures = figures
        codes = ", ".join(f"{f.line.code} P{f.period}" for f in figures)
        super().__init__(f"Explain the variance from budget for {codes}.")


def note_required(*, actual: Decimal | None, budget: Decimal) -> bool:
    """True when |actual - budget| exceeds both VARIANCE_NOTE_PERCENT of the budget and
    VARIANCE_NOTE_AMOUNT (read from settings at call time)."""
    if actual is None:
        return False
    gap = abs(actual - budget)
    return (
        gap * 100 > budget * settings.VARIANCE_NOTE_PERCENT and gap > settings.VARIANCE_NOTE_AMOUNT
    )


def _record(
    *,
    year: FinancialYear,
    entries: Iterable[FigureEntry],
    user: AbstractBaseUser,
    period: int | None = None,
) -> list[MonthlyFigure]:
    """Apply `entries` to figures of `year` (and `period`, if given), all or nothing.

    Refuses (raising, writing nothing) when the user may not change figures, a figure is
    not in the year or period, any period touched is closed, any figure's version moved on
    since it was loaded, or a changed actual is far from budget without a note. Changed
    rows get a new version, the user and a history row each, in a constant number of
    queries (bulk writes; SQLite splits them into batches of its parameter limit).
    """
    if not user.has_perm("budgets.change_monthlyfigure"):
        raise PermissionDenied("Only Finance can record monthly figures.")
    entries = {entry.figure_id: entry for entry in entries}
    figures = MonthlyFigure.objects.select_for_update(of=("self",)).filter(
        year=year, pk__in=entries
    )
    if period is not None:
        figures = figures.filter(period=period)
    figures = list(figures.select_related("line", "updated_by").order_by("line__code", "period"))
    if len(figures) != len(entries):
        where = year.label if period is None else f"P{period} {year.label}"
        raise MonthlyFigure.DoesNotExist(f"Some of the figures sent are not in {where}.")
    ensure_periods_open(year, {figure.period for figure in figures})
    conflicts = [Conflict(f) for f in figures if f.version != entries[f.pk].version]
    if conflicts:
        raise ConflictError(conflicts)

    changed = [f for f in figures if _apply(f, entries[f.pk])]
    unexplained = [
        f for f in changed if not f.note.strip() and note_required(actual=f.actual, budget=f.budget)
    ]
    if unexplained:
        raise VarianceNoteError(unexplained)
    now = timezone.now()
    for figure in changed:
        figure.version += 1
        figure.updated_by = user
        figure.updated_at = now
    if changed:
        bulk_update_with_history(
            changed,
            MonthlyFigure,
            ["actual", "forecast", "note", "version", "updated_by", "updated_at"],
            default_user=user,
            default_date=now,
        )
    return changed


def _apply(figure: MonthlyFigure, entry: FigureEntry) -> bool:
    """Copy the entry's given fields onto the figure; True if anything differs."""
    changed = False
    for field in ("actual", "forecast", "note"):
        value = getattr(entry, field)
        if value is not UNCHANGED and value != getattr(figure, field):
            setattr(figure, field, value)
            changed = True
    return changed


@transaction.atomic
def record_period(
    *, year: FinancialYear, period: int, entries: Iterable[FigureEntry], user: AbstractBaseUser
) -> list[MonthlyFigure]:
    """One period's actuals and notes for many lines; returns the figures changed.

    All or nothing: see `_record` for what is refused.
    """
    entries = list(entries)
    if any(e.forecast is not UNCHANGED for e in entries):
        raise ValueError("The period page records actuals and notes, not forecasts.")
    return _record(year=year, entries=entries, user=user, period=period)


@transaction.atomic
def record_forecasts(
    *, year: FinancialYear, entries: Iterable[FigureEntry], user: AbstractBaseUser
) -> list[MonthlyFigure]:
    """Forecasts for many lines and periods; returns the figures changed.

    All or nothing: see `_record` for what is refused.
    """
    entries = list(entries)
    if any(e.actual is not UNCHANGED or e.note is not UNCHANGED for e in entries):
        raise ValueError("The forecast grid records forecasts only.")
    return _record(year=year, entries=entries, user=user)
