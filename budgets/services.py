"""Every write to budgets: the entry grids, period close and reopen, and the admin's saves
of years, categories, lines and figures. Each checks the user's permission; every write
path (forms, imports, admin, shell) goes through `ensure_periods_open` before it touches a
monthly figure. Imports are written by `budgets.importing.apply`. Once a year's budget is
approved, `ensure_budget_draft` refuses every direct write of its budget: it then moves
only through `budgets.revisions`."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from budgets.batches import entry_batch
from budgets.models import (
    BudgetLine,
    Category,
    FinancialYear,
    MonthlyFigure,
    refresh_line_year_totals,
)
from common.locking import bump, check_version
from common.money import ZERO

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
    year.closed_through, year.version = period - 1, current.version


# Monthly figures: the entry grids save a page of them all or nothing; the admin one.

FIGURE_FIELDS = ("budget", "actual", "forecast", "note", "committed")
EXPLAINED_FIELDS = {"budget", "actual", "note"}  # a change to these needs the note rule


@dataclass(frozen=True)
class FigureEntry:
    """What a person submitted for one monthly figure, with the version they loaded.

    A field left as UNCHANGED is not touched; `actual` and `forecast` may be None (blank).
    Only the admin sends a `budget`. `committed` (orders placed, not yet invoiced) does not
    change the outturn.
    """

    figure_id: int
    version: int
    actual: Decimal | object | None = UNCHANGED
    forecast: Decimal | object | None = UNCHANGED
    note: str | object = UNCHANGED
    budget: Decimal | object = UNCHANGED
    committed: Decimal | object = UNCHANGED


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


def needs_note(figure: MonthlyFigure, changed: Iterable[str]) -> bool:
    """The variance note rule: a figure whose actual, budget or note changed and whose
    actual is far from budget must keep a note."""
    return bool(EXPLAINED_FIELDS & set(changed)) and (
        not figure.note.strip() and note_required(actual=figure.actual, budget=figure.budget)
    )


def _require_figure_permission(user: AbstractBaseUser, *, budget: bool = False) -> None:
    if not user.has_perm("budgets.change_monthlyfigure"):
        raise PermissionDenied("Only Finance can record monthly figures.")
    if budget and not user.has_perm("budgets.change_budgetline"):
        raise PermissionDenied("Only administrators can change a budget.")


def _record(
    *,
    year: FinancialYear,
    entries: Iterable[FigureEntry],
    user: AbstractBaseUser,
    period: int | None = None,
    batch_source: str | None = None,
) -> list[MonthlyFigure]:
    """Apply `entries` to figures of `year` (and `period`, if given), all or nothing.

    Refuses (raising, writing nothing) when the user may not change figures, a figure is
    not in the year or period, any period touched is closed, a figure the entries would
    change was saved by someone else since it was loaded (its version moved on), or a
    changed actual is far from budget without a note. Changed
    rows get a new version, the user and a history row each, in a constant number of
    queries (bulk writes; SQLite splits them into batches of its parameter limit). With a
    `batch_source`, the changed rows also share a new ImportBatch named after it, as an
    import's do, and their history rows give it as the reason.
    """
    entries = {entry.figure_id: entry for entry in entries}
    _require_figure_permission(user)
    figures = _locked_figures(year, entries, period)
    ensure_periods_open(year, {figure.period for figure in figures})
    # A figure saved by someone else since it was loaded conflicts only if this entry
    # would change it: a value typed that is already stored needs no second decision.
    conflicts = [
        Conflict(f)
        for f in figures
        if f.version != entries[f.pk].version and _differences(f, entries[f.pk])
    ]
    if conflicts:
        raise ConflictError(conflicts)
    changes = {f.pk: _apply(f, entries[f.pk]) for f in figures}
    budget_changed = any("budget" in c for c in changes.values())
    _require_figure_permission(user, budget=budget_changed)
    if budget_changed:
        ensure_budget_draft(year)
    changed = [f for f in figures if changes[f.pk]]
    unexplained = [f for f in changed if needs_note(f, changes[f.pk])]
    if unexplained:
        raise VarianceNoteError(unexplained)
    now = timezone.now()
    fields, reason = [*FIGURE_FIELDS, "version", "updated_by", "updated_at"], None
    batch = entry_batch(changed, source=batch_source, user=user, now=now)
    if batch is not None:
        fields.append("import_batch")
        reason = f"{batch.filename} (batch {batch.pk})"[:100]
    for figure in changed:
        figure.version += 1
        figure.updated_by = user
        figure.updated_at = now
        if batch is not None:
            figure.import_batch = batch
    if changed:
        bulk_update_with_history(
            changed,
            MonthlyFigure,
            fields,
            default_user=user,
            default_date=now,
            default_change_reason=reason,
        )
        _refresh_totals(changed)
    return changed


def _refresh_totals(figures: list[MonthlyFigure]) -> None:
    """The stored totals of the lines, years and periods of the figures just written."""
    refresh_line_year_totals(
        pairs={(f.line_id, f.year_id) for f in figures},
        periods={(f.year_id, f.period) for f in figures},
    )


def _locked_figures(
    year: FinancialYear, entries: dict[int, FigureEntry], period: int | None
) -> list[MonthlyFigure]:
    """The entries' figures, locked for this transaction; all of them in `year` (and
    `period`) or MonthlyFigure.DoesNotExist."""
    figures = MonthlyFigure.objects.select_for_update(of=("self",)).filter(
        year=year, pk__in=entries
    )
    if period is not None:
        figures = figures.filter(period=period)
    figures = list(figures.select_related("line", "updated_by").order_by("line__code", "period"))
    if len(figures) != len(entries):
        where = year.label if period is None else f"P{period} {year.label}"
        raise MonthlyFigure.DoesNotExist(f"Some of the figures sent are not in {where}.")
    return figures


def _only(entries: Iterable[FigureEntry], fields: set[str], what: str) -> list[FigureEntry]:
    entries = list(entries)
    if any(getattr(e, f) is not UNCHANGED for e in entries for f in set(FIGURE_FIELDS) - fields):
        raise ValueError(f"This page records {what}.")
    return entries


def _differences(figure: MonthlyFigure, entry: FigureEntry) -> set[str]:
    """The fields the entry gives that differ from the figure's."""
    given = {f: getattr(entry, f) for f in FIGURE_FIELDS if getattr(entry, f) is not UNCHANGED}
    return {field for field, value in given.items() if value != getattr(figure, field)}


