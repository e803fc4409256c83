"""Applying a valid plan: the one transaction that writes, with a history row per figure.

Refuses (ImportRefused, nothing written) when the plan has errors, the same file was
applied before, a period it touches has been closed, or any figure's version moved on
since `validate` read it.

Two ways to write, with the same refusals, figures, versions and history rows: set-based
on PostgreSQL (`bulk_pg`: COPY to a staging table, one `UPDATE ... FROM`, history by
`INSERT ... SELECT`), row by row through the ORM elsewhere (SQLite).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from budgets.importing import bulk_pg
from budgets.importing.budget_rows import check_budget_writes
from budgets.importing.plan import FigureChange, ImportPlan
from budgets.models import FinancialYear, ImportBatch, MonthlyFigure, refresh_line_year_totals
from budgets.services import ensure_periods_open
from common.money import format_money
from common.text import counted

# Permissions a person needs to import (the Finance role has both).
IMPORT_PERMISSIONS = ("budgets.add_importbatch", "budgets.change_monthlyfigure")
WRITE_BATCH_SIZE = 500
# Databases whose import is written set-based (bulk_pg); the others row by row.
SET_BASED_VENDORS = {"postgresql"}


class ImportRefused(Exception):  # noqa: N818 - reads as what happened
    """The import was not applied; the message says why and nothing was written."""


class AlreadyImportedError(ImportRefused):
    def __init__(self, batch: ImportBatch):
        self.batch = batch
        who = batch.uploaded_by
        name = (who.get_full_name() or who.get_username()) if who else "an unknown user"
        when = timezone.localtime(batch.applied_at)
        super().__init__(
            f"This file was already applied on {when:%-d %b %Y at %H:%M} by {name} "
            f"(as {batch.filename}); it cannot be applied twice."
        )


class StaleImportError(ImportRefused):
    def __init__(self, places: list[str]):
        self.places = places
        names = ", ".join(places[:10])
        more = f" and {len(places) - 10} more" if len(places) > 10 else ""
        super().__init__(
            f"Nothing was applied: {names}{more} changed since the preview. "
            "Upload the file again to see the current values."
        )


def describe_batch(batch: ImportBatch) -> str:
    return (
        f"Imported {batch.filename}: {counted(batch.figure_count, 'figure')} changed from "
        f"{counted(batch.row_count, 'row')} (file total {format_money(batch.total)})."
    )


def may_import(user: AbstractBaseUser) -> bool:
    return all(user.has_perm(perm) for perm in IMPORT_PERMISSIONS)


@transaction.atomic
def apply_import(
    *, plan: ImportPlan, user: AbstractBaseUser, filename: str, sha256: str
) -> ImportBatch:
    """Write every change of a valid plan in one transaction, or nothing.

    Changed figures get a new version, the user, the batch and a history row each (with
    the user and the file name as the reason).
    """
    if not may_import(user):
        raise PermissionDenied("Only Finance can import actuals.")
    if plan.errors:
        raise ImportRefused(f"The file has {len(plan.errors)} problems; nothing was applied.")
    previous = ImportBatch.objects.filter(sha256=sha256).select_related("uploaded_by").first()
    if previous is not None:
        raise AlreadyImportedError(previous)
    touched_years = _check_open(plan.changes)
    set_based = connection.vendor in SET_BASED_VENDORS
    if set_based:
        moved = bulk_pg.stage(plan.changes)  # also locks the figures
    else:
        current = _lock_figures(touched_years)
    if refusal := check_budget_writes(plan.changes, user):
        raise ImportRefused(refusal)
    if set_based:
        stale = [plan.changes[position].where for position in moved]
    else:
        stale = [c.where for c in plan.changes if _version(current.get(c.key)) != c.version]
    if stale:
        raise StaleImportError(stale)
    now = timezone.now()
    batch = _record_batch(plan, user=user, filename=filename, sha256=sha256)
    reason = f"Imported from {filename}"[:100]
    if set_based:
        bulk_pg.write(user_id=user.pk, now=now, batch_id=batch.pk, reason=reason)
    else:
        _write_row_by_row(plan.changes, current, user=user, now=now, batch=batch, reason=reason)
    refresh_line_year_totals(
        pairs={(c.line_id, c.year_id) for c in plan.changes},
        periods={(c.year_id, c.period) for c in plan.changes},
    )
    return batch


def _check_open(changes: list[FigureChange]) -> set[int]:
    """Refuse if a period the changes touch is closed (each year read afresh with a row
    lock); return the ids of the years they touch."""
    by_year: dict[int, set[int]] = defaultdict(set)
    for change in changes:
        by_year[change.year_id].add(change.period)
    for year in FinancialYear.objects.filter(pk__in=by_year):
        ensure_periods_open(year, by_year[year.pk])
    return set(by_year)


def _write_row_by_row(
    changes: list[FigureChange],
    current: dict[str, MonthlyFigure],
    *,
    user: AbstractBaseUser,
    now: datetime,
    batch: ImportBatch,
    reason: str,
) -> None:
    updated, created, varying = _stage(changes, current, user=user, now=now, batch=batch)
    history = {"default_user": user, "default_change_reason": reason, "default_date": now}
    if updated:
        _write_updates(updated, varying, user=user, now=now, batch=batch)
        # The rows are written; this adds their history rows (fields=[] updates nothing).
        bulk_update_with_history(updated, MonthlyFigure, [], batch_size=WRITE_BATCH_SIZE, **history)
    if created:
        bulk_create_with_history(created, MonthlyFigure, batch_size=WRITE_BATCH_SIZE, **history)


def _lock_figures(year_ids: set[int]) -> dict[str, MonthlyFigure]:
    """Lock and return the years' figures by key."""
    figures = MonthlyFigure.objects.select_for_update(of=("self",)).filter(year_id__in=year_ids)
    return {f"{f.line_id}:{f.year_id}:{f.period}": f for f in figures}


