"""Exports that are safe to open in a spreadsheet, written straight from a table's rows.

A text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to
Excel and LibreOffice; such cells get a leading apostrophe. Plain numbers (`-978.00`) stay
numbers.

A table's `?_export=csv|xlsx` has the headers, column order and cell values that
django-tables2's own export gives (`Table.as_values`), but reads each cell through a
function worked out once per column (`table_columns`), not by inspecting the column's
methods again for every cell: that introspection was most of an export's time.
"""

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet
from django.http import HttpResponse
from django.utils.encoding import force_str
from django_tables2 import Column
from django_tables2.rows import BoundRow
from django_tables2.utils import Accessor, signature

from common import xlsx

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# A plain number: an optional minus, digits (thousands may be grouped with commas), optional
# decimals. Nothing else that starts like a formula passes: `+1`, `1e5`, `-Infinity`,
# `+NaN1` are all things a spreadsheet (or Decimal) may read in ways of its own.
PLAIN_NUMBER = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?", re.ASCII)

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")
SHEET_TITLE_FORBIDDEN = re.compile(r"[\\*?:/\[\]]")


def neutralise(value):
    """The value, with a text cell that could run as a formula made inert."""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_PREFIXES)
        and not PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


@dataclass(frozen=True)
class ExportColumn:
    """One exported column: its header and how a row's cell is read."""

    header: str
    value: Callable[[Any], Any]


def export_rows(columns: Sequence[ExportColumn], records: Iterable) -> Iterator[list]:
    """Each record as its row of cells: plain values (numbers, dates, text), neutralised."""
    values = [column.value for column in columns]
    for record in records:
        yield [neutralise(force_str(value(record), strings_only=True)) for value in values]


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _csv(header: Sequence, rows: Iterable[Sequence]) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return HttpResponse(buffer.getvalue(), content_type=CSV_TYPE)


def _xlsx(title: str, header: Sequence, rows: list[list]) -> HttpResponse:
    """One sheet (common.xlsx): a bold header row that stays in view, each column as wide
    as its longest cell (up to the widest Excel allows), text with line breaks wrapped."""
    widths = [len(str(cell)) for cell in header]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(str(cell)))
    widths = [min(width, xlsx.MAX_WIDTH) for width in widths]
    title = SHEET_TITLE_FORBIDDEN.sub("-", title)[:31] or "Sheet"
    return HttpResponse(xlsx.workbook(title, header, rows, widths), content_type=XLSX_TYPE)


def export_response(
    export_format: str,
    filename: str,
    columns: Sequence[ExportColumn],
    records: Iterable,
    title: str = "Export Data",
) -> HttpResponse:
    """A CSV or XLSX download of `records`, one row each, read through `columns`."""
    header = [column.header for column in columns]
    rows = export_rows(columns, records)
    if export_format == "xlsx":
        return _attachment(_xlsx(title, header, list(rows)), filename)
    return _attachment(_csv(header, rows), filename)


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    """A CSV download of plain rows (chart data, error lists), cells neutralised."""
    return _attachment(_csv(header, ([neutralise(cell) for cell in row] for row in rows)), filename)


# --- django-tables2 tables ---------------------------------------------------------------

CELL_ARGUMENTS = ("value", "record", "column", "bound_column", "bound_row", "table")


def _step(current, bit: str):
    """One step of an accessor, as django-tables2 takes it: key, else attribute, else index."""
    if isinstance(current, dict):
        try:
            return current[bit]
        except KeyError:
            pass
    try:
        return getattr(current, bit)
    except (TypeError, AttributeError):
        return current[int(bit)]


def _reader(accessor: Accessor, model) -> Callable[[Any], Any]:
    """How django-tables2 reads a column's value from a record: the accessor followed
    through keys, attributes and calls (stopping at None), a choice field's display text on
    a model, and None when the path cannot be followed."""
    bits = accessor.bits
    field = accessor.get_field(model) if model is not None else None
    display = f"get_{bits[-1]}_display" if bits and getattr(field, "choices", None) else ""

    def read(record):
        if isinstance(record, dict) and accessor in record:
            return record[accessor]
        current = record
        try:
            for n, bit in enumerate(bits):
                if display and n == len(bits) - 1 and isinstance(current, Model):
                    show = getattr(current, display, None)
                    if show is not None:
                        return show()
                current = _step(current, bit)
                if callable(current) and not getattr(current, "do_not_call_in_templates", False):
                    if getattr(current, "alters_data", False):
                        return None
                    current = current()
                if current is None:
                    break
        except Exception:  # django-tables2 shows such a cell as empty too
            return None
        return current

    return read


