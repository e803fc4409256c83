import pytest

from common.roles import ADMIN, COMMITTEE, FINANCE
from tests.browser.conftest import login, serious_accessibility_violations
from tests.conftest import make_user


@pytest.mark.parametrize(
    ("username", "role"), [("carol", COMMITTEE), ("fiona", FINANCE), ("adam", ADMIN)]
)
def test_each_role_signs_in_and_sees_name_and_role(
    transactional_db, live_server, page, page_errors, username, role
):
    make_user(username, role, is_staff=role == ADMIN)
    page.goto(f"{live_server.url}/accounts/login/")
    assert serious_accessibility_violations(page) == []
    login(page, live_server, username)
    who = page.get_by_test_id("who")
    assert username.title() in who.inner_text()
    assert role in who.inner_text()
    assert (page.get_by_role("link", name="Admin").count() == 1) == (role == ADMIN)
    assert serious_accessibility_violations(page) == []
    assert page_errors == []
