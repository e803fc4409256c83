from decimal import Decimal

from common.roles import ADMIN, COMMITTEE, FINANCE
from savings.models import InitiativeYear
from savings.services import record_savings
from tests.browser.conftest import login, serious_accessibility_violations
from tests.conftest import make_user
from tests.world import build_world


def test_finance_records_a_forecast_and_the_gap_closes(
    transactional_db, live_server, page, page_errors
):
    build_world()
    make_user("fiona", FINANCE)
    login(page, live_server, "fiona")
    dashboard_gap = page.locator('[data-kpi="gap"] .kpi-note')
    assert dashboard_gap.inner_text().startswith("£2,000.00")
    assert "Red" in dashboard_gap.inner_text()
    page.goto(f"{live_server.url}/savings/")
    assert page.get_by_test_id("gap-2014-15").inner_text() == "£2,000.00"
    assert "Red" in page.locator('tr[data-year="2014-15"]').first.inner_text()

    page.get_by_role("link", name="CAP-RENEG").click()
    page.get_by_role("link", name="Update forecast for 2014-15").click()
    page.get_by_label("Forecast saving for the year (£)").fill("7,000.00")
    page.get_by_label("Note (optional)").fill("Renegotiated rates from October")
    page.get_by_role("button", name="Save savings").click()
    page.wait_for_load_state("networkidle")

    assert page.url == f"{live_server.url}/savings/initiatives/CAP-RENEG/"
    assert "Saved CAP-RENEG savings for 2014-15." in page.get_by_role("status").inner_text()
    year = page.get_by_test_id("years").locator('tr[data-year="2014-15"]').inner_text()
    assert "£7,000.00" in year and "£4,000.00" in year

    page.goto(f"{live_server.url}/savings/")
    # Forecast 7,000 + APP-RAT as planned 3,000 meets the 10,000 target.
    assert page.get_by_test_id("gap-2014-15").inner_text() == "£0.00"
    row = page.get_by_test_id("pipeline").locator('tr[data-year="2014-15"]').inner_text()
    assert "Green" in row

    page.get_by_role("link", name="Dashboard").click()
    assert dashboard_gap.inner_text().startswith("£0.00")
    assert "Green" in dashboard_gap.inner_text()
    assert page_errors == []


def _fits_and_is_accessible(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert serious_accessibility_violations(page) == []


def test_a_claim_with_evidence_is_validated_by_another_admin_on_a_phone(
    transactional_db, live_server, page, page_errors, settings, tmp_path
):
    """Finance claims a saving with a CSV of invoices; it counts as claimed until an Admin
    validates it; then it is realised and the gap on validated savings closes."""
    settings.MEDIA_ROOT = str(tmp_path)
    build_world()
    make_user("fiona", FINANCE)
    make_user("alex", ADMIN)
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server, "fiona")
    page.goto(f"{live_server.url}/savings/initiatives/APP-RAT/")
    page.get_by_role("link", name="Claim a saving for 2014-15").click()
    _fits_and_is_accessible(page)
    page.get_by_label("Saving claimed (£)").fill("1,250.00")
    page.get_by_label("Realised to the end of period").select_option("3")
    page.get_by_label("Evidence file (optional)").set_input_files(
        {
            "name": "q1-invoices.csv",
            "mimeType": "text/csv",
            "buffer": b"invoice,amount\r\n1,1250\r\n",
        }
    )
    page.get_by_role("button", name="Make the claim").click()
    page.wait_for_load_state("networkidle")
    assert (
        "counts as realised once another administrator validates it"
        in page.get_by_role("status").inner_text()
    )
    year = page.get_by_test_id("years").locator('tr[data-year="2014-15"]').inner_text()
    assert "£1,250.00" in year
    assert page.get_by_test_id("claim-status").inner_text() == "Awaiting validation"
    _fits_and_is_accessible(page)
    page.goto(f"{live_server.url}/savings/")
    assert page.get_by_test_id("claimed-2014-15").inner_text() == "£1,250.00"
    assert page.get_by_test_id("claimed-gap-2014-15").inner_text() == "£4,750.00"
    assert page.get_by_test_id("still-to-realise-2014-15").inner_text() == "£6,000.00"

    page.context.clear_cookies()
    login(page, live_server, "alex")
    page.goto(f"{live_server.url}/savings/initiatives/APP-RAT/")
    page.get_by_role("link", name="Validate or reject claim").click()
    _fits_and_is_accessible(page)
    page.get_by_label("Decision").select_option("validated")
    page.get_by_role("button", name="Save the decision").focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("claim-status").inner_text().startswith("Validated by Alex")
    page.goto(f"{live_server.url}/savings/")
    assert page.get_by_test_id("realised-2014-15").inner_text() == "£5,250.00"
    assert page.get_by_test_id("still-to-realise-2014-15").inner_text() == "£4,750.00"
    assert page.get_by_test_id("claimed-2014-15").inner_text() == "£0.00"
    _fits_and_is_accessible(page)
    assert page_errors == []


