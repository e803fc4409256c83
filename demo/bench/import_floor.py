"""The import's floor on PostgreSQL: the whole set-based SQL pipeline on the same ledger,
written by hand, in one transaction that commits.

COPY the file into a staging table (amounts as text, as people write them), read the
amounts and map each row to its figure (line code, financial year and period) in one
query, then one `UPDATE ... FROM` of the figures and their history rows by
`INSERT ... SELECT`, and COMMIT. No import can write the same figures and history for less
(the import also refreshes the stored totals, which this leaves out).

It commits because an import must: the commit waits for the write-ahead log of every
row written to reach the disk (with leaving the transaction and dropping its temporary
tables, 0.03-0.04 s of about 0.43 s for 12,000 figures and their history here), a cost a
rolled-back floor would leave out. The bench runs it after the import, on its scratch
database: it writes the import's figures once more, a version and a history row more each,
and nothing reads them afterwards. Running second, it finds those pages in memory and
already logged in full since the last checkpoint, which the import did not: if anything,
the floor is measured low.
"""

import io
import time

from django.db import connection, transaction

from budgets.models import MonthlyFigure

# A ledger row's amount in SQL: £, thousands commas and brackets for negatives.
AMOUNT = (
    "(CASE WHEN amount LIKE '%%(%%' THEN -1 ELSE 1 END)"
    " * translate(amount, '£,()', '')::numeric(14, 2)"
)


def copy_into(cursor, sql: str, payload: bytes) -> None:
    """COPY `payload` with `sql` (… FROM STDIN), psycopg 2 or 3."""
    raw = cursor.cursor
    if hasattr(raw, "copy_expert"):  # psycopg2
        raw.copy_expert(sql, io.BytesIO(payload))
    else:  # psycopg 3
        with raw.copy(sql) as copy:
            copy.write(payload)


def history_columns() -> tuple[list[str], list[str]]:
    """The figure's columns, and its history table's, as the set-based import writes them."""
    figure = [f.column for f in MonthlyFigure._meta.concrete_fields]
    return figure, [*figure, "history_date", "history_change_reason", "history_type"]


def pipeline_seconds(payload: bytes, *, user_id: int) -> dict:
    """Time the hand-written pipeline on `payload` (a `line_code, date, amount` ledger),
    committed. Returns the seconds (the commit's among them) and the figures it wrote."""
    if connection.in_atomic_block:
        raise RuntimeError("the floor must commit: call it outside any transaction")
    figures = MonthlyFigure._meta.db_table
    history = MonthlyFigure.history.model._meta.db_table
    columns, history_cols = history_columns()
    quoted = ", ".join(f'f."{c}"' for c in columns)
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE floor_ledger (line_code text, date date, amount text) "
            "ON COMMIT DROP"
        )
        copy_into(cursor, "COPY floor_ledger FROM STDIN WITH (FORMAT csv, HEADER true)", payload)
        cursor.execute(
            f"""
            CREATE TEMPORARY TABLE floor_targets ON COMMIT DROP AS
            SELECT l.id AS line_id, y.id AS year_id,
                   ((extract(month FROM g.date)::int + 8) %% 12) + 1 AS period,
                   sum({AMOUNT}) AS actual
            FROM floor_ledger g
            JOIN budgets_budgetline l ON l.code = g.line_code
            JOIN budgets_financialyear y
              ON g.date >= y.start AND g.date < y.start + interval '1 year'
            GROUP BY 1, 2, 3
            """,  # noqa: S608 - a constant expression
            [],  # parameters, so `%%` reads as `%`
        )
        cursor.execute(
            f"""
            UPDATE {figures} f SET actual = t.actual, version = f.version + 1,
                   updated_by_id = %s, updated_at = now()
            FROM floor_targets t
            WHERE f.line_id = t.line_id AND f.year_id = t.year_id AND f.period = t.period
            """,  # noqa: S608 - names from the models
            [user_id],
        )
        written = cursor.rowcount
        cursor.execute(
            f"""
            INSERT INTO {history} ({", ".join(f'"{c}"' for c in history_cols)}, history_user_id)
            SELECT {quoted}, now(), 'floor', '~', %s
            FROM {figures} f JOIN floor_targets t
              ON f.line_id = t.line_id AND f.year_id = t.year_id AND f.period = t.period
            """,  # noqa: S608 - names from the models
            [user_id],
        )
        committing = time.perf_counter()
    end = time.perf_counter()
    return {"seconds": end - start, "commit_seconds": end - committing, "figures_written": written}
