"""Monthly figures as people enter them: the entry grids save a page of them all or
nothing (`record_period`, `record_forecasts`, and `record_figures` for another system through
the API), each through `_record`. A figure someone else saved after the page was loaded is a
conflict, an actual far from budget needs a note (`note_required`), and the changed rows are
written in bulk with their history, the stored totals refreshed in the same transaction."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from budgets.batches import entry_batch
from budgets.models import BudgetLine, FinancialYear, MonthlyFigure, refresh_line_year_totals
from budgets.services.locks import ensure_budget_draft, ensure_periods_open

UNCHANGED = object()  # an entry field the person did not submit


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
