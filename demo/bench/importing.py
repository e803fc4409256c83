"""The import: a generated spend ledger through budgets.importing, timed step by step;
on PostgreSQL also `COPY` of the same file, and the floor: the whole set-based SQL pipeline
on the same rows (demo/bench/import_floor.py), measured in the same run."""

import csv
import hashlib
import io
import random
import time

from django.contrib.auth.models import User
from django.db import connection

from budgets import importing as importer
from budgets.models import BudgetLine
from demo.bench.dataset import ACTUALS_THROUGH, Dataset, random_money
from demo.bench.import_floor import copy_into, pipeline_seconds
from demo.bench.timing import TARGETS


def ledger_csv(data: Dataset, rows: int) -> bytes:
    """A spend ledger (`line_code, date, amount`) for the latest year's open periods, in
    the formats people write: plain, with £ and thousands, and bracketed negatives."""
    rng = random.Random(42)
    codes = list(BudgetLine.objects.values_list("code", flat=True))
    year = data.latest
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["line_code", "date", "amount"])
    for n in range(rows):
        period = rng.randint(ACTUALS_THROUGH + 1, 12)
        start = year.period_start(period)
        day = start.replace(day=rng.randint(1, 28))
        amount = random_money(rng, 1, 50_000)
        text = {8: f"£{amount:,}", 9: f"({amount})"}.get(n % 10, str(amount))
        writer.writerow([codes[n % len(codes)], day.isoformat(), text])
    return out.getvalue().encode()


class LedgerRejected(Exception):  # noqa: N818 - reads as what happened
    """The importer found errors in the generated ledger."""


def import_with_budgets_importer(*, filename: str, payload: bytes, user: User) -> dict:
    """The one place the benchmark calls the budgets importer: parse, validate and apply
    `payload` as `user`, each step timed. Raises LedgerRejected with the first errors."""
    start = time.perf_counter()
    parsed = importer.parse_file(filename, payload)
    parsed_at = time.perf_counter()
    plan = importer.validate(parsed)
    if plan.errors:
        raise LedgerRejected(plan.errors[:3])
    validated_at = time.perf_counter()
    batch = importer.apply_import(
        plan=plan, user=user, filename=filename, sha256=hashlib.sha256(payload).hexdigest()
    )
    return {
        "parse_seconds": round(parsed_at - start, 3),
        "validate_seconds": round(validated_at - parsed_at, 3),
        "apply_seconds": round(time.perf_counter() - validated_at, 3),
        "figures_written": batch.figure_count,
    }


def measure_import(data: Dataset, rows: int) -> dict:
    """Parse, validate and apply a generated ledger of `rows` rows as the Finance user,
    timing each step; on PostgreSQL also COPY the same file, the floor for loading it."""
    payload = ledger_csv(data, rows)
    result = {"present": True, "rows": rows, "bytes": len(payload)}
    start = time.perf_counter()
    try:
        steps = import_with_budgets_importer(
            filename="bench-ledger.csv", payload=payload, user=data.finance_user
        )
    except LedgerRejected as rejected:
        result["error"] = f"the generated file did not validate: {rejected.args[0]}"
        return result
    seconds = time.perf_counter() - start
    result.update(steps, seconds=round(seconds, 3), rows_per_second=round(rows / seconds))
    if connection.vendor == "postgresql":
        copy = copy_seconds(payload)
        result["copy_seconds"] = round(copy, 3)
        result["copy_ratio"] = round(seconds / copy, 1)
        floor = pipeline_seconds(payload, user_id=data.finance_user.pk)
        result["floor_seconds"] = round(floor["seconds"], 3)
        result["floor_commit_seconds"] = round(floor["commit_seconds"], 3)
        result["floor_figures"] = floor["figures_written"]
        result["floor_ratio"] = round(seconds / floor["seconds"], 2)
    result["meets_target"] = seconds <= TARGETS["import_seconds"] and (
        result.get("floor_ratio", 0) <= TARGETS["import_floor_ratio"]
    )
    return result


def copy_seconds(payload: bytes) -> float:
    """Time to COPY the same CSV into a scratch temporary table: PostgreSQL's floor for
    loading these rows. Amounts stay text, as people write them (£1,234.56, (978.00))."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_ledger (line_code text, date date, amount text)"
        )
        start = time.perf_counter()
        copy_into(cursor, "COPY bench_ledger FROM STDIN WITH (FORMAT csv, HEADER true)", payload)
        cursor.execute("SELECT count(*) FROM bench_ledger")
        count = cursor.fetchone()[0]
        elapsed = time.perf_counter() - start
        cursor.execute("DROP TABLE bench_ledger")
    if count != payload.count(b"\n") - 1:
        raise RuntimeError(f"COPY loaded {count} rows")
    return elapsed
