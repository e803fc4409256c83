"""Every page of every role, found by walking the URL resolver and the Django admin's
registry over the demo data, in Chromium at 390 px wide: no sideways scrolling, no word
broken across lines by a squeezed column, no console error or CSP violation, and axe-core
finds nothing serious or critical anywhere, and nothing moderate on the app's own pages.
At 1366 px the admin's pages are checked once more, since its layout changes with the
width."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.browser.conftest import accessibility_violations, login
from tests.demo_pages import demo_samples, seed_demo
from tests.metbudget.permission_matrix import pages

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
APP_IMPACTS = ("moderate", "serious", "critical")
SERIOUS = ("serious", "critical")
# Pages drawn by third-party code, held to serious and critical only: Swagger UI renders
# the API docs with its own landmarks and heading levels.
THIRD_PARTY = {"/api/v1/docs/"}
DOWNLOAD = 0
# Pages that are downloads or actions, not pages to look at.
NOT_PAGES = ("logout", "healthz", "csv", "export", "download", "template", "pdf")


def app_pages() -> list[str]:
    """Every page of the URL resolver but downloads, actions and the JSON API's endpoints
    (its docs page stays)."""
    return [
        url
        for name, url in pages(samples=demo_samples())
        if not any(word in name for word in NOT_PAGES)
        and (not url.startswith("/api/") or url in THIRD_PARTY)
    ]


def admin_pages() -> list[str]:
    """The admin's index, and each registered model's list, add form, and the change form
    and history of its first row."""
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls += [reverse(f"{name}_changelist"), reverse(f"{name}_add")]
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            urls += [reverse(f"{name}_change", args=[first.pk])]
            urls += [reverse(f"{name}_history", args=[first.pk])]
    return urls


def visit(page, url: str) -> int:
    response = page.request.get(url, max_redirects=0)
    if response.status != 200:  # refused, an action without a page (405), or nothing here
        return response.status
    if "text/html" not in response.headers.get("content-type", ""):
        return DOWNLOAD  # a file (evidence, an export, the schema), not a page
    response = page.goto(url)
    page.wait_for_load_state("networkidle")
    if page.locator("[data-chart]").count():
        page.wait_for_selector("[data-chart-drawn]")
    return response.status if response else 0


def sideways(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


# Words of up to a dozen letters that the page breaks across lines: a column squeezed to a
# few letters wide ("Vire-men-t"). Longer tokens (an address, a file name) may wrap.
BROKEN_WORDS = """() => {
  const broken = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest('svg, script, style, template')) continue;
    const words = /(?<![^\\s\\-\\/])[^\\s\\-\\/]{2,12}(?![^\\s\\-\\/])/g;
    for (const match of node.textContent.matchAll(words)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const tops = new Set([...range.getClientRects()].filter(r => r.width > 0)
        .map(r => Math.round(r.top)));
      if (tops.size > 1) broken.push(`"${match[0]}" in ${parent.tagName.toLowerCase()}`);
    }
  }
  return broken.slice(0, 5);
}"""


def crawl(page, live_server, urls, impacts, page_errors) -> tuple[list[str], int]:
    """Visit each URL; the problems found and how many were pages. The page's own console
    errors and CSP reports are taken before axe runs (axe's injected styles would trip the
    strict CSP themselves)."""
    problems, seen = [], 0
    for url in urls:
        status = visit(page, f"{live_server.url}{url}")
        if status in (DOWNLOAD, 302, 403, 404, 405):  # not a page this role may see
            continue
        seen += 1
        if status != 200:
            problems.append(f"{url}: HTTP {status}")
            continue
        problems += [f"{url}: {error}" for error in page_errors]
        page_errors.clear()
        if sideways(page):
            problems.append(f"{url}: scrolls sideways at {page.viewport_size['width']} px")
        problems += [f"{url}: a word broken across lines: {w}" for w in page.evaluate(BROKEN_WORDS)]
        found = accessibility_violations(page, SERIOUS if url in THIRD_PARTY else impacts)
        problems += [f"{url}: {v}" for v in found]
        page.goto("about:blank")
        page_errors.clear()
    return problems, seen


@pytest.fixture
def demo(transactional_db, monkeypatch, settings) -> str:
    return seed_demo(monkeypatch, settings)


@pytest.mark.parametrize("role", ["committee", "finance", "admin"])
def test_every_app_page_fits_a_phone_and_passes_axe(demo, live_server, page, page_errors, role):
    page.set_viewport_size(PHONE)
    login(page, live_server, role, demo)
    urls = app_pages()
    problems, seen = crawl(page, live_server, urls, APP_IMPACTS, page_errors)
    assert problems == [], "\n".join(problems)
    assert seen >= 25  # the walk reached the pages (a committee member reads 28), not refusals


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1366px"])
def test_every_admin_page_passes_axe(demo, live_server, page, page_errors, viewport):
    page.set_viewport_size(viewport)
    login(page, live_server, "admin", demo)
    urls = admin_pages()
    problems, seen = crawl(page, live_server, urls, SERIOUS, page_errors)
    assert problems == [], "\n".join(problems)
    assert seen > 40
