"""Sign-in lockout: per username at an address, plus a much higher per-address limit, with
the client's address taken from X-Forwarded-For behind a proxy."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, RequestFactory

from common.lockout import client_address
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
LOCKED = "Too many failed sign-in attempts"


def sign_in(client: Client, username: str, password: str):
    return client.post("/accounts/login/", {"username": username, "password": password})


def fail(client: Client, username: str, times: int = 1) -> None:
    for _ in range(times):
        response = sign_in(client, username, "wrong-password")
        assert response.status_code in (200, 429)


def test_invented_usernames_from_one_address_do_not_lock_out_a_real_user_there(
    finance_user, settings
):
    office = Client(REMOTE_ADDR="10.1.1.1")
    for n in range(settings.AXES_FAILURE_LIMIT * 2):
        fail(office, f"guess{n}")

    response = sign_in(office, "fiona", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_failures_lock_one_username_at_one_address_only(finance_user, settings):
    desk, elsewhere = Client(REMOTE_ADDR="10.1.1.1"), Client(REMOTE_ADDR="10.9.9.9")
    fail(desk, "fiona", settings.AXES_FAILURE_LIMIT)

    locked = sign_in(desk, "fiona", PASSWORD)
    assert locked.status_code == 429
    assert LOCKED in locked.text
    # Someone guessing fiona's password elsewhere cannot lock her out of her own desk.
    assert sign_in(elsewhere, "fiona", PASSWORD).status_code == 302


def test_many_failures_from_one_address_lock_that_address_for_everyone(finance_user, settings):
    settings.AXES_IP_FAILURE_LIMIT = 8
    attacker, elsewhere = Client(REMOTE_ADDR="10.6.6.6"), Client(REMOTE_ADDR="10.9.9.9")
    for n in range(7):
        fail(attacker, f"guess{n}")
    # Below the address's limit the real user still signs in there.
    assert sign_in(Client(REMOTE_ADDR="10.6.6.6"), "fiona", PASSWORD).status_code == 302
    fail(attacker, "guess-last")

    assert sign_in(Client(REMOTE_ADDR="10.6.6.6"), "fiona", PASSWORD).status_code == 429
    assert sign_in(elsewhere, "fiona", PASSWORD).status_code == 302


def proxy_settings(**env: str) -> dict:
    """The settings the project computes from the environment, read in a fresh process."""
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps({'PROXY_COUNT': settings.PROXY_COUNT, "
        "'SECURE_PROXY_SSL_HEADER': getattr(settings, 'SECURE_PROXY_SSL_HEADER', None)}))"
    )
    result = subprocess.run(  # noqa: S603 - our own settings with fixed arguments
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "metbudget.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


def test_behind_a_proxy_clients_with_one_proxy_address_are_counted_apart(finance_user, settings):
    behind = proxy_settings(BEHIND_PROXY="true")
    settings.PROXY_COUNT = behind["PROXY_COUNT"]
    proxy = "10.0.0.1"
    first = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.5")
    second = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.7")
    # The client writes what it likes at the left; the proxy appends the real address.
    spoofing = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.5")
    fail(first, "fiona", settings.AXES_FAILURE_LIMIT)

    assert sign_in(first, "fiona", PASSWORD).status_code == 429
    assert sign_in(spoofing, "fiona", PASSWORD).status_code == 429
    assert sign_in(second, "fiona", PASSWORD).status_code == 302


def test_behind_a_proxy_the_settings_trust_its_headers_and_count_one_proxy_by_default():
    assert proxy_settings(BEHIND_PROXY="true") == {
        "PROXY_COUNT": 1,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
    }
    assert proxy_settings(BEHIND_PROXY="true", PROXY_COUNT="2")["PROXY_COUNT"] == 2
    assert proxy_settings(BEHIND_PROXY="false", PROXY_COUNT="2") == {
        "PROXY_COUNT": 0,
        "SECURE_PROXY_SSL_HEADER": None,
    }


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "address"),
    [
        (0, "203.0.113.5", "10.0.0.1"),  # not behind a proxy: the header is the client's own
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "198.51.100.7, 203.0.113.5", "203.0.113.5"),
        (2, "198.51.100.7, 203.0.113.5, 10.0.0.2", "203.0.113.5"),
        (2, "203.0.113.5", "10.0.0.1"),  # too few hops: it did not come through the proxies
        (1, "", "10.0.0.1"),
        (1, "not-an-address", "10.0.0.1"),
    ],
)
def test_client_address_is_the_one_the_outermost_trusted_proxy_saw(
    settings, proxies, forwarded_for, address
):
    settings.PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded_for)
    assert client_address(request) == address
