"""The pre-close checklist in Chromium, on a phone's width and by keyboard: Admin goes from
the period page to the checklist, is asked for a reason while items are outstanding, and
closes P3 of tests/world.py (NET-01 has no P3 actual), landing on the published report."""

import re

from playwright.sync_api import expect

from budgets.models import FinancialYear
from common.roles import ADMIN, FINANCE
from reports.models import PublishedReport
from tests.browser.conftest import login, serious_accessibility_violations
from tests.conftest import make_user
from tests.world import build_world

PHONE = {"width": 390, "height": 844}


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_admin_reviews_and_closes_a_period_by_keyboard_on_a_phone(
    transactional_db, live_server, page, page_errors
):
    build_world()
    make_user("adam", ADMIN, is_staff=True)
    page.set_viewport_size(PHONE)
    login(page, live_server, "adam")
    page.goto(f"{live_server.url}/budgets/2014-15/p3/")

    page.get_by_role("link", name="Review and close P3").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/reports/2014-15/p3/checklist/")
    expect(page.get_by_test_id("item-missing_actuals")).to_contain_text("NET-01 Network services")
    expect(page.get_by_test_id("outstanding")).to_contain_text("items outstanding")
    assert _fits(page)
    assert serious_accessibility_violations(page) == []

    # Without a reason the close is refused, and the page says why.
    page.get_by_role("button", name="Close P3 and publish the report").focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    expect(page.locator("[data-error-summary]")).to_contain_text("give a reason for closing P3")
    assert FinancialYear.objects.get(label="2014-15").closed_through == 2
    assert _fits(page)
    assert serious_accessibility_violations(page) == []

    page.get_by_label("Reason for closing with items outstanding").focus()
    page.keyboard.type("BT invoice for P3 arrives late; accrued at budget")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Close P3 and publish the report")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/reports/\d+/$"))

    report = PublishedReport.objects.get()
    assert page.url == f"{live_server.url}/reports/{report.pk}/"
    expect(page.get_by_role("status")).to_contain_text("P3 2014-15 is closed")
    assert report.close_reason == "BT invoice for P3 arrives late; accrued at budget"
    assert FinancialYear.objects.get(label="2014-15").closed_through == 3
    assert page_errors == []


def test_finance_reads_the_checklist_accessibly_without_closing_it(
    transactional_db, live_server, page, page_errors
):
    build_world()
    make_user("fiona", FINANCE)
    page.set_viewport_size(PHONE)
    login(page, live_server, "fiona")
    page.goto(f"{live_server.url}/budgets/2014-15/p3/")
    page.get_by_role("link", name="Pre-close checklist for P3").click()
    page.wait_for_url(f"{live_server.url}/reports/2014-15/p3/checklist/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Pre-close checklist: P3 2014-15")
    expect(page.get_by_role("button", name="Close P3 and publish the report")).to_have_count(0)
    expect(page.get_by_test_id("close-panel")).to_contain_text(
        "An administrator closes the period from this checklist."
    )
    # Each item's link goes where it is fixed.
    page.get_by_role("link", name="NET-01 Network services").first.click()
    page.wait_for_url(f"{live_server.url}/budgets/2014-15/p3/")
    page.go_back()
    assert _fits(page)
    assert serious_accessibility_violations(page) == []
    assert page_errors == []
