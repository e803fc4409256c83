"""Writes to `common`'s own rows: a person's notification preferences and the digest's
record of when it last wrote to them."""

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction

from common.locking import bump, check_version
from common.models import NotificationPreference

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
