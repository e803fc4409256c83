import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.db.utils import OperationalError
from django.test import Client

from common.roles import ROLE_PERMISSIONS
from tests.conftest import PASSWORD, client_for

ROOT = Path(__file__).resolve().parents[2]


def test_healthz_says_ok_when_the_database_answers(db):
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_healthz_is_503_when_the_database_does_not_answer(db):
    with mock.patch("common.views.connection.cursor", side_effect=OperationalError("down")):
        response = Client().get("/healthz")
    assert response.status_code == 503


def _run_settings(env: dict) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "metbudget.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_debug_off_without_secret_key_fails_with_a_clear_message():
    result = _run_settings({})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_bad_boolean_setting_names_the_variable():
    result = _run_settings({"SECRET_KEY": "x" * 50, "DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_debug_on_runs_without_secret_key():
    assert _run_settings({"DEBUG": "true"}).returncode == 0


def test_roles_exist_with_exactly_their_permissions(db):
    for role, perms in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role)
        have = set(group.permissions.values_list("content_type__app_label", "codename"))
        assert have == set(perms)
    committee = set(
        Group.objects.get(name="Committee").permissions.values_list("codename", flat=True)
    )
    assert all(code.startswith("view_") for code in committee)


def test_security_headers_on_every_response(db):
    response = Client().get("/accounts/login/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "object-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_login_page_renders_and_real_login_shows_name_and_role(finance_user):
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": "fiona", "password": PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/"
    assert 'data-testid="who"' in response.text
    assert "Fiona" in response.text and "Finance" in response.text


def test_repeated_failed_logins_lock_the_username_with_a_clear_message(finance_user, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post("/accounts/login/", {"username": "fiona", "password": "wrong"})
        assert response.status_code == 200  # the form again, with its error
        assert "Please enter a correct username and password" in response.text
    client.post("/accounts/login/", {"username": "fiona", "password": "wrong"})
    locked = client.post("/accounts/login/", {"username": "fiona", "password": PASSWORD})
    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.text
    # Who else is and is not locked out: tests/common/test_lockout.py.


def test_logout_is_a_post_and_ends_the_session(finance_user):
    client = client_for(finance_user)
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302


@pytest.mark.parametrize(
    "path", ["/static/css/metbudget.css", "/static/vendor/plotly-finance.min.js"]
)
def test_static_files_are_found(path):
    from django.contrib.staticfiles import finders

    assert finders.find(path.removeprefix("/static/"))


def test_demo_banner_shows_on_app_and_admin_pages_only_when_demo_data_is_loaded(admin_user):
    from common.models import DemoDataset

    client = client_for(admin_user)
    assert "Demo data:" not in client.get("/").text
    DemoDataset.objects.create()
    assert "Demo data: targets and contracts from public reports" in client.get("/").text
    assert "Demo data: targets and contracts from public reports" in client.get("/admin/").text


def test_times_show_on_the_24_hour_clock_and_dates_as_30_sep_2015(db):
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    from django.template import Context, Template

    rendered = Template('{{ d|date }} / {{ t|date:"DATETIME_FORMAT" }}').render(
        Context({"d": date(2015, 9, 30), "t": datetime(2015, 9, 30, 14, 5, tzinfo=ZoneInfo("UTC"))})
    )
    assert rendered == "30 Sep 2015 / 30 Sep 2015, 15:05"
