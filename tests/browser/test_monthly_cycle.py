"""The month as the committee and finance live it, in Chromium: close a period (which
publishes its report), change a figure afterwards, and see that the report is unchanged
while the dashboard shows the movement between the two published reports."""

import re

from playwright.sync_api import expect

from budgets.models import FinancialYear, MonthlyFigure
from common.roles import ADMIN, FINANCE
from reports.models import PublishedReport
from reports.publishing import publish_report
from tests.browser.conftest import login, serious_accessibility_violations
from tests.conftest import make_user
from tests.world import build_world

REASON = "NET-01 invoice for P3 arrives late; accrued at budget"


def _close_p3(page, live_server) -> PublishedReport:
    page.goto(f"{live_server.url}/reports/2014-15/p3/checklist/")
    page.get_by_label("Reason for closing with items outstanding").fill(REASON)
    page.get_by_role("button", name="Close P3 and publish the report").click()
    page.wait_for_url(re.compile(r"/reports/\d+/$"))
    return PublishedReport.objects.get(period=3)


def test_close_publish_change_a_figure_report_unchanged_dashboard_shows_movement(
    transactional_db, live_server, page, page_errors
):
    world = build_world()
    admin = make_user("adam", ADMIN, is_staff=True)
    make_user("fiona", FINANCE)
    # P2 was closed earlier, and its report published then.
    publish_report(year=world["year"], period=2, user=admin)

    login(page, live_server, "adam")
    report = _close_p3(page, live_server)
    article = page.locator("[data-testid=report]")
    published_text = article.inner_text()
    outturn = page.locator("[data-kpi=outturn] .kpi-note").inner_text()
    assert FinancialYear.objects.get(label="2014-15").closed_through == 3

    # Finance revises a forecast for P12 afterwards: the live figures move.
    page.get_by_role("button", name="Sign out").click()
    login(page, live_server, "fiona")
    page.goto(f"{live_server.url}/budgets/2014-15/forecast/")
    row = page.locator("#forecast-grid tbody tr", has_text="NET-01")
    row.locator("input.money").last.fill("9,999.00")  # P12
    page.get_by_role("button", name="Save forecasts").click()
    page.wait_for_load_state("networkidle")
    stored = MonthlyFigure.objects.get(line__code="NET-01", year=world["year"], period=12)
    assert str(stored.forecast) == "9999.00"

    # The published report is exactly as it was.
    page.goto(f"{live_server.url}{report.get_absolute_url()}")
    assert page.locator("[data-testid=report]").inner_text() == published_text
    expect(page.locator("[data-kpi=outturn] .kpi-note")).to_have_text(outturn)

    # The dashboard (as at P3, the last closed period) shows P3's report against P2's.
    page.goto(f"{live_server.url}/")
    expect(page.get_by_test_id("reporting-status")).to_have_text("P3 closed")
    movement = page.get_by_test_id("movement")
    expect(movement).to_contain_text("Movement since 2014-15 P2")
    p2 = PublishedReport.objects.get(period=2).data["totals"]["outturn"]
    p3 = report.data["totals"]["outturn"]
    change = p3 - p2
    shown = f"£{abs(change):,.2f}" if change >= 0 else f"(£{abs(change):,.2f})"
    expect(movement.locator("[data-movement=outturn]")).to_contain_text(shown)
    assert serious_accessibility_violations(page) == []
    assert page_errors == []
