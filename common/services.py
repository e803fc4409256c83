"""Writes to `common`'s own rows: a person's notification preferences, the digest's
record of when it last wrote to them, and personal API tokens."""

import hashlib
import hmac
import secrets
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from common.locking import bump, check_version
from common.models import ApiToken, NotificationPreference

# What a person chooses on their profile page.
PREFERENCE_FIELDS = (
    "report_published",
    "ready_to_close",
    "decisions_due",
    "decision_window_months",
    "rag_changes",
)


@transaction.atomic
def save_notification_preferences(
    *, actor: AbstractBaseUser, user: AbstractBaseUser, choices: dict, expected_version: int
) -> NotificationPreference:
    """Store `user`'s digest choices (the PREFERENCE_FIELDS in `choices`). Self-service: only
    the person themselves may, so PermissionDenied for anyone else (an Admin included: they
    set emails, not what people want to read). StaleVersionError when the preferences were
    saved since the form showed `expected_version` (0 for a person who never chose)."""
    if not (actor.is_authenticated and actor.is_active and actor.pk == user.pk):
        raise PermissionDenied("People choose their own notifications.")
    unknown = set(choices) - set(PREFERENCE_FIELDS)
    if unknown:
        raise ValueError(f"Not a notification preference: {', '.join(sorted(unknown))}")
    # A person who never chose has no row: it is made at version 0, the version their form
    # showed, so that a save from another tab in the meantime is still caught as stale.
    stored, _ = NotificationPreference.objects.get_or_create(user=user, defaults={"version": 0})
    stored = check_version(stored, expected_version)
    for name, value in choices.items():
        setattr(stored, name, value)
    stored.full_clean(exclude=["user"])
    bump(stored)
    stored.save(update_fields=[*choices, "version"])
    return stored


@transaction.atomic
def record_digest_sent(*, user: AbstractBaseUser, sent_at: datetime) -> None:
    """Note that `user`'s digest went out at `sent_at`: the next one starts from there. Not a
    change of the person's choices, so the version and the history are left alone."""
    updated = NotificationPreference.objects.filter(user=user).update(last_sent_at=sent_at)
    if not updated:
        # The defaults, stored only to keep the time: not a choice, so no history row (the
        # digest reads a history row after its last email as "the person chose again").
        defaults = NotificationPreference(user=user, version=0, last_sent_at=sent_at)
        defaults.skip_history_when_saving = True
        defaults.save()


# Personal API tokens: `mb_<prefix>_<secret>`. The prefix finds the row; only the secret's
# sha256 is stored, so a copy of the database lets no one in.
TOKEN_TAG = "mb"  # noqa: S105 - the visible tag of every token, not a secret
PREFIX_BYTES, SECRET_BYTES = 5, 32
# How often a token's last use is written: often enough to tell a live token from a
# forgotten one, rarely enough that reads do not each write.
LAST_USED_EVERY_SECONDS = 60


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _require_self(actor: AbstractBaseUser, user: AbstractBaseUser) -> None:
    if not (actor.is_authenticated and actor.is_active and actor.pk == user.pk):
        raise PermissionDenied("People make and revoke their own API tokens.")


@transaction.atomic
def create_api_token(
    *, actor: AbstractBaseUser, name: str, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """A new token for `actor` and the whole token text, which is never stored or shown
    again. An expiry in the past is refused."""
    _require_self(actor, actor)
    name = (name or "").strip()
    if not name:
        raise ValueError("Give the token a name, e.g. what will use it.")
    if expires_at is not None and expires_at <= timezone.now():
        raise ValueError("The expiry must be in the future.")
    prefix = secrets.token_hex(PREFIX_BYTES)
    secret = secrets.token_urlsafe(SECRET_BYTES)
    token = ApiToken(
        user=actor,
        name=name[:100],
        prefix=prefix,
        key_hash=hash_secret(secret),
        expires_at=expires_at,
    )
    token._history_user = actor
    token.save()
    return token, f"{TOKEN_TAG}_{prefix}_{secret}"


@transaction.atomic
def revoke_api_token(*, actor: AbstractBaseUser, token: ApiToken) -> ApiToken:
    """Revoke one of `actor`'s own tokens (at once, for good); revoking twice is a no-op."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    _require_self(actor, token.user)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token._history_user = actor
        token.save(update_fields=["revoked_at"])
    return token


def token_for(text: str) -> ApiToken | None:
    """The usable token `text` names (right prefix, right secret, not revoked or expired,
    owner active), else None; notes when it was used."""
    tag, _, rest = (text or "").partition("_")
    prefix, _, secret = rest.partition("_")
    if tag != TOKEN_TAG or not prefix or not secret:
        return None
    token = ApiToken.objects.usable().select_related("user").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.key_hash, hash_secret(secret)):
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > (
        LAST_USED_EVERY_SECONDS
    ):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
