"""Published reports: what the committee read for a closed period, as stored."""

import json

import django_filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.base import ReadViewSet
from reports.models import PublishedReport


class PublishedReportSerializer(serializers.ModelSerializer):
    year = serializers.SlugRelatedField(slug_field="label", read_only=True)
    published_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    payload = serializers.SerializerMethodField()

    class Meta:
        model = PublishedReport
        fields = ["id", "year", "period", "version", "published_at", "published_by"]
        fields += ["close_reason", "payload"]

    @extend_schema_field(
        {
            "type": "object",
            "description": 'The stored snapshot, never recomputed: money as {"$decimal": '
            '"42000000.00"}, dates as {"$date": "2015-09-30"} (common/snapshot.py).',
        }
    )
    def get_payload(self, report: PublishedReport) -> dict:
        return json.loads(report.payload)


class PublishedReportFilter(django_filters.FilterSet):
    year = django_filters.CharFilter(field_name="year__label")

    class Meta:
        model = PublishedReport
        fields = ["year", "period"]


class PublishedReportViewSet(ReadViewSet):
    """Every version of every published report; the payload is the stored JSON as is."""

    queryset = PublishedReport.objects.select_related("year", "published_by")
    serializer_class = PublishedReportSerializer
    filterset_class = PublishedReportFilter
    ordering_fields = ["year__start", "period", "version", "published_at"]
    ordering = ["-year__start", "-period", "-version"]
