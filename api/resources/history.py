"""The audit history: every recorded change across the system, as /history/ lists it
(reports.history reads the simple-history tables; reports.filters narrows them)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from api.base import Pages
from reports.filters import HistoryFilter
from reports.history import describe


class ChangeSerializer(serializers.Serializer):
    old = serializers.CharField()
    new = serializers.CharField()
    field = serializers.CharField()

    def to_representation(self, instance: tuple) -> dict:
        field, old, new = instance
        return {"field": field, "old": old, "new": new}


class HistoryRowSerializer(serializers.Serializer):
    history_id = serializers.IntegerField()
    when = serializers.DateTimeField()
    who = serializers.CharField()
    action = serializers.CharField()
    record_type = serializers.CharField()
    object_id = serializers.IntegerField()
    name = serializers.CharField()
    reason = serializers.CharField(source="history_change_reason", allow_null=True)
    changes = ChangeSerializer(many=True, help_text="Each changed field, as the page shows it.")


class HistoryViewSet(viewsets.GenericViewSet):
    """Newest first; `?record_type=budgets.monthlyfigure`, `?user=<id>`, `?since=` and
    `?until=` (dates) narrow it, as on the history page. A filter with a bad value is
    left out, as there."""

    serializer_class = HistoryRowSerializer
    pagination_class = Pages
    read_permissions = ("budgets.view_monthlyfigure",)

    def get_queryset(self):
        return HistoryFilter(self.request.GET, request=self.request).qs

    @extend_schema(
        parameters=[
            OpenApiParameter("record_type", str, description="e.g. budgets.monthlyfigure"),
            OpenApiParameter("user", int),
            OpenApiParameter("since", str, description="YYYY-MM-DD"),
            OpenApiParameter("until", str, description="YYYY-MM-DD"),
        ]
    )
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(describe(page), many=True).data)
