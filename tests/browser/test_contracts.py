from datetime import date

from common.roles import ADMIN, COMMITTEE
from tests.browser.conftest import login, serious_accessibility_violations
from tests.conftest import make_user
from tests.world import build_world


def test_admin_records_an_extension_and_sees_the_timeline_update(
    transactional_db, live_server, page, page_errors
):
    build_world()
    make_user("adam", ADMIN, is_staff=True)
    login(page, live_server, "adam")
    page.goto(f"{live_server.url}/contracts/")
    page.get_by_role("link", name="CAP-2005").click()
    timeline = page.get_by_test_id("change-timeline")
    assert timeline.locator("tbody tr").count() == 1

    page.get_by_role("link", name="Record a change").click()
    page.get_by_label("Kind of change").select_option("extension")
    page.get_by_label("Takes effect on").fill("2015-09-01")
    page.get_by_label("New end date").fill("2016-10-31")
    page.get_by_label("Change to total value (£)").fill("£20,000.00")
    page.get_by_label("Note").fill("Bridge to the tower contracts")
    page.get_by_label("Source").fill("Decision notice PCD 101")
    page.get_by_role("button", name="Record change").click()
    page.wait_for_load_state("networkidle")

    assert page.url == f"{live_server.url}/contracts/CAP-2005/"
    assert "Recorded the extension." in page.get_by_role("status").inner_text()
    assert page.get_by_test_id("contract-end").inner_text() == "31 Oct 2016"
    rows = timeline.locator("tbody tr")
    assert rows.count() == 2
    newest = rows.nth(1).inner_text()
    assert "Extension" in newest
    assert "31 Dec 2015 → 31 Oct 2016" in newest
    assert "Bridge to the tower contracts" in newest
    assert "Source: Decision notice PCD 101" in newest
    assert "Adam" in newest
    assert page.locator("[data-chart-drawn]").count() == 1
    assert page_errors == []


def test_an_extension_ending_too_early_is_explained_in_the_page(
    transactional_db, live_server, page, page_errors
):
    build_world()
    make_user("adam", ADMIN, is_staff=True)
    login(page, live_server, "adam")
    page.goto(f"{live_server.url}/contracts/CAP-2005/changes/new/")
    page.get_by_label("Kind of change").select_option("extension")
    page.get_by_label("Takes effect on").fill("2015-09-01")
    page.get_by_label("New end date").fill("2015-06-30")
    page.get_by_role("button", name="Record change").click()
    page.wait_for_load_state("networkidle")
    summary = page.get_by_role("alert")
    assert "must be after the current end date (31 Dec 2015)" in summary.inner_text()
    assert page.get_by_label("New end date").input_value() == "2015-06-30"
    assert serious_accessibility_violations(page) == []
    assert page_errors == []


def test_register_contract_and_supplier_pages_are_accessible(
    transactional_db, live_server, page, page_errors
):
    world = build_world()
    make_user("carol", COMMITTEE)
    login(page, live_server, "carol")

    page.goto(f"{live_server.url}/contracts/?decision_due_within=12")
    assert page.get_by_role("link", name="CAP-2005").count() == 1
    assert page.get_by_role("link", name="BT-NET").count() == 0
    assert serious_accessibility_violations(page) == []

    page.goto(f"{live_server.url}/contracts/CAP-2005/")
    page.wait_for_selector("[data-chart-drawn]")
    assert page.get_by_role("link", name="Edit contract").count() == 0
    assert serious_accessibility_violations(page) == []

    page.goto(f"{live_server.url}/contracts/suppliers/{world['suppliers']['capgemini'].pk}/")
    page.wait_for_selector("[data-chart-drawn]")
    assert serious_accessibility_violations(page) == []
    assert page_errors == []
    assert world["contracts"]["cap"].end_date == date(2015, 12, 31)
