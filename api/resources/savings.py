"""Savings targets, initiatives and each initiative's years (planned, forecast, realised)."""

import django_filters
from rest_framework import serializers

from api.base import CodeOrNameFilter, ReadViewSet, id_filter
from savings.claims import SavingsClaim
from savings.models import Initiative, InitiativeYear, SavingsTarget


class SavingsTargetSerializer(serializers.ModelSerializer):
    year = serializers.SlugRelatedField(slug_field="label", read_only=True)
    programme = serializers.SlugRelatedField(slug_field="name", read_only=True)

    class Meta:
        model = SavingsTarget
        fields = ["id", "programme", "year", "amount", "source", "version"]


class SavingsTargetViewSet(ReadViewSet):
    """New in-year savings each year must find, against the previous year."""

    queryset = SavingsTarget.objects.select_related("year", "programme")
    serializer_class = SavingsTargetSerializer
    filterset_fields = {"year__label": ["exact"]}
    ordering_fields = ["year__start"]
    ordering = ["year__start"]


class InitiativeSerializer(serializers.ModelSerializer):
    contract = serializers.SlugRelatedField(slug_field="reference", read_only=True, allow_null=True)
    lines = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    baseline_year = serializers.SlugRelatedField(
        slug_field="label", read_only=True, allow_null=True
    )

    class Meta:
        model = Initiative
        fields = ["id", "code", "name", "description", "owner", "lever", "stage"]
        fields += ["confidence", "cashable", "contract", "lines", "baseline_amount"]
        fields += ["baseline_year", "baseline_method", "measurement", "version"]


class InitiativeFilter(django_filters.FilterSet):
    contract = django_filters.CharFilter(field_name="contract__reference")
    supplier = id_filter("contract__supplier_id")
    line = django_filters.CharFilter(field_name="lines__code", distinct=True)
    q = CodeOrNameFilter("code", "name")

    class Meta:
        model = Initiative
        fields = ["contract", "supplier", "line", "stage", "lever", "cashable", "q"]


class InitiativeViewSet(ReadViewSet):
    queryset = Initiative.objects.select_related("contract").prefetch_related("lines")
    serializer_class = InitiativeSerializer
    filterset_class = InitiativeFilter
    lookup_field = "code"
    ordering_fields = ["code", "name"]
    ordering = ["code"]


class InitiativeYearSerializer(serializers.ModelSerializer):
    initiative = serializers.SlugRelatedField(slug_field="code", read_only=True)
    year = serializers.SlugRelatedField(slug_field="label", read_only=True)

    class Meta:
        model = InitiativeYear
        fields = ["id", "initiative", "year", "planned", "forecast", "realised", "claimed"]
        fields += ["note", "version"]


class InitiativeYearFilter(django_filters.FilterSet):
    year = django_filters.CharFilter(field_name="year__label")
    initiative = django_filters.CharFilter(field_name="initiative__code")
    contract = django_filters.CharFilter(field_name="initiative__contract__reference")

    class Meta:
        model = InitiativeYear
        fields = ["year", "initiative", "contract"]


class InitiativeYearViewSet(ReadViewSet):
    queryset = InitiativeYear.objects.select_related("initiative", "year")
    serializer_class = InitiativeYearSerializer
    filterset_class = InitiativeYearFilter
    ordering_fields = ["year__start", "initiative__code"]
    ordering = ["year__start", "initiative__code"]


class SavingsClaimSerializer(serializers.ModelSerializer):
    """A claimed saving: realised once validated by a second person. The evidence file
    itself is downloaded from the claim's page by a signed-in person, not through the API."""

    initiative = serializers.SlugRelatedField(slug_field="code", read_only=True)
    year = serializers.SlugRelatedField(slug_field="label", read_only=True)
    line = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    made_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    decided_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    has_evidence_file = serializers.SerializerMethodField()

    class Meta:
        model = SavingsClaim
        fields = ["id", "initiative", "year", "period", "line", "amount", "note", "status"]
        fields += ["has_evidence_file", "evidence_kind", "evidence_link", "made_by", "made_at"]
        fields += ["decided_by", "decided_at", "rejection_reason", "version"]

    def get_has_evidence_file(self, claim: SavingsClaim) -> bool:
        return bool(claim.evidence)


class SavingsClaimFilter(django_filters.FilterSet):
    year = django_filters.CharFilter(field_name="year__label")
    initiative = django_filters.CharFilter(field_name="initiative__code")
    line = django_filters.CharFilter(field_name="line__code")

    class Meta:
        model = SavingsClaim
        fields = ["year", "initiative", "line", "status", "period"]


class SavingsClaimViewSet(ReadViewSet):
    queryset = SavingsClaim.objects.select_related(
        "initiative", "year", "line", "made_by", "decided_by"
    )
    serializer_class = SavingsClaimSerializer
    filterset_class = SavingsClaimFilter
    ordering_fields = ["made_at", "amount"]
    ordering = ["year__start", "initiative__code", "made_at"]
