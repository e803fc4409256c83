"""The report: the structure the committee reads for one year as at one period.

`build_payload` makes it from the live figures (the dashboard's own `build_dashboard`, plus
the lines, savings, notes and contract tables); `publish_report` stores it once, as
canonical JSON, when a period closes. A published report is that structure and is never
recomputed: its pages and pack read `PublishedReport.data`.
"""

import json
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.safestring import SafeString
from plotly.utils import PlotlyJSONEncoder

from budgets.models import BudgetLine, FinancialYear, MonthlyFigure
from budgets.reporting import Reporting, reporting_at
from common import snapshot
from common.charts import Chart, linked_rows, table_body
from common.money import percent
from reports.dashboard import Dashboard, build_dashboard
from reports.models import PublishedReport
from savings.models import Initiative

PAYLOAD_FORMAT = 1
AT_RISK = ("red", "amber_red")


@dataclass
class StoredChart:
    """A chart as stored in a report: the same attributes the chart include reads."""

    id: str
    title: str
    summary: str
    figure: str | None  # plotly's JSON, as drawn at publication
    columns: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    csv_url: str = ""
    # As `Chart`'s: a report published before charts linked their rows has none.
    links: list = field(default_factory=list)
    link_column: int = 0

    @property
    def linked_rows(self) -> list[list[tuple[object, str | None]]]:
        return linked_rows(self.rows, self.links, self.link_column)

    @property
    def table_body(self) -> SafeString:
        return table_body(self.linked_rows)

    @property
    def figure_json(self) -> dict | None:
        return json.loads(self.figure) if self.figure else None

    @property
    def script_id(self) -> str:
        return f"chart-data-{self.id}"


def stored_charts(payload: dict) -> list[StoredChart]:
    return [StoredChart(**chart) for chart in payload.get("charts", [])]


def _chart(chart: Chart) -> dict:
    figure = chart.figure_json
    return {
        "id": chart.id,
        "title": chart.title,
        "summary": chart.summary,
        "figure": json.dumps(figure, cls=PlotlyJSONEncoder, sort_keys=True) if figure else None,
        "columns": list(chart.columns),
        "rows": [list(row) for row in chart.rows],
        "notes": list(chart.notes),
        "links": list(chart.links),
        "link_column": chart.link_column,
    }


def _lines(year: FinancialYear, as_at: int) -> list[dict]:
    rows = (
        BudgetLine.objects.active()
        .with_outturn(year, as_at)
        .select_related("category")
        .order_by("code")
    )
    return [
        {
            "code": line.code,
            "name": line.name,
            "category": line.category.name,
            "budget": line.full_year_budget,
            "actual_to_date": line.actual_to_date,
            "outturn": line.outturn,
            "variance": line.variance,
            "variance_pct": percent(line.variance, line.full_year_budget),
            "rag": line.rag,
            "url": line.get_absolute_url(),
        }
        for line in rows
    ]


def _variance_notes(year: FinancialYear) -> list[dict]:
    figures = (
        MonthlyFigure.objects.for_year(year)
        .exclude(note="")
        .select_related("line")
        .order_by("line__code", "period")
    )
    return [
        {
            "code": f.line.code,
            "name": f.line.name,
            "period": f.period,
            "actual": f.actual,
            "budget": f.budget,
            "forecast": f.forecast,
            "note": f.note,
            "url": f.line.get_absolute_url(),
        }
        for f in figures
    ]


def _initiatives(year: FinancialYear) -> list[dict]:
    rows = Initiative.objects.with_year(year).order_by("code")
    return [
        {
            "code": i.code,
            "name": i.name,
            "stage": i.get_stage_display(),
            "confidence": i.confidence,
            "planned": i.planned,
            "forecast": i.forecast,
            "realised": i.realised,
            "claimed": i.claimed,
            "url": i.get_absolute_url(),
        }
        for i in rows
    ]


