"""Drill-down in Chromium under the strict CSP: a click on a bar of the dashboard's charts
opens its page, the pointer shows over a bar that opens one, and the chart's table gives
the same links to the keyboard (Tab to the link, Enter)."""

import pytest

from budgets.models import Category
from common.roles import COMMITTEE
from contracts.models import Supplier
from tests.browser.conftest import login
from tests.conftest import make_user
from tests.world import build_world

CHARTS = 7


@pytest.fixture
def dashboard(transactional_db, live_server, page, page_errors):
    build_world()
    make_user("carol", COMMITTEE)
    login(page, live_server, "carol")
    page.wait_for_function(
        "n => document.querySelectorAll('[data-chart-drawn]').length === n", arg=CHARTS
    )
    return page


def bar_centre(page, selector: str) -> tuple[float, float]:
    """The middle of the first bar `selector` finds: plotly's drag layer lies over the
    bars, so the mouse goes to the point, as a person's would."""
    return centre(page.locator(selector).first)


def centre(element) -> tuple[float, float]:
    element.scroll_into_view_if_needed()
    box = element.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def cursor_over_plot(page, chart_id: str) -> str:
    return page.evaluate(
        "id => getComputedStyle(document.querySelector('#' + id + ' .nsewdrag')).cursor",
        chart_id,
    )


def test_clicking_a_category_bar_opens_the_budget_lines_of_that_category(
    dashboard, live_server, page_errors
):
    page = dashboard
    outsourced = Category.objects.get(name="Outsourced services")
    # The first bar is the first category's revised budget.
    x, y = bar_centre(page, "#categories g.point path")
    page.mouse.move(x, y)
    page.wait_for_selector("#categories.chart-point-linked")
    assert cursor_over_plot(page, "categories") == "pointer"
    page.mouse.click(x, y)
    page.wait_for_url(f"**/budgets/?year=2014-15&category={outsourced.pk}")
    rows = page.locator("table tbody tr")
    assert "OUT-01" in rows.first.inner_text()
    assert "NET-01" not in page.locator("table").first.inner_text()
    assert page.get_by_label("Category").input_value() == str(outsourced.pk)
    assert page_errors == []


def test_clicking_a_supplier_segment_opens_the_supplier_page(dashboard, live_server, page_errors):
    page = dashboard
    capgemini = Supplier.objects.get(name="Capgemini")
    # The first segment drawn is the largest supplier's (Capgemini) in the first year.
    page.mouse.click(*bar_centre(page, "#suppliers g.point path"))
    page.wait_for_url(f"**/contracts/suppliers/{capgemini.pk}/?year=2013-14")
    assert "Capgemini" in page.get_by_role("heading", level=1).inner_text()
    assert page_errors == []


def test_the_spend_without_a_contract_opens_nothing_and_shows_no_pointer(dashboard, page_errors):
    page = dashboard
    # The last trace of the supplier chart is the spend on no contract: no page of its own.
    segment = page.locator("#suppliers g.trace.bars").last.locator("g.point path").last
    x, y = centre(segment)
    page.mouse.move(x, y)
    page.wait_for_selector("#suppliers .hoverlayer .hovertext")
    assert cursor_over_plot(page, "suppliers") != "pointer"
    url = page.url
    page.mouse.click(x, y)
    page.wait_for_timeout(300)  # time for a navigation that must not come
    assert page.url == url
    assert page_errors == []


def test_the_tables_links_work_by_keyboard(dashboard, live_server, page_errors):
    page = dashboard
    card = page.locator("[data-chart-card=monthly]")
    card.locator("summary").focus()
    page.keyboard.press("Enter")  # opens the table
    page.keyboard.press("Tab")  # the table's scrolling region
    page.keyboard.press("Tab")  # its first link: P1
    focused = page.evaluate("[document.activeElement.textContent, document.activeElement.href]")
    assert focused == ["P1", f"{live_server.url}/budgets/2014-15/p1/"]
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # P2
    page.wait_for_url("**/budgets/2014-15/p2/")
    assert "P2" in page.get_by_role("heading", level=1).inner_text()
    assert page_errors == []
