"""Finance's entry by keyboard in Chromium: from the sign-in page to a saved actual in at
most 30 key presses; the variance follows what is typed; Ctrl+S saves; a note grows; the
save bar stays in view; the forecast grid keeps its line and full-year columns in place.

tests/world.py: 2014-15 closed through P2, P3 in progress, P4 open with no actuals;
budgets per month OUT-01 1,000.00, NET-01 500.00, CHG-01 200.00. The P4 total budget is
1,700.00.
"""

import re
from decimal import Decimal as D

from playwright.sync_api import expect

from budgets.models import MonthlyFigure
from common.roles import FINANCE
from tests.browser.conftest import login, serious_accessibility_violations
from tests.conftest import PASSWORD, make_user

MOST_PRESSES = 30


class Keys:
    """Presses keys one at a time and counts them. The characters of the username and
    password are counted apart: they are the person's own, whatever the page does."""

    def __init__(self, page):
        self.page = page
        self.presses = 0
        self.credentials = 0

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)
        self.presses += 1

    def type(self, text: str, *, credential: bool = False) -> None:
        for char in text:
            self.page.keyboard.press(char)
            if credential:
                self.credentials += 1
            else:
                self.presses += 1

    def focused(self, script: str) -> bool:
        return self.page.evaluate(f"(el => {script})(document.activeElement)")

    def tab_to(self, script: str, most: int = 20) -> None:
        """Tab until the focused element satisfies `script` (JS over `el`)."""
        for _ in range(most):
            self.press("Tab")
            if self.focused(script):
                return
        raise AssertionError(f"{most} Tabs did not reach {script}")


def figure(code: str, period: int) -> MonthlyFigure:
    return MonthlyFigure.objects.get(line__code=code, year__label="2014-15", period=period)


def test_sign_in_to_a_saved_actual_takes_at_most_30_key_presses(
    transactional_db, world, live_server, page, page_errors
):
    make_user("fiona", FINANCE)
    keys = Keys(page)
    page.goto(f"{live_server.url}/accounts/login/")
    if not keys.focused("el && el.name === 'username'"):
        keys.tab_to("el.name === 'username'")
    keys.type("fiona", credential=True)
    keys.press("Tab")
    keys.type(PASSWORD, credential=True)
    with page.expect_navigation():
        keys.press("Enter")

    # Dashboard: the main navigation's Budgets link.
    keys.tab_to("el.textContent.trim() === 'Budgets'")
    with page.expect_navigation():
        keys.press("Enter")
    assert page.url.endswith("/budgets/")

    # Budgets: skip the header, then the period strip comes first.
    keys.tab_to("el.classList.contains('skip-link')", most=1)
    keys.press("Enter")
    keys.tab_to("el.getAttribute('href') === '/budgets/2014-15/p4/'", most=8)
    with page.expect_navigation():
        keys.press("Enter")

    # P4: skip the header, Tab to OUT-01's actual, type it and press Enter to save.
    out = figure("OUT-01", 4)
    keys.tab_to("el.classList.contains('skip-link')", most=1)
    keys.press("Enter")
    keys.tab_to(f"el.id === 'actual-{out.pk}'", most=6)
    keys.type("1200.00")
    with page.expect_navigation():
        keys.press("Enter")

    expect(page.get_by_role("status")).to_contain_text("Saved P4 2014-15: 1 line changed.")
    out.refresh_from_db()
    assert out.actual == D("1200.00")
    assert keys.presses <= MOST_PRESSES, f"{keys.presses} presses (and the credentials)"
    assert page_errors == []


def test_variance_follows_the_typed_actual_and_ctrl_s_saves(
    transactional_db, world, live_server, page, page_errors
):
    make_user("fiona", FINANCE)
    login(page, live_server, "fiona")
    page.goto(f"{live_server.url}/budgets/2014-15/p4/")
    out, chg = figure("OUT-01", 4), figure("CHG-01", 4)
    variance = page.locator(f"#actual-{out.pk}-variance")
    total = page.locator("[data-entry-total] [data-sum=variance]")
    actual = page.get_by_label(re.compile(r"^OUT-01 Capgemini service, actual P4$"))

    actual.press_sequentially("£1,234.56")  # 1,234.56 - 1,000.00
    expect(variance).to_have_text("Variance £234.56")
    expect(total).to_have_text("£234.56")
    actual.fill("")
    actual.press_sequentially("(150)")  # a credit: -150.00 - 1,000.00
    expect(variance).to_have_text("Variance −£1,150.00")
    actual.fill("")
    actual.press_sequentially("-15.5")
    expect(variance).to_have_text("Variance −£1,015.50")
    actual.fill("")
    actual.press_sequentially("12.3.4")
    expect(variance).to_have_text("Variance Not an amount yet")
    actual.fill("")
    actual.press_sequentially("1,100")  # 1,100.00 - 1,000.00
    chg_actual = page.get_by_label(re.compile(r"^CHG-01 Change projects, actual P4$"))
    chg_actual.press_sequentially("(50.00)")  # -50.00 - 200.00
    expect(page.locator(f"#actual-{chg.pk}-variance")).to_have_text("Variance −£250.00")
    # 100.00 + (250.00) over the lines with an actual; actuals 1,100.00 - 50.00.
    expect(total).to_have_text("−£150.00")
    expect(page.locator("[data-entry-total] [data-sum=actual]")).to_have_text("£1,050.00")

    # A note grows as it is typed; Enter in a note is a new line, not a save.
    note = page.get_by_label(re.compile(r"^CHG-01 Change projects, variance note P4$"))
    assert note.get_attribute("rows") == "1"
    note.press_sequentially("Refund from the supplier for the cancelled work package.")
    note.press("Enter")
    note.press_sequentially("Agreed with the programme board.")
    assert int(note.get_attribute("rows")) >= 3
    assert page.url.endswith("/p4/")

    assert serious_accessibility_violations(page) == []
    with page.expect_navigation():
        page.keyboard.press("Control+s")
    expect(page.get_by_role("status")).to_contain_text("2 lines changed")
    chg.refresh_from_db()
    assert chg.actual == D("-50.00")
    assert chg.note.startswith("Refund from the supplier")
    assert page_errors == []


