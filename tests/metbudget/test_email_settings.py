"""Email settings come from the environment; a bad value stops startup and names itself."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHOW = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.EMAIL_BACKEND, s.EMAIL_PORT, s.EMAIL_USE_TLS, s.DEFAULT_FROM_EMAIL, s.SITE_URL, "
    "sep='|')"
)


def _run_settings(env: dict, code: str = "import django; django.setup()"):
    # The settings under test come only from `env`, never from the shell running the tests.
    ours = ("EMAIL_", "DEBUG", "SECRET_KEY", "SITE_URL", "DEFAULT_FROM_EMAIL")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    return subprocess.run(  # noqa: S603 - this interpreter, fixed code
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "metbudget.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("EMAIL_PORT", "smtp", "EMAIL_PORT must be a whole number"),
        ("EMAIL_PORT", "0", "EMAIL_PORT must be a port number from 1 to 65535"),
        ("EMAIL_USE_TLS", "maybe", "EMAIL_USE_TLS must be true or false"),
        ("DEFAULT_FROM_EMAIL", "finance team", "DEFAULT_FROM_EMAIL must be an email address"),
        ("SITE_URL", "metbudget.example.org", "SITE_URL must look like https://host"),
    ],
)
def test_a_bad_email_setting_names_the_variable(variable, value, message):
    result = _run_settings({"DEBUG": "true", variable: value})
    assert result.returncode != 0
    assert message in result.stderr


def test_an_smtp_user_without_a_password_is_refused():
    result = _run_settings({"DEBUG": "true", "EMAIL_HOST_USER": "metbudget"})
    assert result.returncode != 0
    assert "Set both EMAIL_HOST_USER and EMAIL_HOST_PASSWORD" in result.stderr


def test_production_sends_by_smtp_as_the_environment_says():
    result = _run_settings(
        {
            "SECRET_KEY": "x" * 50,
            "EMAIL_PORT": "587",
            "EMAIL_USE_TLS": "true",
            "DEFAULT_FROM_EMAIL": "Finance <finance@example.org>",
            "SITE_URL": "https://metbudget.example.org/",
        },
        code=SHOW,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().split("|") == [
        "django.core.mail.backends.smtp.EmailBackend",
        "587",
        "True",
        "Finance <finance@example.org>",
        "https://metbudget.example.org",
    ]


def test_development_prints_emails_to_the_console():
    result = _run_settings({"DEBUG": "true"}, code=SHOW)
    assert result.stdout.startswith("django.core.mail.backends.console.EmailBackend|25|False|")
