"""Filters for the budget lines table: category, run/change, contract, RAG and a search."""

import django_filters
from django.db.models import Q, QuerySet

from budgets.models import Category, Rag
from contracts.models import Contract


class BudgetLineFilter(django_filters.FilterSet):
    """Filters lines already annotated by `BudgetLineQuerySet.with_outturn` (RAG needs it).

    The year is not a filter on lines: it picks the figures (see `reporting_for`), so the
    year field is here only to keep the filter form in one place.
    """

    year = django_filters.ChoiceFilter(method="by_year", label="Year", empty_label=None)
    q = django_filters.CharFilter(method="search", label="Code or name contains")
    category = django_filters.ModelChoiceFilter(
        queryset=Category.objects.all(), empty_label="All categories"
    )
    kind = django_filters.ChoiceFilter(
        field_name="category__kind",
        choices=Category.Kind.choices,
        label="Run or change",
        empty_label="Run and change",
    )
    contract = django_filters.ModelChoiceFilter(
        queryset=Contract.objects.order_by("reference"), empty_label="Any contract"
    )
    rag = django_filters.ChoiceFilter(choices=Rag.choices, label="RAG", empty_label="Any RAG")

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["year"].extra["choices"] = [(y.label, y.label) for y in years]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))

    def by_year(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset
