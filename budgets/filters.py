"""Filters for the budget lines table: category, run/change, contract, RAG and a search."""

import django_filters
from django import forms
from django.db.models import Q, QuerySet

from budgets.models import Category, Rag
from contracts.models import Contract


class YearForm(forms.Form):
    """The filter form's first field, the year: not a filter on lines, as the year picks
    the figures the lines are annotated with (see `reporting_for`)."""

    year = forms.ChoiceField(label="Year", required=False)

    def clean(self) -> dict:
        cleaned = super().clean()
        cleaned.pop("year", None)  # every other cleaned value is a filter's
        return cleaned


class BudgetLineFilter(django_filters.FilterSet):
    """Filters lines already annotated by `BudgetLineQuerySet.with_outturn` (RAG needs it)."""

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

    class Meta:
        form = YearForm

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["year"].choices = [(y.label, y.label) for y in years]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))
