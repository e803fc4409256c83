from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from budgets.reporting import reporting_for
from common.exports import SafeExportMixin, csv_response
from reports.dashboard import CHART_IDS, cached_dashboard
from reports.filters import HistoryFilter
from reports.history import DescribedChanges, changes
from reports.report_views import dashboard_movement
from reports.tables import HistoryTable


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The committee dashboard for `?year=` and `?as_at=` (default: the last closed period),
    with the movement between the reports published for it and the period before."""
    reporting = reporting_for(request)
    dashboard = cached_dashboard(reporting)
    context = {"dashboard": dashboard, "movement": dashboard_movement(reporting)}
    return render(request, "reports/home.html", context)


@require_safe
def chart_csv(request: HttpRequest, chart: str) -> HttpResponse:
    """One dashboard chart's table as CSV, for the same year and reporting date."""
    if chart not in CHART_IDS:
        raise Http404(f"No chart {chart}")
    dashboard = cached_dashboard(reporting_for(request))
    found = dashboard.chart(chart)
    if found is None:
        raise Http404(f"No {chart} chart for this year")
    filename = f"{chart}-{dashboard.year_label}.csv"
    return csv_response(filename, found.columns, found.rows)


class HistoryView(SafeExportMixin, SingleTableMixin, FilterView):
    """/history/: every recorded change, newest first, filtered, 50 a page, exported as
    CSV or XLSX (the filtered rows, up to `EXPORT_LIMIT`). Read-only."""

    http_method_names = ["get", "head"]
    filterset_class = HistoryFilter
    table_class = HistoryTable
    table_pagination = {"per_page": 50}
    template_name = "reports/history.html"
    export_name = "history"
    strict = False  # a bad filter value is explained; the others still apply

    def get_queryset(self):
        return changes()

    def get_table_data(self) -> DescribedChanges:
        return DescribedChanges(self.object_list)

    def get_table_pagination(self, table):
        if self.request.GET.get(self.export_trigger_param):
            return False  # an export is every filtered row, not a page
        return super().get_table_pagination(table)