def _caller(fn: Callable, table, bound_column) -> Callable[[Any, Any], Any]:
    """`fn(value, record)` called with just the cell arguments its signature names (worked
    out here, once), as django-tables2's `call_with_appropriate` does for every cell."""
    plain = getattr(fn, "__func__", None)
    if plain is Column.render:
        return lambda value, record: value
    if plain is Column.value:  # the column's own render, without markup to strip
        return _caller(bound_column.column.render, table, bound_column)
    names, catch_all = signature(fn)
    if not catch_all and any(name not in CELL_ARGUMENTS for name in names):
        return lambda value, record: None
    wanted = CELL_ARGUMENTS if catch_all else names
    fixed = {"column": bound_column.column, "bound_column": bound_column, "table": table}
    fixed = {name: fixed[name] for name in wanted if name in fixed}

    def call(value, record):
        cell = dict(fixed)
        if "value" in wanted:
            cell["value"] = value
        if "record" in wanted:
            cell["record"] = record
        if "bound_row" in wanted:
            cell["bound_row"] = BoundRow(record, table)
        return fn(**cell)

    return call


def _column_value(table, bound_column, model) -> Callable[[Any], Any]:
    read = _reader(Accessor(bound_column.accessor), model)
    empty = bound_column.column.empty_values
    call = _caller(bound_column.value, table, bound_column)

    def value(record):
        cell = read(record)
        return None if cell in empty else call(cell, record)

    return value


def table_columns(table, exclude: Iterable[str] = ()) -> list[ExportColumn]:
    """A django-tables2 table's exported columns, in order, as its own export has them:
    hidden ones too, less those excluded from export, each header as shown."""
    exclude = set(exclude)
    model = table.data.model
    return [
        ExportColumn(force_str(bound.header, strings_only=True), _column_value(table, bound, model))
        for bound in table.columns.iterall()
        if not (bound.column.exclude_from_export or bound.name in exclude)
    ]


def sheet_title(table) -> str:
    """The sheet's name: the model's plural name in title case, as django-tables2 names it."""
    try:
        return table.Meta.model._meta.verbose_name_plural.title()
    except AttributeError:
        return "Export Data"


def table_records(table, exclude: Iterable[str] = ()) -> Iterable:
    """Every record of `table`, its filters and sort applied, whatever page is shown. A
    table with `export_from_values = True` (whose exported values need only its columns'
    accessors) gets plain rows from `QuerySet.values()`: no model instance is built."""
    data = table.data.data
    if not (getattr(table, "export_from_values", False) and isinstance(data, QuerySet)):
        return table.data
    if data.query.is_empty():  # `.none()`, which may lack the annotations the columns read
        return []
    exclude = set(exclude)
    fields = {
        bound.accessor
        for bound in table.columns.iterall()
        if not (bound.column.exclude_from_export or bound.name in exclude)
    }
    return data.values(*sorted(fields))


def export_table(table, export_format: str, filename: str, exclude: Iterable[str] = ()):
    """Every row of `table` (see `table_records`) as CSV or XLSX."""
    columns = table_columns(table, exclude)
    records = table_records(table, exclude)
    return export_response(export_format, filename, columns, records, sheet_title(table))


class SafeExportMixin:
    """`?_export=csv|xlsx` on a django-tables2 view: the table shown, every row, with
    formula injection neutralised. Views set `export_name` or `get_export_filename`."""

    export_name = "table"
    export_trigger_param = "_export"
    exclude_columns: tuple[str, ...] = ()
    export_formats = FORMATS

    def get_export_filename(self, export_format: str) -> str:
        return f"{self.export_name}.{export_format}"

    def render_to_response(self, context, **kwargs):
        export_format = self.request.GET.get(self.export_trigger_param)
        if export_format not in self.export_formats:
            return super().render_to_response(context, **kwargs)
        table = context.get(self.get_context_table_name(None))
        if table is None:
            table = self.get_table(**self.get_table_kwargs())
        filename = self.get_export_filename(export_format)
        return export_table(table, export_format, filename, self.exclude_columns)
