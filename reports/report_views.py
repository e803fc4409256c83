"""Published reports: the list, and one report exactly as published."""

import django_tables2 as tables
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe
from django_tables2 import SingleTableView

from common.exports import SafeExportMixin
from reports.models import PublishedReport
from reports.movement import movement
from reports.projects_summary import stored_projects
from reports.publishing import StoredChart, stored_charts


class ReportTable(tables.Table):
    report = tables.Column(
        accessor="pk", verbose_name="Report", linkify=lambda record: record.get_absolute_url()
    )
    as_at = tables.Column(accessor="period", verbose_name="As at")
    version = tables.Column(verbose_name="Version")
    published_at = tables.DateTimeColumn(verbose_name="Published", format="j M Y H:i")
    published_by = tables.Column(verbose_name="By")
    close_reason = tables.Column(verbose_name="Closed with outstanding items because")

    class Meta:
        model = PublishedReport
        fields = ("report", "as_at", "version", "published_at", "published_by", "close_reason")
        orderable = False

    def render_report(self, record: PublishedReport) -> str:
        return f"{record.year.label} P{record.period}"

    def value_report(self, record: PublishedReport) -> str:
        return f"{record.year.label} P{record.period}"

    def render_as_at(self, record: PublishedReport) -> str:
        return record.data.get("label", "")

    def value_published_at(self, record: PublishedReport) -> str:
        return record.published_at.isoformat()

    def render_published_by(self, record: PublishedReport) -> str:
        user = record.published_by
        return user.get_full_name() or user.get_username()

    value_published_by = render_published_by


class ReportListView(SafeExportMixin, SingleTableView):
    """Every published report, newest period and version first."""

    table_class = ReportTable
    template_name = "reports/index.html"
    paginate_by = 50
    export_name = "published-reports"

    def get_queryset(self):
        return PublishedReport.objects.select_related("year", "published_by").latest_first()


def previous_report(report: PublishedReport) -> PublishedReport | None:
    """The report the committee read before this one: the latest version of the latest
    earlier period of the same year (movement across years would compare different budgets)."""
    return PublishedReport.objects.before(report).filter(year=report.year).first()


def report_context(report: PublishedReport) -> dict:
    """What a report page and its pack show, all from stored payloads."""
    previous = previous_report(report)
    newer = (
        PublishedReport.objects.filter(
            year=report.year, period=report.period, version__gt=report.version
        )
        .order_by("-version")
        .first()
    )
    return {
        "report": report,
        "data": report.data,
        "charts": stored_charts(report.data),
        "previous": previous,
        "movement": movement(report.data, previous.data if previous else None),
        "superseded_by": newer,
        "commentary": {c.section: c for c in report.commentary.all()},
        "projects": stored_projects(report.data, lambda chart: StoredChart(**chart)),
    }


@require_safe
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(
        PublishedReport.objects.select_related("year", "published_by"), pk=pk
    )
    return render(request, "reports/report.html", report_context(report))


def dashboard_movement(reporting) -> dict | None:
    """For the dashboard: the movement of the report published for its reporting period
    against the one before, both stored (None until two reports of the year exist)."""
    if reporting.year is None or reporting.as_at == 0:
        return None
    report = (
        PublishedReport.objects.current()
        .filter(year=reporting.year, period=reporting.as_at)
        .select_related("year")
        .first()
    )
    previous = previous_report(report) if report else None
    if previous is None:
        return None
    return {"report": report, **movement(report.data, previous.data)}
