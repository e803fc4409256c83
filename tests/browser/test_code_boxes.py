"""A box for codes in Chromium (past CODE_BOX_OVER rows, common.forms.CodeBox): as someone
types, its datalist offers the rows whose code starts with, or whose name holds, the word
being typed, completing that word and keeping the codes typed before it; in the app and in
the Django admin, by keyboard, under the strict CSP, with no serious axe finding at 390 px."""

import pytest

from common.roles import ADMIN
from tests.browser.conftest import login, serious_accessibility_violations
from tests.conftest import make_user
from tests.world import build_world


@pytest.fixture
def boxes(transactional_db, monkeypatch):
    monkeypatch.setattr("common.forms.CODE_BOX_OVER", 1)
    build_world()
    make_user("adam", ADMIN, is_staff=True)


def suggestions(page, box: str) -> list[tuple[str, str]]:
    """The (value, label) pairs the box's datalist offers, once it offers some."""
    listed = page.locator(box).get_attribute("list")
    page.locator(f"#{listed} option").first.wait_for(state="attached", timeout=5000)
    options = page.locator(f"#{listed} option")
    return [
        (options.nth(i).get_attribute("value"), options.nth(i).get_attribute("label"))
        for i in range(options.count())
    ]


def test_the_project_form_suggests_lines_contracts_and_initiatives_as_typed(
    boxes, live_server, page, page_errors
):
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server, "adam")
    page.goto(f"{live_server.url}/projects/new/")
    lines = page.get_by_label("Budget lines")
    lines.focus()
    page.keyboard.type("CHG-01, servi")  # a name's word, after one code already typed
    assert suggestions(page, "#id_lines") == [
        ("CHG-01, NET-01", "NET-01 — Network services"),
        ("CHG-01, OUT-01", "OUT-01 — Capgemini service"),
    ]
    page.locator("#id_contracts").fill("")
    page.locator("#id_contracts").press_sequentially("cap")
    assert [value for value, _ in suggestions(page, "#id_contracts")] == ["CAP-2005"]
    page.locator("#id_initiatives").press_sequentially("MOB")
    assert suggestions(page, "#id_initiatives")[0][0] == "MOBILE"
    assert page_errors == []
    assert serious_accessibility_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_admins_initiative_form_suggests_lines(boxes, live_server, page, page_errors):
    login(page, live_server, "adam")
    page.goto(f"{live_server.url}/admin/savings/initiative/add/")
    page.locator("#id_lines").press_sequentially("ou")
    assert suggestions(page, "#id_lines") == [("OUT-01", "OUT-01 — Capgemini service")]
    assert page_errors == []
