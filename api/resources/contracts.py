"""Suppliers, contracts and contract changes (a contract's history is its changes)."""

import django_filters
from rest_framework import serializers

from api.base import CodeOrNameFilter, ReadViewSet, id_filter, money
from contracts.models import Contract, ContractChange, Supplier


class SupplierSerializer(serializers.ModelSerializer):
    class Meta:
        model = Supplier
        fields = ["id", "name", "notes", "version"]


class SupplierViewSet(ReadViewSet):
    queryset = Supplier.objects.all()
    serializer_class = SupplierSerializer
    ordering_fields = ["name"]
    ordering = ["name"]


class ContractSerializer(serializers.ModelSerializer):
    supplier = serializers.SlugRelatedField(slug_field="name", read_only=True)
    supplier_id = serializers.IntegerField(read_only=True)
    annual_value = money()
    total_value = money()

    class Meta:
        model = Contract
        fields = ["id", "reference", "title", "supplier", "supplier_id", "description"]
        fields += ["start_date", "end_date", "notice_months", "annual_value", "total_value"]
        fields += ["status", "owner", "source", "version"]


class ContractFilter(django_filters.FilterSet):
    supplier = id_filter("supplier_id")
    q = CodeOrNameFilter("reference", "title")

    class Meta:
        model = Contract
        fields = ["supplier", "status", "q"]


class ContractViewSet(ReadViewSet):
    queryset = Contract.objects.select_related("supplier")
    serializer_class = ContractSerializer
    filterset_class = ContractFilter
    lookup_field = "reference"
    ordering_fields = ["reference", "end_date", "start_date"]
    ordering = ["reference"]


class ContractChangeSerializer(serializers.ModelSerializer):
    contract = serializers.SlugRelatedField(slug_field="reference", read_only=True)
    value_change = money()
    expected_annual_saving = money()
    recorded_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = ContractChange
        fields = ["id", "contract", "effective_date", "kind", "old_end_date", "new_end_date"]
        fields += ["value_change", "expected_annual_saving", "note", "source"]
        fields += ["recorded_by", "recorded_at"]


class ContractChangeFilter(django_filters.FilterSet):
    contract = django_filters.CharFilter(field_name="contract__reference")
    supplier = id_filter("contract__supplier_id")

    class Meta:
        model = ContractChange
        fields = ["contract", "supplier", "kind"]


class ContractChangeViewSet(ReadViewSet):
    queryset = ContractChange.objects.select_related("contract", "recorded_by")
    serializer_class = ContractChangeSerializer
    filterset_class = ContractChangeFilter
    ordering_fields = ["effective_date", "recorded_at"]
    ordering = ["effective_date"]
