"""Charts at a desktop's width (1366px) and a phone's (390px), in Chromium: no page
scrolls sideways, every plot is tall enough to read, no legend lies on an axis title, no
chart text (ticks, titles, legend, labels) overlaps another or runs outside its chart, and
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

# Each chart text (ticks, axis titles, legend, annotations, bar and point labels) as the
# four corners of its box on the page, rotation and all.
TEXT = """
  const corners = t => {
    const b = t.getBBox(), m = t.getScreenCTM();
    const at = (x, y) => [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f];
    return [at(b.x, b.y), at(b.x + b.width, b.y), at(b.x + b.width, b.y + b.height),
            at(b.x, b.y + b.height)];
  };
  const texts = [...el.querySelectorAll('.xtick text, .ytick text, .y2tick text, ' +
      '.g-xtitle text, .g-ytitle text, .g-y2title text, .legendtext, .annotation-text, ' +
      '.bartext, .textpoint text')]
    .filter(t => t.textContent.trim() && t.getBBox().width > 0)
    .map(t => ({text: t.textContent, corners: corners(t)}));
  // Boxes meet when no edge of either separates them (boxes 1px smaller: touching is not
  // overlapping).
  const shrunk = c => {
    const x = c.reduce((s, p) => s + p[0], 0) / 4, y = c.reduce((s, p) => s + p[1], 0) / 4;
    return c.map(([px, py]) => {
      const d = Math.hypot(x - px, y - py) || 1;
      return [px + (x - px) / d, py + (y - py) / d];
    });
  };
  const meet = (a, b) => {
    [a, b] = [shrunk(a), shrunk(b)];
    const edges = [a, b].flatMap(c => c.map((p, i) => {
      const q = c[(i + 1) % 4];
      return [q[1] - p[1], p[0] - q[0]];
    }));
    return edges.every(([ax, ay]) => {
      const [sa, sb] = [a, b].map(c => c.map(([x, y]) => x * ax + y * ay));
      return Math.max(...sa) > Math.min(...sb) && Math.max(...sb) > Math.min(...sa);
    });
  };
  const frame = el.getBoundingClientRect();
  const overlapping = [];
  texts.forEach((a, i) => texts.slice(i + 1).forEach(b => {
    if (meet(a.corners, b.corners)) { overlapping.push(`"${a.text}" on "${b.text}"`); }
  }));
  const cut = texts.filter(t => t.corners.some(([x, y]) =>
    x < frame.left - 1 || x > frame.right + 1 || y < frame.top - 1 || y > frame.bottom + 1))
    .map(t => t.text);
"""
MEASURE = (
    """() => [...document.querySelectorAll('[data-chart-drawn]')].map(el => {
  const box = e => e ? e.getBoundingClientRect() : null;"""
    + TEXT
    + """
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
    overlapping: overlapping,
    cut: cut,
  };
})"""
)


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
            assert chart["overlapping"] == [], f"{where}: chart text overlaps"
            assert chart["cut"] == [], f"{where}: chart text runs outside the chart"
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


# The charts plotly drew a second time to make room for their labels and legend.
REDRAWN = """() => [...document.querySelectorAll('[data-chart-drawn]')]
  .filter(el => '_redrawFromAutoMarginCount' in el._fullLayout).map(el => el.id).sort()"""
FINAL_MARGINS = """() => Object.fromEntries([...document.querySelectorAll('[data-chart-drawn]')]
  .map(el => [el.id, ['l', 'r', 't', 'b'].map(side => el._fullLayout._size[side])]))"""
SOURCES = """() => [...document.querySelectorAll('[data-chart-drawn]')]
  .map(el => [el.id, el.getAttribute('data-chart-margins')])"""
# Each chart's margins as it lays them out now, and as its figure gives them.
OWN_MARGINS = """() => [...document.querySelectorAll('[data-chart-drawn]')].map(el => {
  const figure = JSON.parse(document.getElementById(el.getAttribute('data-chart')).textContent);
  const sides = m => ['l', 'r', 't', 'b'].map(side => (m || {})[side] ?? null);
  return [el.id, sides(el.layout.margin), sides(figure.layout.margin)];
})"""


def test_a_chart_drawn_again_at_the_same_width_is_drawn_once(committee, live_server, page_errors):
    page = committee
    page.set_viewport_size({"width": 1366, "height": 900})
    page.evaluate("sessionStorage.clear()")
    visit(page, live_server.url + "/", 7)
    measured = page.evaluate(REDRAWN)
    assert measured, "no chart was drawn twice the first time: this test would prove nothing"
    margins = page.evaluate(FINAL_MARGINS)
    first_sources = {source for _, source in page.evaluate(SOURCES)}

    visit(page, live_server.url + "/", 7)
    assert page.evaluate(REDRAWN) == []
    assert page.evaluate(FINAL_MARGINS) == margins
    assert first_sources == {"figure"}
    assert {source for _, source in page.evaluate(SOURCES)} == {"remembered"}
    for chart in page.evaluate(MEASURE):
        assert chart["overlapping"] == [], f"{chart['id']}: chart text overlaps"
        assert chart["cut"] == [], f"{chart['id']}: chart text runs outside the chart"

    # A new width: each chart gets its layout's own margins back and plotly measures again.
    page.set_viewport_size({"width": 1100, "height": 900})
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-chart-drawn]')]"
        ".every(el => el.getAttribute('data-chart-margins') === 'figure')"
    )
    for chart, now, own in page.evaluate(OWN_MARGINS):
        assert now == own, f"{chart}: margins {now}, its figure's {own}"
    assert page_errors == []
