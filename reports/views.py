from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from budgets.reporting import reporting_for
from common.exports import csv_response
from reports.dashboard import CHART_IDS, build_dashboard
from reports.report_views import dashboard_movement


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The committee dashboard for `?year=` and `?as_at=` (default: the last closed period),
    with the movement between the reports published for it and the period before."""
    reporting = reporting_for(request)
    dashboard = build_dashboard(reporting)
    context = {"dashboard": dashboard, "movement": dashboard_movement(reporting)}
    return render(request, "reports/home.html", context)


@require_safe
def chart_csv(request: HttpRequest, chart: str) -> HttpResponse:
    """One dashboard chart's table as CSV, for the same year and reporting date."""
    if chart not in CHART_IDS:
        raise Http404(f"No chart {chart}")
    dashboard = build_dashboard(reporting_for(request))
    found = dashboard.chart(chart)
    if found is None:
        raise Http404(f"No {chart} chart for this year")
    filename = f"{chart}-{dashboard.year_label}.csv"
    return csv_response(filename, found.columns, found.rows)
