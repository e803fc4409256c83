"""Years and their periods, categories, budget lines and monthly figures, and a year's
totals: the dashboard's headline figures, from the same QuerySet method."""

import django_filters
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from api.base import CodeOrNameFilter, ReadViewSet, id_filter, money
from budgets.models import (
    PERIODS,
    BudgetChange,
    BudgetChangeLine,
    BudgetLine,
    Category,
    FinancialYear,
    MonthlyFigure,
    PeriodTotal,
)
from budgets.reporting import reporting_for


class PeriodSerializer(serializers.Serializer):
    period = serializers.IntegerField()
    start = serializers.DateField()
    end = serializers.DateField()
    closed = serializers.BooleanField()


class YearSerializer(serializers.ModelSerializer):
    budget_approved = serializers.BooleanField(source="is_budget_approved", read_only=True)
    periods = serializers.SerializerMethodField()

    class Meta:
        model = FinancialYear
        fields = ["id", "label", "start", "closed_through", "budget_approved", "version"]
        fields += ["periods"]

    @extend_schema_field(PeriodSerializer(many=True))
    def get_periods(self, year: FinancialYear) -> list[dict]:
        return [
            {
                "period": p,
                "start": year.period_start(p),
                "end": year.period_end(p),
                "closed": year.is_locked(p),
            }
            for p in PERIODS
        ]


class TotalsSerializer(serializers.Serializer):
    year = serializers.CharField()
    as_at = serializers.IntegerField(help_text="The period the figures are as at (0: none).")
    status = serializers.CharField()
    budget = money(help_text="The revised budget: the original plus every budget change.")
    original_budget = money(allow_null=True, help_text="As approved; null while a draft.")
    committed = money(help_text="Orders placed, not yet invoiced.")
    uncommitted = money(help_text="Revised budget less actual to date less committed.")
    actual_to_date = money()
    outturn = money()
    variance = money(help_text="Outturn less budget: positive is an overspend.")
    variance_pct = serializers.DecimalField(
        max_digits=8, decimal_places=1, read_only=True, allow_null=True
    )
    rag = serializers.CharField()


class YearViewSet(ReadViewSet):
    """Financial years (April to March) with their twelve periods and which are closed."""

    queryset = FinancialYear.objects.all()
    serializer_class = YearSerializer
    lookup_field = "label"
    ordering_fields = ["start", "label"]
    ordering = ["start"]

    @extend_schema(
        responses=TotalsSerializer,
        parameters=[OpenApiParameter("as_at", int, description="A period, 0 to 12.")],
    )
    @action(detail=True)
    def totals(self, request: Request, label: str) -> Response:
        """The year's budget, actual to date, outturn and variance as the dashboard shows
        them: as at the last closed period, or the period `?as_at=` chooses."""
        year = self.get_object()
        reporting = reporting_for(request._request, year.label)
        totals = PeriodTotal.objects.for_year(year).totals(reporting.as_at)
        row = {"year": year.label, "as_at": reporting.as_at, "status": reporting.status}
        return Response(TotalsSerializer({**row, **totals}).data)


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "name", "kind", "order"]


class CategoryViewSet(ReadViewSet):
    queryset = Category.objects.all()
    serializer_class = CategorySerializer
    filterset_fields = ["kind"]
    ordering_fields = ["order", "name"]
    ordering = ["order", "name"]


class BudgetLineSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="name", read_only=True)
    category_id = serializers.IntegerField(read_only=True)
    contract = serializers.SlugRelatedField(slug_field="reference", read_only=True, allow_null=True)

    class Meta:
        model = BudgetLine
        fields = ["id", "code", "name", "category", "category_id", "contract", "owner"]
        fields += ["active", "version"]


class BudgetLineFilter(django_filters.FilterSet):
    category = id_filter("category_id")
    contract = django_filters.CharFilter(field_name="contract__reference")
    supplier = id_filter("contract__supplier_id")
    q = CodeOrNameFilter("code", "name")

    class Meta:
        model = BudgetLine
        fields = ["category", "contract", "supplier", "active", "q"]


class BudgetLineViewSet(ReadViewSet):
    """Budget lines: stable across years; their money is in the monthly figures."""

    queryset = BudgetLine.objects.select_related("category", "contract")
    serializer_class = BudgetLineSerializer
    filterset_class = BudgetLineFilter
    lookup_field = "code"
    ordering_fields = ["code", "name"]
    ordering = ["code"]


class MonthlyFigureSerializer(serializers.ModelSerializer):
    year = serializers.SlugRelatedField(slug_field="label", read_only=True)
    line = serializers.SlugRelatedField(slug_field="code", read_only=True)
    original_budget = money(allow_null=True, help_text="Frozen when the budget is approved.")
    budget = money(help_text="The revised budget: the original plus budget changes.")
    actual = money(allow_null=True)
    forecast = money(allow_null=True, help_text="Empty: the budget is the forecast.")
    committed = money()
    updated_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = MonthlyFigure
        fields = ["id", "year", "period", "line", "original_budget", "budget", "actual"]
        fields += ["forecast", "committed", "note", "version", "updated_by", "updated_at"]


class MonthlyFigureFilter(django_filters.FilterSet):
    year = django_filters.CharFilter(field_name="year__label")
    period = django_filters.NumberFilter(min_value=1, max_value=12, decimal_places=0)
    line = django_filters.CharFilter(field_name="line__code")
    category = id_filter("line__category_id")
    contract = django_filters.CharFilter(field_name="line__contract__reference")
    supplier = id_filter("line__contract__supplier_id")

    class Meta:
        model = MonthlyFigure
        fields = ["year", "period", "line", "category", "contract", "supplier"]


class MonthlyFigureViewSet(ReadViewSet):
    """One line's money for one period of one year, with the version a write must send."""

    queryset = MonthlyFigure.objects.select_related("year", "line", "updated_by")
    serializer_class = MonthlyFigureSerializer
    filterset_class = MonthlyFigureFilter
    ordering_fields = ["period", "line__code", "year__start"]
    ordering = ["year__start", "line__code", "period"]


class BudgetChangeLineSerializer(serializers.ModelSerializer):
    line = serializers.SlugRelatedField(slug_field="code", read_only=True)
    year = serializers.SlugRelatedField(slug_field="label", read_only=True)

    class Meta:
        model = BudgetChangeLine
        fields = ["line", "year", "period", "amount"]


class BudgetChangeSerializer(serializers.ModelSerializer):
    made_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    lines = BudgetChangeLineSerializer(many=True, read_only=True)

    class Meta:
        model = BudgetChange
        fields = ["id", "kind", "reason", "made_by", "made_at", "lines"]


class BudgetChangeFilter(django_filters.FilterSet):
    year = django_filters.CharFilter(field_name="lines__year__label", distinct=True)
    line = django_filters.CharFilter(field_name="lines__line__code", distinct=True)
    category = id_filter("lines__line__category_id", distinct=True)

    class Meta:
        model = BudgetChange
        fields = ["year", "line", "category", "kind"]


class BudgetChangeViewSet(ReadViewSet):
    """Recorded changes to approved budgets (revisions, virements, carry-forwards), each
    with its signed amounts by line and period: revised = original + their sum."""

    queryset = BudgetChange.objects.select_related("made_by").prefetch_related(
        "lines__line", "lines__year"
    )
    serializer_class = BudgetChangeSerializer
    filterset_class = BudgetChangeFilter
    ordering_fields = ["made_at"]
    ordering = ["made_at"]
