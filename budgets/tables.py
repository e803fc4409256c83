"""The budget lines table (one row per line with its year's outturn, variance and RAG),
and the import tables: the files applied and the figures one of them wrote."""

import django_tables2 as tables
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django_tables2 import A

from budgets.models import ImportBatch, Rag
from common.money import format_money, percent
from common.tables import MoneyColumn, PagedTotalsMixin
from common.templatetags.common import pct, rag


def _total(key: str):
    return lambda table: format_money(table.totals[key]) if table.totals else ""


class BudgetLineTable(PagedTotalsMixin, tables.Table):
    row_noun = "lines"  # "Page 1 of 2 (38 lines)", "Total, all 38 lines"
    code = tables.Column(verbose_name="Code", footer=lambda table: table.total_label())
    name = tables.Column(verbose_name="Line")
    category = tables.Column(accessor="category__name", verbose_name="Category")
    contract = tables.Column(accessor="contract__reference", verbose_name="Contract")
    original_budget = MoneyColumn(verbose_name="Original budget", footer=_total("original_budget"))
    full_year_budget = MoneyColumn(verbose_name="Revised budget", footer=_total("budget"))
    actual_to_date = MoneyColumn(verbose_name="Actual to date", footer=_total("actual_to_date"))
    committed = MoneyColumn(verbose_name="Committed", footer=_total("committed"))
    uncommitted = MoneyColumn(verbose_name="Uncommitted budget", footer=_total("uncommitted"))
    outturn = MoneyColumn(verbose_name="Forecast outturn", footer=_total("outturn"))
    variance = MoneyColumn(verbose_name="Variance £", footer=_total("variance"))
    variance_pct = tables.Column(
        accessor="variance",
        verbose_name="Variance %",
        order_by=("variance_ratio",),
        attrs={"td": {"class": "num"}, "th": {"class": "num"}, "tf": {"class": "num"}},
        footer=lambda table: pct(table.totals["variance_pct"]) if table.totals else "",
    )
    rag = tables.Column(
        verbose_name="RAG", footer=lambda table: rag(table.totals["rag"]) if table.totals else ""
    )

    # Exported from plain rows (each column's accessor from `QuerySet.values()`), so an
    # export of thousands of lines builds no model instance (common.exports).
    export_from_values = True

    class Meta:
        attrs = {"class": "data-table", "id": "budget-lines"}
        order_by = ("code",)
        empty_text = "No budget lines match these filters."

    def __init__(self, *args, totals: dict | None = None, year_label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.totals = totals
        self.year_label = year_label
        self.region_label = f"Budget lines {year_label}".strip()

    def render_code(self, record, value):
        url = record.get_absolute_url()
        if self.year_label:
            url += f"?year={self.year_label}"
        return format_html('<a href="{}">{}</a>', url, value)

    def render_contract(self, record, value):
        try:
            return format_html('<a href="{}">{}</a>', record.contract.get_absolute_url(), value)
        except NoReverseMatch:
            return value

    def render_variance_pct(self, record):
        return pct(percent(record.variance, record.full_year_budget))

    def value_variance_pct(self, value, record):
        # `record` is a plain row in this table's exports (export_from_values), a line in
        # django-tables2's own as_values(); the accessor reads either.
        return percent(value, A("full_year_budget").resolve(record))

    def value_code(self, value):
        return value

    def value_contract(self, value):
        return value

    def render_rag(self, value):
        return rag(value)

    def value_rag(self, value):
        return Rag(value).label


class ImportBatchTable(tables.Table):
    applied_at = tables.DateTimeColumn(verbose_name="Applied", format="j M Y, H:i")
    uploaded_by = tables.Column(verbose_name="By", accessor="uploaded_by__username")
    filename = tables.Column(verbose_name="File")
    file_format = tables.Column(verbose_name="Format")
    row_count = tables.Column(verbose_name="Rows", attrs={"td": {"class": "num"}})
    figure_count = tables.Column(verbose_name="Figures changed", attrs={"td": {"class": "num"}})
    total = MoneyColumn(verbose_name="File total")

    class Meta:
        model = ImportBatch
        fields = ("applied_at", "uploaded_by", "filename", "file_format")
        sequence = ("applied_at", "uploaded_by", "filename", "file_format", "...")
        empty_text = "No file has been imported yet."
        attrs = {"class": "data-table"}
        order_by = ("-applied_at",)

    def render_filename(self, value, record):
        return format_html(
            '<a href="{}">{}</a>', reverse("budgets:import_batch", args=[record.pk]), value
        )

    def value_filename(self, value):
        return value


class BatchFigureTable(tables.Table):
    """The figures a batch wrote, from their history rows (with the actual before)."""

    line = tables.Column(verbose_name="Line", accessor="line__code")
    year = tables.Column(verbose_name="Year", accessor="year__label")
    period = tables.Column(verbose_name="Period")
    actual_before = MoneyColumn(verbose_name="Actual before")
    actual = MoneyColumn(verbose_name="Actual written")
    forecast = MoneyColumn(verbose_name="Forecast written")
    note = tables.Column(verbose_name="Note")

    class Meta:
        attrs = {"class": "data-table"}
        orderable = False

    def render_period(self, value):
        return f"P{value}"
