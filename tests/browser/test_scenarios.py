"""A Finance user makes a scenario by keyboard alone, reads its results on a phone-sized
screen with the gap chart drawn, and every scenario page passes axe."""

from common.roles import COMMITTEE, FINANCE
from tests.browser.conftest import login, serious_accessibility_violations
from tests.conftest import make_user
from tests.world import build_world

PHONE = {"width": 390, "height": 844}


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def press_enter_and_wait(page) -> None:
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")


def tab_to(page, name: str, limit: int = 80) -> None:
    """Press Tab until the focused element's accessible text starts with `name`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "(() => { const e = document.activeElement;"
            " return (e.labels && e.labels[0] ? e.labels[0].innerText : e.innerText) || ''; })()"
        )
        if focused.strip().startswith(name):
            return
    raise AssertionError(f"never reached {name!r} by Tab")


def test_finance_makes_a_scenario_by_keyboard_and_reads_it_at_390px(
    transactional_db, live_server, page, page_errors
):
    build_world()
    make_user("fiona", FINANCE)
    login(page, live_server, "fiona")
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/scenarios/")
    assert serious_accessibility_violations(page) == []
    assert no_sideways_scroll(page)

    tab_to(page, "New scenario")
    press_enter_and_wait(page)
    tab_to(page, "Name")
    page.keyboard.type("Exit Capgemini")
    press_enter_and_wait(page)
    assert "Made the scenario Exit Capgemini." in page.get_by_role("status").inner_text()

    tab_to(page, "Add an adjustment")
    press_enter_and_wait(page)
    tab_to(page, "What to change")
    page.keyboard.type("Cancel")
    tab_to(page, "Contract")
    page.keyboard.type("CAP")
    tab_to(page, "Date")
    page.keyboard.type("07012014")  # the date field takes month, day, year in this browser
    tab_to(page, "Amount")
    page.keyboard.type("500.00")
    tab_to(page, "Add adjustment")
    press_enter_and_wait(page)

    assert "Added: Cancel CAP-2005 from 1 Jul 2014" in page.get_by_role("status").inner_text()
    outturn = page.locator('table[data-year="2014-15"] tr[data-measure="outturn"]').inner_text()
    assert "£22,000.00" in outturn and "£19,500.00" in outturn
    page.wait_for_function("document.querySelectorAll('[data-chart-drawn]').length === 1")
    assert no_sideways_scroll(page)
    assert serious_accessibility_violations(page) == []
    assert page_errors == []


def test_bad_adjustment_form_and_compare_page_are_accessible(
    transactional_db, live_server, page, page_errors
):
    build_world()
    make_user("fiona", FINANCE)
    login(page, live_server, "fiona")
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/scenarios/new/")
    page.get_by_label("Name").fill("Slip")
    page.get_by_role("button", name="Save scenario").click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="Add an adjustment").click()
    page.get_by_label("What to change").select_option("scale")
    page.get_by_label("Initiative").select_option(label="CAP-RENEG Renegotiate")
    page.get_by_label("Factor").fill("-1")
    page.get_by_role("button", name="Add adjustment").click()
    page.wait_for_load_state("networkidle")
    assert "cannot be below zero" in page.get_by_role("alert").inner_text()
    assert page.get_by_label("Factor").input_value() == "-1"
    assert serious_accessibility_violations(page) == []
    assert no_sideways_scroll(page)

    make_user("carol", COMMITTEE)
    page.goto(f"{live_server.url}/scenarios/")
    page.get_by_label("Confidence-weighted").check()
    page.get_by_label("Slip").check()
    page.get_by_role("button", name="Compare").click()
    page.wait_for_function("document.querySelectorAll('[data-chart-drawn]').length === 1")
    assert serious_accessibility_violations(page) == []
    assert no_sideways_scroll(page)
    assert page_errors == []
