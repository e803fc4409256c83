"""Filters of the pages that live in reports."""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from common.forms import ListSelect
from reports.history import changes, tracked_models


class DateInput(forms.DateInput):
    input_type = "date"


class HistoryFilterForm(forms.Form):
    def clean(self) -> dict:
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", "The end date is before the start date.")
        return data


def _record_types() -> list[tuple[str, str]]:
    return [
        (label, model._meta.verbose_name.capitalize())
        for label, model in sorted(tracked_models().items())
    ]


class HistoryFilter(django_filters.FilterSet):
    """/history/'s filters: who, which kind of record, and from and to which day. They
    narrow each model's history before the tables are combined (`reports.history.changes`),
    so the page still reads one UNION query; a filter whose value is not valid is left out
    (its error is shown) while the others still apply."""

    user = django_filters.ModelChoiceFilter(
        field_name="history_user",
        queryset=get_user_model().objects.order_by("username"),
        empty_label="Anyone",
        label="Changed by",
        widget=ListSelect,
    )
    record_type = django_filters.ChoiceFilter(
        choices=_record_types, empty_label="Every type", label="Record type", method="chosen"
    )
    since = django_filters.DateFilter(
        field_name="history_date", lookup_expr="date__gte", label="From", widget=DateInput
    )
    until = django_filters.DateFilter(
        field_name="history_date", lookup_expr="date__lte", label="To", widget=DateInput
    )

    class Meta:
        form = HistoryFilterForm

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        queryset = changes() if queryset is None else queryset
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.form.fields["user"].label_from_instance = lambda u: u.get_full_name() or u.username

    def chosen(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """The record type picks which history tables are combined (see `qs`)."""
        return queryset

    def narrow(self, history: QuerySet) -> QuerySet:
        """One model's history, filtered by who and when."""
        values = self._values()
        for name in ("user", "since", "until"):
            history = self.filters[name].filter(history, values.get(name))
        return history

    def _values(self) -> dict:
        if not self.is_bound:
            return {}
        self.form.is_valid()
        return self.form.cleaned_data

    @property
    def qs(self) -> QuerySet:
        if not hasattr(self, "_qs"):
            self._qs = changes(self._values().get("record_type"), self.narrow)
        return self._qs
