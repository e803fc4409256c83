"""Exports that are safe to open in a spreadsheet.

A text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to
Excel and LibreOffice; such cells get a leading apostrophe. Plain numbers (`-978.00`) stay
numbers.
"""

import csv
import re
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from django_tables2.export.export import TableExport
from django_tables2.export.views import ExportMixin

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# A plain number: an optional minus, digits (thousands may be grouped with commas), optional
# decimals. Nothing else that starts like a formula passes: `+1`, `1e5`, `-Infinity`,
# `+NaN1` are all things a spreadsheet (or Decimal) may read in ways of its own.
PLAIN_NUMBER = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?", re.ASCII)


def neutralise(value):
    """The value, with a text cell that could run as a formula made inert."""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_PREFIXES)
        and not PLAIN_NUMBER.fullmatch(value)
    ):
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
