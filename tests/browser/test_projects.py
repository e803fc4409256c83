"""Projects and benefits in Chromium: every page and its Django admin, as each role that
may open them, at 1366 and 390 px: charts drawn under the strict CSP, no serious or
critical axe findings, no sideways scroll; and the forms worked by keyboard."""

import pytest
from django.urls import reverse

from common.roles import ADMIN, COMMITTEE, FINANCE
from projects.models import (
    BenefitMeasure,
    BenefitValue,
    OfficerCount,
    Project,
    ProjectForecast,
    Rebaseline,
)
from reports.models import PublishedReport
from reports.publishing import publish_report
from tests.browser.conftest import login, serious_accessibility_violations
from tests.conftest import make_user
from tests.projects.world import build_projects
from tests.world import build_world

# Every projects and benefits page, with the charts each draws, and who may open it.
READ_PAGES = (
    ("/projects/", 1),
    ("/projects/?as_at=2015-06-30", 1),
    ("/projects/CC/", 2),
    ("/projects/MOB/?as_at=2015-06-30", 2),
    ("/projects/BC/", 0),
    ("/benefits/", 3),
    ("/benefits/DEVICES/", 1),
    ("/benefits/HOURS/", 1),
)
FINANCE_PAGES = ("/projects/CC/forecast/", "/benefits/DEVICES/2015-06/")
ADMIN_PAGES = (
    "/projects/new/",
    "/projects/CC/edit/",
    "/projects/CC/rebaseline/",
    "/benefits/DEVICES/2015-06/plan/",
    "/benefits/officers/2014-15/",
)
ADMIN_MODELS = (Project, ProjectForecast, Rebaseline, BenefitMeasure, BenefitValue, OfficerCount)
USERS = {COMMITTEE: ("carol", {}), FINANCE: ("fiona", {}), ADMIN: ("adam", {"is_staff": True})}


@pytest.fixture
def projects_world(transactional_db) -> dict:
    world = build_projects(build_world())
    publish_report(year=world["year"], period=9, user=world["admin"])
    return world


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def admin_pages() -> list[str]:
    """The projects app's Django admin: its index, and each model's changelist, the change
    page of its first row and, where rows may be added there, its add page."""
    pages = ["/admin/projects/"]
    for model in ADMIN_MODELS:
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        pages += [
            reverse(f"{name}_changelist"),
            reverse(f"{name}_change", args=[model.objects.first().pk]),
        ]
        if model not in (ProjectForecast, Rebaseline):  # appended through the services only
            pages.append(reverse(f"{name}_add"))
    return pages


def pages_for(role: str) -> list[tuple[str, int | None]]:
    """(path, charts drawn, None where not counted) of every page `role` may open."""
    report = PublishedReport.objects.get()
    pages = list(READ_PAGES)
    # The committee summary of the projects: on the dashboard, the report and its pack.
    pages += [("/?year=2014-15&as_at=9", None), (report.get_absolute_url(), None)]
    pages.append((f"/reports/{report.pk}/pack/", None))
    if role in (FINANCE, ADMIN):
        pages += [(path, None) for path in FINANCE_PAGES]
    if role == ADMIN:
        pages += [(path, None) for path in (*ADMIN_PAGES, *admin_pages())]
    return pages


# At 390 px every page of every role is crawled by test_every_page.py; here, at the
# desktop width, with the charts each page must draw.
@pytest.mark.parametrize("width", [1366])
@pytest.mark.parametrize("role", [COMMITTEE, FINANCE, ADMIN])
def test_every_page_a_role_may_open_draws_and_passes_axe_without_sideways_scroll(
    projects_world, live_server, page, page_errors, role, width
):
    username, extra = USERS[role]
    make_user(username, role, **extra)
    page.set_viewport_size({"width": width, "height": 900})
    login(page, live_server, username)
    problems = []
    for path, charts in pages_for(role):
        seen = len(page_errors)
        response = page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        if response.status != 200:
            problems.append(f"{path}: {response.status}")
            continue
        if charts:
            page.wait_for_selector("[data-chart-drawn]")
        if charts is not None and page.locator("[data-chart-drawn]").count() != charts:
            problems.append(f"{path}: {page.locator('[data-chart-drawn]').count()} charts")
        # The page's own errors, before axe injects its script and styles.
        problems += [f"{path}: {error}" for error in page_errors[seen:]]
        problems += [f"{path}: {v}" for v in serious_accessibility_violations(page)]
        if not _no_sideways_scroll(page):
            problems.append(f"{path} scrolls sideways at {width}px")
    assert problems == [], "\n".join(problems)


def test_register_shows_the_red_project_in_words(projects_world, live_server, page, page_errors):
    make_user("carol", COMMITTEE)
    login(page, live_server, "carol")
    page.goto(f"{live_server.url}/projects/?as_at=2015-06-30")
    row = page.get_by_test_id("projects").locator("tr", has_text="Command and control")
    assert row.locator(".rag-red").count() == 2
    assert "15.0%" in row.inner_text()
    assert page.get_by_test_id("kpi-red-cost").locator(".kpi-value").inner_text() == "1"
    page.get_by_role("link", name="CC", exact=True).click()
    assert page.get_by_test_id("kpi-slip").locator(".kpi-value").inner_text() == "8 months"
    assert page_errors == [], "\n".join(page_errors)


