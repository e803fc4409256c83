"""Exports that are safe to open in a spreadsheet.

A text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to
Excel and LibreOffice; such cells get a leading apostrophe. Numbers stay numbers.
"""

import csv
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.http import HttpResponse
from django_tables2.export.export import TableExport
from django_tables2.export.views import ExportMixin

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """The value, with a text cell that could run as a formula made inert."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        try:
            Decimal(value.replace(",", ""))  # "-978.00" is a number, not a formula
            return value
        except ArithmeticError:
            return "'" + value
    return value


class SafeTableExport(TableExport):
    def table_to_dataset(self, table, exclude_columns, dataset_kwargs=None):
        dataset = super().table_to_dataset(table, exclude_columns, dataset_kwargs)
        rows = [tuple(neutralise(cell) for cell in row) for row in dataset]
        headers = dataset.headers
        dataset.wipe()
        dataset.headers = headers
        for row in rows:
            dataset.append(row)
        return dataset


class SafeExportMixin(ExportMixin):
    """django-tables2's `?_export=csv|xlsx`, with formula injection neutralised."""

    export_class = SafeTableExport
    export_formats = (TableExport.CSV, TableExport.XLSX)


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    """A CSV download of plain rows (chart data, error lists), cells neutralised."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return response
