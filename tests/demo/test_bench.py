"""`manage.py bench`: a tiny smoke run proves it works end to end and leaves the configured
database alone. Timings are never asserted; the benchmark itself does not run in CI."""

import hashlib
import json
import math
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import dj_database_url
import pytest
from django.core.management import CommandError, call_command

from demo.bench.pages import judge_pages
from demo.bench.timing import TARGETS, summarise

ROOT = Path(__file__).resolve().parents[2]
SMOKE = (
    "--lines 20 --years 2 --contracts 5 --initiatives 5 --requests 2 --import-rows 200 "
    "--load-clients 2 --load-seconds 1"
)
PAGES = {
    "dashboard",
    "dashboard_built",
    "budgets_index",
    "budgets_filtered",
    "budgets_sorted",
    "budgets_export_csv",
    "budgets_export_xlsx",
    "budget_line",
    "period_entry",
    "contracts_index",
    "contract_detail",
    "supplier",
    "savings",
    "initiative",
    "forecast_entry",
    "budget_setting",
    "history",
}
FLOOR_QUERIES = {
    "year_totals",
    "by_period",
    "by_category",
    "spend_by_year",
    "spend_by_supplier",
    "savings_by_year",
}


class UserDatabase:
    """The database a person has configured: on PostgreSQL the suite's own DATABASE_URL,
    otherwise a SQLite file with a row in it. `fingerprint()` changes if anything writes."""

    def __init__(self, tmp_path: Path):
        configured = os.environ.get("DATABASE_URL", "")
        if configured.startswith(("postgres://", "postgresql://")):
            self.url = configured
            self.postgres = dj_database_url.parse(configured)
        else:
            self.postgres = None
            self.path = tmp_path / "user.sqlite3"
            self.url = f"sqlite:///{self.path}"
            with sqlite3.connect(self.path) as db:
                db.execute("CREATE TABLE ledger (line_code text, amount text)")
                db.execute("INSERT INTO ledger VALUES ('OUT-01', '1234.56')")

    def _pg(self, dbname: str):
        import psycopg2

        settings = self.postgres
        return psycopg2.connect(
            dbname=dbname,
            user=settings["USER"],
            password=settings["PASSWORD"] or None,
            host=settings["HOST"] or None,
            port=settings["PORT"] or None,
        )

    def fingerprint(self) -> object:
        if self.postgres is None:
            return hashlib.sha256(self.path.read_bytes()).hexdigest()
        with self._pg(self.postgres["NAME"]) as db, db.cursor() as cursor:
            cursor.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public' ORDER BY table_name"
            )
            tables = [row[0] for row in cursor.fetchall()]
            counts = {}
            for table in tables:
                cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - catalog names
                counts[table] = cursor.fetchone()[0]
        db.close()
        return counts

    def scratch_databases_left(self) -> list[str]:
        if self.postgres is None:
            return []
        with self._pg(self.postgres["NAME"]) as db, db.cursor() as cursor:
            cursor.execute(
                "SELECT datname FROM pg_database WHERE datname = %s",
                [f"{self.postgres['NAME']}_bench"],
            )
            names = [row[0] for row in cursor.fetchall()]
        db.close()
        return names


def targets_of(report: dict) -> dict:
    return report["targets"]