def test_finance_updates_a_forecast_by_keyboard(projects_world, live_server, page, page_errors):
    make_user("fiona", FINANCE)
    login(page, live_server, "fiona")
    page.goto(f"{live_server.url}/projects/CC/")
    link = page.get_by_role("link", name="Update forecast for CC")
    link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.get_by_label("Forecast whole-life cost (£)").fill("12,650.00")
    page.get_by_label("Forecast go-live").fill("2016-12-31")
    page.get_by_label("Forecast made on").fill("2015-07-01")
    page.get_by_label("Reason for the change").fill("Integration testing failed again")
    page.get_by_label("Reason for the change").press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # the focused Save forecast button
    assert page.url == f"{live_server.url}/projects/CC/"
    assert "Saved the forecast for CC." in page.get_by_role("status").inner_text()
    newest = page.get_by_test_id("forecasts").locator("tbody tr").first.inner_text()
    assert "£12,650.00" in newest and "Integration testing failed again" in newest
    assert "£2,650.00" in page.get_by_test_id("kpi-cost").inner_text()
    assert page_errors == [], "\n".join(page_errors)


def test_stale_forecast_shows_both_values_accessibly(
    projects_world, live_server, page, page_errors, browser
):
    make_user("fiona", FINANCE)
    make_user("adam", ADMIN, is_staff=True)
    login(page, live_server, "fiona")
    page.goto(f"{live_server.url}/projects/CC/forecast/")

    other = browser.new_page()
    login(other, live_server, "adam")
    other.goto(f"{live_server.url}/projects/CC/forecast/")
    other.get_by_label("Forecast whole-life cost (£)").fill("13,000.00")
    other.get_by_label("Forecast made on").fill("2015-07-01")
    other.get_by_label("Reason for the change").fill("Admin's update")
    other.get_by_role("button", name="Save forecast").click()
    other.wait_for_load_state("networkidle")
    other.close()

    page.get_by_label("Forecast whole-life cost (£)").fill("12,000.00")
    page.get_by_label("Forecast made on").fill("2015-07-01")
    page.get_by_label("Reason for the change").fill("Finance's update")
    page.get_by_role("button", name="Save forecast").click()
    page.wait_for_load_state("networkidle")
    conflict = page.locator(".conflict")
    assert "Someone else saved this record" in conflict.inner_text()
    assert "£13,000.00" in conflict.inner_text() and "12,000.00" in conflict.inner_text()
    assert page.get_by_label("Forecast whole-life cost (£)").input_value() == "12,000.00"
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Save forecast").click()
    page.wait_for_load_state("networkidle")
    assert page.url == f"{live_server.url}/projects/CC/"
    # The browser reports the 409 itself; nothing else went wrong.
    assert [e for e in page_errors if "409 (Conflict)" not in e] == []


def test_admin_forms_with_errors_are_accessible(projects_world, live_server, page, page_errors):
    make_user("adam", ADMIN, is_staff=True)
    login(page, live_server, "adam")
    page.goto(f"{live_server.url}/projects/CC/edit/")
    page.get_by_label("Delivery confidence").select_option("red")
    page.get_by_role("button", name="Save project").click()
    page.wait_for_load_state("networkidle")
    assert "Give a one-line reason" in page.locator(".error-summary").inner_text()
    assert serious_accessibility_violations(page) == []

    page.goto(f"{live_server.url}/projects/CC/rebaseline/")
    page.get_by_role("button", name="Save baseline").click()
    page.wait_for_load_state("networkidle")
    assert "There is a problem" in page.locator(".error-summary").inner_text()
    assert serious_accessibility_violations(page) == []

    page.goto(f"{live_server.url}/benefits/officers/2014-15/")
    assert serious_accessibility_violations(page) == []
    page.goto(f"{live_server.url}/benefits/DEVICES/2015-06/plan/")
    assert serious_accessibility_violations(page) == []
    assert page_errors == [], "\n".join(page_errors)


def test_finance_records_devices_deployed(projects_world, live_server, page, page_errors):
    make_user("fiona", FINANCE)
    login(page, live_server, "fiona")
    page.goto(f"{live_server.url}/benefits/DEVICES/")
    page.get_by_role("link", name="Record actual for Jun 2015").click()
    page.get_by_label("Actual").fill("260")
    page.get_by_label("Note (optional)").fill("Two more boroughs")
    page.get_by_role("button", name="Save actual").click()
    page.wait_for_load_state("networkidle")
    row = page.get_by_test_id("months").locator('tr[data-month="2015-06"]').inner_text()
    assert "260" in row and "\N{MINUS SIGN}40" in row
    page.goto(f"{live_server.url}/benefits/")
    assert (
        "Devices deployed 260 of 300 planned by Jun 2015"
        in page.get_by_test_id("kpi-devices").inner_text()
    )
    assert page_errors == [], "\n".join(page_errors)
