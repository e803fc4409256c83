"""Playwright against Django's live server, in the Chromium that `make browser` found.

The sync Playwright API runs an event loop in the test thread, so Django's async-safety
check is relaxed (DJANGO_ALLOW_ASYNC_UNSAFE, set by `make test`), and the live server
serves static files unhashed (the manifest storage's names do not exist there).
"""

import os
import shutil

import pytest

from tests.conftest import PASSWORD

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


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


def chromium_path(browser_type) -> str | None:
    """CHROMIUM_PATH (`make test` sets it to what `make browser` found), else a system
    Chromium, else Playwright's own browser when it has been downloaded."""
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if path:
        return path if os.path.isfile(path) else None
    bundled = browser_type.executable_path
    return bundled if os.path.isfile(bundled) else None


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, browser_type):
    path = chromium_path(browser_type)
    if path is None:
        given = os.environ.get("CHROMIUM_PATH")
        where = f"CHROMIUM_PATH={given} does not exist" if given else "none found"
        pytest.fail(
            f"No Chromium for the browser tests ({where}): run `make browser` to find or "
            "install one, or `make test-fast` to leave the browser tests out",
            pytrace=False,
        )
    return {**browser_type_launch_args, "executable_path": path, "args": CHROMIUM_ARGS}


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def page_errors(page) -> list[str]:
    """Console errors, page errors and CSP violations seen by the page."""
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    return errors


def login(page, live_server, username: str, password: str = PASSWORD) -> None:
    """Sign in through the real login form."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")


def accessibility_violations(page, impacts=("serious", "critical")) -> list[str]:
    """axe-core's violations of the given impacts on the current page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in impacts
    ]


def serious_accessibility_violations(page) -> list[str]:
    """axe-core's serious and critical violations on the current page."""
    return accessibility_violations(page)
