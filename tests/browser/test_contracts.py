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
    # The lines that pay the contract but have no budget for the added months are named.
    cover = page.get_by_test_id("uncovered-lines").inner_text()
    assert "OUT-01" in cover and "Jan 2016 to Oct 2016 (10 months)" in cover
    assert serious_accessibility_violations(page) == []
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

    # As at 31 May 2014 (P2, the last closed period), 13 months reach CAP-2005's decision
    # date (30 Jun 2015) but not BT-NET's (31 Mar 2016).
    page.goto(f"{live_server.url}/contracts/?decision_due_within=13")
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


def test_a_stale_contract_edit_shows_both_values_and_keeps_mine(
    transactional_db, live_server, page, page_errors
):
    build_world()
    adam = make_user("adam", ADMIN, is_staff=True)
    login(page, live_server, "adam")
    page.goto(f"{live_server.url}/contracts/CAP-2005/edit/")
    assert page.get_by_label("End date").count() == 0  # moved only by recording a change
    # Someone else saves the contract while the form is open.
    from contracts.models import Contract
    from contracts.services import update_contract

    update_contract(
        contract=Contract.objects.get(reference="CAP-2005"), data={"owner": "Beth"}, user=adam
    )
    page.get_by_label("Title").fill("Outsourced IT and desktop services")
    page.get_by_role("button", name="Save contract").click()
    page.wait_for_load_state("networkidle")
    conflict = page.get_by_role("alert").first.inner_text()
    assert "Someone else saved this record after you opened it" in conflict
    assert page.get_by_label("Title").input_value() == "Outsourced IT and desktop services"
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Save contract").click()  # a second, deliberate save
    page.wait_for_load_state("networkidle")
    assert page.url == f"{live_server.url}/contracts/CAP-2005/"
    stored = Contract.objects.get(reference="CAP-2005")
    assert (stored.title, stored.version) == ("Outsourced IT and desktop services", 3)
    # The refused save is a 409 response, which the browser reports; nothing else is wrong.
    assert [e for e in page_errors if "status of 409" not in e] == []


def test_history_page_filters_pages_and_is_accessible(
    transactional_db, live_server, page, page_errors
):
    build_world()
    make_user("carol", COMMITTEE)
    login(page, live_server, "carol")
    page.goto(f"{live_server.url}/history/")
    assert page.locator("#history tbody tr").count() > 0
    page.get_by_label("Record type").select_option("contracts.contract")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state("networkidle")
    kinds = page.locator("#history tbody tr td:nth-child(4)").all_inner_texts()
    assert set(kinds) == {"Contract"}
    assert serious_accessibility_violations(page) == []
    page.set_viewport_size({"width": 390, "height": 800})
    assert serious_accessibility_violations(page) == []
    assert page_errors == []
