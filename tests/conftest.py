"""Shared fixtures: one user per role (like healthchecks' alice, bob and charlie) and a
small, hand-built world of figures whose totals the tests state by hand."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from common.roles import ADMIN, COMMITTEE, FINANCE

PASSWORD = "correct-horse-battery-staple"


def make_user(username: str, role: str, **extra) -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, first_name=username.title(), **extra
    )
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def committee_user(db) -> User:
    return make_user("carol", COMMITTEE)


@pytest.fixture
def finance_user(db) -> User:
    return make_user("fiona", FINANCE)


@pytest.fixture
def admin_user(db) -> User:
    return make_user("adam", ADMIN, is_staff=True)


def client_for(user: User, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


@pytest.fixture
def committee_client(committee_user) -> Client:
    return client_for(committee_user)


@pytest.fixture
def finance_client(finance_user) -> Client:
    return client_for(finance_user)


@pytest.fixture
def admin_client_(admin_user) -> Client:
    return client_for(admin_user)


@pytest.fixture
def world(db) -> dict:
    """A small world with hand-checkable numbers (tests/world.py says what is in it)."""
    from tests.world import build_world

    return build_world()


@pytest.fixture(autouse=True)
def _evidence_in_a_temporary_media_root(settings, tmp_path_factory) -> None:
    """Savings evidence written by any test (the demo's included) goes to a temporary
    MEDIA_ROOT, never the working tree."""
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))