def _version(figure: MonthlyFigure | None) -> int:
    return 0 if figure is None else figure.version


def _record_batch(
    plan: ImportPlan, *, user: AbstractBaseUser, filename: str, sha256: str
) -> ImportBatch:
    """The batch row; its unique sha256 refuses a second application of the same file,
    even one racing this one."""
    batch = ImportBatch(
        sha256=sha256,
        filename=filename[:255],
        file_format=plan.file_format or "",
        uploaded_by=user,
        row_count=plan.row_count,
        figure_count=len(plan.changes),
        total=plan.total,
    )
    batch._history_user = user
    try:
        with transaction.atomic():
            batch.save()
    except IntegrityError:
        raise AlreadyImportedError(ImportBatch.objects.get(sha256=sha256)) from None
    return batch


def _stage(
    changes: list[FigureChange],
    current: dict[str, MonthlyFigure],
    *,
    user: AbstractBaseUser,
    now: datetime,
    batch: ImportBatch,
) -> tuple[list[MonthlyFigure], list[MonthlyFigure], list[str]]:
    """The figures to update and to create, with the new values set, and the per-figure
    fields that differ anywhere in this import."""
    updated, created = [], []
    varying: set[str] = set()
    for change in changes:
        figure = current.get(change.key)
        new = {"actual": change.new_actual, "forecast": change.new_forecast}
        new["note"] = change.new_note
        if change.new_budget is not None:
            new["budget"] = change.new_budget
        new["committed"] = change.new_committed
        if figure is None:
            figure = MonthlyFigure(
                line_id=change.line_id, year_id=change.year_id, period=change.period, version=0
            )
            created.append(figure)
        else:
            updated.append(figure)
            varying.update(name for name, value in new.items() if getattr(figure, name) != value)
        for name, value in new.items():
            setattr(figure, name, value)
        figure.version += 1
        figure.updated_by, figure.updated_at, figure.import_batch = user, now, batch
    return updated, created, sorted(varying)


def _write_updates(
    figures: list[MonthlyFigure], varying: list[str], *, user, now, batch: ImportBatch
) -> None:
    """Write updated figures: what every row shares (who, when, batch, version + 1) in one
    UPDATE per chunk, and only the fields that really vary through bulk_update, whose
    per-row CASE expressions are the slow part of a large import."""
    for start in range(0, len(figures), WRITE_BATCH_SIZE):
        chunk = figures[start : start + WRITE_BATCH_SIZE]
        MonthlyFigure.objects.filter(pk__in=[f.pk for f in chunk]).update(
            version=F("version") + 1, updated_by=user, updated_at=now, import_batch=batch
        )
    if varying:
        MonthlyFigure.objects.bulk_update(figures, varying, batch_size=WRITE_BATCH_SIZE)
