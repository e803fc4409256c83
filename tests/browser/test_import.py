from decimal import Decimal as D

from budgets.models import MonthlyFigure
from common.roles import FINANCE
from tests.browser.conftest import login, serious_accessibility_violations
from tests.conftest import make_user
from tests.world import build_world

FILE = b"""line_code,year,period,actual,forecast,note
OUT-01,2014-15,P3,"\xc2\xa31,234.56",,
NET-01,2014-15,4,(978.00),,Credit note from BT
CHG-01,2014-15,4,-12.34,500.00,
"""


def actual(code: str, period: int):
    return MonthlyFigure.objects.get(line__code=code, year__label="2014-15", period=period).actual


def test_finance_uploads_a_file_reads_the_preview_and_confirms(
    transactional_db, live_server, page, page_errors, settings
):
    settings.VARIANCE_NOTE_AMOUNT = D("100")  # the world's budgets are small
    build_world()
    make_user("fiona", FINANCE)
    login(page, live_server, "fiona")
    page.goto(f"{live_server.url}/budgets/import/")
    assert serious_accessibility_violations(page) == []
    page.get_by_label("File to import").set_input_files(
        {"name": "march.csv", "mimeType": "text/csv", "buffer": FILE}
    )
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_load_state("networkidle")

    assert page.get_by_role("heading", level=1).inner_text() == "Check the import of march.csv"
    changes = page.get_by_test_id("import-changes").locator("tbody tr")
    assert changes.count() == 3
    out = changes.filter(has_text="OUT-01").inner_text()
    assert "£1,100.00" in out and "£1,234.56" in out
    assert "−£978.00" in changes.filter(has_text="NET-01").inner_text()
    totals = page.get_by_test_id("import-totals").inner_text()
    assert "£4,450.00" in totals and "£3,594.22" in totals
    assert actual("OUT-01", 3) == D("1100.00")  # not saved yet
    # OUT-01 P3 is 234.56 over 1,000.00, NET-01 P4 1,478.00 under 500.00 (its note from the
    # file explains it), CHG-01 P4 212.34 under 200.00.
    notes = page.get_by_test_id("notes-needed")
    assert "2 figures will need a variance note" in notes.inner_text()
    assert notes.locator("tbody th").all_inner_texts() == ["CHG-01", "OUT-01"]
    assert serious_accessibility_violations(page) == []

    page.get_by_role("button", name="Confirm and save 3 figures").click()
    page.wait_for_load_state("networkidle")
    status = page.get_by_role("status").all_inner_texts()
    assert status[0].startswith("Imported march.csv: 3 figures changed from 3 rows")
    assert status[1].startswith("2 imported actuals differ from budget by more than 10%")
    written = page.locator("table.data-table tbody").inner_text()
    assert "£1,234.56" in written and "−£978.00" in written and "−£12.34" in written
    assert serious_accessibility_violations(page) == []
    assert actual("OUT-01", 3) == D("1234.56")
    assert actual("NET-01", 4) == D("-978.00")

    page.goto(f"{live_server.url}/budgets/import/batches/")
    assert page.get_by_role("link", name="march.csv").count() == 1
    assert page_errors == []


def test_a_bad_file_lists_its_problems_and_saves_nothing(
    transactional_db, live_server, page, page_errors
):
    build_world()
    make_user("fiona", FINANCE)
    login(page, live_server, "fiona")
    page.goto(f"{live_server.url}/budgets/import/")
    page.get_by_label("File to import").set_input_files(
        {
            "name": "bad.csv",
            "mimeType": "text/csv",
            "buffer": b"line_code,year,period,actual\nOUT-01,2014-15,P4,12.345\nNOPE,2014-15,4,1\n",
        }
    )
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_load_state("networkidle")
    alert = page.get_by_role("alert").first.inner_text()
    assert "bad.csv has 2 problems: nothing was saved" in alert
    problems = page.get_by_test_id("import-problems").inner_text()
    assert "row 2, column actual: “12.345” is not an amount in pounds" in problems
    assert "row 3, column line_code: “NOPE” is not a budget line code" in problems
    assert actual("OUT-01", 4) is None
    assert serious_accessibility_violations(page) == []
    assert page_errors == []
