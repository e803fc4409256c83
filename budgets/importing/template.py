"""The blank figure-rows file people fill in: every active line for one year and period."""

import io

import openpyxl

from budgets.importing.read import FIGURE_COLUMNS
from budgets.models import BudgetLine, FinancialYear

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
