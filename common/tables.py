"""Columns shared by every table: money and percentages shown rounded for people and
exported exactly."""

from decimal import Decimal

import django_tables2 as tables

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
