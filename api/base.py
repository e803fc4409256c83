"""What every resource shares: read-only viewsets with filters, a stable order and pages.

Adding a resource is a serializer, a viewset (a subclass of `ReadViewSet`) and a router
line in `api/urls.py`.
"""

import django_filters
from django.db.models import Q
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import serializers, viewsets
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    """`?page=` and `?page_size=` (at most 1000); `next` links to the following page."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000


class StableOrderingFilter(OrderingFilter):
    """`?ordering=` on the fields a view allows, always ending with the primary key, so a
    page never repeats or skips a row whatever order is asked for."""

    def get_ordering(self, request, queryset, view) -> list[str]:
        ordering = list(super().get_ordering(request, queryset, view) or [])
        if not any(term.lstrip("-") in ("pk", "id") for term in ordering):
            ordering.append("pk")
        return ordering


class ReadViewSet(viewsets.ReadOnlyModelViewSet):
    """A list (paged, filtered, ordered) and a detail of one resource, read only."""

    filter_backends = [DjangoFilterBackend, StableOrderingFilter]
    pagination_class = Pages


def money(**kwargs) -> serializers.DecimalField:
    """Pounds as a decimal string ("1234.56"), never a float (COERCE_DECIMAL_TO_STRING)."""
    return serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True, **kwargs)


# The largest value a database id (a 64-bit integer) can hold: a filter on a larger one is
# bad input (400), not a query the database cannot run.
MAX_ID = 2**63 - 1


def id_filter(field_name: str, **kwargs) -> django_filters.NumberFilter:
    """A filter on an id: a whole number the database can hold, else a 400 naming it."""
    return django_filters.NumberFilter(
        field_name=field_name, min_value=1, max_value=MAX_ID, decimal_places=0, **kwargs
    )


class CodeOrNameFilter(django_filters.CharFilter):
    """`?q=`: the rows whose code starts with the text, or whose name holds it, ignoring
    case (what the forms' code boxes suggest as someone types). At most 100 characters."""

    def __init__(self, code: str, name: str, **kwargs):
        self.code, self.name = code, name
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault("help_text", f"The {code} starts with, or the {name} holds, this text.")
        super().__init__(**kwargs)

    def filter(self, queryset, value: str):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(**{f"{self.code}__istartswith": value}) | Q(**{f"{self.name}__icontains": value})
        )