def test_savings_pages_are_accessible_and_draw_the_chart(
    transactional_db, live_server, page, page_errors
):
    build_world()
    make_user("carol", COMMITTEE)
    login(page, live_server, "carol")
    page.goto(f"{live_server.url}/savings/")
    # The dashboard's two savings charts: every year against target, and 2014-15's pipeline.
    page.wait_for_function("document.querySelectorAll('[data-chart-drawn]').length === 2")
    assert serious_accessibility_violations(page) == []

    page.goto(f"{live_server.url}/savings/initiatives/CAP-RENEG/")
    assert "Amber" in page.get_by_test_id("confidence").inner_text()
    assert serious_accessibility_violations(page) == []
    assert page_errors == []


def test_record_form_with_errors_is_accessible(transactional_db, live_server, page, page_errors):
    build_world()
    make_user("fiona", FINANCE)
    login(page, live_server, "fiona")
    page.goto(f"{live_server.url}/savings/initiatives/CAP-RENEG/years/2014-15/")
    page.get_by_label("Forecast saving for the year (£)").fill("lots")
    page.get_by_role("button", name="Save savings").click()
    page.wait_for_load_state("networkidle")
    assert "There is a problem" in page.get_by_role("alert").inner_text()
    assert page.get_by_label("Forecast saving for the year (£)").input_value() == "lots"
    assert serious_accessibility_violations(page) == []
    assert page_errors == []


def test_admin_moves_confidence_with_a_reason_shown_in_history(
    transactional_db, live_server, page, page_errors
):
    build_world()
    make_user("adam", ADMIN, is_staff=True)
    login(page, live_server, "adam")
    page.goto(f"{live_server.url}/savings/initiatives/CAP-RENEG/")
    page.get_by_role("link", name="Edit initiative CAP-RENEG").click()
    page.get_by_label("Delivery confidence").select_option("red")
    page.get_by_role("button", name="Save initiative").click()
    page.wait_for_load_state("networkidle")
    assert "Give a one-line reason" in page.get_by_role("alert").inner_text()
    assert serious_accessibility_violations(page) == []

    page.get_by_label("Reason for this change").fill("Supplier rejected the revised rates")
    page.get_by_role("button", name="Save initiative").click()
    page.wait_for_load_state("networkidle")
    assert page.url == f"{live_server.url}/savings/initiatives/CAP-RENEG/"
    assert page.get_by_test_id("confidence").inner_text().endswith("Red")
    newest = page.get_by_test_id("confidence-history").locator("tbody tr").first.inner_text()
    assert "Supplier rejected the revised rates" in newest
    assert "Adam" in newest
    assert page_errors == []


def test_a_stale_save_shows_the_conflict_accessibly_on_a_phone(
    transactional_db, live_server, page, page_errors
):
    """Someone else saves while the form is open: the page says who, shows both values,
    keeps the typed ones, and saving again is a deliberate second click."""
    build_world()
    make_user("fiona", FINANCE)
    frank = make_user("frank", FINANCE)
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server, "fiona")
    page.goto(f"{live_server.url}/savings/initiatives/CAP-RENEG/years/2014-15/")
    row = InitiativeYear.objects.get(initiative__code="CAP-RENEG")
    record_savings(
        initiative_year=row,
        forecast=Decimal("5500.00"),
        note="Frank's figure",
        user=frank,
        expected_version=1,
    )
    page.get_by_label("Forecast saving for the year (£)").fill("4,200.00")
    page.get_by_role("button", name="Save savings").click()
    page.wait_for_load_state("networkidle")

    conflict = page.locator("section.conflict")
    assert "Frank saved it on" in conflict.inner_text()
    assert "£5,500.00" in conflict.inner_text()
    assert page.get_by_label("Forecast saving for the year (£)").input_value() == "4,200.00"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert serious_accessibility_violations(page) == []

    page.get_by_role("button", name="Save savings").click()
    page.wait_for_load_state("networkidle")
    assert page.url == f"{live_server.url}/savings/initiatives/CAP-RENEG/"
    # Her values as they stood in the form, the note she left empty included: she saw
    # Frank's note beside hers and chose to save.
    row.refresh_from_db()
    assert (row.forecast, row.note) == (Decimal("4200.00"), "")
    # Chromium logs the refused save's status (409) as a failed load; nothing else.
    assert [e for e in page_errors if "status of 409 (Conflict)" not in e] == []


def test_admin_changes_confidence_on_its_own_page_by_keyboard(
    transactional_db, live_server, page, page_errors
):
    build_world()
    make_user("adam", ADMIN, is_staff=True)
    login(page, live_server, "adam")
    page.goto(f"{live_server.url}/savings/initiatives/CAP-RENEG/")
    page.get_by_role("link", name="Change delivery confidence of CAP-RENEG").click()
    assert serious_accessibility_violations(page) == []
    page.get_by_label("Delivery confidence").select_option("amber_green")
    page.get_by_label("Reason for this change").fill("Terms agreed in principle")
    page.get_by_label("Reason for this change").press("Enter")
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("confidence").inner_text().endswith("Amber/Green")
    newest = page.get_by_test_id("confidence-history").locator("tbody tr").first.inner_text()
    assert "Terms agreed in principle" in newest
    assert page_errors == []