def run_bench(database_url: str, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", "bench", *SMOKE.split(), "--no-browser", "--out", str(out)],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_smoke_run_reports_every_documented_key_and_leaves_user_database_untouched(tmp_path):
    user_db = UserDatabase(tmp_path)
    before = user_db.fingerprint()
    out = tmp_path / "bench.json"

    result = run_bench(user_db.url, out)

    assert result.returncode == 0, result.stderr[-4000:]
    assert user_db.fingerprint() == before
    assert user_db.scratch_databases_left() == []
    report = json.loads(out.read_text())
    assert set(report) == {
        "version",
        "started_at",
        "host",
        "database",
        "generate_seconds",
        "scale",
        "floor",
        "pages",
        "browser",
        "import",
        "scenario",
        "load",
        "targets",
        "import_only",
        "duration_seconds",
    }
    assert report["scale"]["lines"] == 20
    assert report["scale"]["years"] == 2
    assert report["scale"]["monthly_figures"] == 480  # 20 lines x 2 years x 12 periods
    assert report["scale"]["contracts"] == 5
    assert report["scale"]["initiatives"] == 5
    assert report["scale"]["initiative_years"] == 10  # each initiative in the last 2 years
    assert report["database"]["vendor"] == ("postgresql" if user_db.postgres else "sqlite")

    assert set(report["floor"]["queries"]) == FLOOR_QUERIES
    assert report["floor"]["median_ms"] > 0
    assert report["floor"]["samples"] == 2

    assert set(report["pages"]) == PAGES
    dashboard = report["pages"]["dashboard"]
    assert dashboard["present"] is True
    assert dashboard["status"] == 200
    for key, page in report["pages"].items():
        if not page["present"]:
            assert page["url"] is None, key
            continue
        assert page["queries"] > 0, key
        if page["status"] == 200:
            assert page["samples"] == 2, key
            assert 0 < page["median_ms"] <= page["p95_ms"], key
            assert page["floor_ratio"] > 0, key
            assert page["queries_small_scale"] > 0, key
            assert page["bytes"] > 0, key
            assert page["db_ms"] > 0, key

    imported = report["import"]
    assert imported["present"] is True
    assert imported["rows"] == 200
    assert imported["seconds"] > 0
    assert imported["rows_per_second"] > 0
    assert 0 < imported["figures_written"] <= 120  # 20 lines x open periods P7-P12
    if user_db.postgres:  # the hand-written set-based pipeline writes the same figures
        assert imported["floor_figures"] == imported["figures_written"]
        # The floor commits, as the import does; its commit is a part of its time (rounded
        # to the millisecond: a small commit on fast storage may round to 0).
        assert 0 <= imported["floor_commit_seconds"] <= imported["floor_seconds"]
        # The ratio is of the unrounded times; the report rounds both to the millisecond,
        # so it lies between the ratios of their rounding intervals' ends (and is itself
        # rounded to the hundredth). At this size a time is a few milliseconds.
        seconds, floor = imported["seconds"], imported["floor_seconds"]
        low = (seconds - 0.0005) / (floor + 0.0005)
        high = (seconds + 0.0005) / (floor - 0.0005) if floor > 0.0005 else math.inf
        assert low - 0.005 <= imported["floor_ratio"] <= high + 0.005

    scenario = report["scenario"]
    assert scenario["status"] == 200
    assert 0 < scenario["median_ms"] <= scenario["p95_ms"]
    assert scenario["compute"]["samples"] == 2
    assert scenario["meets_target"] == (scenario["p95_ms"] <= targets_of(report)["scenario_ms"])
    assert "| scenario page (" in result.stdout

    load = report["load"]
    assert load["present"] is True, load
    assert (load["server"], load["clients"], load["seconds"]) == ("gunicorn", 2, 1.0)
    assert load["throughput_rps"] > 0
    assert load["statuses"] == {"200": load["requests"]}
    assert load["all_ok"] is True
    assert set(load["pages"]) == {"dashboard", "budgets_index"}
    assert "| load: 2 signed-in clients for 1 s" in result.stdout

    assert report["browser"] == {"present": False, "reason": "--no-browser"}
    # The verdicts follow the targets the report states.
    targets = report["targets"]
    for key, page in report["pages"].items():
        if page.get("status") == 200:
            assert page["meets_target"] == (
                page["p95_ms"] < targets["page_p95_ms"]
                and page["floor_ratio"] <= targets["page_floor_ratio"]
                and page["queries_flat"]
            ), key
    assert "| dashboard | " in result.stdout
    assert "| floor: the dashboard's aggregates as raw SQL |" in result.stdout


def test_bench_refuses_a_scale_below_one_before_touching_any_database():
    with pytest.raises(CommandError, match="--lines must be at least 1"):
        call_command("bench", "--lines", "0", "--no-browser")


def test_bench_refuses_a_load_of_no_time():
    with pytest.raises(CommandError, match="--load-seconds must be more than 0"):
        call_command("bench", "--load-seconds", "0", "--no-browser")


def test_median_and_p95_are_nearest_rank_values_in_milliseconds():
    # 1 s .. 20 s in shuffled order: the 19th of 20 is the 95th percentile.
    samples = [
        float(s) for s in (7, 3, 20, 1, 15, 9, 11, 2, 18, 5, 13, 4, 19, 6, 17, 8, 10, 12, 14, 16)
    ]
    assert summarise(samples) == {"median_ms": 10500.0, "p95_ms": 19000.0, "samples": 20}


def _page(p95_ms: float, median_ms: float, queries: int) -> dict:
    return {
        "present": True,
        "status": 200,
        "p95_ms": p95_ms,
        "median_ms": median_ms,
        "queries": queries,
    }


def test_a_page_meets_its_targets_only_when_fast_near_the_floor_and_flat_in_queries():
    limit, ratio, floor_ms = TARGETS["page_p95_ms"], TARGETS["page_floor_ratio"], 10.0
    at_ratio, past_ratio = floor_ms * ratio, floor_ms * (ratio + 0.1)
    pages = {
        "fast": _page(limit - 1, at_ratio, 7),
        "slow_p95": _page(limit + 1, at_ratio, 7),
        "far_from_floor": _page(limit - 1, past_ratio, 7),
        "more_queries": _page(limit - 1, at_ratio, 8),
        "broken": {"present": True, "status": 500, "queries": 3},
        "missing": {"present": False},
    }
    small = {"fast": 7, "slow_p95": 7, "far_from_floor": 7, "more_queries": 7}

    judge_pages(pages, small, floor_ms)

    assert pages["fast"]["meets_target"] is True
    assert pages["fast"]["floor_ratio"] == ratio
    assert pages["slow_p95"]["meets_target"] is False
    assert pages["far_from_floor"]["meets_target"] is False
    assert pages["more_queries"]["meets_target"] is False
    assert pages["more_queries"]["queries_flat"] is False
    assert pages["broken"]["meets_target"] is False
    assert pages["missing"]["meets_target"] is None


def test_without_playwright_the_browser_part_says_why_and_the_rest_still_imports():
    """Playwright is a development dependency: the bench must import and explain itself
    without it."""
    code = (
        "import sys; sys.modules['playwright'] = None\n"
        "import django; django.setup()\n"
        "import demo.bench.run\n"
        "from demo.bench.browser import browser_unavailable\n"
        "print(browser_unavailable(True))\n"
    )
    result = subprocess.run(  # noqa: S603 - our own code with fixed arguments
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "metbudget.settings",
            "CHROMIUM_PATH": sys.executable,
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "playwright is not installed"
