"""Budget pages: the lines table, one line, period entry, the forecast grid, period close."""

from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import (
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Subquery,
    Value,
)
from django.db.models.functions import NullIf
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View
from django.views.decorators.http import require_safe
from django_tables2 import SingleTableView

from budgets.charts import line_months_figure
from budgets.filters import BudgetLineFilter
from budgets.forms import FIELD_LABELS, ClosePeriodForm, FigureGrid, ReopenPeriodForm
from budgets.models import PERIODS, BudgetLine, FinancialYear, MonthlyFigure
from budgets.reporting import reporting_for
from budgets.services import (
    ConflictError,
    PeriodLockedError,
    VarianceNoteError,
    close_period,
    record_forecasts,
    record_period,
    reopen_period,
)
from budgets.tables import BudgetLineTable
from common.charts import Chart
from common.exports import SafeExportMixin, csv_response
from common.money import format_money, percent

CHANGE_FIGURES = "budgets.change_monthlyfigure"
CLOSE_PERIODS = "budgets.close_period"


class BudgetLineListView(SafeExportMixin, SingleTableView):
    """Every line with figures in the selected year: filter, sort, page, total, export."""

    table_class = BudgetLineTable
    template_name = "budgets/index.html"
    table_pagination = {"per_page": 25}

    def get_queryset(self):
        self.reporting = reporting_for(self.request)
        year = self.reporting.year
        data = self.request.GET.copy()
        if year is not None:
            data["year"] = year.label
        lines = BudgetLine.objects.none()
        if year is not None:
            in_year = MonthlyFigure.objects.filter(line=OuterRef("pk"), year=year)
            lines = (
                BudgetLine.objects.filter(Exists(in_year))
                .select_related("category", "contract")
                .with_outturn(year, self.reporting.as_at)
                .annotate(
                    variance_ratio=ExpressionWrapper(
                        F("variance") * Value(100) / NullIf(F("full_year_budget"), Value(0)),
                        output_field=DecimalField(max_digits=20, decimal_places=4),
                    )
                )
            )
        self.filterset = BudgetLineFilter(data, queryset=lines, years=self.reporting.years)
        return self.filterset.qs

    def get_table_kwargs(self) -> dict:
        if not hasattr(self, "totals"):
            year = self.reporting.year
            self.totals = (
                MonthlyFigure.objects.for_year(year)
                .filter(line__in=self.object_list.order_by().values("pk"))
                .totals(self.reporting.as_at)
                if year is not None
                else None
            )
        return {
            "totals": self.totals,
            "year_label": self.reporting.year.label if self.reporting.year else "",
        }

    def get_export_filename(self, export_format: str) -> str:
        year = self.reporting.year
        return f"budget-lines-{year.label if year else 'none'}.{export_format}"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        year = self.reporting.year
        context.update(
            reporting=self.reporting,
            filter=self.filterset,
            periods=[
                {"n": p, "locked": year.is_locked(p), "has_actuals": p <= self.reporting.as_at}
                for p in PERIODS
            ]
            if year
            else [],
            export_query=self.request.GET.urlencode(),
        )
        return context


