"""Entering monthly figures: one period's actuals and notes, and the forecast grid."""

from itertools import groupby

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from budgets.forms import FigureGrid, ReopenPeriodForm
from budgets.models import PERIODS, BudgetLine, FinancialYear, MonthlyFigure
from budgets.services import (
    ConflictError,
    PeriodLockedError,
    VarianceNoteError,
    record_forecasts,
    record_period,
)
from common.text import counted

CHANGE_FIGURES = "budgets.change_monthlyfigure"
CLOSE_PERIODS = "budgets.close_period"


def year_or_404(label: str) -> tuple[FinancialYear, list[FinancialYear]]:
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
        if locked := self.locked_message():
            return self.show(grid, status=409, problem=locked)
        if not grid.is_valid():
            return self.show(grid)
        try:
            changed = self.save(grid.entries)
        except PeriodLockedError as error:
            return self.show(grid, status=409, problem=str(error))
        except ConflictError as error:
            conflicts = grid.conflicts(error.conflicts)
            self._figures = None  # offer the typed values again, against the figures now
            return self.show(grid.offer_again(self.figures()), status=409, conflicts=conflicts)
        except VarianceNoteError as error:
            grid.refuse_unexplained(error.figures)
            return self.show(grid)
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

    def figures(self) -> list[MonthlyFigure]:
        raise NotImplementedError

    def locked_message(self) -> str:
        return ""

    def save(self, entries) -> list[MonthlyFigure]:
        raise NotImplementedError

    def saved_message(self, count: int) -> str:
        raise NotImplementedError

    def context(self, grid: FigureGrid) -> dict:
        raise NotImplementedError


class PeriodView(FigureGridView):
    """One period's actuals, commitments and notes for every line, beside budget and last
    year. Commitments (orders placed, not yet invoiced) do not change the outturn."""

    fields = ("actual", "committed", "note")
    template_name = "budgets/period.html"

    def setup(self, request: HttpRequest, *args, **kwargs) -> None:
        super().setup(request, *args, **kwargs)
        self.year, self.years = year_or_404(kwargs["year"])
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
        return f"Saved P{self.period} {self.year.label}: {counted(count, 'line')} changed."

    def groups(self, rows: list[dict]) -> tuple[list[dict], dict]:
        """The rows under their category headings, each group with its subtotals (and last
        year's actual for the same lines), and the page's totals."""
        this_year = MonthlyFigure.objects.filter(year=self.year, period=self.period)
        sums = this_year.entry_subtotals()
        last_year = MonthlyFigure.objects.filter(
            year=self.previous, period=self.period, line__in=this_year.values("line")
        ).entry_subtotals()
        for key, row in sums.items():
            row["last_year_actual"] = last_year.get(key, {}).get("actual")
        groups = [
            {"category": category, "rows": list(grouped), "sums": sums[category.pk]}
            for category, grouped in groupby(rows, key=lambda row: row["figure"].line.category)
        ]
        return groups, sums[None]

    def context(self, grid: FigureGrid) -> dict:
        rows = grid.rows()
        groups, totals = self.groups(rows)
        return {
            "period": self.period,
            "previous": self.previous,
            "rows": rows,
            "groups": groups,
            "totals": totals,
            "locked": self.year.is_locked(self.period),
            "can_close": self.request.user.has_perm(CLOSE_PERIODS),
            "next_to_close": self.year.closed_through + 1,
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
        self.year, self.years = year_or_404(kwargs["year"])
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

    def save(self, entries) -> list[MonthlyFigure]:
        return record_forecasts(year=self.year, entries=entries, user=self.request.user)

    def saved_message(self, count: int) -> str:
        return f"Saved forecasts for {self.year.label}: {counted(count, 'figure')} changed."

    def context(self, grid: FigureGrid) -> dict:
        in_grid = MonthlyFigure.objects.filter(
            line=OuterRef("pk"), year=self.year, period__in=self.periods
        )
        outturns = BudgetLine.objects.filter(Exists(in_grid)).with_outturn(self.year, self.as_at)
        return {
            "periods": self.periods,
            "rows": grid.rows_by_line({line.pk: line for line in outturns}),
            "as_at": self.as_at,
        }
