"""Signed-in responses are never stored by a cache; static files and anonymous pages keep
their own caching."""

import pytest
from django.test import Client

from tests.conftest import PASSWORD, client_for

NEVER_CACHE = "max-age=0, no-cache, no-store, must-revalidate, private"


def directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


@pytest.mark.parametrize("url", ["/", "/budgets/", "/budgets/?_export=csv", "/contracts/"])
def test_signed_in_pages_and_exports_are_no_store_and_private(finance_client, url):
    response = finance_client.get(url)
    assert response.status_code == 200
    assert {"no-store", "private"} <= directives(response)


def test_the_django_admin_is_no_store_too(admin_client_):
    response = admin_client_.get("/admin/")
    assert response.status_code == 200
    assert {"no-store", "private"} <= directives(response)


def test_the_redirect_after_signing_in_is_no_store(finance_user):
    response = Client().post("/accounts/login/", {"username": "fiona", "password": PASSWORD})
    assert response.status_code == 302
    assert "no-store" in directives(response)


def test_healthz_keeps_its_own_never_cache_header(db):
    assert Client().get("/healthz")["Cache-Control"] == NEVER_CACHE


def test_anonymous_redirect_to_sign_in_is_left_alone(db):
    response = Client().get("/budgets/")
    assert response.status_code == 302
    assert "no-store" not in directives(response)


def test_static_files_keep_their_long_public_caching_for_signed_in_people(finance_user):
    response = client_for(finance_user).get("/static/css/metbudget.css")
    assert response.status_code == 200
    assert "public" in directives(response)
    assert "no-store" not in directives(response)
