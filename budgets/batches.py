"""The import batch of figures written by another system through the API rather than
uploaded as a file: it groups them on the import pages and in their history, as a file's
batch groups its figures."""

import hashlib
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser

from budgets.models import ImportBatch, MonthlyFigure
from common.money import ZERO


def entry_batch(
    changed: list[MonthlyFigure], *, source: str | None, user: AbstractBaseUser, now: datetime
) -> ImportBatch | None:
    """The batch that groups `changed` figures written by `source` (None when there is no
    source or nothing changed). Its sha256 marks the write, not a file: a batch of entries
    cannot be applied twice anyway, as every figure it changes moves to a new version."""
    if source is None or not changed:
        return None
    mark = f"{source}|{user.pk}|{now.isoformat()}|{sorted(f.pk for f in changed)}"
    batch = ImportBatch(
        sha256=hashlib.sha256(mark.encode()).hexdigest(),
        filename=source[:255],
        file_format="api",
        uploaded_by=user,
        row_count=len(changed),
        figure_count=len(changed),
        total=sum((f.actual for f in changed if f.actual is not None), ZERO),
    )
    batch._history_user = user
    batch.save()
    return batch
