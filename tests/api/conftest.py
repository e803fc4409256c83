"""API test helpers: a token client per role (like the pages' alice, bob and charlie), and
the throttle's counts cleared between tests."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from common.services import create_api_token


@pytest.fixture(autouse=True)
def fresh_throttle_counts():
    cache.clear()
    yield
    cache.clear()


def token_client(user, name: str = "tests") -> APIClient:
    """A client that sends a new token of `user` (no session)."""
    _, text = create_api_token(actor=user, name=name)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {text}")
    return client


@pytest.fixture
def committee_api(committee_user) -> APIClient:
    return token_client(committee_user)


@pytest.fixture
def finance_api(finance_user) -> APIClient:
    return token_client(finance_user)


@pytest.fixture
def admin_api(admin_user) -> APIClient:
    return token_client(admin_user)