@require_safe
def line_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One line for the selected year: months, chart, contract and change history."""
    line = get_object_or_404(
        BudgetLine.objects.select_related("category", "contract", "contract__supplier"),
        code=code,
    )
    reporting = reporting_for(request)
    year, as_at = reporting.year, reporting.as_at
    figures = list(
        line.figures.filter(year=year).select_related("updated_by").order_by("period")
        if year
        else []
    )
    months = [
        {
            "figure": f,
            "month": year.period_start(f.period),
            "variance": None if f.actual is None else f.actual - f.budget,
            "variance_pct": None if f.actual is None else percent(f.actual - f.budget, f.budget),
            "forecast_shown": f.forecast_or_budget if f.actual is None else None,
        }
        for f in figures
    ]
    if year and request.GET.get("_export") == "csv":
        return csv_response(
            f"{line.code}-{year.label}.csv",
            ("Period", "Budget", "Actual", "Forecast", "Note"),
            [(f"P{f.period}", f.budget, f.actual, f.forecast, f.note) for f in figures],
        )
    totals = line.figures.filter(year=year).totals(as_at) if year else None
    chart = _line_chart(line, year, months, request.path) if figures else None
    return render(
        request,
        "budgets/line.html",
        {
            "line": line,
            "reporting": reporting,
            "months": months,
            "totals": totals,
            "chart": chart,
            "changes": _changes_for_line(line, year) if year else [],
        },
    )


def _line_chart(line: BudgetLine, year: FinancialYear, months: list[dict], path: str) -> Chart:
    rows = [
        {
            "period": m["figure"].period,
            "budget": m["figure"].budget,
            "actual": m["figure"].actual,
            "forecast": m["forecast_shown"],
        }
        for m in months
    ]
    entered = [r for r in rows if r["actual"] is not None]
    summary = (
        f"{line.code} in {year.label}: actuals entered for {len(entered)} of {len(rows)} "
        "periods; budget, actual and forecast by month."
    )
    return Chart(
        id="line-chart",
        title=f"Budget, actual and forecast by month, {year.label}",
        summary=summary,
        figure=line_months_figure(rows),
        columns=("Period", "Budget", "Actual", "Forecast"),
        rows=[(f"P{r['period']}", r["budget"], r["actual"], r["forecast"]) for r in rows],
        csv_url=f"{path}?year={year.label}&_export=csv",
    )


def _year_or_404(label: str) -> tuple[FinancialYear, list[FinancialYear]]:
    years = list(FinancialYear.objects.all())
    year = next((y for y in years if y.label == label), None)
    if year is None:
        raise Http404(f"No financial year {label}")
    return year, years


class FigureGridView(View):
    """Shared by the period and forecast pages: GET shows the grid; POST (Finance only)
    parses every cell, then saves all or nothing through a service."""

    fields: tuple[str, ...] = ()
    template_name = ""

    def post(self, request: HttpRequest, **kwargs) -> HttpResponse:
        if not request.user.has_perm(CHANGE_FIGURES):
            raise PermissionDenied("Only Finance can record monthly figures.")
        grid = FigureGrid(self.figures(), self.fields, request.POST)
        locked = self.locked_message()
        if locked:
            return self.show(grid, status=409, problem=locked)
        if not grid.is_valid():
            return self.show(grid, status=200)
        try:
            changed = self.save(grid.entries)
        except PeriodLockedError as error:
            return self.show(grid, status=409, problem=str(error))
        except ConflictError as error:
            conflicts = [
                {
                    "conflict": conflict,
                    "values": [
                        (
                            FIELD_LABELS[field],
                            getattr(conflict.figure, field),
                            grid.cell(conflict.figure, field).value,
                        )
                        for field in self.fields
                    ],
                }
                for conflict in error.conflicts
            ]
            return self.show(grid, status=409, conflicts=conflicts)
        except VarianceNoteError as error:
            grid.refuse_unexplained(error.figures)
            return self.show(grid, status=200)
        messages.success(request, self.saved_message(len(changed)))
        return redirect(request.path)

    def get(self, request: HttpRequest, **kwargs) -> HttpResponse:
        return self.show(FigureGrid(self.figures(), self.fields))

    def show(self, grid: FigureGrid, status: int = 200, **extra) -> HttpResponse:
        context = {
            "year": self.year,
            "years": self.years,
            "grid": grid,
            "can_edit": self.request.user.has_perm(CHANGE_FIGURES),
            "note_percent": settings.VARIANCE_NOTE_PERCENT,
            "note_amount": settings.VARIANCE_NOTE_AMOUNT,
            **self.context(grid),
            **extra,
        }
        return render(self.request, self.template_name, context, status=status)


class PeriodView(FigureGridView):
    """One period's actuals and notes for every line, beside budget and last year."""

    fields = ("actual", "note")
    template_name = "budgets/period.html"

    def setup(self, request: HttpRequest, *args, **kwargs) -> None:
        super().setup(request, *args, **kwargs)
        self.year, self.years = _year_or_404(kwargs["year"])
        self.period = kwargs["n"]
        if self.period not in PERIODS:
            raise Http404("A period is P1 to P12.")
        self.previous = next((y for y in reversed(self.years) if y.start < self.year.start), None)
        self._figures = None

    def figures(self) -> list[MonthlyFigure]:
        if self._figures is None:
            last_year = MonthlyFigure.objects.filter(
                line=OuterRef("line"), year=self.previous, period=self.period
            ).values("actual")[:1]
            self._figures = list(
                MonthlyFigure.objects.filter(year=self.year, period=self.period)
                .select_related("line", "line__category", "updated_by")
                .annotate(last_year_actual=Subquery(last_year))
                .order_by("line__category__order", "line__code")
            )
        return self._figures

    def locked_message(self) -> str:
        if self.year.is_locked(self.period):
            return str(PeriodLockedError(self.year, self.period))
        return ""

    def save(self, entries) -> list[MonthlyFigure]:
        return record_period(
            year=self.year, period=self.period, entries=entries, user=self.request.user
        )

    def saved_message(self, count: int) -> str:
        return f"Saved P{self.period} {self.year.label}: {count} lines changed."

    def context(self, grid: FigureGrid) -> dict:
        rows = [
            {
                "figure": f,
                "actual": grid.cell(f, "actual"),
                "note": grid.cell(f, "note"),
                "version": grid.versions[f.pk],
            }
            for f in self.figures()
        ]
        user = self.request.user
        return {
            "period": self.period,
            "previous": self.previous,
            "rows": rows,
            "locked": self.year.is_locked(self.period),
            "missing": [f.line.code for f in self.figures() if f.actual is None],
            "can_close": user.has_perm(CLOSE_PERIODS),
            "close_form": ClosePeriodForm(initial={"through": self.period}),
            "reopen_form": ReopenPeriodForm(initial={"period": self.period}),
            "periods": PERIODS,
            "period_start": self.year.period_start(self.period),
        }


