"""An upload waiting for its confirmation, kept in `PendingImport` rows.

Between the preview and the confirmation the file waits on the server, owned by the person
who uploaded it: confirming reads it again, validates it again and applies it only if no
figure it touches changed since the preview. A newer upload replaces the person's earlier
one; an upload not confirmed within PENDING_SECONDS expires and is deleted.
"""

from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from budgets.importing.apply import ImportRefused, may_import
from budgets.importing.plan import ImportPlan
from budgets.importing.read import ImportProblem
from budgets.models import PendingImport

PENDING_SECONDS = 60 * 60


class NoPendingImportError(ImportRefused):
    def __init__(self):
        super().__init__(
            "There is no import waiting for confirmation (it may have been cancelled or "
            "replaced by another upload). Upload the file again."
        )


class PendingImportExpiredError(ImportRefused):
    def __init__(self, pending: PendingImport):
        minutes = PENDING_SECONDS // 60
        super().__init__(
            f"The upload of {pending.filename} expired: a preview must be confirmed within "
            f"{minutes} minutes. Nothing was saved; upload the file again."
        )


def _require_import_permission(user: AbstractBaseUser) -> None:
    if not may_import(user):
        raise PermissionDenied("Only Finance can import actuals.")


@transaction.atomic
def keep_pending(
    *, user: AbstractBaseUser, plan: ImportPlan, data: bytes | None = None
) -> PendingImport:
    """Keep the file of a valid `plan` (its bytes `data`) for confirmation, or the problems
    of a refused one for download. Replaces the person's earlier upload and removes
    everyone's expired ones."""
    _require_import_permission(user)
    now = timezone.now()
    PendingImport.objects.filter(owner=user).delete()
    remove_expired()
    return PendingImport.objects.create(
        owner=user,
        created_at=now,
        expires_at=now + timedelta(seconds=PENDING_SECONDS),
        filename=plan.parsed.filename[:255],
        sha256=plan.parsed.sha256 if data is not None else "",
        data=data or b"",
        versions=plan.versions if data is not None else {},
        problems=[[p.row, p.column, p.reason] for p in plan.errors],
    )


def take_pending(*, user: AbstractBaseUser, pending_id: int, sha256: str) -> PendingImport:
    """The person's own waiting file `pending_id` with this sha256. Refuses
    (NoPendingImportError) another person's, a replaced or cancelled one, and
    (PendingImportExpiredError) an expired one, which is deleted first."""
    _require_import_permission(user)
    pending = (
        PendingImport.objects.filter(pk=pending_id, owner=user, sha256=sha256)
        .exclude(sha256="")
        .first()
    )
    if pending is None:
        raise NoPendingImportError()
    if pending.expires_at <= timezone.now():
        remove_expired()
        raise PendingImportExpiredError(pending)
    return pending


@transaction.atomic
def remove_expired() -> int:
    """Delete every upload whose time to be confirmed has run out; returns how many."""
    deleted, _ = PendingImport.objects.expired().delete()
    return deleted


@transaction.atomic
def discard_pending(*, user: AbstractBaseUser) -> None:
    """Forget the person's waiting file or problem list, if any."""
    _require_import_permission(user)
    PendingImport.objects.filter(owner=user).delete()


def pending_problems(*, user: AbstractBaseUser) -> list[ImportProblem] | None:
    """The problems of the person's last refused file, or None when none is waiting."""
    pending = PendingImport.objects.filter(owner=user, expires_at__gt=timezone.now()).first()
    if pending is None or not pending.problems:
        return None
    return [ImportProblem(*problem) for problem in pending.problems]
