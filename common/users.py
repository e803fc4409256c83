"""People and their roles. Every write to a user goes through here (the Django admin's user
pages included), and only an Admin may make one.

A user holds exactly one role (a group named in `common.roles.ROLES`); the staff flag
follows the role (Admin only), so that the admin site and the role agree. Superuser status,
permissions granted to one user and group membership beyond the role are never set here:
roles.py is the one statement of who may change what.
"""

import hashlib

from django.contrib.auth.models import AbstractBaseUser, Group, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from common.roles import ADMIN, ROLES, role_of

# What an Admin may set on a user, besides the role and a password.
EDITABLE_FIELDS = ("username", "first_name", "last_name", "email", "is_active")


def fingerprint(user: User) -> str:
    """What an Admin saw of a stored user (editable fields and role), as a short digest: a
    user row has no version, so a form carries this instead and a save finding another
    digest is stale."""
    seen = [str(getattr(user, name)) for name in EDITABLE_FIELDS] + [str(role_of(user))]
    return hashlib.sha256("\x1f".join(seen).encode()).hexdigest()[:32]


def refusal(*, actor: AbstractBaseUser, user: User, role: str, is_active: bool) -> str | None:
    """Why this change may not be made by `actor`, or None. An Admin cannot take away their
    own Admin role or sign-in: another Admin must, so that an Admin always remains."""
    if user.pk is not None and user.pk == actor.pk and (role != ADMIN or not is_active):
        return "You cannot remove your own Admin role or deactivate yourself: ask another Admin."
    return None


@transaction.atomic
def save_user(
    *, actor: AbstractBaseUser, user: User, role: str, password: str | None = None
) -> User:
    """Create `user` (unsaved) or save it (stored), writing only its EDITABLE_FIELDS as they
    are set on it, with exactly `role` and staff exactly when the role is Admin. `password`,
    when given, replaces the password (a new user without one cannot sign in). Raises
    PermissionDenied unless `actor` is an active Admin, ValidationError for a role that is
    not one of ROLES or a change `refusal` names."""
    if not (actor.is_active and role_of(actor) == ADMIN):
        raise PermissionDenied("Only an Admin may create or change users.")
    if role not in ROLES:
        raise ValidationError(f"{role!r} is not a role.")
    reason = refusal(actor=actor, user=user, role=role, is_active=user.is_active)
    if reason:
        raise ValidationError(reason)
    if user.pk is None:
        stored = User(is_superuser=False)
    else:
        stored = User.objects.select_for_update().get(pk=user.pk)
    for name in EDITABLE_FIELDS:
        setattr(stored, name, getattr(user, name))
    stored.is_staff = role == ADMIN
    if password:
        stored.set_password(password)
    elif stored.pk is None:
        stored.set_unusable_password()
    if stored.pk is None:
        stored.save()
    else:
        changed = [*EDITABLE_FIELDS, "is_staff", *(["password"] if password else [])]
        stored.save(update_fields=changed)
    stored.groups.set([Group.objects.get(name=role)])
    # The caller's instance now mirrors what was stored.
    user.pk, user.is_staff, user.is_superuser = stored.pk, stored.is_staff, stored.is_superuser
    user.password = stored.password
    user._state.adding = False
    return stored