def _headline(dashboard: Dashboard) -> list[dict]:
    """Every headline figure, in the dashboard's order: key, label and value."""
    totals, savings = dashboard.totals, dashboard.savings or {}
    year = dashboard.year_label
    items = [
        ("budget", "Full-year budget (revised)", totals.get("budget")),
        ("original_budget", "Original budget (as approved)", totals.get("original_budget")),
        ("actual_to_date", "Actual to date", totals.get("actual_to_date")),
        ("outturn", "Forecast outturn", totals.get("outturn")),
        ("variance", "Variance, outturn less budget", totals.get("variance")),
        ("variance_pct", "Variance %", totals.get("variance_pct")),
        ("target", f"Savings target {year} (in-year)", savings.get("target")),
        ("realised", "Savings realised (validated)", savings.get("realised")),
        ("claimed", "Savings claimed, awaiting validation", savings.get("claimed")),
        ("realised_gap", "Gap to target on validated savings", savings.get("realised_gap")),
        ("claimed_gap", "Gap to target on validated and claimed", savings.get("claimed_gap")),
        ("savings_forecast", "Savings forecast", savings.get("forecast")),
        ("gap", "Gap to target (target less forecast)", savings.get("gap")),
        ("cumulative_realised", "Cumulative savings realised", savings.get("cumulative_realised")),
    ]
    return [{"key": key, "label": label, "value": value} for key, label, value in items]


def _programme(dashboard: Dashboard) -> dict | None:
    programme = dashboard.programme
    if programme is None:
        return None
    return {
        "name": programme.name,
        "reduction_target": programme.reduction_target,
        "organisation_budget": programme.organisation_budget,
    }


def _largest_supplier(dashboard: Dashboard) -> dict | None:
    top = dashboard.largest_supplier
    if not top:
        return None
    return {key: top.get(key) for key in ("name", "outturn", "total", "share", "supplier_id")}


def _projects(dashboard: Dashboard) -> dict | None:
    """The projects summary as stored: plain values, its chart as `_chart` stores one."""
    projects = dashboard.projects
    if projects is None:
        return None
    return {**projects, "chart": _chart(projects["chart"])}


def build_payload(reporting: Reporting) -> dict:
    """The report for `reporting.year` as at `reporting.as_at`, from the live figures."""
    dashboard = build_dashboard(reporting)
    year, as_at = reporting.year, reporting.as_at
    payload = {
        "format": PAYLOAD_FORMAT,
        "organisation": settings.ORGANISATION_NAME,
        "year": year.label if year else "",
        "period": as_at,
        "as_at_date": reporting.as_at_date,
        "label": reporting.label,
        "has_figures": dashboard.has_figures,
        "totals": dict(dashboard.totals),
        "savings": dict(dashboard.savings) if dashboard.savings else None,
        "programme": _programme(dashboard),
        "largest_supplier": _largest_supplier(dashboard),
        "decision_cutoff": dashboard.decision_cutoff,
        "decisions_due": [
            {
                "reference": c.reference,
                "title": c.title,
                "supplier": c.supplier.name,
                "end_date": c.end_date,
                "decision_date": c.decision_date,
                "url": c.get_absolute_url(),
            }
            for c in dashboard.decisions_due
        ],
        "charts": [_chart(chart) for chart in dashboard.charts],
        "headline": _headline(dashboard),
        "lines": [],
        "variance_notes": [],
        "initiatives": [],
        "projects": _projects(dashboard),
    }
    if year is not None and dashboard.has_figures:
        payload["lines"] = _lines(year, as_at)
        payload["variance_notes"] = _variance_notes(year)
        payload["initiatives"] = _initiatives(year)
    payload["initiatives_at_risk"] = [
        i for i in payload["initiatives"] if i["confidence"] in AT_RISK
    ]
    # Canonical form: what is stored is exactly what a reader of the payload gets back.
    return snapshot.loads(snapshot.dumps(payload))


@transaction.atomic
def publish_report(
    *, year: FinancialYear, period: int, user: AbstractBaseUser, reason: str = ""
) -> PublishedReport:
    """Store the report for `year` as at `period` as its next version. Only those who may
    close periods publish (closing a period publishes its report)."""
    if not user.has_perm("budgets.close_period"):
        raise PermissionDenied("Only administrators publish reports, by closing a period.")
    if not 1 <= period <= 12:
        raise ValueError("A period is between 1 and 12.")
    year = FinancialYear.objects.select_for_update().get(pk=year.pk)
    latest = PublishedReport.objects.filter(year=year, period=period).aggregate(v=Max("version"))
    payload = build_payload(reporting_at(year, period))
    return PublishedReport.objects.create(
        year=year,
        period=period,
        version=(latest["v"] or 0) + 1,
        published_at=timezone.now(),
        published_by=user,
        close_reason=reason,
        payload=snapshot.dumps(payload),
    )
