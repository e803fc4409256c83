"""The benchmark's load part against a live server: clients sign in through the login form
(CSRF and all) and every answer is counted. Timings are never asserted."""

import pytest

from common.roles import FINANCE
from demo.bench.load import LoadOptions, measure_load, sign_in
from tests.conftest import PASSWORD, make_user

PATHS = {"dashboard": "/", "budgets_index": "/budgets/"}


@pytest.fixture
def signed_up(transactional_db, world):
    return make_user("lena", FINANCE)


def test_brief_load_is_all_answered_and_counted(signed_up, live_server):
    result = measure_load(
        live_server.url, "lena", PASSWORD, PATHS, LoadOptions(clients=2, seconds=1)
    )

    assert result["clients"] == 2
    assert result["requests"] > 0
    assert result["throughput_rps"] > 0
    assert result["statuses"] == {"200": result["requests"]}
    assert result["all_ok"] is True
    assert set(result["pages"]) == set(PATHS)
    assert sum(page["requests"] for page in result["pages"].values()) == result["requests"]
    assert all(page["requests"] > 0 for page in result["pages"].values())
    assert 0 < result["median_ms"] <= result["p95_ms"]


def test_a_client_with_a_wrong_password_is_refused_before_any_load(signed_up, live_server):
    with pytest.raises(ValueError, match="without a session"):
        sign_in(live_server.url, "lena", "not-the-password")
