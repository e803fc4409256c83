"""Every page, found by walking the URL resolver, against the role rules in DESIGN.md."""

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import path

from tests.conftest import client_for
from tests.metbudget.permission_matrix import (
    anonymous_violations,
    api_violations,
    committee_post_violations,
    is_api,
    pages,
)


def sample_values(world) -> dict[str, str]:
    """A real object for every URL parameter; a new parameter name fails the walk."""
    return {
        "code": world["lines"]["out"].code,
        "line_code": world["lines"]["out"].code,
        "initiative_code": world["initiatives"]["reneg"].code,
        "reference": world["contracts"]["cap"].reference,
        "year": world["year"].label,
        "n": 4,
        "period": 4,
        "pk": world["suppliers"]["capgemini"].pk,
        "supplier_id": world["suppliers"]["capgemini"].pk,
        "batch_id": 1,
        "initiative_id": world["initiatives"]["reneg"].pk,
        "chart": "pipeline",
        "project_code": "CC",
        "measure_code": "DEVICES",
        "month": "2015-06",
        "section": "summary",
        "scenario_id": 1,
        "adjustment_id": 1,
        "label": world["year"].label,
        "token_id": 1,
        "claim_id": 1,
        "change_id": 1,
    }


def test_every_non_public_page_redirects_anonymous_to_login(world):
    assert anonymous_violations(pages(samples=sample_values(world))) == []


def test_every_api_endpoint_and_method_for_each_role_and_token(
    world, committee_user, finance_user, admin_user
):
    from rest_framework.test import APIClient

    from tests.api.conftest import token_client

    clients = {"anonymous": (None, APIClient())}
    for user in (committee_user, finance_user, admin_user):
        session = APIClient()
        session.force_login(user)
        clients[f"{user.username} (session)"] = (user, session)
        clients[f"{user.username} (token)"] = (user, token_client(user))
    all_pages = pages(samples=sample_values(world))
    assert sum(is_api(name) for name, _ in all_pages) >= 30  # the walk found the API
    assert api_violations(clients, all_pages) == []


def test_committee_post_to_every_page_is_refused_and_changes_nothing(world, committee_user):
    client = client_for(committee_user)
    assert committee_post_violations(client, pages(samples=sample_values(world))) == []


def test_post_without_csrf_token_is_refused_everywhere(world, finance_user):
    client = client_for(finance_user, enforce_csrf_checks=True)
    for name, url in pages(samples=sample_values(world)):
        response = client.post(url, {})
        assert response.status_code == 403, f"{name} {url} accepted a POST without a CSRF token"


# A test-only URLconf with a write view that forgot its permission check: the matrix must
# report it, or the matrix proves nothing.
def unprotected_write(request):
    return HttpResponse("saved")


urlpatterns = [path("oops/", unprotected_write, name="oops")]


@pytest.mark.urls(__name__)
def test_matrix_catches_a_write_view_without_a_permission_check(committee_user):
    found = committee_post_violations(client_for(committee_user), pages(urlconf=__name__))
    assert found == ["Committee POST /oops/ (oops) gave 200"]


@pytest.mark.parametrize("role_fixture", ["committee_user", "finance_user"])
def test_only_admins_reach_django_admin(request, role_fixture, admin_user):
    user = request.getfixturevalue(role_fixture)
    user.is_staff = True  # even a staff flag set by mistake does not open the admin
    user.save()
    assert client_for(user).get("/admin/").status_code == 302
    assert client_for(admin_user).get("/admin/").status_code == 200


def test_anonymous_client_reaches_only_public_pages(db):
    client = Client()
    assert client.get("/healthz").status_code == 200
    assert client.get("/accounts/login/").status_code == 200
