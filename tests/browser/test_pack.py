"""The committee pack in Chromium under the strict CSP: charts drawn from the stored
figures, the Print button, the PDF download, the page at 390 px and on A4, and Finance
writing commentary through the form; no console or CSP errors, no serious axe finding."""

import io

import pytest
from pypdf import PdfReader

from common.roles import COMMITTEE, FINANCE
from tests.browser.conftest import login, serious_accessibility_violations
from tests.conftest import make_user
from tests.reports.published import publish

DRAWN = 2  # the stored figures of the monthly and pipeline charts


def wait_for_charts(page, count: int) -> None:
    page.wait_for_function(
        "n => document.querySelectorAll('[data-chart-drawn]').length === n", arg=count
    )


@pytest.fixture
def report(transactional_db):
    finance = make_user("fiona", FINANCE)
    make_user("carol", COMMITTEE)
    return publish(finance)


@pytest.fixture
def committee_pack(report, live_server, page, page_errors):
    login(page, live_server, "carol")
    page.goto(f"{live_server.url}/reports/{report.pk}/pack/")
    wait_for_charts(page, DRAWN)
    return page


def test_the_pack_draws_its_stored_charts_without_errors(committee_pack, page_errors):
    page = committee_pack
    assert page.get_by_role("heading", level=1).inner_text() == "Technology budget and savings"
    assert page.get_by_test_id("period").inner_text() == "2015-16 P6 (30 Sep 2015)"
    for chart in page.locator("[data-chart]").all():
        assert chart.locator(".main-svg").count() >= 1
    assert page.locator("[data-kpi=outturn] .kpi-note").inner_text() == "£331,050,000.05"
    assert page.locator(".modebar").count() == 0
    assert page_errors == []
    assert serious_accessibility_violations(page) == []


def test_contents_links_move_to_their_section(committee_pack, page_errors):
    page = committee_pack
    page.locator(".pack-contents").get_by_role("link", name="Lines needing explanation").click()
    page.wait_for_url("**#variance-notes")
    assert page.locator("#variance-notes").is_visible()
    assert page_errors == []


def test_the_print_button_prints_by_keyboard(committee_pack, page_errors):
    page = committee_pack
    page.evaluate(
        "() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }"
    )
    button = page.get_by_role("button", name="Print")
    assert button.is_visible()
    button.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("window.__printed") == 1
    assert page_errors == []


def test_the_pdf_downloads_with_the_cover_and_headline(committee_pack, report):
    page = committee_pack
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    assert download.value.suggested_filename == "committee-pack-2015-16-P6-v1.pdf"
    with open(download.value.path(), "rb") as pdf:
        reader = PdfReader(io.BytesIO(pdf.read()))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "2015-16 P6 (30 Sep 2015)" in text and "£331,050,000.05" in text


def test_the_pack_fits_a_phone(committee_pack, page_errors):
    page = committee_pack
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(300)  # plotly's resize
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= 390
    assert page.get_by_role("button", name="Print").is_visible()
    assert serious_accessibility_violations(page) == []
    assert page_errors == []


def test_printed_on_a4_without_controls_and_with_every_table(committee_pack, page_errors):
    page = committee_pack
    page.emulate_media(media="print")
    assert not page.get_by_role("button", name="Print").is_visible()
    assert not page.get_by_role("link", name="Download PDF").is_visible()
    assert not page.locator(".site-nav").is_visible()
    assert page.locator("table").count() == page.locator("table:visible").count()
    pdf = page.pdf(prefer_css_page_size=True)
    reader = PdfReader(io.BytesIO(pdf))
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points
    assert len(reader.pages) >= 6  # the cover, then each section on a new page
    assert page_errors == []


def test_finance_writes_commentary_from_the_pack(report, live_server, page, page_errors):
    login(page, live_server, "fiona")
    page.goto(f"{live_server.url}/reports/{report.pk}/pack/")
    page.get_by_role("link", name="Write the commentary on Savings").click()
    assert serious_accessibility_violations(page) == []
    page.get_by_label("Commentary").fill("Savings are behind.\n\nThe mobile plan is late.")
    page.get_by_role("button", name="Save commentary").click()
    page.wait_for_url(f"**/reports/{report.pk}/pack/#commentary-savings")
    commentary = page.get_by_test_id("commentary-savings")
    assert commentary.locator("p").nth(0).inner_text() == "Savings are behind."
    assert commentary.locator("p").nth(1).inner_text() == "The mobile plan is late."
    assert page.get_by_role("link", name="Edit the commentary on Savings").is_visible()
    assert page_errors == []
