"""The API in the browser: a token made on the profile page by keyboard and shown once, and
the API docs page drawn from static files under the strict CSP; both axe clean and without
sideways scrolling at 390 px."""

import pytest

from common.models import ApiToken
from common.roles import FINANCE
from tests.browser.conftest import login, serious_accessibility_violations
from tests.conftest import make_user


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("width", [1280, 390])
def test_a_token_is_made_by_keyboard_and_shown_once(
    transactional_db, live_server, page, page_errors, width
):
    make_user("fiona", FINANCE)
    page.set_viewport_size({"width": width, "height": 900})
    login(page, live_server, "fiona")
    page.goto(f"{live_server.url}/accounts/profile/")
    page.get_by_label("Token name").focus()
    page.keyboard.type("Power BI")
    page.keyboard.press("Tab")  # the last day: left empty
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # the focused Make token button
    shown = page.get_by_test_id("new-token").inner_text()
    token = ApiToken.objects.get(user__username="fiona")
    assert f"mb_{token.prefix}_" in shown and "shown only this once" in shown
    assert serious_accessibility_violations(page) == []
    assert _no_sideways_scroll(page), f"the profile scrolls sideways at {width}px"
    page.goto(f"{live_server.url}/accounts/profile/")
    assert page.get_by_test_id("new-token").count() == 0
    with page.expect_navigation():
        page.get_by_role("button", name="Revoke Power BI").click()
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert "no longer works" in page.get_by_role("status").inner_text()
    assert page_errors == []


@pytest.mark.parametrize("width", [1280, 390])
def test_the_docs_page_draws_the_schema_under_the_strict_csp(
    transactional_db, live_server, page, page_errors, width
):
    make_user("fiona", FINANCE)
    page.set_viewport_size({"width": width, "height": 900})
    login(page, live_server, "fiona")
    page.goto(f"{live_server.url}/api/v1/docs/")
    page.get_by_text("/api/v1/figure-batches/").first.wait_for()
    assert page.locator(".opblock").count() >= 30
    assert page_errors == []  # no CSP violation, no console error
    assert serious_accessibility_violations(page) == []
    assert _no_sideways_scroll(page), f"the docs scroll sideways at {width}px"
