from datetime import date

import django_filters
from django import forms

from common.forms import ListSelect
from common.money import add_months
from contracts.models import Contract, Supplier


class MonthsFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class ContractFilter(django_filters.FilterSet):
    """The register's filters. "Decision due within N months" counts from the reporting
    date (`as_at_date`), not today, so a printed pack keeps its rows."""

    supplier = django_filters.ModelChoiceFilter(
        queryset=Supplier.objects.all(), empty_label="All suppliers", widget=ListSelect
    )
    status = django_filters.ChoiceFilter(choices=Contract.Status.choices, empty_label="All")
    decision_due_within = MonthsFilter(
        label="Decision due within (months)",
        method="filter_decision_due",
        min_value=0,
        max_value=120,
        help_text="Live contracts whose notice must be given by then.",
    )

    class Meta:
        model = Contract
        fields = ["supplier", "status", "decision_due_within"]

    def __init__(self, *args, as_at_date: date, **kwargs):
        self.as_at_date = as_at_date
        super().__init__(*args, **kwargs)

    def filter_decision_due(self, queryset, name: str, months: int | None):
        if months is None:
            return queryset
        return queryset.decision_due_by(add_months(self.as_at_date, months))