def test_save_bar_stays_in_view_and_pages_fit_a_phone(
    transactional_db, world, live_server, page, page_errors
):
    make_user("fiona", FINANCE)
    login(page, live_server, "fiona")
    page.set_viewport_size({"width": 390, "height": 844})
    for path, button in (
        ("/budgets/2014-15/p4/", "Save P4 actuals"),
        ("/budgets/2014-15/forecast/", "Save forecasts"),
    ):
        page.goto(f"{live_server.url}{path}")
        page.evaluate("window.scrollTo(0, 0)")
        box = page.get_by_role("button", name=button).bounding_box()
        assert box["y"] + box["height"] <= 844, path  # sticky at the bottom of the view
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
        assert serious_accessibility_violations(page) == [], path
    page.goto(f"{live_server.url}/budgets/?year=2014-15")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert serious_accessibility_violations(page) == []
    assert page_errors == []


def test_forecast_grid_keeps_line_and_full_year_columns_while_months_scroll(
    transactional_db, world, live_server, page, page_errors
):
    make_user("fiona", FINANCE)
    login(page, live_server, "fiona")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/budgets/2014-15/forecast/")
    region = page.locator(".scroll-region").first
    line = page.locator("#forecast-grid tbody th[scope=row]").first
    variance = page.locator("#forecast-grid tbody td.fy-variance").first
    wrap = region.bounding_box()
    before = line.bounding_box()
    # The full-year columns are in view without scrolling, inside the table's region.
    assert (
        variance.bounding_box()["x"] + variance.bounding_box()["width"]
        <= wrap["x"] + wrap["width"] + 1
    )
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")  # the months scroll
    region.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    assert abs(line.bounding_box()["x"] - before["x"]) < 1
    assert (
        variance.bounding_box()["x"] + variance.bounding_box()["width"]
        <= wrap["x"] + wrap["width"] + 1
    )
    assert serious_accessibility_violations(page) == []
    assert page_errors == []


def test_a_month_reached_by_tab_is_not_hidden_under_the_fixed_columns(
    transactional_db, world, live_server, page, page_errors
):
    make_user("fiona", FINANCE)
    login(page, live_server, "fiona")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/budgets/2014-15/forecast/")
    budget = page.locator("#forecast-grid tbody td.fy-budget").first.bounding_box()
    line = page.locator("#forecast-grid tbody th[scope=row]").first.bounding_box()
    boxes = page.locator("#forecast-grid tbody tr").first.locator("input.money")
    for index in range(boxes.count()):
        boxes.nth(index).focus()
        box = boxes.nth(index).bounding_box()
        assert box["x"] + box["width"] <= budget["x"] + 1, index
        assert box["x"] >= line["x"] + line["width"] - 1, index
    # And back again, from the last month to the first.
    for index in reversed(range(boxes.count())):
        boxes.nth(index).focus()
        box = boxes.nth(index).bounding_box()
        assert box["x"] >= line["x"] + line["width"] - 1, index
    assert page_errors == []


def test_a_refused_save_shows_the_variance_of_what_was_typed(
    transactional_db, world, live_server, page, page_errors
):
    make_user("fiona", FINANCE)
    login(page, live_server, "fiona")
    page.goto(f"{live_server.url}/budgets/2014-15/p4/")
    out = figure("OUT-01", 4)
    page.get_by_label(re.compile(r"^OUT-01 Capgemini service, actual P4$")).fill("1,250")
    page.get_by_label(re.compile(r"^NET-01 Network services, actual P4$")).fill("12.3.4")
    page.get_by_role("button", name="Save P4 actuals").click()
    expect(page.locator("[data-error-summary]")).to_be_visible()
    # Kept as typed, and its variance (1,250.00 - 1,000.00) beside it; nothing saved.
    expect(page.locator(f"#actual-{out.pk}-variance")).to_have_text("Variance £250.00")
    out.refresh_from_db()
    assert out.actual is None
    assert serious_accessibility_violations(page) == []
    assert page_errors == []
