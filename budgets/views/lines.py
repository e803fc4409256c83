"""The budget lines table and one line's page."""

from django.db.models import DecimalField, Exists, ExpressionWrapper, F, OuterRef, Value
from django.db.models.functions import NullIf
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe
from django_tables2 import SingleTableView

from budgets.charts import line_months_chart
from budgets.filters import BudgetLineFilter
from budgets.history import line_changes
from budgets.models import PERIODS, BudgetChangeLine, BudgetLine, MonthlyFigure, PeriodTotal
from budgets.reporting import line_months, reporting_for
from budgets.tables import BudgetLineTable
from common.exports import SafeExportMixin, csv_response


class BudgetLineListView(SafeExportMixin, SingleTableView):
    """Every line with figures in the selected year: filter, sort, page, total, export."""

    table_class = BudgetLineTable
    template_name = "budgets/index.html"
    table_pagination = {"per_page": 25}

    def get_queryset(self):
        self.reporting = reporting_for(self.request)
        year = self.reporting.year
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
        data = self.request.GET.copy()
        if year is not None:
            data["year"] = year.label  # the year shown, chosen or by default
        self.filterset = BudgetLineFilter(data, queryset=lines, years=self.reporting.years)
        return self.filterset.qs

    def get_table_kwargs(self) -> dict:
        if not hasattr(self, "totals"):
            year, as_at = self.reporting.year, self.reporting.as_at
            form = self.filterset.form
            if year is None:
                self.totals = None
            elif form.is_valid() and not any(form.cleaned_data.values()):
                # No filter: the lines are every line with figures this year, whose totals
                # the year's stored period totals hold.
                self.totals = PeriodTotal.objects.for_year(year).totals(as_at)
            else:
                self.totals = (
                    MonthlyFigure.objects.for_year(year)
                    .filter(line__in=self.object_list.order_by().values("pk"))
                    .totals(as_at)
                )
        return {
            "totals": self.totals,
            "year_label": self.reporting.year.label if self.reporting.year else "",
        }

    def get_export_filename(self, export_format: str) -> str:
        year = self.reporting.year
        return f"budget-lines-{year.label if year else 'none'}.{export_format}"

    @staticmethod
    def period_strip(year) -> list[dict]:
        if year is None:
            return []
        entered = PeriodTotal.objects.for_year(year).latest_actual_period()
        return [{"n": p, "status": period_status(year, p, entered)} for p in PERIODS]

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        year = self.reporting.year
        table = context["table"]
        if year is not None:  # shown only when there are several pages; asked always
            on_page = [row.record.pk for row in table.page.object_list]
            table.page_totals = (
                MonthlyFigure.objects.for_year(year)
                .filter(line__in=on_page)
                .totals(self.reporting.as_at)
            )
        context.update(
            reporting=self.reporting,
            filter=self.filterset,
            periods=self.period_strip(year),
            export_query=self.request.GET.urlencode(),
        )
        return context


def period_status(year, period: int, entered: int) -> str:
    """A period as the strip names it: closed, in progress (open, at or before the latest
    period with an actual entered: `entered`) or open (nothing entered yet)."""
    if year.is_locked(period):
        return "closed"
    return "in progress" if period <= entered else "open"


LINE_EXPORT_COLUMNS = (
    "Period",
    "Original budget",
    "Revised budget",
    "Actual",
    "Forecast",
    "Committed",
    "Note",
)
LINE_EXPORT_KEYS = ("original_budget", "budget", "actual", "forecast", "committed")


@require_safe
def line_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One line for the selected year: months, chart, contract and change history."""
    line = get_object_or_404(
        BudgetLine.objects.select_related("category", "contract", "contract__supplier"),
        code=code,
    )
    reporting = reporting_for(request)
    year = reporting.year
    if year is None:
        context = {
            "line": line,
            "reporting": reporting,
            "months": [],
            "changes": [],
            "budget_changes": [],
        }
        return render(request, "budgets/line.html", context)
    figures = line.figures.filter(year=year).select_related("updated_by").order_by("period")
    months = line_months(list(figures), year)
    if request.GET.get("_export") == "csv":
        return csv_response(
            f"{line.code}-{year.label}.csv",
            LINE_EXPORT_COLUMNS,
            [
                [f"P{m['period']}", *(m[key] for key in LINE_EXPORT_KEYS), m["figure"].note]
                for m in months
            ],
        )
    chart = line_months_chart(
        code=line.code,
        year_label=year.label,
        rows=months,
        csv_url=f"{request.path}?year={year.label}&chart=csv",
    )
    if request.GET.get("chart") == "csv":  # exactly the chart's table
        return csv_response(f"{line.code}-{year.label}-chart.csv", chart.columns, chart.rows)
    context = {
        "line": line,
        "reporting": reporting,
        "months": months,
        "totals": line.figures.filter(year=year).totals(reporting.as_at),
        "chart": chart if months else None,
        "changes": line_changes(line, year),
        "budget_changes": BudgetChangeLine.objects.filter(line=line, year=year)
        .select_related("change", "change__made_by")
        .order_by("-change__made_at", "period"),
    }
    return render(request, "budgets/line.html", context)
