"""The paged period page in Chromium: an actual typed on page 1 is saved when the person
moves to page 2 by keyboard, and is there on coming back; the filter opens and applies by
keyboard; at 390 px nothing scrolls sideways; no serious accessibility findings.

The data: tests/budgets/test_entry_pages.py `bulk(60)` (2016-17, 60 lines, 50 a page).
"""

from decimal import Decimal as D

from playwright.sync_api import expect

from budgets.models import MonthlyFigure
from common.roles import FINANCE
from tests.browser.conftest import login, serious_accessibility_violations
from tests.budgets.test_entry_pages import bulk
from tests.conftest import make_user

P1 = "/budgets/2016-17/p1/"


def test_typed_actual_is_saved_on_moving_to_page_two_by_keyboard(
    transactional_db, live_server, page, page_errors
):
    bulk(60)
    make_user("fiona", FINANCE)
    login(page, live_server, "fiona")
    page.goto(f"{live_server.url}{P1}")
    box = page.get_by_label("L-003 Line 3, actual P1", exact=True)
    box.fill("")
    box.press_sequentially("175.25")
    # Page 1's subtotal and the whole set's total follow what is typed: 65.25 more.
    expect(page.locator("[data-entry-page] [data-sum=actual]")).to_have_text("£5,565.25")
    expect(page.locator("[data-entry-total] [data-sum=actual]")).to_have_text("£6,665.25")
    assert serious_accessibility_violations(page) == []
    # Tab from the last note to the pager's next-page button, and press Enter.
    page.get_by_label("L-049 Line 49, variance note P1", exact=True).focus()
    next_page = page.get_by_role("button", name="Save and go to next page (page 2)")
    for _ in range(12):
        page.keyboard.press("Tab")
        if next_page.evaluate("el => el === document.activeElement"):
            break
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"{P1}?page=2")
    expect(page.get_by_role("status")).to_contain_text("Saved P1 2016-17: 1 line changed.")
    figure = MonthlyFigure.objects.get(line__code="L-003", year__label="2016-17", period=1)
    assert figure.actual == D("175.25")
    page.get_by_role("button", name="Save and go to previous page (page 1)").click()
    page.wait_for_url(f"{live_server.url}{P1}")
    expect(page.get_by_label("L-003 Line 3, actual P1", exact=True)).to_have_value("175.25")
    assert page_errors == []


def test_enter_in_an_amount_saves_and_stays_and_the_filter_works_by_keyboard(
    transactional_db, live_server, page, page_errors
):
    bulk(60)
    make_user("fiona", FINANCE)
    login(page, live_server, "fiona")
    page.goto(f"{live_server.url}{P1}?page=2")
    box = page.get_by_label("L-055 Line 55, actual P1", exact=True)
    box.fill("90")
    with page.expect_navigation():
        box.press("Enter")  # the form's default button is Save, not a pager or filter button
    assert page.url.endswith(f"{P1}?page=2")
    expect(page.get_by_role("status")).to_contain_text("1 line changed")
    page.locator(".entry-filter > summary").focus()
    page.keyboard.press("Enter")
    page.get_by_label("Owner").select_option("Bob")
    page.get_by_role("button", name="Save and filter").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"{P1}?owner=Bob")
    expect(page.locator("[data-entry-total] th")).to_have_text("Total, all 30 lines")
    assert serious_accessibility_violations(page) == []
    assert page_errors == []


def test_entry_pages_fit_a_phone(transactional_db, live_server, page, page_errors):
    bulk(60)
    make_user("fiona", FINANCE)
    login(page, live_server, "fiona")
    page.set_viewport_size({"width": 390, "height": 844})
    for path in (P1, f"{P1}?page=2&owner=Ann", "/budgets/2016-17/forecast/?page=2"):
        page.goto(f"{live_server.url}{path}")
        page.locator(".entry-filter > summary").click()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
        assert serious_accessibility_violations(page) == [], path
    assert page_errors == []
