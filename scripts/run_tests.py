"""`make test` and `make test-fast`: say what will run, run it, close with counts and time.

    python scripts/run_tests.py --chromium PATH [PYTEST ARGS...]   # the whole suite
    python scripts/run_tests.py --no-browser [PYTEST ARGS...]      # without browser tests

It collects the static files, runs pytest with the given arguments and ends with the
wall time and one line of counts, read from pytest's JUnit report (.venv/pytest-report.xml)
so that they show even with `-qq`. Its exit code is pytest's.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
# pytest's JUnit report of the last run, where the closing counts are read from.
REPORT = ROOT / ".venv" / "pytest-report.xml"
VENDORS = {"postgres": "PostgreSQL", "postgresql": "PostgreSQL", "pgsql": "PostgreSQL"}


def database() -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return "SQLite, in memory (DATABASE_URL is not set)"
    parts = urlsplit(url)
    if parts.scheme.startswith("sqlite"):
        return "SQLite (from DATABASE_URL)"
    vendor = VENDORS.get(parts.scheme.split("+")[0], parts.scheme)
    name = parts.path.lstrip("/")
    user = f"{parts.username}@" if parts.username else ""
    port = f":{parts.port}" if parts.port else ""
    return f"{vendor} {user}{parts.hostname}{port}, test database test_{name} (DATABASE_URL)"


def duration(seconds: float) -> str:
    minutes, seconds = divmod(round(seconds), 60)
    return f"{minutes}m {seconds:02d}s" if minutes else f"{seconds}s"


def counts(report: Path) -> str | None:
    """`N passed, N failed, N skipped` from pytest's JUnit report (errors count as failed,
    expected failures as skipped); None when pytest wrote no report."""
    if not report.exists() or report.stat().st_size == 0:
        return None
    root = ET.parse(report).getroot()  # noqa: S314 - pytest's own file, just written
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    total = failed = skipped = 0
    for suite in suites:
        total += int(suite.get("tests", 0))
        failed += int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        skipped += int(suite.get("skipped", 0))
    passed = total - failed - skipped
    return f"{passed} passed, {failed} failed, {skipped} skipped"


def main(argv: list[str]) -> int:
    if argv[:1] == ["--chromium"] and len(argv) >= 2:
        chromium, pytest_args = argv[1], argv[2:]
        target, browser = "make test", chromium
        os.environ["CHROMIUM_PATH"] = chromium
    elif argv[:1] == ["--no-browser"]:
        pytest_args = ["-m", "not browser", *argv[1:]]
        target, browser = "make test-fast", "none: browser tests left out (`make test` runs them)"
    else:
        print(__doc__, file=sys.stderr)
        return 2
    python = sys.executable
    pytest = [str(Path(python).with_name("pytest")), *pytest_args]
    print(f"{target}: what runs", flush=True)
    print(f"  database: {database()}")
    print(f"  browser:  {browser}")
    print(f"  pytest:   {shlex.join(['pytest', *pytest_args])}", flush=True)

    start = time.monotonic()
    collect = [python, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"]
    code = subprocess.call(collect, cwd=ROOT)  # noqa: S603 - fixed command
    if code != 0:
        print(f"{target}: collectstatic failed (exit {code})")
        return code
    collected = time.monotonic()
    REPORT.unlink(missing_ok=True)
    code = subprocess.call([*pytest, f"--junitxml={REPORT}"], cwd=ROOT)  # noqa: S603
    summary = counts(REPORT)
    end = time.monotonic()
    print(
        f"{target}: {duration(end - start)} in all (collectstatic "
        f"{duration(collected - start)}, pytest {duration(end - collected)}), pytest exit {code}"
    )
    if summary:
        print(f"tests: {summary}")
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