class ForecastView(FigureGridView):
    """Forecasts for every line over the open periods after the reporting date."""

    fields = ("forecast",)
    template_name = "budgets/forecast.html"

    def setup(self, request: HttpRequest, *args, **kwargs) -> None:
        super().setup(request, *args, **kwargs)
        self.year, self.years = _year_or_404(kwargs["year"])
        self.as_at = MonthlyFigure.objects.for_year(self.year).latest_actual_period()
        self.periods = [p for p in self.year.open_periods if p > self.as_at]
        self._figures = None

    def figures(self) -> list[MonthlyFigure]:
        if self._figures is None:
            self._figures = list(
                MonthlyFigure.objects.filter(year=self.year, period__in=self.periods)
                .select_related("line")
                .order_by("line__code", "period")
            )
        return self._figures

    def locked_message(self) -> str:
        return ""

    def save(self, entries) -> list[MonthlyFigure]:
        return record_forecasts(year=self.year, entries=entries, user=self.request.user)

    def saved_message(self, count: int) -> str:
        return f"Saved forecasts for {self.year.label}: {count} figures changed."

    def context(self, grid: FigureGrid) -> dict:
        outturns = {
            line.pk: line
            for line in BudgetLine.objects.filter(
                Exists(
                    MonthlyFigure.objects.filter(
                        line=OuterRef("pk"), year=self.year, period__in=self.periods
                    )
                )
            ).with_outturn(self.year, self.as_at)
        }
        rows: dict[int, dict] = {}
        for figure in self.figures():
            row = rows.setdefault(
                figure.line_id,
                {"line": figure.line, "cells": [], "outturn": outturns.get(figure.line_id)},
            )
            row["cells"].append(
                {
                    "figure": figure,
                    "cell": grid.cell(figure, "forecast"),
                    "version": grid.versions[figure.pk],
                }
            )
        return {"periods": self.periods, "rows": list(rows.values()), "as_at": self.as_at}


