"""The set-based write of an import, for PostgreSQL: the same figures, versions and history
rows as the row-by-row path in `apply`, in a handful of statements whatever the size.

`stage` COPYs the changes into a temporary table and, in one query, locks the figures they
touch and names those whose version moved since `validate` read it (the caller refuses
the import). `write` then changes the figures in one `UPDATE ... FROM`, creates the missing
ones in one `INSERT ... SELECT`, and writes a history row per figure (the user, the date,
the reason and '~' or '+', as simple-history writes them) in one more `INSERT ... SELECT`.
Everything runs inside `apply_import`'s transaction: a refusal or failure writes nothing.
"""

from __future__ import annotations

import io
from datetime import datetime

from django.db import connection

from budgets.importing.plan import FigureChange
from budgets.models import MonthlyFigure

STAGING = "import_staging"
FIGURES = MonthlyFigure._meta.db_table
HISTORY = MonthlyFigure.history.model._meta.db_table
MATCH = "f.line_id = s.line_id AND f.year_id = s.year_id AND f.period = s.period"
# History columns simple-history fills itself; every other history column copies the figure's.
HISTORY_OWN = {"history_id", "history_date", "history_change_reason", "history_type"}
HISTORY_OWN |= {"history_user_id"}


def stage(changes: list[FigureChange]) -> list[int]:
    """COPY `changes` into the staging table, lock their figures and return the positions
    (in `changes`) of those whose version is not the one read when validating."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGING}")
        cursor.execute(
            f"""CREATE TEMPORARY TABLE {STAGING} (
                ord integer, line_id bigint, year_id bigint, period smallint, version integer,
                actual numeric(14, 2), forecast numeric(14, 2), note text,
                committed numeric(14, 2), budget numeric(14, 2)
            ) ON COMMIT DROP"""
        )
        _copy(cursor, f"COPY {STAGING} FROM STDIN", _rows(changes))
        cursor.execute(f"ANALYZE {STAGING}")
        cursor.execute(
            f"""WITH locked AS MATERIALIZED (
                    SELECT f.line_id, f.year_id, f.period, f.version
                    FROM {FIGURES} f JOIN {STAGING} s ON {MATCH}
                    FOR UPDATE OF f
                )
                SELECT s.ord FROM {STAGING} s LEFT JOIN locked f ON {MATCH}
                WHERE s.version <> COALESCE(f.version, 0) ORDER BY s.ord"""  # noqa: S608 - names from the models
        )
        return [ord_ for (ord_,) in cursor.fetchall()]


def write(*, user_id: int, now: datetime, batch_id: int, reason: str) -> None:
    """Write the staged changes and their history rows (updated figures first, then the
    created ones, each in the file's order, as the row-by-row path does)."""
    with connection.cursor() as cursor:
        _write_figures(cursor, user_id=user_id, now=now, batch_id=batch_id)
        _write_history(cursor, user_id=user_id, now=now, reason=reason)
        cursor.execute(f"DROP TABLE {STAGING}")


def _write_figures(cursor, *, user_id: int, now: datetime, batch_id: int) -> None:
    """One UPDATE for the figures that exist, one INSERT for the new ones (version 1)."""
    cursor.execute(
        f"""UPDATE {FIGURES} f SET actual = s.actual, forecast = s.forecast, note = s.note,
                committed = s.committed, budget = COALESCE(s.budget, f.budget),
                version = f.version + 1, updated_by_id = %s, updated_at = %s,
                import_batch_id = %s
            FROM {STAGING} s WHERE s.version > 0 AND {MATCH}""",  # noqa: S608 - names from the models
        [user_id, now, batch_id],
    )
    cursor.execute(
        f"""INSERT INTO {FIGURES} (line_id, year_id, period, budget, original_budget,
                committed, actual, forecast, note, version, updated_by_id, updated_at,
                import_batch_id)
            SELECT line_id, year_id, period, COALESCE(budget, 0), NULL, committed, actual,
                forecast, note, 1, %s, %s, %s
            FROM {STAGING} WHERE version = 0 ORDER BY ord""",  # noqa: S608 - names from the models
        [user_id, now, batch_id],
    )


def _write_history(cursor, *, user_id: int, now: datetime, reason: str) -> None:
    """A history row per staged figure, as it now stands: '~' changed, '+' created."""
    figure_columns = {f.column for f in MonthlyFigure._meta.concrete_fields}
    copied = [
        f.column
        for f in MonthlyFigure.history.model._meta.concrete_fields
        if f.column not in HISTORY_OWN
    ]
    if set(copied) != figure_columns:  # pragma: no cover - a model change
        raise RuntimeError(f"history columns {copied} are not the figure's")
    columns = ", ".join(f'"{c}"' for c in copied)
    values = ", ".join(f'f."{c}"' for c in copied)
    cursor.execute(
        f"""INSERT INTO {HISTORY} ({columns}, history_date, history_change_reason,
                history_type, history_user_id)
            SELECT {values}, %s, %s, CASE WHEN s.version = 0 THEN '+' ELSE '~' END, %s
            FROM {FIGURES} f JOIN {STAGING} s ON {MATCH}
            ORDER BY s.version = 0, s.ord""",  # noqa: S608 - names from the models
        [now, reason, user_id],
    )


def _rows(changes: list[FigureChange]) -> str:
    """The changes as COPY text: tab-separated, \\N for NULL, escapes in notes."""
    out = []
    for ord_, c in enumerate(changes):
        cells = (
            ord_,
            c.line_id,
            c.year_id,
            c.period,
            c.version,
            c.new_actual,
            c.new_forecast,
            _text(c.new_note),
            c.new_committed,
            c.new_budget,
        )
        out.append("\t".join(r"\N" if v is None else str(v) for v in cells))
    out.append("")
    return "\n".join(out)


def _text(value: str) -> str:
    if not any(ch in value for ch in "\\\t\n\r"):
        return value
    return (
        value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    )


def _copy(cursor, sql: str, text: str) -> None:
    """COPY `text` with `sql` (… FROM STDIN), psycopg 2 or 3."""
    raw = cursor.cursor
    if hasattr(raw, "copy_expert"):  # psycopg2
        raw.copy_expert(sql, io.StringIO(text))
    else:  # psycopg 3
        with raw.copy(sql) as copy:
            copy.write(text)
