"""The budgets models, as a package of named parts: `expressions` (the money terms and
RAG), `years` (years, periods, categories), `lines`, `figures` (monthly figures and the
QuerySet methods behind every budgets figure), `spend` (spend and shares by year, from
figures or stored totals), `totals` (stored totals per line and year, and per period),
`refresh` (keeping them exact), `changes` (budget changes after approval) and `imports`
(applied and pending files)."""

from budgets.models.changes import (
    BudgetChange,
    BudgetChangeLine,
    BudgetChangeLineQuerySet,
    BudgetChangeQuerySet,
)
from budgets.models.expressions import (
    PERIODS,
    RAG_AMBER_OVERSPEND_PERCENT,
    RAG_AMBER_UNDERSPEND_PERCENT,
    RAG_RED_OVERSPEND_PERCENT,
    Rag,
    expected_spend,
    rag_for,
    variance_rag,
)
from budgets.models.figures import (
    OTHER_SUPPLIERS,
    MonthlyFigure,
    MonthlyFigureQuerySet,
    top_suppliers,
)
from budgets.models.imports import ImportBatch, PendingImport, PendingImportQuerySet
from budgets.models.lines import BudgetLine, BudgetLineQuerySet
from budgets.models.refresh import (
    fresh_line_year_totals,
    fresh_period_totals,
    refresh_line_year_totals,
)
from budgets.models.totals import (
    LineYearTotal,
    LineYearTotalQuerySet,
    PeriodTotal,
    PeriodTotalQuerySet,
)
from budgets.models.years import Category, FinancialYear

__all__ = [
    "OTHER_SUPPLIERS",
    "PERIODS",
    "RAG_AMBER_OVERSPEND_PERCENT",
    "RAG_AMBER_UNDERSPEND_PERCENT",
    "RAG_RED_OVERSPEND_PERCENT",
    "BudgetChange",
    "BudgetChangeLine",
    "BudgetChangeLineQuerySet",
    "BudgetChangeQuerySet",
    "BudgetLine",
    "BudgetLineQuerySet",
    "Category",
    "FinancialYear",
    "ImportBatch",
    "LineYearTotal",
    "LineYearTotalQuerySet",
    "MonthlyFigure",
    "MonthlyFigureQuerySet",
    "PendingImport",
    "PendingImportQuerySet",
    "PeriodTotal",
    "PeriodTotalQuerySet",
    "Rag",
    "expected_spend",
    "fresh_line_year_totals",
    "fresh_period_totals",
    "rag_for",
    "refresh_line_year_totals",
    "top_suppliers",
    "variance_rag",
]
