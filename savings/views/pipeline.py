"""The savings index: the programme's targets, the pipeline and the gap year by year with
their charts (each chart's table also as CSV), and the initiatives of the reporting year in
a filtered table with their totals."""

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from budgets.models import FinancialYear
from budgets.reporting import reporting_for
from common.charts import Chart, link_csv
from common.exports import SafeExportMixin, csv_response
from common.tables import several_pages_ids
from savings.charts import savings_charts
from savings.filters import InitiativeFilter
from savings.models import Initiative, InitiativeYear, ReductionProgramme
from savings.tables import InitiativeTable


class SavingsIndexView(SafeExportMixin, SingleTableMixin, FilterView):
    """Targets, the pipeline and the gap per year; the initiatives of one year, filtered."""

    template_name = "savings/index.html"
    table_class = InitiativeTable
    filterset_class = InitiativeFilter

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.reporting = reporting_for(request)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        queryset = Initiative.objects.select_related("contract")
        if self.reporting.year is None:
            return queryset.none()
        return queryset.with_year(self.reporting.year)

    def get_table_kwargs(self) -> dict:
        return {"totals": self.object_list.year_totals()}

    @property
    def export_name(self) -> str:
        return f"initiatives-{self.reporting.year or 'none'}"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        table = context["table"]
        if (on_page := several_pages_ids(table)) is not None:
            table.page_totals = self.object_list.filter(pk__in=on_page).year_totals()
        programme = ReductionProgramme.objects.for_year(self.reporting.year)
        rows = InitiativeYear.objects.pipeline(programme)
        # Headlines for the selected year, or else the latest year with a target.
        year_id = self.reporting.year.pk if self.reporting.year else None
        selected = [row for row in rows if row["year_id"] == year_id]
        targeted = [row for row in selected or rows if row["target"] is not None]
        context.update(
            programme=programme,
            reporting=self.reporting,
            pipeline=rows,
            latest=targeted[-1] if targeted else None,
            cumulative=(selected or rows or [None])[-1],
            totals=context["table"].totals,
            charts=_charts(rows, self.reporting.year),
            years=self.reporting.years,
        )
        return context


def _charts(rows: list[dict], year: FinancialYear | None) -> list[Chart]:
    if year is None:
        return []
    charts = savings_charts(rows, year_label=year.label)
    link_csv(charts, "savings:chart_csv", {"year": year.label})
    return charts


@require_safe
def chart_csv(request: HttpRequest, chart: str) -> HttpResponse:
    """One savings chart's table as CSV, for the page's year."""
    year = reporting_for(request).year
    rows = InitiativeYear.objects.pipeline(ReductionProgramme.objects.for_year(year))
    found = next((c for c in _charts(rows, year) if c.id == chart), None)
    if found is None:
        raise Http404(f"No savings chart {chart}")
    return csv_response(f"savings-{chart}-{year.label}.csv", found.columns, found.rows)
