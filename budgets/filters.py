"""Filters for the budget lines table (category, run/change, contract, RAG and a search)
and for the entry pages (a search, category, owner and contract)."""

import functools

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import QueryDict

from budgets.models import BudgetLine, Category, Rag
from common.forms import ListSelect
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
        queryset=Contract.objects.order_by("reference"),
        empty_label="Any contract",
        widget=ListSelect,
    )
    rag = django_filters.ChoiceFilter(choices=Rag.choices, label="RAG", empty_label="Any RAG")

    class Meta:
        form = YearForm

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["year"].choices = [(y.label, y.label) for y in years]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))


def _owner_choices() -> list[tuple[str, str]]:
    owners = (
        BudgetLine.objects.exclude(owner="")
        .order_by("owner")
        .values_list("owner", flat=True)
        .distinct()
    )
    return [("", "Any owner"), *((owner, owner) for owner in owners)]


class EntryFilter(forms.Form):
    """Which lines an entry page (a period's actuals, the forecast grid) shows: a search
    on code or name, a category, an owner and a contract. Its fields sit inside the entry
    form, so moving to a filtered set saves what was typed first."""

    q = forms.CharField(label="Code or name contains", required=False, max_length=100)
    category = forms.ModelChoiceField(
        queryset=Category.objects.all(),
        required=False,
        empty_label="All categories",
        widget=ListSelect,
    )
    owner = forms.ChoiceField(label="Owner", required=False, widget=ListSelect)
    contract = forms.ModelChoiceField(
        queryset=Contract.objects.none(),
        required=False,
        empty_label="Any contract",
        widget=ListSelect,
    )

    FIELDS = ("q", "category", "owner", "contract")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Asked once, and only when the filter is shown or checked (not on a plain save).
        self.fields["owner"].choices = functools.cache(_owner_choices)
        contract = self.fields["contract"]
        # The contracts some line pays, asked per contract (an index probe each), not by
        # joining every line and removing the repeats: the same whatever the lines.
        paid = BudgetLine.objects.filter(contract=OuterRef("pk"))
        contract.queryset = Contract.objects.filter(Exists(paid)).order_by("reference")
        contract.label_from_instance = lambda c: c.reference

    def lines(self, prefix: str = "") -> Q:
        """The condition on lines (`prefix` "line__" for figures); every line when the
        filter is not valid (an unknown category, say)."""
        if not self.is_bound or not self.is_valid():
            return Q()
        data = self.cleaned_data
        condition = Q()
        if data["q"]:
            condition &= Q(**{f"{prefix}code__icontains": data["q"]}) | Q(
                **{f"{prefix}name__icontains": data["q"]}
            )
        for name in ("category", "owner", "contract"):
            if data[name]:
                condition &= Q(**{f"{prefix}{name}": data[name]})
        return condition

    @property
    def active(self) -> bool:
        return bool(self.is_bound and self.is_valid() and any(self.cleaned_data.values()))

    def query(self, page: int | None = None) -> str:
        """The query string of this filter (as submitted) and `page` (none for page 1)."""
        params = QueryDict(mutable=True)
        if self.is_bound:
            for name in self.FIELDS:
                value = (self.data.get(name) or "").strip()
                if value:
                    params[name] = value
        if page and page > 1:
            params["page"] = str(page)
        return params.urlencode()