def _apply(figure: MonthlyFigure, entry: FigureEntry) -> set[str]:
    """Copy the entry's given fields onto the figure; the names of those that differ."""
    changed = _differences(figure, entry)
    for field in changed:
        setattr(figure, field, getattr(entry, field))
    return changed


@transaction.atomic
def record_period(
    *, year: FinancialYear, period: int, entries: Iterable[FigureEntry], user: AbstractBaseUser
) -> list[MonthlyFigure]:
    """One period's actuals, commitments and notes for many lines; returns the figures
    changed.

    All or nothing: see `_record` for what is refused.
    """
    entries = _only(
        entries, {"actual", "note", "committed"}, "actuals, commitments and notes, not forecasts"
    )
    return _record(year=year, entries=entries, user=user, period=period)


@transaction.atomic
def record_forecasts(
    *, year: FinancialYear, entries: Iterable[FigureEntry], user: AbstractBaseUser
) -> list[MonthlyFigure]:
    """Forecasts for many lines and periods; returns the figures changed.

    All or nothing: see `_record` for what is refused.
    """
    entries = _only(entries, {"forecast"}, "forecasts only")
    return _record(year=year, entries=entries, user=user)


@transaction.atomic
def record_figures(
    *, year: FinancialYear, entries: Iterable[FigureEntry], user: AbstractBaseUser, source: str
) -> list[MonthlyFigure]:
    """Actuals, forecasts and notes for many lines and periods of one year, sent by another
    system (`source` names it, e.g. "API: ledger token"); returns the figures changed, which
    share one ImportBatch. The grids' rules, all or nothing: see `_record`."""
    entries = _only(entries, {"actual", "forecast", "note"}, "actuals, forecasts and notes")
    return _record(year=year, entries=entries, user=user, batch_source=source)


