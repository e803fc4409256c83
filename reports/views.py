from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from budgets.reporting import reporting_for
from common.exports import csv_response
from reports.dashboard import CHART_IDS, build_dashboard


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The committee dashboard for `?year=` (default: the latest year with figures)."""
    dashboard = build_dashboard(reporting_for(request))
    return render(request, "reports/home.html", {"dashboard": dashboard})


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
