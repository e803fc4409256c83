"""Every write to budgets, in named parts: `locks` (closed periods and approved budgets, and
closing and reopening periods), `figures` (the entry grids' saves of monthly figures, with
their conflict and variance-note rules) and `saves` (the admin's saves of one figure, years,
categories and lines). Each checks the user's permission; every write path (forms, imports,
admin, shell) goes through `ensure_periods_open` before it touches a monthly figure. Imports
are written by `budgets.importing.apply`. Once a year's budget is approved,
`ensure_budget_draft` refuses every direct write of its budget: it then moves only through
`budgets.revisions`."""

from budgets.services.figures import (
    EXPLAINED_FIELDS,
    FIGURE_FIELDS,
    UNCHANGED,
    Conflict,
    ConflictError,
    FigureEntry,
    VarianceNoteError,
    needs_note,
    note_required,
    record_figures,
    record_forecasts,
    record_period,
)
from budgets.services.locks import (
    BudgetApprovedError,
    PeriodLockedError,
    close_period,
    ensure_budget_draft,
    ensure_periods_open,
    reopen_period,
)
from budgets.services.saves import check_figure, save_category, save_figure, save_line, save_year

__all__ = [
    "EXPLAINED_FIELDS",
    "FIGURE_FIELDS",
    "UNCHANGED",
    "BudgetApprovedError",
    "Conflict",
    "ConflictError",
    "FigureEntry",
    "PeriodLockedError",
    "VarianceNoteError",
    "check_figure",
    "close_period",
    "ensure_budget_draft",
    "ensure_periods_open",
    "needs_note",
    "note_required",
    "record_figures",
    "record_forecasts",
    "record_period",
    "reopen_period",
    "save_category",
    "save_figure",
    "save_line",
    "save_year",
]
