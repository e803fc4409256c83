"""Major projects (baseline against forecast) and benefit measures with their months."""

import django_filters
from rest_framework import serializers

from api.base import ReadViewSet, id_filter
from projects.models import BenefitMeasure, BenefitValue, Project


class ProjectSerializer(serializers.ModelSerializer):
    lines = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    contracts = serializers.SlugRelatedField(slug_field="reference", many=True, read_only=True)
    initiatives = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Project
        fields = ["id", "code", "name", "description", "owner", "stage", "closed_on"]
        fields += ["confidence", "baseline_cost", "baseline_go_live", "forecast_cost"]
        fields += ["forecast_go_live", "lines", "contracts", "initiatives", "source", "version"]


class ProjectFilter(django_filters.FilterSet):
    line = django_filters.CharFilter(field_name="lines__code", distinct=True)
    contract = django_filters.CharFilter(field_name="contracts__reference", distinct=True)
    supplier = id_filter("contracts__supplier_id", distinct=True)

    class Meta:
        model = Project
        fields = ["line", "contract", "supplier", "stage"]


class ProjectViewSet(ReadViewSet):
    queryset = Project.objects.prefetch_related("lines", "contracts", "initiatives")
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter
    lookup_field = "code"
    ordering_fields = ["code", "name"]
    ordering = ["code"]


class BenefitMeasureSerializer(serializers.ModelSerializer):
    initiative = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    project = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = BenefitMeasure
        fields = ["id", "code", "name", "description", "unit", "cashable", "owner"]
        fields += ["initiative", "project", "source", "version"]


class BenefitMeasureViewSet(ReadViewSet):
    queryset = BenefitMeasure.objects.select_related("initiative", "project")
    serializer_class = BenefitMeasureSerializer
    filterset_fields = {"project__code": ["exact"], "initiative__code": ["exact"]}
    lookup_field = "code"
    ordering_fields = ["code", "name"]
    ordering = ["code"]


class BenefitValueSerializer(serializers.ModelSerializer):
    measure = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = BenefitValue
        fields = ["id", "measure", "month", "planned", "actual", "note", "version"]


class BenefitValueViewSet(ReadViewSet):
    """Each measure's planned and actual level at the end of a month, in its unit."""

    queryset = BenefitValue.objects.select_related("measure")
    serializer_class = BenefitValueSerializer
    filterset_fields = {"measure__code": ["exact"], "month": ["exact", "gte", "lte"]}
    ordering_fields = ["month", "measure__code"]
    ordering = ["measure__code", "month"]
