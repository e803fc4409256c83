"""Personal API tokens: stored as a hash, shown once, expiring, revocable, and the 401s and
403s a caller meets."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from rest_framework.test import APIClient

from common.models import ApiToken
from common.services import create_api_token, hash_secret, revoke_api_token, token_for
from tests.api.conftest import token_client
from tests.conftest import client_for


def bearer(text: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {text}")
    return client


def test_only_a_hash_of_the_secret_is_stored(finance_user):
    token, text = create_api_token(actor=finance_user, name="Power BI")
    tag, prefix, secret = text.split("_", 2)
    assert tag == "mb" and prefix == token.prefix and len(secret) >= 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.key_hash == hash_secret(secret) and len(stored.key_hash) == 64
    assert secret not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert token_for(text) == token


def test_a_wrong_secret_with_a_real_prefix_is_refused(finance_user):
    token, _ = create_api_token(actor=finance_user, name="Power BI")
    assert token_for(f"mb_{token.prefix}_not-the-secret") is None
    response = bearer(f"mb_{token.prefix}_not-the-secret").get("/api/v1/years/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_no_credentials_get_401_not_a_login_page(world):
    response = APIClient().get("/api/v1/figures/")
    assert response.status_code == 401


def test_a_token_works_until_it_expires(world, finance_user):
    token, text = create_api_token(
        actor=finance_user, name="ledger", expires_at=timezone.now() + timedelta(hours=1)
    )
    assert bearer(text).get("/api/v1/years/").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert bearer(text).get("/api/v1/years/").status_code == 401


def test_an_expiry_in_the_past_is_refused(finance_user):
    with pytest.raises(ValueError, match="future"):
        create_api_token(
            actor=finance_user, name="x", expires_at=timezone.now() - timedelta(days=1)
        )


def test_a_revoked_token_is_refused_at_once(world, finance_user):
    token, text = create_api_token(actor=finance_user, name="ledger")
    assert bearer(text).get("/api/v1/years/").status_code == 200
    revoke_api_token(actor=finance_user, token=token)
    assert bearer(text).get("/api/v1/years/").status_code == 401


def test_a_token_of_a_deactivated_person_is_refused(world, finance_user):
    _, text = create_api_token(actor=finance_user, name="ledger")
    User.objects.filter(pk=finance_user.pk).update(is_active=False)
    assert bearer(text).get("/api/v1/years/").status_code == 401


def test_use_is_recorded(world, finance_user):
    token, text = create_api_token(actor=finance_user, name="ledger")
    assert token.last_used_at is None
    bearer(text).get("/api/v1/years/")
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None


def test_a_person_without_a_role_gets_403(world):
    nobody = User.objects.create_user("nora", password="x" * 16)
    response = token_client(nobody).get("/api/v1/figures/")
    assert response.status_code == 403


def test_no_one_revokes_another_persons_token(finance_user, committee_user):
    token, _ = create_api_token(actor=finance_user, name="ledger")
    with pytest.raises(PermissionDenied):
        revoke_api_token(actor=committee_user, token=token)
    with pytest.raises(PermissionDenied):
        create_api_token(actor=AnonymousUser(), name="anonymous")
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


# The profile page.


def test_profile_makes_a_token_and_shows_it_once(finance_user):
    client = client_for(finance_user)
    response = client.post("/accounts/profile/tokens/", {"name": "Power BI"})
    assert response.status_code == 200
    text = response.context["new_token_text"]
    assert text in response.content.decode()
    assert token_for(text).user == finance_user
    again = client.get("/accounts/profile/")
    assert text not in again.content.decode()
    assert "Power BI" in again.content.decode()


def test_profile_token_with_a_last_day(finance_user):
    client = client_for(finance_user)
    day = timezone.localdate() + timedelta(days=30)
    client.post("/accounts/profile/tokens/", {"name": "audit", "expires_on": day.isoformat()})
    token = ApiToken.objects.get(name="audit")
    assert timezone.localtime(token.expires_at).date() == day + timedelta(days=1)
    assert timezone.localtime(token.expires_at).hour == 0


def test_profile_refuses_a_nameless_token_or_a_past_day(finance_user):
    client = client_for(finance_user)
    response = client.post("/accounts/profile/tokens/", {"name": ""})
    assert "This field is required." in response.content.decode()
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client.post(
        "/accounts/profile/tokens/", {"name": "x", "expires_on": yesterday.isoformat()}
    )
    assert "The last day cannot be in the past." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_profile_revokes_only_the_persons_own_tokens(finance_user, committee_user):
    mine, _ = create_api_token(actor=finance_user, name="mine")
    theirs, _ = create_api_token(actor=committee_user, name="theirs")
    client = client_for(finance_user)
    assert client.post(f"/accounts/profile/tokens/{theirs.pk}/revoke/").status_code == 404
    assert ApiToken.objects.get(pk=theirs.pk).revoked_at is None
    response = client.post(f"/accounts/profile/tokens/{mine.pk}/revoke/")
    assert response.status_code == 302
    assert ApiToken.objects.get(pk=mine.pk).revoked_at is not None
    assert client.get(f"/accounts/profile/tokens/{mine.pk}/revoke/").status_code == 405
