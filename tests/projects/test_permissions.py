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
