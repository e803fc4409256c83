"""Finance's monthly figures from another system (a ledger, a spreadsheet): actuals,
forecasts and notes in batches, through the entry grids' own service
(`budgets.services.record_figures`), under the same rules, all or nothing."""

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from api.authentication import token_of
from api.resources.budgets import MonthlyFigureSerializer
from budgets.models import FinancialYear, MonthlyFigure
from budgets.services import (
    UNCHANGED,
    ConflictError,
    FigureEntry,
    PeriodLockedError,
    VarianceNoteError,
    record_figures,
)

WRITTEN = ("actual", "forecast", "note")


class FigureEntrySerializer(serializers.Serializer):
    """One figure: which (line and period of the batch's year), the version it was read at,
    and the fields to set. A field left out is left alone; null clears an amount."""

    line = serializers.CharField(max_length=30, help_text="A budget line's code.")
    period = serializers.IntegerField(min_value=1, max_value=12)
    version = serializers.IntegerField(
        min_value=0, help_text="The figure's version as read from /api/v1/figures/."
    )
    actual = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True, required=False
    )
    forecast = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True, required=False
    )
    note = serializers.CharField(allow_blank=True, required=False, max_length=2000)

    def validate(self, data: dict) -> dict:
        if not any(name in data for name in WRITTEN):
            raise serializers.ValidationError("Give at least one of actual, forecast, note.")
        return data


class FigureBatchSerializer(serializers.Serializer):
    year = serializers.SlugRelatedField(slug_field="label", queryset=FinancialYear.objects)
    figures = FigureEntrySerializer(many=True, allow_empty=False)

    def validate_figures(self, figures: list[dict]) -> list[dict]:
        limit = settings.API_BATCH_MAX_FIGURES
        if len(figures) > limit:
            raise serializers.ValidationError(f"At most {limit} figures a batch.")
        seen = set()
        for index, entry in enumerate(figures):
            key = (entry["line"], entry["period"])
            if key in seen:
                raise serializers.ValidationError(
                    f"figures[{index}]: {entry['line']} P{entry['period']} is sent twice."
                )
            seen.add(key)
        return figures

    def validate(self, data: dict) -> dict:
        """Find each entry's figure in the year; name every one that has none."""
        year, figures = data["year"], data["figures"]
        found = dict(
            (
                ((code, period), pk)
                for code, period, pk in MonthlyFigure.objects.filter(
                    year=year, line__code__in={e["line"] for e in figures}
                ).values_list("line__code", "period", "pk")
            )
        )
        missing = [
            f"figures[{i}]: no figure for {e['line']} P{e['period']} {year.label}"
            for i, e in enumerate(figures)
            if (e["line"], e["period"]) not in found
        ]
        if missing:
            raise serializers.ValidationError({"figures": missing})
        data["entries"] = [
            FigureEntry(
                figure_id=found[(e["line"], e["period"])],
                version=e["version"],
                **{name: e.get(name, UNCHANGED) for name in WRITTEN},
            )
            for e in figures
        ]
        return data


class BatchResultSerializer(serializers.Serializer):
    batch = serializers.IntegerField(
        allow_null=True, help_text="The import batch of the figures changed (null: none)."
    )
    changed = MonthlyFigureSerializer(many=True)


class ProblemSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    figures = serializers.ListField(child=serializers.DictField(), required=False)


def _where(figure: MonthlyFigure) -> dict:
    return {"line": figure.line.code, "period": figure.period}


class FigureBatchViewSet(viewsets.GenericViewSet):
    """POST a batch of figures for one year. Finance only; refused whole (nothing written)
    when a period is closed (409), a figure changed since its version was read (409, each
    named with who changed it and its version now), or an actual far from budget has no
    note (400), as in the entry grids."""

    serializer_class = FigureBatchSerializer
    write_permissions = ("budgets.change_monthlyfigure",)

    @extend_schema(
        responses={
            200: BatchResultSerializer,
            400: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description="Bad input: errors by field (and by entry's index), or a note "
                "needed ({detail, code: note_required, figures: [{line, period}]}).",
            ),
            409: OpenApiResponse(ProblemSerializer, description="Closed period or stale version"),
        }
    )
    def create(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            changed = record_figures(
                year=data["year"],
                entries=data["entries"],
                user=request.user,
                source=self._source(request),
            )
        except PeriodLockedError as error:
            return _problem(str(error), "period_closed", status.HTTP_409_CONFLICT)
        except ConflictError as error:
            return _stale(error, sent={e.figure_id: e.version for e in data["entries"]})
        except VarianceNoteError as error:
            figures = [_where(f) for f in error.figures]
            return _problem(str(error), "note_required", status.HTTP_400_BAD_REQUEST, figures)
        for figure in changed:
            figure.year = data["year"]  # the serializer names it; no query per figure
        batch = changed[0].import_batch_id if changed else None
        body = {"batch": batch, "changed": MonthlyFigureSerializer(changed, many=True).data}
        return Response(body)

    @staticmethod
    def _source(request: Request) -> str:
        token = token_of(request)
        return f"API: token {token.name}" if token else "API: browser session"


def _stale(error: ConflictError, *, sent: dict[int, int]) -> Response:
    """409 naming each figure whose version moved on since it was read, and who moved it."""
    figures = [
        {**_where(c.figure), "version": c.figure.version, "changed_by": c.entered_by}
        for c in error.conflicts
    ]
    named = "; ".join(
        f"{f['line']} P{f['period']} (sent version {sent[c.figure.pk]}, now {f['version']} "
        f"by {f['changed_by']})"
        for f, c in zip(figures, error.conflicts, strict=True)
    )
    detail = f"Nothing was saved: changed since read: {named}. Read them again and resend."
    return _problem(detail, "stale_version", status.HTTP_409_CONFLICT, figures)


def _problem(detail: str, code: str, status_code: int, figures: list | None = None) -> Response:
    body = {"detail": detail, "code": code}
    if figures is not None:
        body["figures"] = figures
    return Response(body, status=status_code)
