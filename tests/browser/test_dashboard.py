"""The committee dashboard in Chromium under the strict CSP: every chart drawn, the year
selector, the data tables, resizing, the print view, and no console or CSP errors."""

from datetime import date

import pytest

from budgets.models import FinancialYear
from common.roles import ADMIN, COMMITTEE, FINANCE
from contracts.models import Supplier
from tests.browser.conftest import login, serious_accessibility_violations
from tests.conftest import make_user
from tests.figure_text import BOLD, HOSTILE
from tests.world import build_world

CHARTS = 7


def drawn_charts(page) -> int:
    return page.locator("[data-chart-drawn]").count()


def wait_for_charts(page, count: int) -> None:
    page.wait_for_function(
        "n => document.querySelectorAll('[data-chart-drawn]').length === n", arg=count
    )


@pytest.fixture
def committee_page(transactional_db, live_server, page, page_errors):
    build_world()
    make_user("carol", COMMITTEE)
    login(page, live_server, "carol")
    wait_for_charts(page, CHARTS)
    return page


def test_committee_sees_every_chart_drawn_without_errors(committee_page, page_errors):
    page = committee_page
    assert page.get_by_role("heading", level=1).inner_text().endswith("2014-15")
    assert drawn_charts(page) == CHARTS
    for chart in page.locator("[data-chart]").all():
        assert chart.locator(".main-svg").count() >= 1
    # Plotly's modebar (icon links with no accessible names) is hidden.
    assert page.locator(".modebar").count() == 0
    # As at P2, the last closed period (P3 is in progress and not shown by default).
    assert page.locator("[data-kpi=outturn] .kpi-note").inner_text() == "£22,000.00"
    assert page_errors == []
    assert serious_accessibility_violations(page) == []


def test_the_data_tables_open_with_the_exact_numbers(committee_page, page_errors):
    page = committee_page
    card = page.locator("[data-chart-card=pipeline]")
    table = card.locator("table")
    assert not table.is_visible()
    card.get_by_text("Show the numbers as a table").click()
    assert table.is_visible()
    assert "£10,000.00" in table.inner_text()
    closed = page.locator("details:not([open]) > summary")
    while closed.count():
        closed.first.click()
    assert page.locator("details[open]").count() == CHARTS + 1  # and spend per officer
    assert serious_accessibility_violations(page) == []
    assert page_errors == []


def test_switching_year_changes_the_figures(committee_page, page_errors):
    page = committee_page
    budget = page.locator("[data-kpi=budget] .kpi-note")
    # The world's budgets are not approved: the headline says so beside the revised budget.
    assert budget.inner_text() == "£20,400.00; a draft, not yet approved"
    monthly_before = page.locator("#monthly .main-svg").first.inner_html()
    page.get_by_label("Financial year").select_option("2013-14")
    page.get_by_role("button", name="Show", exact=True).click()
    page.wait_for_url("**/?year=2013-14*")
    # 2013-14 has no savings target or initiatives: six charts, the pipeline says why.
    wait_for_charts(page, CHARTS - 1)
    assert budget.inner_text() == "£10,800.00; a draft, not yet approved"
    assert page.get_by_role("heading", level=1).inner_text().endswith("2013-14")
    assert page.locator("#monthly .main-svg").first.inner_html() != monthly_before
    assert "No savings target or initiatives are recorded for 2013-14." in (
        page.locator("[data-chart-card=pipeline]").inner_text()
    )
    assert page_errors == []


def test_charts_resize_with_the_window(committee_page, page_errors):
    page = committee_page
    svg = page.locator("#monthly .main-svg").first
    wide = float(svg.get_attribute("width"))
    page.set_viewport_size({"width": 480, "height": 900})
    page.wait_for_function(
        "w => parseFloat(document.querySelector('#monthly .main-svg').getAttribute('width')) < w",
        arg=wide,
    )
    assert float(svg.get_attribute("width")) < wide
    assert page_errors == []


