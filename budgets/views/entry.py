"""Entering monthly figures: one period's actuals and notes, and the forecast grid.

Both pages (and the budget-setting grid, through `PagedLinesMixin`) show one page of
lines at a time (PAGE_SIZE), the lines an `EntryFilter` leaves; the entry pages' totals
cover every line the filter leaves, beside the page's own subtotal. The pager and filter
buttons are submit buttons of the entry form: they save what was typed, then move; a
refused save keeps the page, the typed values and the errors."""

from itertools import groupby

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from budgets.filters import EntryFilter
from budgets.forms import FigureGrid, ReopenPeriodForm
from budgets.models import (
    PERIODS,
    BudgetLine,
    FinancialYear,
    LineYearTotal,
    MonthlyFigure,
    PeriodTotal,
)
from budgets.reporting import years_with_figures
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
PAGE_SIZE = 50  # lines per page of an entry page


def year_or_404(label: str) -> tuple[FinancialYear, list[FinancialYear]]:
    """The year labelled `label` and every year, each with its latest actual as
    `reporting_for`'s carry it (`years_with_figures`). One query."""
    years = years_with_figures()
    year = next((y for y in years if y.label == label), None)
    if year is None:
        raise Http404(f"No financial year {label}")
    return year, years


class PagedLinesMixin:
    """A grid of lines shown a page at a time (PAGE_SIZE), the lines an `EntryFilter`
    leaves, whose pager and filter buttons save what was typed and then move: the period
    and forecast pages, and the budget-setting grid."""

    def setup(self, request: HttpRequest, *args, **kwargs) -> None:
        super().setup(request, *args, **kwargs)
        self.filter = EntryFilter(request.GET)
        self._figures = None
        self._page = None
        # On a save, the figures whose inputs were sent (each sends its version), not the
        # page's figures now: a line added meanwhile must not push a typed one off the page.
        self.sent = (
            [int(key[8:]) for key in request.POST if key[8:].isdigit() and key[:8] == "version-"]
            if request.method == "POST"
            else None
        )

    def target(self) -> str | None:
        """Where a pager or filter button moves to once saved (None for a plain save):
        the filter as submitted, at the page asked for (page 1 for a new filter)."""
        data, path = self.request.POST, self.request.path
        if data.get("go") == "clear":
            return path
        page = data.get("page", "")
        if data.get("go") != "filter" and not page.isdigit():
            return None
        query = EntryFilter(data).query(int(page) if page.isdigit() else 1)
        return f"{path}?{query}" if query else path

    def paginate(self, queryset) -> Page:
        """The page asked for (the first for a page number that is not one, the last for
        one past the end) of `queryset`."""
        return Paginator(queryset, PAGE_SIZE).get_page(self.request.GET.get("page"))

    def paging_context(self, editable: bool) -> dict:
        page = self.page()
        return {
            "filter": self.filter,
            "page_obj": page,
            "line_count": page.paginator.count,
            "editable": editable,
        }

    def page(self) -> Page:
        raise NotImplementedError


