"""The budgets models, as a package of named parts: `expressions` (the money terms and
RAG), `years` (years, periods, categories), `lines`, `figures` (monthly figures and the
QuerySet methods behind every budgets figure), `changes` (budget changes after approval)
and `imports` (applied and pending files)."""

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
    "MonthlyFigure",
    "MonthlyFigureQuerySet",
    "PendingImport",
    "PendingImportQuerySet",
    "Rag",
    "expected_spend",
    "rag_for",
    "top_suppliers",
    "variance_rag",
]
