"""The committee dashboard's data: headline figures and the seven charts for one year.

Everything comes from QuerySet methods of the three apps; this module only picks the
selected year's rows out of them and hands plain rows to `reports.charts` and
`savings.charts`. The number of queries does not depend on the number of lines,
contracts or initiatives.
"""

from dataclasses import dataclass, field, replace
from datetime import date

from django.utils import timezone

from budgets.models import LineYearTotal, PeriodTotal
from budgets.reporting import Reporting
from common.charts import Chart, link_csv
from common.datacache import remember
from common.money import ZERO, add_months
from contracts.models import Contract
from reports import charts
from reports.projects_summary import committee_projects
from savings.charts import pipeline_chart, savings_by_year_chart
from savings.models import InitiativeYear, ReductionProgramme

DECISION_WINDOW_MONTHS = 6
CHART_IDS = ("savings", "pipeline", "monthly", "categories", "suppliers", "waterfall", "contracts")


@dataclass
class Dashboard:
    reporting: Reporting
    has_figures: bool = False
    totals: dict = field(default_factory=dict)
    savings: dict | None = None
    programme: ReductionProgramme | None = None
    largest_supplier: dict | None = None
    decision_cutoff: date | None = None
    decisions_due: list[Contract] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    projects: dict | None = None  # reports.projects_summary.committee_projects

    @property
    def year_label(self) -> str:
        return self.reporting.year.label if self.reporting.year else ""

    def chart(self, chart_id: str) -> Chart | None:
        return next((c for c in self.charts if c.id == chart_id), None)


def year_totals(shares: list[dict]) -> list[dict]:
    """Each year's technology outturn, as the supplier share rows state it."""
    years = {row["year_label"]: row["technology_outturn"] for row in shares}
    return [{"year_label": label, "outturn": outturn} for label, outturn in years.items()]


def largest_supplier(shares: list[dict], *, year_label: str) -> dict | None:
    """The year's largest named supplier by outturn, from the supplier share rows
    (`LineYearTotal.objects...supplier_shares()`): name, supplier_id, outturn, total (the
    year's technology outturn) and share; None when no spend is on a supplier's contract."""
    named = [r for r in shares if r["year_label"] == year_label and r["supplier_id"] is not None]
    if not named:
        return None
    top = max(named, key=lambda row: row["outturn"])
    if top["outturn_share"] is None:
        return None
    return {
        "name": top["supplier"],
        "supplier_id": top["supplier_id"],
        "outturn": top["outturn"],
        "total": top["technology_outturn"],
        "share": top["outturn_share"],
    }


def build_dashboard(reporting: Reporting) -> Dashboard:
    """Headline figures and charts for `reporting.year` as at `reporting.as_at`.

    A year without monthly figures (or no year at all) gives a dashboard with
    `has_figures` False and no charts: the page shows an empty state instead.
    """
    dashboard = Dashboard(reporting=reporting)
    year = reporting.year
    if year is None:
        return dashboard
    year_spend = list(PeriodTotal.objects.spend_by_year())
    dashboard.has_figures = any(row["year_label"] == year.label for row in year_spend)
    if not dashboard.has_figures:
        return dashboard

    as_at, as_at_date = reporting.as_at, reporting.as_at_date
    # The year's figures as stored per period and per line: the same rows as its figures.
    periods = PeriodTotal.objects.for_year(year)
    totals = periods.totals(as_at)
    dashboard.totals = totals

    programme = ReductionProgramme.objects.for_year(year)
    dashboard.programme = programme
    pipeline = InitiativeYear.objects.pipeline(programme)
    dashboard.savings = next((r for r in pipeline if r["year_id"] == year.pk), None)

    # As at the reporting date, like the outturn headline: the same "of £Y".
    shares = LineYearTotal.objects.as_at(year, as_at).supplier_shares()
    dashboard.largest_supplier = largest_supplier(shares, year_label=year.label)

    dashboard.decision_cutoff = add_months(as_at_date, DECISION_WINDOW_MONTHS)
    dashboard.decisions_due = list(
        Contract.objects.decision_due_by(dashboard.decision_cutoff)
        .select_related("supplier")
        .order_by("end_date", "reference")
    )

    # Savings of every year up to this one: the same rows as the pipeline's cumulative
    # forecast (labels such as 2014-15 sort by date), so the waterfall's steps add up to it.
    savings_to_date = InitiativeYear.objects.filter(year__start__lte=year.start)
    to_date = [r for r in pipeline if r["year_label"] <= year.label]
    cumulative_forecast = to_date[-1]["cumulative_forecast"] if to_date else ZERO

    # The year and reporting date shown: the charts' downloads and the pages they open.
    query = reporting.query
    dashboard.charts = [
        savings_by_year_chart(
            pipeline,
            year_label=year.label,
            reduction=programme.reduction_target if programme else None,
        ),
        pipeline_chart(dashboard.savings, year_label=year.label),
        charts.monthly_chart(periods.by_period(as_at), totals, year_label=year.label, as_at=as_at),
        charts.category_chart(
            LineYearTotal.objects.by_category(year, as_at), year_label=year.label, query=query
        ),
        charts.supplier_chart(
            shares,
            year_totals(shares),
            largest=dashboard.largest_supplier,
            year_label=year.label,
            query=query,
        ),
        charts.waterfall_chart(
            baseline=programme.technology_baseline if programme else None,
            baseline_label=programme.baseline_year.label if programme else "",
            initiatives=list(savings_to_date.by_initiative()),
            total_savings=cumulative_forecast,
            outturn=totals["outturn"],
            year_label=year.label,
            query=query,
        ),
        charts.contract_timeline_chart(
            list(Contract.objects.timeline(since=year.start)),
            as_at_date=as_at_date,
            decision_cutoff=dashboard.decision_cutoff,
            due=[c.reference for c in dashboard.decisions_due],
            query=query,
        ),
    ]
    dashboard.projects = committee_projects(reporting)
    link_csv(dashboard.charts, "chart_csv", query)
    return dashboard


def cached_dashboard(reporting: Reporting) -> Dashboard:
    """`build_dashboard(reporting)`, built once for each state of the database and each
    year, reporting date and day (`common.datacache`): the dashboard and its chart downloads
    read it again until anything is written. A published report builds its own."""
    year = reporting.year
    # Everything of `reporting` the build reads. The year was read before the build's own
    # transaction began, so its fields are in the key, not only its id.
    key = (
        (year.pk, year.version, year.label, year.start, year.closed_through) if year else None,
        reporting.as_at,
        tuple(sorted(reporting.query.items())),
        timezone.localdate(),
    )
    dashboard = remember("dashboard", key, lambda: build_dashboard(reporting))
    # The same figures, with this request's own reporting date (its period's completeness).
    return replace(dashboard, reporting=reporting)