class FigureGridView(PagedLinesMixin, View):
    """Shared by the period and forecast pages: GET shows a page of the grid; POST
    (Finance only) parses every cell, saves all or nothing through a service, then stays
    or moves to the page or filter its button asked for."""

    fields: tuple[str, ...] = ()
    template_name = ""

    def post(self, request: HttpRequest, **kwargs) -> HttpResponse:
        if not request.user.has_perm(CHANGE_FIGURES):
            raise PermissionDenied("Only Finance can record monthly figures.")
        grid = FigureGrid(self.figures(), self.fields, request.POST)
        target = self.target()
        if locked := self.locked_message():
            return self.show(grid, status=409, problem=locked)
        if target is not None and not grid.figures:
            return redirect(target)  # nothing on this page to save
        if not grid.is_valid():
            return self.show(grid)
        if target is not None and not grid.entries:
            return redirect(target)  # nothing typed: just move
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
        return redirect(target or request.get_full_path())

    def get(self, request: HttpRequest, **kwargs) -> HttpResponse:
        return self.show(FigureGrid(self.figures(), self.fields))

    def show(self, grid: FigureGrid, status: int = 200, **extra) -> HttpResponse:
        can_edit = self.request.user.has_perm(CHANGE_FIGURES)
        context = {
            "year": self.year,
            "years": self.years,
            "grid": grid,
            "can_edit": can_edit,
            "note_percent": settings.VARIANCE_NOTE_PERCENT,
            "note_amount": settings.VARIANCE_NOTE_AMOUNT,
            **self.paging_context(can_edit and not self.locked_message()),
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

    def in_filter(self):
        """This period's figures of every line the filter leaves."""
        return MonthlyFigure.objects.filter(
            self.filter.lines("line__"), year=self.year, period=self.period
        )

    def shown(self, figures):
        """`figures` as the page shows them: with their line, category, who saved them and
        last year's actual, in category and code order."""
        last_year = (
            MonthlyFigure.objects.filter(
                line=OuterRef("line"), year=self.previous, period=self.period
            )
            .order_by()  # one figure at most: no need to join and sort by the default order
            .values("actual")[:1]
        )
        return (
            figures.select_related("line", "line__category", "updated_by")
            .annotate(last_year_actual=Subquery(last_year))
            .order_by("line__category__order", "line__code", "pk")
        )

    def page(self) -> Page:
        """A page of the ids of the lines `in_filter` leaves (one figure each: a line has
        one per period), in category and code order: the lines first, then only their
        figures, so that the database sorts line ids (read from the index of figures by
        year, period and line), not every figure of the period with its line, category
        and last year's actual."""
        if self._page is None:
            order = ("line__category__order", "line__code", "line")
            lines = self.in_filter().order_by(*order).values_list("line", flat=True)
            self._page = self.paginate(lines)
        return self._page

    def figures(self) -> list[MonthlyFigure]:
        if self._figures is None:
            this_period = MonthlyFigure.objects.filter(year=self.year, period=self.period)
            if self.sent is None:
                # The page's lines as a subquery: one query for the lines and figures.
                shown = this_period.filter(line__in=self.page().object_list)
            else:
                shown = this_period.filter(pk__in=self.sent)
            self._figures = list(self.shown(shown))
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

    def sums(self, figures) -> dict:
        """`entry_subtotals` of `figures`, each with last year's actual of the same lines
        in the same period, and how many figures it adds up."""
        return figures.entry_subtotals(last_year=(self.previous, self.period))

    def groups(self, rows: list[dict]) -> tuple[list[dict], dict, dict]:
        """The page's rows under their category headings, each group with the subtotals
        of its category over every line the filter leaves (and how many lines that is);
        the totals of all those lines; the page's own subtotals."""
        sums = self.sums(self.in_filter())
        page_sums = self.sums(MonthlyFigure.objects.filter(pk__in=[r["figure"].pk for r in rows]))
        groups = []
        for category, grouped in groupby(rows, key=lambda row: row["figure"].line.category):
            grouped = list(grouped)
            count = sums[category.pk]["count"]  # one figure a line in the period
            groups.append(
                {
                    "category": category,
                    "rows": grouped,
                    "sums": sums[category.pk],
                    "count": count,
                    "partial": count != len(grouped),
                }
            )
        return groups, sums[None], page_sums[None]

    def context(self, grid: FigureGrid) -> dict:
        rows = grid.rows()
        groups, totals, page_totals = self.groups(rows)
        return {
            "period": self.period,
            "previous": self.previous,
            "rows": rows,
            "groups": groups,
            "totals": totals,
            "page_totals": page_totals,
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
        self.as_at = self.year.latest_actual or 0
        self.periods = [p for p in self.year.open_periods if p > self.as_at]

    def in_filter(self):
        """Every line the filter leaves that has a figure in the grid's periods."""
        in_grid = MonthlyFigure.objects.filter(
            line=OuterRef("pk"), year=self.year, period__in=self.periods
        )
        return BudgetLine.objects.filter(Exists(in_grid)).filter(self.filter.lines())

    def page(self) -> Page:
        if self._page is None:
            self._page = self.paginate(self.in_filter().order_by("code", "pk"))
        return self._page

    def figures(self) -> list[MonthlyFigure]:
        if self._figures is None:
            in_grid = MonthlyFigure.objects.filter(year=self.year, period__in=self.periods)
            if self.sent is None:
                in_grid = in_grid.filter(line__in=[line.pk for line in self.page().object_list])
            else:
                in_grid = in_grid.filter(pk__in=self.sent)
            self._figures = list(
                in_grid.select_related("line").order_by("line__code", "line", "period")
            )
        return self._figures

    def save(self, entries) -> list[MonthlyFigure]:
        return record_forecasts(year=self.year, entries=entries, user=self.request.user)

    def saved_message(self, count: int) -> str:
        return f"Saved forecasts for {self.year.label}: {counted(count, 'figure')} changed."

    def totals(self, figures) -> dict:
        """The full-year `totals` of `figures` (or of stored period totals) and, per grid
        period, their forecast (the forecast, else the budget)."""
        by_period = {row["period"]: row["forecast"] for row in figures.by_period(self.as_at)}
        return {
            **figures.totals(self.as_at),
            "periods": [by_period[p] for p in self.periods],
        }

    def in_filter_figures(self):
        """The year's figures of every line the filter leaves: as stored per period when
        those are all the lines with figures this year (no filter, and each of them has
        a figure in the grid's periods), which gives the same totals from twelve rows."""
        lines = self.page().paginator.count
        if not self.filter.active and lines == LineYearTotal.objects.filter(year=self.year).count():
            return PeriodTotal.objects.for_year(self.year)
        year = MonthlyFigure.objects.for_year(self.year)
        return year.filter(line__in=self.in_filter().values("pk"))

    def context(self, grid: FigureGrid) -> dict:
        on_page = {figure.line_id for figure in grid.figures}
        outturns = BudgetLine.objects.filter(pk__in=on_page).with_outturn(self.year, self.as_at)
        year = MonthlyFigure.objects.for_year(self.year)
        return {
            "periods": self.periods,
            "rows": grid.rows_by_line({line.pk: line for line in outturns}),
            "as_at": self.as_at,
            "totals": self.totals(self.in_filter_figures()),
            "page_totals": self.totals(year.filter(line__in=on_page)),
        }
