"""The blank figure-rows file people fill in: every active line for one year and period."""

import io

import openpyxl

from budgets.importing.read import FIGURE_COLUMNS
from budgets.models import BudgetLine, FinancialYear, MonthlyFigure

COLUMN_WIDTHS = (16, 10, 8, 16, 16, 40, 16)


def template_rows(year: FinancialYear, period: int) -> list[list[str]]:
    """One row per active line, code order: code, year, period and empty values."""
    codes = BudgetLine.objects.active().order_by("code").values_list("code", flat=True)
    return [[code, year.label, f"P{period}", "", "", "", ""] for code in codes]


def template_workbook(rows: list[list[str]]) -> bytes:
    """The rows under the header, as an XLSX workbook of one sheet."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Figures"
    sheet.append(list(FIGURE_COLUMNS))
    for row in rows:
        sheet.append(row)
    for column, width in zip("ABCDEFG", COLUMN_WIDTHS, strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


BUDGET_COLUMNS = ("line_code", "year", *(f"P{period}" for period in range(1, 13)))


def budget_template_rows(year: FinancialYear) -> list[list[str]]:
    """The wide phasing file for `year`, prefilled: one row per line holding figures in the
    year (else every active line), code order, with each month's budget as stored now."""
    figures = MonthlyFigure.objects.for_year(year).values_list("line__code", "period", "budget")
    months: dict[str, list[str]] = {}
    for code, period, budget in figures:
        months.setdefault(code, ["0.00"] * 12)[period - 1] = str(budget)
    if not months:
        codes = BudgetLine.objects.active().values_list("code", flat=True)
        months = {code: ["0.00"] * 12 for code in codes}
    return [[code, year.label, *months[code]] for code in sorted(months)]


def budget_workbook(rows: list[list[str]]) -> bytes:
    """The wide phasing rows under their header, as an XLSX workbook of one sheet."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Budget"
    sheet.append(list(BUDGET_COLUMNS))
    for row in rows:
        sheet.append(row)
    sheet.column_dimensions["A"].width = 16
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
