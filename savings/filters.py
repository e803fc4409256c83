import django_filters
from django import forms

from common.forms import ListSelect
from contracts.models import Contract
from savings.models import Initiative


class InitiativeFilter(django_filters.FilterSet):
    """Filters for the initiatives table; the year is chosen by the view (`?year=`)."""

    stage = django_filters.ChoiceFilter(choices=Initiative.Stage.choices, empty_label="Any")
    lever = django_filters.ChoiceFilter(choices=Initiative.Lever.choices, empty_label="Any")
    confidence = django_filters.ChoiceFilter(
        choices=Initiative.Confidence.choices, empty_label="Any", label="Delivery confidence"
    )
    cashable = django_filters.BooleanFilter(
        widget=forms.Select(choices=[("", "Any"), ("true", "Cashable"), ("false", "Non-cashable")])
    )
    contract = django_filters.ModelChoiceFilter(
        queryset=Contract.objects.order_by("reference"),
        to_field_name="reference",
        empty_label="Any",
        widget=ListSelect,
    )

    class Meta:
        model = Initiative
        fields = ["stage", "lever", "confidence", "cashable", "contract"]