def test_print_view_hides_navigation_and_keeps_charts_and_tables(committee_page, page_errors):
    page = committee_page
    page.emulate_media(media="print")
    assert not page.locator(".site-nav").is_visible()
    assert not page.locator("form.year-select").is_visible()
    assert not page.get_by_text("Download this chart's data (CSV)").first.is_visible()
    assert page.locator("[data-chart-card=waterfall] table").is_visible()
    assert page.locator("#waterfall .main-svg").first.is_visible()
    assert page_errors == []


def test_printing_opens_every_table_and_redraws_charts_at_page_width(committee_page, page_errors):
    page = committee_page
    svg_width = "() => document.querySelector('#monthly .main-svg').getAttribute('width')"
    screen_width = page.evaluate(svg_width)
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert page.locator("details[open]").count() == CHARTS + 1  # and spend per officer
    assert page.evaluate(svg_width) == "1000"
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert page.locator("details[open]").count() == 0
    page.wait_for_function(f"() => ({svg_width})() === {screen_width!r}")
    assert page_errors == []
    pdf = page.pdf(format="A4", landscape=True)
    assert pdf.startswith(b"%PDF")


def test_charts_draw_under_style_src_self_alone(
    transactional_db, live_server, page, page_errors, settings
):
    """plotly.js finds its stylesheet linked (includes/chart_scripts.html) and injects no
    <style> element, so no hash or 'unsafe-inline' is needed for it."""
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {**directives, "style-src": ["'self'"]}}
    build_world()
    make_user("carol", COMMITTEE)
    login(page, live_server, "carol")
    wait_for_charts(page, CHARTS)
    response = page.request.get(f"{live_server.url}/")
    assert "style-src 'self';" in response.headers["content-security-policy"] + ";"
    # The stylesheet is applied: plotly's layers are stacked, not laid out one under another.
    position = "getComputedStyle(document.querySelector('#monthly .main-svg')).position"
    assert page.evaluate(position) == "absolute"
    assert page_errors == []


@pytest.mark.parametrize(("username", "role"), [("fiona", FINANCE), ("adam", ADMIN)])
def test_finance_and_admin_see_the_dashboard(
    transactional_db, live_server, page, page_errors, username, role
):
    build_world()
    make_user(username, role, is_staff=role == ADMIN)
    login(page, live_server, username)
    wait_for_charts(page, CHARTS)
    assert page.locator("[data-kpi=gap]").get_by_text("Red").count() == 1
    assert page_errors == []


def test_a_year_without_figures_shows_the_empty_state(
    transactional_db, live_server, page, page_errors
):
    build_world()
    FinancialYear.objects.create(label="2015-16", start=date(2015, 4, 1))
    make_user("carol", COMMITTEE)
    login(page, live_server, "carol")
    page.goto(f"{live_server.url}/?year=2015-16")
    empty = page.get_by_test_id("empty-state")
    assert "No figures for 2015-16 yet" in empty.inner_text()
    assert page.locator("[data-chart]").count() == 0
    assert serious_accessibility_violations(page) == []
    assert page_errors == []


def test_a_supplier_named_like_a_link_is_text_in_the_chart_not_a_link(
    transactional_db, live_server, page, page_errors
):
    build_world()
    Supplier.objects.filter(name="Capgemini").update(name=HOSTILE)
    Supplier.objects.filter(name="BT").update(name=BOLD)
    make_user("carol", COMMITTEE)
    login(page, live_server, "carol")
    wait_for_charts(page, CHARTS)
    chart = page.locator("#suppliers")
    assert chart.locator("a").count() == 0
    assert page.locator('a[href="https://evil.example/"]').count() == 0
    # plotly draws <b> as a bold tspan; the name is shown as typed instead.
    assert chart.locator('tspan[style*="bold"]').count() == 0
    legend = chart.locator(".legend").text_content()
    assert f"{HOSTILE} (largest)" in legend and BOLD in legend
    assert page_errors == []
