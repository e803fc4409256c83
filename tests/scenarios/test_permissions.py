"""Every scenarios URL against every role and method: everyone reads, Finance and Admin
write, a Committee member's crafted POST changes nothing, and the services refuse on their
own whatever the page does."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied

from common.roles import ADMIN, COMMITTEE, FINANCE, role_permissions
from scenarios.models import Adjustment, Scenario
from scenarios.services import (
    ADD_TO_PACK,
    WRITE_SCENARIOS,
    add_adjustment,
    create_scenario,
    update_scenario,
)
from tests.conftest import client_for
from tests.metbudget.permission_matrix import database_fingerprint

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(world, admin_user) -> tuple[Scenario, Adjustment]:
    scenario = create_scenario(user=admin_user, data={"name": "Stored"})
    adjustment = Adjustment.objects.create(
        scenario=scenario, kind="scale", initiative=world["initiatives"]["reneg"], factor=D("2")
    )
    return scenario, adjustment


def urls(scenario: Scenario, adjustment: Adjustment) -> dict[str, tuple[str, ...]]:
    """Each URL with the methods it answers: reads take GET, writes GET and POST (the
    removal POST only)."""
    s, a = scenario.pk, adjustment.pk
    return {
        "/scenarios/": ("GET",),
        f"/scenarios/{s}/": ("GET",),
        "/scenarios/confidence-weighted/": ("GET",),
        f"/scenarios/compare/?s={s}&s=confidence-weighted": ("GET",),
        "/scenarios/new/": ("GET", "POST"),
        f"/scenarios/{s}/edit/": ("GET", "POST"),
        f"/scenarios/{s}/adjustments/new/": ("GET", "POST"),
        f"/scenarios/{s}/adjustments/{a}/delete/": ("POST",),
        f"/scenarios/{s}/pack/": ("POST",),
    }


READS = {"/scenarios/", "/scenarios/confidence-weighted/"}


def test_roles_hold_the_scenario_permissions_as_designed():
    assert set(WRITE_SCENARIOS) | {ADD_TO_PACK} <= role_permissions([FINANCE])
    assert set(WRITE_SCENARIOS) <= role_permissions([ADMIN])
    assert not (set(WRITE_SCENARIOS) | {ADD_TO_PACK}) & role_permissions([COMMITTEE])
    assert "scenarios.view_scenario" in role_permissions([COMMITTEE])


def test_every_role_reads_every_scenario_page(stored, committee_user, finance_user, admin_user):
    for user in (committee_user, finance_user, admin_user):
        client = client_for(user)
        for url, methods in urls(*stored).items():
            if methods == ("GET",):
                assert client.get(url).status_code == 200, (user, url)


def test_committee_is_refused_every_write_page_and_changes_nothing(stored, committee_user):
    client = client_for(committee_user)
    for url, methods in urls(*stored).items():
        if methods == ("GET",):
            continue
        before = database_fingerprint() | {"scenarios": Scenario.objects.count()}
        for method in methods:
            response = getattr(client, method.lower())(url, {"name": "Hijack", "version": 1})
            assert response.status_code == 403, (method, url)
        assert Adjustment.objects.count() == 1
        assert Scenario.objects.get().name == "Stored"
        assert database_fingerprint() | {"scenarios": Scenario.objects.count()} == before


@pytest.mark.parametrize("role", ["finance_user", "admin_user"])
def test_finance_and_admin_open_every_write_page(request, stored, role):
    client = client_for(request.getfixturevalue(role))
    for url, methods in urls(*stored).items():
        if "GET" in methods:
            assert client.get(url).status_code == 200, url
    scenario, adjustment = stored
    delete = f"/scenarios/{scenario.pk}/adjustments/{adjustment.pk}/delete/"
    assert client.get(delete).status_code == 405
    assert client.get(f"/scenarios/{scenario.pk}/pack/").status_code == 405
    assert client.post(delete, {"version": scenario.version}).status_code == 302
    assert not Adjustment.objects.exists()


def test_anonymous_is_sent_to_log_in(stored, client):
    for url in urls(*stored):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_services_refuse_a_committee_member_whatever_the_page(stored, committee_user, world):
    scenario, _ = stored
    with pytest.raises(PermissionDenied):
        create_scenario(user=committee_user, data={"name": "x"})
    with pytest.raises(PermissionDenied):
        update_scenario(
            scenario=scenario, user=committee_user, data={"name": "x"}, expected_version=None
        )
    with pytest.raises(PermissionDenied):
        add_adjustment(
            scenario=scenario,
            adjustment=Adjustment(kind="slip", initiative=world["initiatives"]["apps"], months=2),
            user=committee_user,
            expected_version=None,
        )
    assert Scenario.objects.get().version == 1
