"""The profile page in the browser: reached from the person's name, worked by keyboard alone,
axe clean, no sideways scroll at 390 px, and a save from another tab caught."""

import pytest

from common.models import NotificationPreference
from common.roles import COMMITTEE, FINANCE
from tests.browser.conftest import login, serious_accessibility_violations
from tests.conftest import make_user


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("width", [1280, 390])
def test_the_profile_is_reached_from_the_name_and_saved_by_keyboard(
    transactional_db, live_server, page, page_errors, width
):
    user = make_user("fiona", FINANCE, email="fiona.longsurname@finance.example.org")
    page.set_viewport_size({"width": width, "height": 900})
    login(page, live_server, "fiona")

    with page.expect_navigation():
        page.get_by_role("link", name="your profile and notifications").click()
    assert page.url == f"{live_server.url}/accounts/profile/"
    facts = page.get_by_test_id("profile-facts").inner_text()
    assert "Finance" in facts and "fiona.longsurname@finance.example.org" in facts
    assert serious_accessibility_violations(page) == []
    assert _no_sideways_scroll(page), f"the profile scrolls sideways at {width}px"

    # By keyboard only: tick two boxes, widen the window, save with Enter.
    page.get_by_label("Contract decisions come due").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # RAG ratings change
    page.keyboard.press("Tab")
    page.keyboard.press("Control+A")
    page.keyboard.type("12")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # the focused Save preferences button

    assert "Saved your notification preferences." in page.get_by_role("status").inner_text()
    stored = NotificationPreference.objects.get(user=user)
    assert (stored.decisions_due, stored.rag_changes, stored.decision_window_months) == (
        True,
        True,
        12,
    )
    assert stored.report_published is True
    assert page.get_by_label("Decision window (months)").input_value() == "12"
    assert page_errors == []


def test_a_window_out_of_range_is_explained_accessibly(
    transactional_db, live_server, page, page_errors
):
    make_user("carol", COMMITTEE)
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server, "carol")
    page.goto(f"{live_server.url}/accounts/profile/")
    assert page.get_by_test_id("no-email").is_visible()
    assert page.get_by_label("A period is ready to close").count() == 0  # Finance and Admin

    page.get_by_label("Decision window (months)").fill("30")
    page.get_by_role("button", name="Save preferences").click()
    page.wait_for_load_state("networkidle")

    assert "There is a problem" in page.get_by_role("alert").inner_text()
    assert serious_accessibility_violations(page) == []
    assert _no_sideways_scroll(page)
    assert not NotificationPreference.objects.exists()
    assert page_errors == []


def test_a_save_from_another_tab_is_caught_and_the_typed_values_kept(
    transactional_db, live_server, page, page_errors, context
):
    user = make_user("fiona", FINANCE)
    login(page, live_server, "fiona")
    page.goto(f"{live_server.url}/accounts/profile/")
    other = context.new_page()  # the same person, another tab
    other.goto(f"{live_server.url}/accounts/profile/")
    other.get_by_label("Decision window (months)").fill("3")
    other.get_by_role("button", name="Save preferences").click()
    other.wait_for_load_state("networkidle")

    page.get_by_label("Decision window (months)").fill("18")
    page.get_by_role("button", name="Save preferences").click()
    page.wait_for_load_state("networkidle")

    conflict = page.get_by_role("alert").filter(has_text="Someone else saved this record")
    assert "Fiona saved it" in conflict.inner_text()
    assert page.get_by_label("Decision window (months)").input_value() == "18"
    assert NotificationPreference.objects.get(user=user).decision_window_months == 3
    assert serious_accessibility_violations(page) == []

    page.get_by_role("button", name="Save preferences").click()  # a deliberate second save
    page.wait_for_load_state("networkidle")
    assert NotificationPreference.objects.get(user=user).decision_window_months == 18
    # The browser reports the 409 itself; nothing else went wrong.
    assert [e for e in page_errors if "409 (Conflict)" not in e] == []
