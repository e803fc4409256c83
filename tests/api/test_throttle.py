"""Each token has its own allowance of requests (API_THROTTLE_RATES); a second token of the
same person is counted apart, and so is the browser session."""

from django.test import override_settings

from tests.api.conftest import token_client
from tests.conftest import client_for

RATES = {"api_token": "3/minute", "api_session": "2/minute"}


@override_settings(API_THROTTLE_RATES=RATES)
def test_a_token_is_limited_and_another_token_is_counted_apart(world, finance_user):
    first, second = token_client(finance_user, "one"), token_client(finance_user, "two")
    assert [first.get("/api/v1/years/").status_code for _ in range(3)] == [200] * 3
    limited = first.get("/api/v1/years/")
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) > 0
    assert second.get("/api/v1/years/").status_code == 200


@override_settings(API_THROTTLE_RATES=RATES)
def test_the_session_has_its_own_rate(world, finance_user):
    client = client_for(finance_user)
    assert [client.get("/api/v1/years/").status_code for _ in range(3)] == [200, 200, 429]


def test_the_rates_are_settings_checked_at_startup(monkeypatch):
    import importlib

    import pytest
    from django.core.exceptions import ImproperlyConfigured

    from metbudget import settings

    monkeypatch.setenv("API_TOKEN_RATE", "lots")
    with pytest.raises(ImproperlyConfigured, match="API_TOKEN_RATE must look like 600/minute"):
        importlib.reload(settings)
    monkeypatch.delenv("API_TOKEN_RATE")
    importlib.reload(settings)
