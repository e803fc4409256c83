"""Headline cards in Chromium with figures of every size: a budget of about £1tn and a
variance and savings gap of about minus £1tn still fit their cards on a desktop and on a
phone; each figure shows £m with its exact figure on keyboard focus and on hover, with one
negative style (the true minus sign first); and the pages stay accessible."""

from decimal import Decimal as D

import pytest

from budgets.models import MonthlyFigure, refresh_line_year_totals
from common.roles import COMMITTEE
from savings.models import InitiativeYear
from tests.browser.conftest import login, serious_accessibility_violations
from tests.conftest import make_user
from tests.world import build_world

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
MOST = D("999999999999.99")  # the largest amount a figure can hold

# Worked by hand from tests/world.py (2014-15 as at P2) with NET-01's P12 budget set to
# MOST in place of 500.00 and its P12 forecast to 0.00 (so the outturn leaves it out):
BUDGET = "£1,000,000,019,899.99"  # 20,400.00 - 500.00 + MOST
VARIANCE = "\u2212£999,999,998,399.99"  # outturn 21,500.00 less the budget
# CAP-RENEG's 2014-15 forecast set to MOST: the gap is the £10,000.00 target less the
# forecast, MOST plus APP-RAT's planned 3,000.00.
GAP = "\u2212£999,999,992,999.99"

# Each card, its value and its figures: the width the content needs against the width
# the box gives it (scrollWidth > clientWidth means something runs out of its box).
OVERFLOWING = """
() => [...document.querySelectorAll('.kpi, .kpi-value')]
  .filter(el => el.scrollWidth > el.clientWidth)
  .map(el => (el.closest('.kpi').dataset.kpi || el.closest('.kpi').dataset.testid)
       + ' ' + el.className + ': ' + el.scrollWidth + ' > ' + el.clientWidth)
"""


@pytest.fixture
def huge_world(transactional_db, live_server, page):
    world = build_world()
    MonthlyFigure.objects.filter(line=world["lines"]["net"], year=world["year"], period=12).update(
        budget=MOST, forecast=D("0.00")
    )
    refresh_line_year_totals(year_ids=[world["year"].pk])  # as every write of figures does
    InitiativeYear.objects.filter(initiative=world["initiatives"]["reneg"]).update(forecast=MOST)
    make_user("carol", COMMITTEE)
    login(page, live_server, "carol")
    return world


def card_figure(page, kpi: str):
    return page.locator(f"[data-kpi={kpi}] .figure").first


def tab_to(page, target, most: int = 80) -> None:
    """Press Tab until `target` has the focus: it is in the page's keyboard order."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    pytest.fail(f"{most} Tab presses never reached the figure")


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1366", "390"])
def test_huge_figures_fit_their_cards_and_give_the_exact_figure_on_focus(
    huge_world, live_server, page, page_errors, size
):
    page.set_viewport_size(size)
    page.goto(f"{live_server.url}/")
    assert page.locator("[data-kpi] .figure-long").count() >= 3  # budget, variance, gap
    assert page.locator("[data-kpi=budget] .kpi-value").inner_text() == "£1,000,000.0m"
    assert (
        page.locator("[data-kpi=variance] .kpi-value")
        .inner_text()
        .startswith("\u2212£1,000,000.0m")
    )
    assert page.locator("[data-kpi=gap] .kpi-value").inner_text() == "\u2212£1,000,000.0m"
    assert page.evaluate(OVERFLOWING) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    variance = card_figure(page, "variance")
    tooltip = variance.locator(".figure-exact")
    assert variance.get_attribute("aria-label") == VARIANCE
    assert not tooltip.is_visible()
    tab_to(page, variance)
    assert tooltip.is_visible()
    assert tooltip.inner_text() == VARIANCE
    box = tooltip.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= size["width"]  # all of it on screen
    assert serious_accessibility_violations(page) == []

    page.keyboard.press("Tab")  # on to the next figure or link: this tooltip goes
    assert not tooltip.is_visible()
    budget = card_figure(page, "budget")
    budget.hover()
    assert budget.locator(".figure-exact").is_visible()
    assert budget.locator(".figure-exact").inner_text() == BUDGET
    assert card_figure(page, "gap").get_attribute("aria-label") == GAP
    assert page_errors == []


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1366", "390"])
def test_the_savings_cards_fit_with_huge_figures(huge_world, live_server, page, size):
    page.set_viewport_size(size)
    page.goto(f"{live_server.url}/savings/")
    gap = page.locator("[data-testid=kpi-gap] .figure")
    assert gap.get_attribute("aria-label") == GAP
    assert page.locator("[data-testid=kpi-gap] .kpi-value").inner_text() == "\u2212£1,000,000.0m"
    assert page.evaluate(OVERFLOWING) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    tab_to(page, gap)
    assert gap.locator(".figure-exact").inner_text() == GAP
    assert serious_accessibility_violations(page) == []
