"""An Admin creates 2016-17 from 2015-16 through the page, uploads a phasing file (preview,
confirm) and sees the phased budget in the year's grid, on a phone, by keyboard."""

import re
from decimal import Decimal as D

from playwright.sync_api import expect

from budgets.models import FinancialYear, MonthlyFigure
from budgets.setting import create_next_year
from common.roles import ADMIN
from tests.browser.conftest import login, serious_accessibility_violations
from tests.conftest import make_user
from tests.world import build_world

PHONE = {"width": 390, "height": 844}
PHASING = b"""line_code,year,annual,profile
NET-01,2016-17,"\xc2\xa31,000.00",even
CHG-01,2016-17,3000,previous
"""


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def _press(page, button) -> None:
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")


def budgets(code: str) -> list[D]:
    return list(
        MonthlyFigure.objects.filter(year__label="2016-17", line__code=code)
        .order_by("period")
        .values_list("budget", flat=True)
    )


def test_admin_creates_the_next_year_uploads_its_phasing_and_sees_it(
    transactional_db, live_server, page, page_errors
):
    world = build_world()
    adam = make_user("adam", ADMIN, is_staff=True)
    # 2015-16 as the previous year: every line's 2014-15 budget, month by month.
    lines = list(world["lines"].values())
    create_next_year(previous=world["year"], lines=lines, copy_budgets=True, user=adam)
    page.set_viewport_size(PHONE)
    login(page, live_server, "adam")

    page.goto(f"{live_server.url}/budgets/?year=2015-16")
    _press(page, page.get_by_role("link", name="Create the next year"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Create 2016-17 from 2015-16")
    # CAP-2005 ends on 31 Dec 2015: OUT-01 is offered unticked, with the reason.
    expect(page.get_by_role("checkbox", name=re.compile("OUT-01"))).not_to_be_checked()
    expect(page.get_by_test_id("carry-lines")).to_contain_text(
        "Not carried by default: contract CAP-2005 ends 31 Dec 2015, before the year starts."
    )
    expect(page.get_by_role("checkbox", name=re.compile("NET-01"))).to_be_checked()
    assert _fits(page)
    assert serious_accessibility_violations(page) == []
    _press(page, page.get_by_role("button", name="Create 2016-17"))

    page.wait_for_url(f"{live_server.url}/budgets/2016-17/budget/")
    expect(page.get_by_role("status")).to_contain_text("Created 2016-17 (draft) with 2 lines")
    expect(page.get_by_test_id("budget-status")).to_contain_text("draft")
    assert not FinancialYear.objects.get(label="2016-17").is_budget_approved
    assert budgets("NET-01") == [D("0.00")] * 12
    assert _fits(page)
    assert serious_accessibility_violations(page) == []

    _press(page, page.get_by_role("link", name="Upload a phasing file"))
    page.get_by_label("File to import").set_input_files(
        {"name": "phasing.csv", "mimeType": "text/csv", "buffer": PHASING}
    )
    _press(page, page.get_by_role("button", name="Upload and check"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the import of phasing.csv")
    expect(page.get_by_test_id("import-summary")).to_contain_text("Budget rows")
    expect(page.get_by_test_id("budget-totals")).to_contain_text("£4,000.00")
    assert page.get_by_test_id("import-changes").locator("tbody tr").count() == 24
    assert budgets("NET-01") == [D("0.00")] * 12  # not saved yet
    assert _fits(page)
    assert serious_accessibility_violations(page) == []
    _press(page, page.get_by_role("button", name="Confirm and save 24 figures"))
    expect(page.get_by_role("status").first).to_contain_text("Imported phasing.csv")

    # Even: 100,000 pennies / 12 = 8,333 remainder 4, one each to P1-P4. Previous: CHG-01
    # was 200.00 every month, so 3,000.00 is 250.00 a month.
    assert budgets("NET-01") == [D("83.34")] * 4 + [D("83.33")] * 8
    assert budgets("CHG-01") == [D("250.00")] * 12
    page.goto(f"{live_server.url}/budgets/2016-17/budget/")
    expect(page.get_by_label("NET-01 Network services, budget P1", exact=True)).to_have_value(
        "83.34"
    )
    expect(page.get_by_label("NET-01 Network services, budget P12", exact=True)).to_have_value(
        "83.33"
    )
    expect(page.get_by_label("NET-01 Network services, full-year budget")).to_have_value("1000.00")
    expect(page.get_by_label("CHG-01 Change projects, budget P7", exact=True)).to_have_value(
        "250.00"
    )
    assert _fits(page)
    assert serious_accessibility_violations(page) == []

    # Approved, the phased budget is the original budget, and the grid is read-only: it
    # changes only by a budget change from now on.
    page.goto(f"{live_server.url}/budgets/2016-17/approve/")
    _press(page, page.get_by_role("button", name="Approve the 2016-17 budget"))
    expect(page.get_by_role("status").first).to_contain_text("Approved the 2016-17 budget.")
    originals = MonthlyFigure.objects.filter(line__code="NET-01", year__label="2016-17")
    assert list(originals.order_by("period").values_list("original_budget", flat=True)) == (
        [D("83.34")] * 4 + [D("83.33")] * 8
    )
    page.goto(f"{live_server.url}/budgets/2016-17/budget/")
    expect(page.get_by_test_id("budget-status")).to_contain_text(
        "2016-17's budget is approved; change it with a budget change."
    )
    assert page_errors == []
