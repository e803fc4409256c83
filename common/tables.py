"""Columns shared by every table: money and percentages shown rounded for people and
exported exactly."""

import types
from decimal import Decimal

import django_tables2 as tables
from django.template.base import render_value_in_context
from django.utils import formats
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django_tables2 import utils as tables_utils
from django_tables2.utils import AttributeDict

from common.money import PENNY, format_money

NUM = {"th": {"class": "num"}, "td": {"class": "num"}, "tf": {"class": "num"}}


class MoneyColumn(tables.Column):
    """£1,234.56 on the page; the exact Decimal in exports. `total_key` names the table's
    `totals` entry shown in the footer."""

    def __init__(self, *args, total_key: str = "", **kwargs):
        kwargs.setdefault("attrs", NUM)
        if total_key:
            kwargs["footer"] = lambda table: format_money(table.totals.get(total_key))
        super().__init__(*args, **kwargs)

    def render(self, value):
        return format_money(value)

    def value(self, value):
        return value.quantize(PENNY) if isinstance(value, Decimal) else value


class PagedTotalsMixin:
    """For a table whose footer shows `totals` over every row the filters leave: the
    label says what the total covers ("Total, all 38 lines") and, when the table has more
    than one page, a row above it gives the same figures over the page shown
    (`page_totals`, which the view takes from the same QuerySet method as `totals`)."""

    row_noun = "rows"
    total_word = "Total"  # "Cash total" where only some rows count
    totals: dict | None = None
    page_totals: dict | None = None
    _page_row = False

    def _noun(self, count: int) -> str:
        return f"{count} {self.row_noun if count != 1 else self.row_noun.removesuffix('s')}"

    def total_label(self) -> str:
        if self._page_row:
            return f"This page, {self._noun(len(self.page.object_list))}"
        paginator = getattr(self, "paginator", None)
        count = paginator.count if paginator else len(self.rows)
        return f"{self.total_word}, all {self._noun(count)}"

    @property
    def page_footer(self) -> list[tuple[str, str]]:
        """(attributes, content) of each footer cell over the shown page only; none when
        every row is on one page."""
        paginator = getattr(self, "paginator", None)
        if self.page_totals is None or paginator is None or paginator.num_pages < 2:
            return []
        whole, self.totals, self._page_row = self.totals, self.page_totals, True
        try:
            return [(column.attrs["tf"].as_html(), column.footer) for column in self.columns]
        finally:
            self.totals, self._page_row = whole, False


def several_pages_ids(table) -> list[int] | None:
    """The ids of the records on the page shown (for its `page_totals`), asked whatever the
    number of pages so that the page's query count does not depend on it; the subtotal row
    itself shows only when there are several pages. None for a table without pages."""
    if getattr(table, "paginator", None) is None:
        return None
    return [row.record.pk for row in table.page.object_list]


# --- django-tables2's per-cell introspection -----------------------------------------

_uncached_signature = tables_utils.signature
_signatures: dict[tuple[types.CodeType, bool], tuple[tuple[str, ...], str | None]] = {}


def cached_signature(fn) -> tuple[tuple[str, ...], str | None]:
    """django-tables2's `signature(fn)` (argument names, name of the `**` catch-all),
    worked out once per function rather than once per cell: its `call_with_appropriate`
    asks it for every cell a column renders, and `inspect.signature` was a fifth of a
    table page's time. A plain function's parameter names and kinds are those of its code
    object, and a bound method's are its function's less the first, so those are kept by
    (code, bound); anything else (a partial, a callable object, a function that declares
    another signature or wraps one) is worked out afresh each time, as before."""
    bound = isinstance(fn, types.MethodType)
    plain = fn.__func__ if bound else fn
    declared = hasattr(plain, "__wrapped__") or hasattr(plain, "__signature__")
    if type(plain) is not types.FunctionType or declared:
        return _uncached_signature(fn)
    key = (plain.__code__, bound)
    found = _signatures.get(key)
    if found is None:
        found = _signatures[key] = _uncached_signature(fn)
    return found


def install_cached_signature() -> None:
    """Every django-tables2 caller reaches `signature` through `call_with_appropriate`,
    which looks it up in its own module: replacing it there is enough."""
    tables_utils.signature = cached_signature


def table_body(table, context) -> SafeString:
    """The `<tbody>` django-tables2's template draws (its `table.tbody` block), drawn in
    Python: the same rows, attributes and cells, rendered and escaped as `{{ cell }}` is
    (`render_value_in_context`, or the `localize`/`unlocalize` filters where a column
    asks), without a template node per cell (a page of 50 rows has 500 to 700 cells). A
    column's `td` attributes are read while its row yields the cell, as the template does,
    since they may depend on the record."""
    # Attributes come escaped from `as_html` and cells from `_cell_html`; format_html
    # per cell would cost more than the rest of the row.
    parts = [f"<tbody {AttributeDict(table.attrs.get('tbody', {})).as_html()}>"]
    shown = 0
    for shown, row in enumerate(table.paginated_rows, 1):  # noqa: B007 - counted for below
        parts.append(f"<tr {row.attrs.as_html()}>")
        for column, cell in row.items():
            td = column.attrs["td"].as_html()
            parts.append(f"<td {td}>{_cell_html(column.localize, cell, context)}</td>")
        parts.append("</tr>")
    if not shown and table.empty_text:
        columns = len(table.columns)
        parts.append(format_html('<tr><td colspan="{}">{}</td></tr>', columns, table.empty_text))
    parts.append("</tbody>")
    return mark_safe("".join(parts))  # noqa: S308 - every part is escaped above


def _cell_html(localize: bool | None, cell, context) -> str:
    if localize is None:
        return render_value_in_context(cell, context)
    shown = formats.localize(cell, use_l10n=localize)
    return conditional_escape(shown if isinstance(shown, SafeString) else str(shown))
