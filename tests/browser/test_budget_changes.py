"""An approved budget in the browser: Finance cannot change it except through a budget
change (a crafted POST is refused); an Admin records a virement that does not net to zero,
sees the difference named with their values kept, then a valid one; original and revised
both show on the line page and the lines table and reconcile. At 390 px, by keyboard where
it matters, with no serious axe findings. (tests/world.py: 2014-15, OUT-01 £1,000.00 and
NET-01 £500.00 a month, original £20,400.00 in all.)"""

from decimal import Decimal as D

from budgets.models import BudgetChange, MonthlyFigure
from budgets.revisions import approve_budget
from common.roles import ADMIN, FINANCE
from tests.browser.conftest import login, serious_accessibility_violations
from tests.conftest import make_user
from tests.world import build_world

PHONE = {"width": 390, "height": 844}
FITS = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


def budget(code: str, period: int) -> D:
    return MonthlyFigure.objects.get(line__code=code, year__label="2014-15", period=period).budget


def crafted_post(page, url: str, data: dict) -> int:
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    response = page.request.post(
        url, form={"csrfmiddlewaretoken": token, **data}, headers={"Referer": url}
    )
    return response.status


def fill_line(page, n: int, code: str, period: str, amount: str) -> None:
    page.locator(f"#id_lines-{n}-line").select_option(code)
    page.locator(f"#id_lines-{n}-year").select_option("2014-15")
    page.locator(f"#id_lines-{n}-period").select_option(period)
    page.locator(f"#id_lines-{n}-amount").fill(amount)


def test_approved_budget_changes_only_by_a_recorded_change_that_reconciles(
    transactional_db, live_server, page, page_errors
):
    world = build_world()
    adam = make_user("adam", ADMIN, is_staff=True)
    make_user("fiona", FINANCE)
    approve_budget(year=world["year"], user=adam, expected_version=None)
    page.set_viewport_size(PHONE)

    # Finance: no way in, and a crafted POST changes nothing.
    login(page, live_server, "fiona")
    page.goto(f"{live_server.url}/budgets/changes/?year=2014-15")
    assert page.get_by_role("link", name="Record a budget change").count() == 0
    new = f"{live_server.url}/budgets/changes/new/"
    virement = {
        "kind": "virement",
        "reason": "Crafted",
        "seen_through": "0",
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-0-line": "OUT-01",
        "lines-0-year": "2014-15",
        "lines-0-period": "6",
        "lines-0-amount": "(300.00)",
        "lines-1-line": "NET-01",
        "lines-1-year": "2014-15",
        "lines-1-period": "6",
        "lines-1-amount": "300.00",
    }
    assert crafted_post(page, new, virement) == 403
    assert crafted_post(page, f"{live_server.url}/budgets/2014-15/approve/", {}) == 403
    out6 = MonthlyFigure.objects.get(line__code="OUT-01", year__label="2014-15", period=6)
    period = f"{live_server.url}/budgets/2014-15/p6/"
    crafted = {f"budget-{out6.pk}": "5000.00", f"version-{out6.pk}": str(out6.version)}
    assert crafted_post(page, period, crafted) in (200, 302)  # the grid has no budget cell
    assert (budget("OUT-01", 6), budget("NET-01", 6)) == (D("1000.00"), D("500.00"))
    assert not BudgetChange.objects.exists()
    page.context.clear_cookies()

    # Admin: a virement that does not net to zero is refused with the difference named.
    login(page, live_server, "adam")
    page.goto(f"{live_server.url}/budgets/changes/")
    page.get_by_role("link", name="Record a budget change").click()
    page.get_by_label("Kind of change").select_option("virement")
    page.get_by_label("Reason").fill("Site links under budget; airtime over")
    fill_line(page, 0, "OUT-01", "6", "(300.00)")
    fill_line(page, 1, "NET-01", "6", "350.00")
    assert page.evaluate(FITS)
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Record budget change").press("Enter")
    page.wait_for_load_state("networkidle")
    summary = page.get_by_role("alert").inner_text()
    assert "they add up to £50.00 (more is added than taken away by £50.00)" in summary
    assert page.locator("#id_lines-1-amount").input_value() == "350.00"
    assert page.get_by_label("Reason").input_value() == "Site links under budget; airtime over"
    assert budget("NET-01", 6) == D("500.00")
    assert page.evaluate(FITS)
    assert serious_accessibility_violations(page) == []

    # ...then a valid one.
    page.locator("#id_lines-1-amount").fill("300.00")
    page.get_by_role("button", name="Record budget change").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("change-kind").inner_text() == "Virement"
    assert page.get_by_test_id("change-net").inner_text() == "£0.00"
    assert page.evaluate(FITS)
    assert serious_accessibility_violations(page) == []

    # Original and revised both show, and reconcile: 12,000.00 - 300.00 = 11,700.00.
    page.get_by_role("link", name="OUT-01").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("original-budget").inner_text() == "£12,000.00"
    assert page.get_by_test_id("revised-budget").inner_text() == "£11,700.00"
    assert "Site links under budget" in page.locator("#line-budget-changes").inner_text()
    assert (
        "do not change the forecast outturn" in page.get_by_test_id("commitments-note").inner_text()
    )
    assert page.evaluate(FITS)
    assert serious_accessibility_violations(page) == []
    page.goto(f"{live_server.url}/budgets/?year=2014-15")
    footer = page.locator("#budget-lines tfoot").inner_text()
    assert footer.count("£20,400.00") == 2  # original and revised: a virement nets to zero
    assert page.evaluate(FITS)
    assert serious_accessibility_violations(page) == []
    page.goto(f"{live_server.url}/budgets/changes/?year=2014-15")
    assert page.evaluate(FITS)
    assert serious_accessibility_violations(page) == []
    # A draft year's approval page, by keyboard.
    page.goto(f"{live_server.url}/budgets/2013-14/approve/")
    assert "a draft" in page.get_by_test_id("approval-status").inner_text()
    assert page.evaluate(FITS)
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Approve the 2013-14 budget").press("Enter")
    page.wait_for_load_state("networkidle")
    assert "Approved the 2013-14 budget." in page.get_by_role("status").inner_text()
    assert page.get_by_test_id("budget-status").count() == 0  # no longer a draft
    assert page_errors == []