class ClosePeriodView(PermissionRequiredMixin, View):
    """Admin: close periods up to one; warns which lines had no actual."""

    permission_required = CLOSE_PERIODS
    raise_exception = True
    http_method_names = ["post"]

    def post(self, request: HttpRequest, year: str) -> HttpResponse:
        financial_year, _ = _year_or_404(year)
        form = ClosePeriodForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Choose a period from P1 to P12 to close.")
            return redirect("budgets:index")
        through = form.cleaned_data["through"]
        try:
            missing = close_period(year=financial_year, through=through, user=request.user)
        except ValueError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{financial_year.label} is closed through P{through}.")
            if missing:
                messages.warning(
                    request,
                    f"{len(missing)} lines had no actual in a period just closed: "
                    + ", ".join(missing),
                )
        return redirect("budgets:period", year=financial_year.label, n=through)


class ReopenPeriodView(PermissionRequiredMixin, View):
    """Admin: reopen a period (and every later one) with a reason kept in history."""

    permission_required = CLOSE_PERIODS
    raise_exception = True
    http_method_names = ["post"]

    def post(self, request: HttpRequest, year: str) -> HttpResponse:
        financial_year, _ = _year_or_404(year)
        form = ReopenPeriodForm(request.POST)
        if not form.is_valid():
            problems = "; ".join(
                f"{form.fields[name].label}: {' '.join(errors)}"
                for name, errors in form.errors.items()
            )
            messages.error(request, f"Not reopened. {problems}")
            period = request.POST.get("period", "")
            n = int(period) if period.isdigit() and int(period) in PERIODS else 1
            return redirect("budgets:period", year=financial_year.label, n=n)
        period = form.cleaned_data["period"]
        try:
            reopen_period(
                year=financial_year,
                period=period,
                reason=form.cleaned_data["reason"],
                user=request.user,
            )
        except ValueError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Reopened {financial_year.label} from P{period}.")
        return redirect("budgets:period", year=financial_year.label, n=period)


FIGURE_FIELDS = ("budget", "actual", "forecast", "note")
LINE_FIELDS = ("code", "name", "category", "contract", "owner", "active")


def _changes_for_line(line: BudgetLine, year: FinancialYear) -> list[dict]:
    """Who changed what, old -> new, on the line and its figures in `year`, newest first.

    Compares consecutive history rows of each record: two queries, whatever the number
    of changes.
    """
    figures = (
        MonthlyFigure.history.filter(line_id=line.pk, year_id=year.pk)
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    lines = (
        BudgetLine.history.filter(id=line.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    changes = _diffs(figures, FIGURE_FIELDS, lambda r: f"P{r.period}", created=False)
    changes += _diffs(lines, LINE_FIELDS, lambda r: "Line", created=True)
    changes.sort(key=lambda change: (change["when"], change["order"]), reverse=True)
    return changes[:CHANGES_SHOWN]


CHANGES_SHOWN = 100


def _diffs(records, fields: tuple[str, ...], subject, *, created: bool) -> list[dict]:
    previous: dict[int, object] = {}
    changes = []
    for record in records:
        before = previous.get(record.id)
        previous[record.id] = record
        base = {
            "when": record.history_date,
            "order": record.history_id,
            "who": _who(record.history_user),
            "reason": record.history_change_reason or "",
        }
        if record.history_type == "+" and created:
            changes.append(
                {**base, "what": subject(record), "field": "", "old": "", "new": "created"}
            )
        if record.history_type != "~":
            continue
        for field in fields:
            attname = record._meta.get_field(field).attname
            new = getattr(record, attname)
            if before is None:
                # Written before history was kept for it: the old value is unknown.
                if new is None or new == "":
                    continue
                changes.append(
                    {**base, "what": subject(record), "field": field.replace("_", " ")}
                    | {"old": "not recorded", "new": _shown(new)}
                )
                continue
            old = getattr(before, attname)
            if old != new:
                changes.append(
                    {
                        **base,
                        "what": subject(record),
                        "field": field.replace("_", " "),
                        "old": _shown(old),
                        "new": _shown(new),
                    }
                )
    return changes


def _who(user) -> str:
    if user is None:
        return "system"
    return user.get_full_name() or user.get_username()


def _shown(value) -> str:
    if isinstance(value, Decimal):
        return format_money(value)
    if value is None or value == "":
        return "—"
    return str(value)
