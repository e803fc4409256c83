"""The demo users: one per role, sharing one password shown once (or DEMO_PASSWORD)."""

import secrets

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db import transaction

from common.roles import ADMIN, COMMITTEE, FINANCE

DEMO_USERS = (("finance", FINANCE), ("committee", COMMITTEE), ("admin", ADMIN))


def check_demo_password(password: str) -> None:
    """Refuse a DEMO_PASSWORD the site's password validators would refuse."""
    for username, _role in DEMO_USERS:
        try:
            password_validation.validate_password(password, User(username=username))
        except ValidationError as error:
            raise CommandError(
                f"DEMO_PASSWORD is not acceptable for user {username!r}: "
                + " ".join(error.messages)
            ) from None


@transaction.atomic
def ensure_demo_users(*, password: str | None) -> tuple[str | None, list[str]]:
    """Create the missing demo users, each in its role's group (admin is also staff).

    New users get `password`, or when it is None one random password shared by them. With
    `password` given, existing demo users whose password differs are given it. Returns the
    password set on new users (None when there were none) and their usernames, so the
    password can be shown once.
    """
    groups = {
        group.name: group for group in Group.objects.filter(name__in=dict(DEMO_USERS).values())
    }
    missing_roles = set(dict(DEMO_USERS).values()) - set(groups)
    if missing_roles:
        raise CommandError(
            f"Role group(s) {', '.join(sorted(missing_roles))} missing: run `manage.py migrate`."
        )
    existing = {user.username: user for user in User.objects.filter(username__in=dict(DEMO_USERS))}
    new_password, new_users = None, []
    if len(existing) < len(DEMO_USERS):
        new_password = password or secrets.token_urlsafe(12)
        encoded = make_password(new_password)  # one hash for all: hashing is slow on purpose
    for username, role in DEMO_USERS:
        user = existing.get(username)
        if user is None:
            user = User.objects.create(
                username=username,
                password=encoded,
                first_name=username.title(),
                last_name="(demo)",
                is_staff=role == ADMIN,
            )
            new_users.append(username)
        else:
            if password is not None and not user.check_password(password):
                user.set_password(password)
                user.save(update_fields=["password"])
            if role == ADMIN and not user.is_staff:
                user.is_staff = True
                user.save(update_fields=["is_staff"])
        user.groups.add(groups[role])
    return new_password, new_users
