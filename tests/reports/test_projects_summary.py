"""The committee's projects summary on the dashboard, in the published report and in the
pack: projects red on cost or schedule, total cost growth, the devices headline and spend
per officer, each worked by hand from tests/world.py and tests/projects/world.py, as at
the dashboard's reporting date.

As at P2 (31 May 2014, the default: 2014-15 is closed through P2) nothing has moved: CC
10,000.00, MOB 5,000.00 and OLD 2,000.00 are each forecast at their baseline. As at P9 (31
Dec 2014): CC 10,000.00 -> 10,400.00 (4%, go-live 2 months late: amber), MOB 6,000.00 ->
5,000.00 (go-live earlier), OLD 2,000.00 -> 3,000.00 (50%: red on cost; 3 months late:
amber), so 18,000.00 -> 18,400.00, growth 400.00, 2.2% (2.22, half-up). No device is
recorded before Apr 2015; the plan ends at 300 in Jun 2015.

Spend per officer, 40 officers each year: 2013-14 outturn 12 x 900.00 = 10,800.00, so
270.00. 2014-15 as at P2 counts P3 at budget, not its entered actuals (OUT-01 1,100.00 ->
1,000.00, CHG-01 300.00 -> 200.00), so 22,200.00 - 200.00 = 22,000.00 (the dashboard's
outturn), 550.00 an officer, +280.00 (+103.7%: 280 / 270 = 103.70...); as at P9 it is
22,200.00, 555.00, +285.00.
"""

import re
from datetime import date
from decimal import Decimal as D

import pytest

from budgets.reporting import reporting_at
from common import snapshot
from projects.models import ProjectForecast
from reports.models import PublishedReport
from reports.pack import build_pack
from reports.pdf import pack_pdf
from reports.publishing import build_payload, publish_report
from tests.projects.world import build_projects
from tests.reports.test_pack import pdf_text

pytestmark = pytest.mark.django_db

OLD_RED = {
    "code": "OLD",
    "name": "Old project",
    "cost_growth": D("1000.00"),
    "cost_growth_pct": D("50.0"),
    "slip_months": 3,
    "cost_rag": "red",
    "schedule_rag": "amber",
    "url": "/projects/OLD/?as_at=2014-12-31",
}


@pytest.fixture
def projects(world) -> dict:
    return build_projects(world)


def _dashboard(client, query: str):
    response = client.get(f"/{query}")
    assert response.status_code == 200
    return response.context["dashboard"], response.content.decode()


def _kpi(html: str, key: str) -> str:
    found = re.search(rf'data-kpi="{key}">(.*?)</li>', html, re.S)
    assert found, key
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", found.group(1))).strip()


def test_dashboard_as_at_p9_names_the_red_project_and_the_growth(projects, committee_client):
    dashboard, html = _dashboard(committee_client, "?year=2014-15&as_at=9")
    summary = dashboard.projects["summary"]
    assert dashboard.projects["as_at_date"] == date(2014, 12, 31)
    assert (summary["projects"], summary["red"], summary["red_on_cost"]) == (3, 1, 1)
    assert summary["red_on_schedule"] == 0
    assert summary["total_baseline"] == D("18000.00")
    assert summary["total_forecast"] == D("18400.00")
    assert summary["total_growth"] == D("400.00")
    assert summary["total_growth_pct"] == D("2.2")
    assert summary["red_projects"] == [OLD_RED]
    assert _kpi(html, "projects-red") == "Major projects red on cost or schedule 1 of 3 " + (
        "1 red on cost, 0 red on schedule"
    )
    assert _kpi(html, "cost-growth").startswith("Total cost growth against baseline £400.00 (2.2%)")
    assert '<a href="/projects/OLD/?as_at=2014-12-31">OLD</a> Old project' in html
    assert 'rag-red">Red' in html.split('data-testid="projects-red"')[1]


def test_dashboard_devices_headline_comes_from_the_data(projects, committee_client):
    _, html = _dashboard(committee_client, "?year=2014-15&as_at=9")
    assert _kpi(html, "devices") == "Mobile devices 0 Devices deployed 0 of 300 planned by Jun 2015"
    assert '<a href="/benefits/DEVICES/">Devices deployed 0 of 300' in html


def test_dashboard_spend_per_officer_is_as_at_the_reporting_period(projects, committee_client):
    dashboard, html = _dashboard(committee_client, "?year=2014-15")  # default: P2
    assert dashboard.reporting.as_at == 2
    rows = dashboard.projects["spend_per_officer"]
    assert [(r["year_label"], r["outturn"], r["per_officer"]) for r in rows] == [
        ("2013-14", D("10800.00"), D("270.00")),
        ("2014-15", D("22000.00"), D("550.00")),
    ]
    assert rows[-1]["outturn"] == dashboard.totals["outturn"]
    this_year = dashboard.projects["this_year"]
    assert (this_year["change"], this_year["change_pct"]) == (D("280.00"), D("103.7"))
    assert _kpi(html, "spend-per-officer") == (
        "Technology spend per officer 2014-15 £550.00 £22,000.00 over 40 officers; up "
        "£280.00 (103.7%) on the year before"
    )
    chart = dashboard.projects["chart"]
    assert chart.summary == (
        "Technology spend per officer rose from £270.00 in 2013-14 to £550.00 in 2014-15 (103.7%)."
    )
    assert 'data-chart-card="spend-per-officer"' in html
    # Nothing moved by 31 May 2014.
    summary = dashboard.projects["summary"]
    assert (summary["projects"], summary["red"], summary["total_growth"]) == (3, 0, D("0.00"))
    assert "No open project is red on cost or schedule." in html


