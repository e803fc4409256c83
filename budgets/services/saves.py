"""The admin's saves: one monthly figure (`check_figure`, `save_figure`, through the entry
grids' `_record` under the same permission, period lock, version and note rules), and years,
categories and lines, each checking the user's permission and the version they loaded."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import models, transaction

from budgets.models import BudgetLine, Category, FinancialYear, MonthlyFigure
from budgets.services.figures import (
    FIGURE_FIELDS,
    FigureEntry,
    VarianceNoteError,
    _record,
    _require_figure_permission,
    needs_note,
)
from budgets.services.locks import ensure_budget_draft, ensure_periods_open
from common.locking import bump, check_version
from common.money import ZERO


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
