"""The dashboard in Chromium: time from navigation start to every chart drawn, cold and warm.

Playwright is a development dependency: without it (or without Chromium) the measurement
reports why it did not run, and the rest of the benchmark goes on.
"""

import gzip
import os
import statistics
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.test import Client
from django.test.testcases import LiveServerThread

from demo.bench.dataset import Dataset
from demo.bench.pages import PageSpec, resolve
from demo.bench.timing import TARGETS

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on what is installed
    sync_playwright = None

# The same Chromium flags as the browser tests (tests/browser/conftest.py): without the
# background-networking ones Chromium floods a closed network with refused connections.
CHROMIUM = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

CHARTS_DRAWN_JS = """() => {
  const charts = document.querySelectorAll('[data-chart]').length;
  const drawn = document.querySelectorAll('[data-chart-drawn]').length;
  const done = charts > 0 ? drawn === charts : document.readyState === 'complete';
  const nav = performance.getEntriesByType('navigation')[0];
  return done ? {charts: charts, ms: performance.now(), html: nav.responseEnd} : false;
}"""


def browser_unavailable(enabled: bool) -> str | None:
    """Why the browser measurement cannot run, or None when it can."""
    if not enabled:
        return "--no-browser"
    if not os.path.exists(CHROMIUM):
        return f"no Chromium at {CHROMIUM}"
    if sync_playwright is None:
        return "playwright is not installed"
    return None


def measure_browser(
    data: Dataset, *, enabled: bool, cold_runs: int = 3, warm_runs: int = 5
) -> dict:
    """Time from navigation start to every dashboard chart drawn, in Chromium against a
    live server in this process: cold (new browser profile) and warm (same profile)."""
    reason = browser_unavailable(enabled)
    if reason:
        return {"present": False, "reason": reason}
    path = resolve(PageSpec("dashboard", "home", [{}]))
    client = Client()
    client.force_login(data.finance_user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    with live_server() as base:
        cookie = {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base}
        colds, warms = _loads(base + path, cookie, cold_runs, warm_runs)
    return _summary(path, colds, warms)


@contextmanager
def live_server() -> Iterator[str]:
    """A live server in this process, serving static files; yields its base URL."""
    # Playwright's sync API runs an event loop in this thread; the ORM is only used by the
    # server thread from here on.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    server = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.terminate()
        server.join()


def _loads(url: str, cookie: dict, cold_runs: int, warm_runs: int) -> tuple[list, list]:
    """`cold_runs` loads each in a new profile, then `warm_runs` reloads in one profile."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            colds = []
            for _ in range(cold_runs):
                context = browser.new_context()
                context.add_cookies([cookie])
                colds.append(_load(context.new_page(), url))
                context.close()
            context = browser.new_context()
            context.add_cookies([cookie])
            page = context.new_page()
            _load(page, url)
            warms = [_load(page, url) for _ in range(warm_runs)]
            context.close()
        finally:
            browser.close()
    return colds, warms


def _summary(path: str, colds: list[dict], warms: list[dict]) -> dict:
    return {
        "present": True,
        "url": path,
        "charts": colds[0]["charts"],
        "cold_ms": round(statistics.median(r["ms"] for r in colds), 1),
        "warm_ms": round(statistics.median(r["ms"] for r in warms), 1),
        "cold_html_ms": round(statistics.median(r["html_ms"] for r in colds), 1),
        "warm_html_ms": round(statistics.median(r["html_ms"] for r in warms), 1),
        "cold_runs": len(colds),
        "warm_runs": len(warms),
        "cold_transferred_bytes": colds[0]["transferred_bytes"],
        "cold_body_bytes": colds[0]["body_bytes"],
        "cold_gzip_bytes": colds[0]["gzip_bytes"],
        "cold_requests": colds[0]["requests"],
        "warm_transferred_bytes": warms[-1]["transferred_bytes"],
        "warm_requests": warms[-1]["requests"],
        "static_files": "Django StaticFilesHandler, plain StaticFilesStorage, uncompressed",
        # With no charts on the dashboard there is nothing to hold to the target yet.
        "meets_target": (
            statistics.median(r["ms"] for r in warms) < TARGETS["charts_warm_ms"]
            if colds[0]["charts"]
            else None
        ),
    }


def _load(page, url: str) -> dict:
    """Navigate, wait for every chart drawn, and count what came over the network."""
    finished = []

    def collect(request) -> None:
        finished.append(request)

    page.on("requestfinished", collect)
    page.goto(url, wait_until="commit")
    drawn = page.wait_for_function(CHARTS_DRAWN_JS, polling="raf", timeout=60_000).json_value()
    page.wait_for_load_state("networkidle")
    page.remove_listener("requestfinished", collect)
    transferred = body = compressed = 0
    for request in finished:
        sizes = request.sizes()
        transferred += max(0, sizes["responseBodySize"]) + max(0, sizes["responseHeadersSize"])
        response = request.response()
        if response is not None and response.status == 200 and sizes["responseBodySize"]:
            content = response.body()
            body += len(content)
            compressed += len(gzip.compress(content, compresslevel=6))
    return {
        "charts": drawn["charts"],
        "ms": drawn["ms"],
        "html_ms": drawn["html"],
        "requests": len(finished),
        "transferred_bytes": transferred,
        "body_bytes": body,
        "gzip_bytes": compressed,
    }
