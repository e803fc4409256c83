"""Finance's month-end in Chromium: enter a period's actuals, then see them everywhere.

tests/world.py as at P3: actual to date OUT-01 3,300.00, NET-01 900.00, CHG-01 250.00
(total 4,450.00). Entering P4 (OUT-01 1,200.00, NET-01 480.00, CHG-01 a credit of 150.00)
moves the reporting date to P4: OUT-01 4,500.00, total 4,450 + 1,530 = 5,980.00.
"""

import re
from decimal import Decimal as D

from django.test import Client
from playwright.sync_api import expect

from budgets.models import BudgetLine, MonthlyFigure, refresh_line_year_totals
from common.roles import COMMITTEE, FINANCE
from tests.browser.conftest import login, serious_accessibility_violations
from tests.conftest import make_user


def p4_input(page, code: str, name: str):
    return page.get_by_label(re.compile(rf"^{code} {name}, actual P4$"))


def test_finance_enters_a_period_and_sees_dashboard_and_line_page_reflect_it(
    transactional_db, world, live_server, page, page_errors
):
    make_user("fiona", FINANCE)
    login(page, live_server, "fiona")
    page.goto(f"{live_server.url}/budgets/2014-15/p4/")
    assert serious_accessibility_violations(page) == []

    p4_input(page, "OUT-01", "Capgemini service").fill("£1,200.00")
    p4_input(page, "NET-01", "Network services").fill("480")
    p4_input(page, "CHG-01", "Change projects").fill("(150.00)")
    page.get_by_role("button", name="Save P4 actuals").click()
    expect(page.get_by_role("status")).to_contain_text("3 lines changed")
    # Focus is on the outcome, so the keyboard continues from there.
    assert page.evaluate("document.activeElement.className") == "messages"

    stored = dict(
        MonthlyFigure.objects.filter(year__label="2014-15", period=4).values_list(
            "line__code", "actual"
        )
    )
    assert stored == {"OUT-01": D("1200.00"), "NET-01": D("480.00"), "CHG-01": D("-150.00")}

    # P4 is not closed: the dashboard stays at P2 until P4 is chosen, then says so.
    page.goto(f"{live_server.url}/")
    expect(page.get_by_test_id("reporting-date")).to_contain_text("P2")
    page.get_by_label("Period", exact=True).select_option("4")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.get_by_test_id("reporting-date")).to_contain_text("P4")
    expect(page.get_by_test_id("in-progress")).to_contain_text("P4 in progress: actuals for 3 of 3")
    # 4,450.00 + 1,200.00 + 480.00 - 150.00
    expect(page.locator("[data-kpi=actual]")).to_contain_text("£5,980.00")

    page.goto(f"{live_server.url}/budgets/lines/OUT-01/?year=2014-15&as_at=4")
    expect(page.get_by_test_id("actual-to-date")).to_have_text("£4,500.00")
    expect(page.locator("#line-months")).to_contain_text("£1,200.00")
    expect(page.locator("#line-changes")).to_contain_text("Fiona")
    expect(page.locator("[data-chart-drawn]")).to_have_count(1)
    assert serious_accessibility_violations(page) == []

    page.goto(f"{live_server.url}/budgets/?year=2014-15&as_at=4")
    row = page.locator("#budget-lines tbody tr", has_text="OUT-01")
    expect(row).to_contain_text("£4,500.00")
    assert page_errors == []


def test_a_typo_keeps_every_typed_value_and_saves_nothing(
    transactional_db, world, live_server, page, page_errors
):
    make_user("fiona", FINANCE)
    login(page, live_server, "fiona")
    page.goto(f"{live_server.url}/budgets/2014-15/p4/")
    p4_input(page, "OUT-01", "Capgemini service").fill("12.3.4")
    p4_input(page, "NET-01", "Network services").fill("480")
    page.get_by_role("button", name="Save P4 actuals").click()
    expect(page.locator("[data-error-summary]")).to_contain_text(
        "OUT-01 Capgemini service, actual P4"
    )
    expect(p4_input(page, "OUT-01", "Capgemini service")).to_have_value("12.3.4")
    expect(p4_input(page, "NET-01", "Network services")).to_have_value("480")
    assert (
        MonthlyFigure.objects.filter(year__label="2014-15", period=4).exclude(actual=None).count()
        == 0
    )
    assert serious_accessibility_violations(page) == []
    assert page_errors == []


def test_budget_pages_have_no_serious_accessibility_violations(
    transactional_db, world, live_server, page, page_errors
):
    make_user("fiona", FINANCE)
    login(page, live_server, "fiona")
    for path in (
        "/budgets/",
        "/budgets/lines/OUT-01/",
        "/budgets/2014-15/p4/",
        "/budgets/2014-15/p2/",
        "/budgets/2014-15/forecast/",
        "/history/",
    ):
        page.goto(f"{live_server.url}{path}")
        assert serious_accessibility_violations(page) == [], path
    assert page_errors == []


