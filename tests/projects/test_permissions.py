"""Every role against every projects and benefits URL, found by walking the URLconf: who
may read, who may write, and that a refused POST changes no row."""

import pytest
from django.urls import get_resolver

from tests.conftest import client_for
from tests.metbudget.permission_matrix import concrete_url, database_fingerprint, walk

pytestmark = pytest.mark.django_db

ROLES = ("committee", "finance", "admin")
# URL name -> the roles that may open and submit its form; every other page is read-only.
WRITERS = {
    "projects:new": {"admin"},
    "projects:edit": {"admin"},
    "projects:forecast": {"finance", "admin"},
    "projects:rebaseline": {"admin"},
    "benefits:record": {"finance", "admin"},
    "benefits:plan": {"admin"},
    "benefits:officers": {"admin"},
}
SAMPLES = {"project_code": "CC", "measure_code": "DEVICES", "month": "2015-06", "year": "2014-15"}


def _pages() -> list[tuple[str, str]]:
    return [
        (name, concrete_url(route, SAMPLES))
        for route, name, _ in walk(get_resolver().url_patterns)
        if name.startswith(("projects:", "benefits:"))
    ]


def test_the_walk_finds_every_projects_and_benefits_page():
    names = {name for name, _ in _pages()}
    assert set(WRITERS) <= names
    assert {"projects:index", "projects:detail", "benefits:index", "benefits:measure"} <= names


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reads_and_writes_exactly_what_it_may(request, projects, role):
    user = request.getfixturevalue(f"{role}_user")
    client = client_for(user)
    problems = []
    for name, url in _pages():
        may_write = role in WRITERS.get(name, set())
        expected_get = 403 if name in WRITERS and not may_write else 200
        got = client.get(url).status_code
        if got != expected_get:
            problems.append(f"{role} GET {url}: {got}, expected {expected_get}")
        before = database_fingerprint()
        posted = client.post(url, {"version": "stale?"}).status_code
        expected_post = (200,) if may_write else (403, 405)
        if posted not in expected_post:
            problems.append(f"{role} POST {url}: {posted}, expected one of {expected_post}")
        if database_fingerprint() != before:
            problems.append(f"{role} POST {url} with an invalid form changed the database")
    assert problems == []


def test_anonymous_is_sent_to_log_in(projects, client):
    for name, url in _pages():
        response = client.get(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("role", ROLES)
def test_every_other_method_is_refused_and_changes_nothing(request, projects, role):
    """HEAD answers as GET does; PUT, PATCH and DELETE are never served (405), or refused
    first (403) where the role may not write, and change no row."""
    client = client_for(request.getfixturevalue(f"{role}_user"))
    problems = []
    for name, url in _pages():
        expected_head = 403 if name in WRITERS and role not in WRITERS[name] else 200
        if (got := client.head(url).status_code) != expected_head:
            problems.append(f"{role} HEAD {url}: {got}, expected {expected_head}")
        for method in ("put", "patch", "delete"):
            before = database_fingerprint()
            got = getattr(client, method)(url, "version=1").status_code
            if got not in (403, 405):
                problems.append(f"{role} {method.upper()} {url}: {got}")
            if database_fingerprint() != before:
                problems.append(f"{role} {method.upper()} {url} changed the database")
    assert problems == []


ADMIN_MODELS = (
    "project",
    "projectforecast",
    "rebaseline",
    "benefitmeasure",
    "benefitvalue",
    "officercount",
)


@pytest.mark.parametrize("role", ROLES)
def test_only_admins_open_the_projects_admin(request, projects, role):
    """Every projects model's changelist, change and add page in the Django admin: an
    Admin opens them (add is refused for forecasts and baselines, appended only through
    the services); anyone else is sent to the admin's sign-in, even with a staff flag."""
    user = request.getfixturevalue(f"{role}_user")
    user.is_staff = True
    user.save()
    client = client_for(user)
    first = {
        "project": projects["cc"].pk,
        "projectforecast": projects["cc"].forecasts.first().pk,
        "rebaseline": projects["cc"].baselines.first().pk,
        "benefitmeasure": projects["devices"].pk,
        "benefitvalue": projects["devices"].values.first().pk,
        "officercount": projects["year"].officer_count.pk,
    }
    problems = []
    for model in ADMIN_MODELS:
        base = f"/admin/projects/{model}/"
        for url in (base, f"{base}{first[model]}/change/", f"{base}add/"):
            got = client.get(url).status_code
            expected = 200 if role == "admin" else 302
            if role == "admin" and url.endswith("add/") and model in ADMIN_MODELS[1:3]:
                expected = 403
            if got != expected:
                problems.append(f"{role} GET {url}: {got}, expected {expected}")
    assert problems == []
