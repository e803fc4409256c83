"""The budget changes table and its filters (`/budgets/changes/`)."""

import django_filters
import django_tables2 as tables
from django.db.models import QuerySet
from django.utils.html import format_html

from budgets.models import BudgetChange, BudgetLine, Category, FinancialYear
from common.tables import MoneyColumn


class BudgetChangeFilter(django_filters.FilterSet):
    """Changes with a line in the year, on the line, or in the category chosen."""

    year = django_filters.ModelChoiceFilter(
        queryset=FinancialYear.objects.all(),
        to_field_name="label",
        method="touching",
        label="Year",
        empty_label="Every year",
    )
    kind = django_filters.ChoiceFilter(
        choices=BudgetChange.Kind.choices, label="Kind", empty_label="Every kind"
    )
    line = django_filters.ModelChoiceFilter(
        queryset=BudgetLine.objects.order_by("code"),
        to_field_name="code",
        method="touching",
        label="Budget line",
        empty_label="Every line",
    )
    category = django_filters.ModelChoiceFilter(
        queryset=Category.objects.all(),
        method="touching",
        label="Category",
        empty_label="Every category",
    )

    class Meta:
        model = BudgetChange
        fields = ("year", "kind", "line", "category")

    def touching(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.touching(**{name: value})


class BudgetChangeTable(tables.Table):
    row_noun = "changes"
    number = tables.Column(verbose_name="Change", accessor="pk")
    made_at = tables.DateTimeColumn(verbose_name="Recorded", format="j M Y, H:i")
    kind = tables.Column(verbose_name="Kind")
    reason = tables.Column(verbose_name="Reason", orderable=False)
    line_count = tables.Column(verbose_name="Lines", attrs={"td": {"class": "num"}})
    moved = MoneyColumn(verbose_name="Added to budgets")
    net = MoneyColumn(verbose_name="Net change to the revised budget")
    made_by = tables.Column(verbose_name="By", accessor="made_by__username")

    class Meta:
        attrs = {"class": "data-table", "id": "budget-changes"}
        order_by = ("-made_at",)
        empty_text = "No budget changes match these filters."

    region_label = "Budget changes"

    def render_number(self, record, value):
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), value)

    def value_number(self, value):
        return value

    def render_kind(self, record):
        return record.get_kind_display()

    def value_kind(self, record):
        return record.get_kind_display()