def test_committee_sees_budget_pages_read_only_and_accessible(
    transactional_db, world, live_server, page, page_errors
):
    make_user("carol", COMMITTEE)
    login(page, live_server, "carol")
    for path in ("/budgets/2014-15/p4/", "/budgets/2014-15/forecast/"):
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_role("textbox")).to_have_count(0)
        assert serious_accessibility_violations(page) == [], path
    assert page_errors == []


def test_budget_table_fits_1600px_and_scrolls_in_its_own_region_when_narrower(
    transactional_db, world, live_server, page, page_errors
):
    # Nine-figure amounts and a long name, as in a real estate of lines.
    MonthlyFigure.objects.filter(year__label="2014-15").update(budget=D("9999999.99"))
    MonthlyFigure.objects.filter(year__label="2014-15", actual__isnull=False).update(
        actual=D("-9999999.99")
    )
    MonthlyFigure.objects.filter(line__code="OUT-01").update(forecast=D("19999999.99"))
    refresh_line_year_totals()  # as every write of figures does
    BudgetLine.objects.filter(code="CHG-01").update(
        name="Command and control replacement (Lockheed Martin) integration and hosting"
    )
    make_user("fiona", FINANCE)
    login(page, live_server, "fiona")
    overflow = "document.documentElement.scrollWidth - document.documentElement.clientWidth"

    # Thirteen columns (original and revised budget, committed and uncommitted among them)
    # fit a 1600 px desktop; narrower, the table scrolls in its own region.
    page.set_viewport_size({"width": 1600, "height": 900})
    page.goto(f"{live_server.url}/budgets/?year=2014-15")
    expect(page.locator("#budget-lines tfoot")).to_contain_text("£359,999,999.64")
    assert page.evaluate(overflow) == 0
    region = page.get_by_role("region", name="Budget lines 2014-15 (scrolls sideways on a")
    assert region.evaluate("r => r.scrollWidth - r.clientWidth") == 0

    page.set_viewport_size({"width": 900, "height": 900})
    assert page.evaluate(overflow) == 0  # the page does not scroll sideways...
    assert region.evaluate("r => r.scrollWidth - r.clientWidth") > 0  # ...the table does
    region.focus()
    page.keyboard.press("ArrowRight")  # and a keyboard can scroll it
    page.wait_for_function("r => r.scrollLeft > 0", arg=region.element_handle(), timeout=5000)
    assert serious_accessibility_violations(page) == []

    page.get_by_role("link", name="Import actuals from a CSV or Excel file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import actuals")
    assert page_errors == []


def test_a_conflict_offers_my_values_again_beside_the_other_persons(
    transactional_db, world, live_server, page, page_errors
):
    make_user("fiona", FINANCE)
    frank = make_user("frank", FINANCE, last_name="Jones")
    login(page, live_server, "fiona")
    page.goto(f"{live_server.url}/budgets/2014-15/p4/")
    out = MonthlyFigure.objects.get(line__code="OUT-01", year__label="2014-15", period=4)
    # Frank saves OUT-01 while Fiona has the page open.
    frank_client = Client()
    frank_client.force_login(frank)
    data = {f"actual-{out.pk}": "2000.00", f"note-{out.pk}": "", f"version-{out.pk}": "1"}
    assert frank_client.post("/budgets/2014-15/p4/", data).status_code == 302

    p4_input(page, "OUT-01", "Capgemini service").fill("1500")
    p4_input(page, "NET-01", "Network services").fill("480")
    page.get_by_role("button", name="Save P4 actuals").click()

    conflicts = page.get_by_test_id("conflicts")
    expect(conflicts).to_contain_text("Frank Jones")
    expect(conflicts).to_contain_text("£2,000.00")
    expect(p4_input(page, "OUT-01", "Capgemini service")).to_have_value("1500")
    expect(p4_input(page, "NET-01", "Network services")).to_have_value("480")
    assert serious_accessibility_violations(page) == []

    page.get_by_role("button", name="Save P4 actuals").click()  # a deliberate second save
    expect(page.get_by_role("status")).to_contain_text("2 lines changed")
    stored = dict(
        MonthlyFigure.objects.filter(year__label="2014-15", period=4).values_list(
            "line__code", "actual"
        )
    )
    assert stored == {"OUT-01": D("1500.00"), "NET-01": D("480.00"), "CHG-01": None}
    # The conflict page is answered 409, which the console reports; nothing else may be.
    assert [e for e in page_errors if "status of 409 (Conflict)" not in e] == []
