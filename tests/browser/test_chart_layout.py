"""Charts at a desktop's width (1366px) and a phone's (390px), in Chromium: no page
scrolls sideways, every plot is tall enough to read, no legend lies on an axis title, and
a chart takes its small-screen layout when its box narrows (and gives it back).

With CHART_SCREENSHOTS set to a directory, each chart card is saved there as a PNG at
both widths, to look at."""

import os
from pathlib import Path

import pytest

from common.roles import COMMITTEE
from tests.browser.conftest import login
from tests.conftest import make_user
from tests.world import build_world

WIDTHS = ((1366, 900), (390, 844))
# (page, charts drawn on it)
PAGES = (("/", 7), ("/savings/", 2), ("/contracts/CAP-2005/", 1))
MIN_PLOT = 200

MEASURE = """() => [...document.querySelectorAll('[data-chart-drawn]')].map(el => {
  const box = e => e ? e.getBoundingClientRect() : null;
  const plot = box(el.querySelector('.nsewdrag'));
  const titles = [...el.querySelectorAll('.g-xtitle, .g-ytitle, .g-y2title')]
    .map(box).filter(b => b && b.width > 0);
  const legend = box(el.querySelector('.legend'));
  const overlap = (a, b) => a.left < b.right && b.left < a.right &&
    a.top < b.bottom && b.top < a.bottom;
  return {
    id: el.id,
    layout: el.getAttribute('data-chart-layout'),
    plot: plot ? plot.height : 0,
    titles: titles.length,
    clash: legend && legend.width > 0 ? titles.filter(t => overlap(legend, t)).length : 0,
    wider: el.querySelector('.main-svg').getBoundingClientRect().right >
      el.getBoundingClientRect().right + 1,
  };
})"""


@pytest.fixture
def committee(transactional_db, live_server, page, page_errors):
    build_world()
    make_user("carol", COMMITTEE)
    login(page, live_server, "carol")
    return page


def visit(page, url: str, charts: int) -> None:
    page.goto(url)
    page.wait_for_function(
        "n => document.querySelectorAll('[data-chart-drawn]').length === n", arg=charts
    )
    page.wait_for_timeout(200)  # plotly's own resize after drawing


def screenshots(page, width: int, path: str) -> None:
    folder = os.environ.get("CHART_SCREENSHOTS")
    if not folder:
        return
    name = path.strip("/").replace("/", "_") or "dashboard"
    for card in page.locator("[data-chart-card]").all():
        chart = card.get_attribute("data-chart-card")
        card.screenshot(path=str(Path(folder) / f"{width}_{name}_{chart}.png"))


@pytest.mark.parametrize(("width", "height"), WIDTHS)
def test_charts_fit_and_read_at_the_width(committee, live_server, page_errors, width, height):
    page = committee
    page.set_viewport_size({"width": width, "height": height})
    for path, count in PAGES:
        visit(page, live_server.url + path, count)
        scroll = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll[0] <= scroll[1], f"{path} scrolls sideways at {width}px: {scroll}"
        charts = page.evaluate(MEASURE)
        assert len(charts) == count
        for chart in charts:
            where = f"{path}#{chart['id']} at {width}px"
            assert chart["layout"] == ("small" if width < 500 else "wide"), where
            assert chart["plot"] >= MIN_PLOT, f"{where}: plot {chart['plot']}px tall"
            assert chart["titles"] >= 1, f"{where}: no axis title"
            assert chart["clash"] == 0, f"{where}: the legend lies on an axis title"
            assert not chart["wider"], f"{where}: the figure is wider than its box"
        screenshots(page, width, path)
    assert page_errors == []


def test_a_chart_takes_its_small_layout_when_the_window_narrows_and_back(
    committee, live_server, page_errors
):
    page = committee
    page.set_viewport_size({"width": 1366, "height": 900})
    visit(page, live_server.url + "/", 7)
    legend_y = "document.getElementById('monthly').layout.legend.yref || 'paper'"
    layout = "document.getElementById('monthly').getAttribute('data-chart-layout')"
    assert page.get_attribute("#monthly", "data-chart-layout") == "wide"
    assert page.evaluate(legend_y) == "paper"
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_function(f"() => {layout} === 'small' && {legend_y} === 'container'")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.wait_for_function(f"() => {layout} === 'wide' && {legend_y} === 'paper'")
    assert page_errors == []
