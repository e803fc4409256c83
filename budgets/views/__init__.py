"""Budget pages, in named parts: `lines` (the lines table, one line), `entry` (the period
and forecast grids), `periods` (reopen) and `imports` (upload, preview, confirm,
templates, batches) and `setting` (set and phase a year's budget)."""

from budgets.views.changes import (
    ApproveBudgetView,
    BudgetChangeListView,
    NewBudgetChangeView,
    change_detail,
)
from budgets.views.entry import ForecastView, PeriodView
from budgets.views.imports import (
    CancelImportView,
    ConfirmImportView,
    ImportBatchDetailView,
    ImportBatchListView,
    ImportProblemsView,
    ImportView,
    template_csv,
    template_xlsx,
)
from budgets.views.lines import BudgetLineListView, line_detail
from budgets.views.periods import ReopenPeriodView
from budgets.views.setting import BudgetSettingView, budget_template_csv, budget_template_xlsx

__all__ = [
    "ApproveBudgetView",
    "BudgetChangeListView",
    "BudgetLineListView",
    "BudgetSettingView",
    "CancelImportView",
    "ConfirmImportView",
    "ForecastView",
    "ImportBatchDetailView",
    "ImportBatchListView",
    "ImportProblemsView",
    "ImportView",
    "NewBudgetChangeView",
    "PeriodView",
    "ReopenPeriodView",
    "budget_template_csv",
    "budget_template_xlsx",
    "change_detail",
    "line_detail",
    "template_csv",
    "template_xlsx",
]
