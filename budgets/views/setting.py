"""Setting and phasing a year's budget: the grid of lines x full year, phasing and months,
50 lines a page like the entry pages (at thousands of lines the whole grid was tens of MB).

Everyone may read it; an Admin saves it while the year's budget is a draft. An approved
year's budget changes only by a recorded budget change, so its grid is read-only.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View
from django.views.decorators.http import require_GET

from budgets.budget_grid import BudgetGrid
from budgets.importing.template import BUDGET_COLUMNS, budget_template_rows, budget_workbook
from budgets.models import PERIODS, BudgetLine, FinancialYear, MonthlyFigure
from budgets.services import ConflictError, PeriodLockedError, VarianceNoteError
from budgets.setting import (
    SET_BUDGET_PERMISSIONS,
    BudgetApprovedError,
    PhasingError,
    approved_message,
    previous_year,
    profiles,
    set_budgets,
)
from budgets.views.entry import PagedLinesMixin, year_or_404
from budgets.views.imports import XLSX_TYPE
from common.exports import csv_response
from common.text import counted


class BudgetSettingView(PagedLinesMixin, View):
    """GET shows a page of the grid (the lines an `EntryFilter` leaves, 50 at a time);
    POST (Admin, draft years) parses every cell sent, saves all or nothing through
    `set_budgets`, then stays or moves to the page or filter its button asked for."""

    def setup(self, request: HttpRequest, *args, **kwargs) -> None:
        super().setup(request, *args, **kwargs)
        self.year, self.years = year_or_404(kwargs["year"])
        self.previous = previous_year(self.year)

    def in_filter(self):
        """Every line the filter leaves that has a figure this year."""
        this_year = MonthlyFigure.objects.filter(line=OuterRef("pk"), year=self.year)
        return BudgetLine.objects.filter(Exists(this_year)).filter(self.filter.lines())

    def page(self) -> Page:
        if self._page is None:
            self._page = self.paginate(self.in_filter().order_by("code", "pk"))
        return self._page

    def figures(self) -> list[MonthlyFigure]:
        """The figures of the page's lines; on a save, those whose cells were sent."""
        if self._figures is None:
            figures = MonthlyFigure.objects.for_year(self.year)
            if self.sent is None:
                figures = figures.filter(line__in=[line.pk for line in self.page().object_list])
            else:
                figures = figures.filter(pk__in=self.sent)
            self._figures = list(
                figures.select_related("line", "updated_by").order_by("line__code", "period")
            )
        return self._figures

    def grid(self, data=None) -> BudgetGrid:
        figures = self.figures()
        shapes = profiles(self.previous, {figure.line_id for figure in figures})
        return BudgetGrid(figures, shapes, data)

    def get(self, request: HttpRequest, **kwargs) -> HttpResponse:
        return self.show(self.grid())

    def post(self, request: HttpRequest, **kwargs) -> HttpResponse:
        if not request.user.has_perms(SET_BUDGET_PERMISSIONS):
            raise PermissionDenied("Only administrators can set a year's budget.")
        grid = self.grid(request.POST)
        target = self.target()
        if self.year.is_budget_approved:
            return self.show(grid, status=409, problem=approved_message(self.year))
        if target is not None and not grid.rows:
            return redirect(target)  # nothing on this page to save
        if not grid.is_valid():
            return self.show(grid)
        if target is not None and not grid.entries:
            return redirect(target)  # nothing typed: just move
        try:
            changed = set_budgets(year=self.year, entries=grid.entries, user=request.user)
        except ConflictError as error:
            conflicts = grid.conflicts(error.conflicts)
            self._figures = None  # offer the typed values again, against the figures now
            return self.show(grid.offer_again(self.figures()), status=409, conflicts=conflicts)
        except (BudgetApprovedError, PeriodLockedError, PhasingError, VarianceNoteError) as error:
            return self.show(grid, status=409, problem=str(error))
        changed_text = counted(len(changed), "monthly figure")
        messages.success(request, f"Saved the {self.year.label} budget: {changed_text} changed.")
        return redirect(target or request.get_full_path())

    def show(self, grid: BudgetGrid, status: int = 200, **extra) -> HttpResponse:
        can_edit = (
            self.request.user.has_perms(SET_BUDGET_PERMISSIONS) and not self.year.is_budget_approved
        )
        context = {
            "year": self.year,
            "years": self.years,
            "previous": self.previous,
            "grid": grid,
            "periods": PERIODS,
            "approved": self.year.is_budget_approved,
            "can_edit": can_edit,
            **self.paging_context(can_edit),
            **extra,
        }
        return render(self.request, "budgets/set_budget.html", context, status=status)


def _template_year(request: HttpRequest) -> FinancialYear:
    """`?year=2016-17`, else the latest year."""
    label = request.GET.get("year")
    year = FinancialYear.objects.filter(label=label).first() if label else None
    year = year or FinancialYear.objects.order_by("-start").first()
    if year is None:
        raise Http404("There is no financial year yet.")
    return year


@require_GET
def budget_template_csv(request: HttpRequest) -> HttpResponse:
    year = _template_year(request)
    rows = budget_template_rows(year)
    return csv_response(f"budget-template-{year.label}.csv", BUDGET_COLUMNS, rows)


@require_GET
def budget_template_xlsx(request: HttpRequest) -> HttpResponse:
    year = _template_year(request)
    response = HttpResponse(budget_workbook(budget_template_rows(year)), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="budget-template-{year.label}.xlsx"'
    return response