def test_an_earlier_year_shows_only_its_years_and_its_date(projects, committee_client):
    dashboard, _ = _dashboard(committee_client, "?year=2013-14")
    # Closed through P12: 31 Mar 2014, before CC's baseline; MOB and OLD at their baselines.
    assert dashboard.projects["as_at_date"] == date(2014, 3, 31)
    summary = dashboard.projects["summary"]
    assert (summary["projects"], summary["total_baseline"]) == (2, D("7000.00"))
    assert [r["year_label"] for r in dashboard.projects["spend_per_officer"]] == ["2013-14"]
    assert dashboard.projects["this_year"]["per_officer"] == D("270.00")
    assert dashboard.projects["this_year"]["change"] is None


def test_the_payload_stores_the_summary_exactly(projects):
    payload = build_payload(reporting_at(projects["year"], 9))
    stored = payload["projects"]
    assert stored == snapshot.loads(snapshot.dumps(stored))
    assert stored["as_at_date"] == date(2014, 12, 31)
    assert stored["summary"]["total_growth"] == D("400.00")
    assert stored["summary"]["total_growth_pct"] == D("2.2")
    assert stored["summary"]["red_projects"] == [OLD_RED]
    assert stored["tolerance"] == {"cost_red": D("10"), "slip_red": 3}
    assert stored["devices"]["text"] == "Devices deployed 0 of 300 planned by Jun 2015"
    assert (stored["devices"]["deployed"], stored["devices"]["planned"]) == (
        D("0.00"),
        D("300.00"),
    )
    assert stored["this_year"]["per_officer"] == D("555.00")
    assert stored["chart"]["id"] == "spend-per-officer"
    assert stored["chart"]["rows"] == [
        ["2013-14", D("10800.00"), "40", D("270.00"), None],
        ["2014-15", D("22200.00"), "40", D("555.00"), D("285.00")],
    ]


@pytest.fixture
def published(projects, admin_user) -> PublishedReport:
    return publish_report(year=projects["year"], period=9, user=admin_user)


def test_the_report_page_shows_the_summary_as_published(published, committee_client):
    html = committee_client.get(published.get_absolute_url()).content.decode()
    assert "1 of 3" in _kpi(html, "projects-red")
    assert "£400.00 (2.2%)" in _kpi(html, "cost-growth")
    assert "Devices deployed 0 of 300 planned by Jun 2015" in _kpi(html, "devices")
    assert "£555.00" in _kpi(html, "spend-per-officer")
    assert '<a href="/projects/OLD/?as_at=2014-12-31">OLD</a>' in html
    assert 'data-chart-card="spend-per-officer"' in html


def test_the_report_keeps_the_summary_when_projects_change(published, committee_client):
    ProjectForecast.objects.filter(project__code="OLD").update(cost=D("2000.00"))
    html = committee_client.get(published.get_absolute_url()).content.decode()
    assert "£400.00 (2.2%)" in _kpi(html, "cost-growth")
    live, _ = _dashboard(committee_client, "?year=2014-15&as_at=9")
    assert live.projects["summary"]["total_growth"] == D("-600.00")


def test_the_pack_places_the_summary_in_its_sections(published, committee_client):
    pack = build_pack(published)
    summary = next(t for t in pack.section("summary").tables if t.anchor == "projects")
    assert summary.title == "Major projects and benefits as at 31 Dec 2014"
    assert [[c.text for c in row.cells] for row in summary.rows] == [
        ["Open major projects with a baseline", "3"],
        ["Red on cost or schedule", "1 (1 on cost, 0 on schedule)"],
        ["Total cost growth against baseline", "£400.00"],
        ["Total cost growth, % of baseline", "2.2%"],
        ["Mobile devices", "Devices deployed 0 of 300 planned by Jun 2015"],
        ["Technology spend per officer", "£555.00"],
    ]
    red = next(t for t in pack.section("risks").tables if t.anchor == "projects-red")
    assert [[c.text for c in row.cells] for row in red.rows] == [
        ["OLD: Old project", "£1,000.00", "50.0%", "3", "Red", "Amber"]
    ]
    assert red.rows[0].url == "/projects/OLD/?as_at=2014-12-31"
    assert [c.id for c in pack.section("spend").charts][-1] == "spend-per-officer"
    html = committee_client.get(f"/reports/{published.pk}/pack/").content.decode()
    assert 'id="projects-red"' in html and 'href="#projects-red"' in html
    assert "Devices deployed 0 of 300 planned by Jun 2015" in html


def test_the_pdf_pack_prints_the_summary(published):
    _, text = pdf_text(pack_pdf(build_pack(published)))
    flat = " ".join(text.split())
    assert "Major projects red on cost or schedule" in flat
    assert "OLD: Old project" in flat
    assert "Devices deployed 0 of 300 planned by Jun 2015" in flat
    assert "Technology spend per police officer" in flat


def test_a_report_stored_before_the_summary_still_renders(projects, admin_user, committee_client):
    report = publish_report(year=projects["year"], period=9, user=admin_user)
    data = report.data
    del data["projects"]
    PublishedReport.objects.filter(pk=report.pk).update(payload=snapshot.dumps(data))
    report.refresh_from_db()
    html = committee_client.get(report.get_absolute_url()).content.decode()
    assert 'data-testid="projects-summary"' not in html
    pack = committee_client.get(f"/reports/{report.pk}/pack/")
    assert pack.status_code == 200
    assert 'id="projects-red"' not in pack.content.decode()
    assert committee_client.get(f"/reports/{report.pk}/pack.pdf").status_code == 200
