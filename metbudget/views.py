from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.db.utils import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from budgets.reporting import reporting_for
from metbudget.dashboard import CHART_IDS, build_dashboard
from metbudget.exports import csv_response


@login_not_required
@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """200 `ok` when the database answers a query, 503 otherwise (for load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The committee dashboard for `?year=` (default: the latest year with figures)."""
    dashboard = build_dashboard(reporting_for(request))
    return render(request, "metbudget/home.html", {"dashboard": dashboard})


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