def check_figure(*, figure: MonthlyFigure, expected_version: int | None) -> int:
    """Raise what a save of this figure would meet (PeriodLockedError, StaleVersionError
    since `expected_version`, VarianceNoteError), locking its year's and its own row for
    the caller's transaction; return the stored version (0 if new). The admin form uses it."""
    ensure_periods_open(figure.year, [figure.period])
    changed, version = set(FIGURE_FIELDS), 0
    if figure.pk is not None:
        current = check_version(figure, expected_version)
        changed = {f for f in FIGURE_FIELDS if getattr(current, f) != getattr(figure, f)}
        version = current.version
    if "budget" in changed and (figure.pk is not None or figure.budget):
        ensure_budget_draft(figure.year)
    if needs_note(figure, changed):
        raise VarianceNoteError([figure])
    return version


@transaction.atomic
def save_figure(
    *, figure: MonthlyFigure, user: AbstractBaseUser, expected_version: int | None
) -> MonthlyFigure:
    """Save one figure as the admin edits it: a new one, or the budget, actual, forecast
    and note of an existing one through the entry grids' `_record` (the same permission,
    period lock, version and note rules). A changed budget needs an administrator."""
    version = check_figure(figure=figure, expected_version=expected_version)
    if figure.pk is None:
        return _add_figure(figure, user)
    values = {field: getattr(figure, field) for field in FIGURE_FIELDS}
    # The figure's row is locked since check_figure read its version: no conflict now.
    _record(
        year=figure.year,
        entries=[FigureEntry(figure_id=figure.pk, version=version, **values)],
        user=user,
    )
    figure.refresh_from_db()
    return figure


def _add_figure(figure: MonthlyFigure, user: AbstractBaseUser) -> MonthlyFigure:
    if not user.has_perm("budgets.add_monthlyfigure"):
        raise PermissionDenied("Only Finance can record monthly figures.")
    _require_figure_permission(user, budget=bool(figure.budget))
    if figure.budget:
        ensure_budget_draft(figure.year)
    if figure.year.is_budget_approved:
        figure.original_budget = ZERO  # its budget arrives by a budget change
    figure.version = 1
    figure.updated_by = user
    figure._history_user = user
    figure.save()
    return figure


# The admin's saves of years, categories and lines: each checks permission and version.


def _save_versioned(
    instance: models.Model,
    *,
    user: AbstractBaseUser,
    expected_version: int | None,
    kept: tuple[str, ...] = (),
) -> models.Model:
    """Save a year, category or line: the user needs the model's add or change
    permission; a change is refused (StaleVersionError) when the stored row's version is
    not `expected_version`, and keeps the stored value of each field in `kept`."""
    meta = instance._meta
    action = "add" if instance.pk is None else "change"
    if not user.has_perm(f"{meta.app_label}.{action}_{meta.model_name}"):
        raise PermissionDenied(f"Only administrators can {action} {meta.verbose_name_plural}.")
    if instance.pk is None:
        instance.version = 1
    else:
        current = check_version(instance, expected_version)
        for name in kept:
            setattr(instance, name, getattr(current, name))
        instance.version = current.version
        bump(instance)
    instance._history_user = user
    instance.save()
    return instance


@transaction.atomic
def save_year(
    *, year: FinancialYear, user: AbstractBaseUser, expected_version: int | None
) -> FinancialYear:
    """A year's label and start. Its closed periods move only through `close_period` and
    `reopen_period`: the stored `closed_through` is kept (a new year starts open)."""
    if year.pk is None:
        year.closed_through = 0
    return _save_versioned(
        year, user=user, expected_version=expected_version, kept=("closed_through",)
    )


@transaction.atomic
def save_category(
    *, category: Category, user: AbstractBaseUser, expected_version: int | None
) -> Category:
    return _save_versioned(category, user=user, expected_version=expected_version)


@transaction.atomic
def save_line(
    *, line: BudgetLine, user: AbstractBaseUser, expected_version: int | None
) -> BudgetLine:
    return _save_versioned(line, user=user, expected_version=expected_version)
