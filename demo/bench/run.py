"""The whole benchmark: a scratch database, a dataset grown in two steps (query counts at a
tenth of the data and at full scale must match), then every measurement, as one report."""

import gc
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from common.startup import settle
from demo.bench.browser import measure_browser
from demo.bench.conditions import BENCH_SETTINGS
from demo.bench.dataset import grow, start_dataset
from demo.bench.floor import measure_floor
from demo.bench.importing import measure_import
from demo.bench.load import LoadOptions, bench_load
from demo.bench.pages import judge_pages, measure_pages, page_specs, profile_request, resolve
from demo.bench.scenarios import measure_scenario
from demo.bench.scratch import scratch_database
from demo.bench.timing import TARGETS


@dataclass
class Options:
    lines: int = 2000
    years: int = 10
    contracts: int = 500
    initiatives: int = 1000
    requests: int = 20
    import_rows: int = 100_000
    browser: bool = True
    import_only: bool = False  # generate the data, then time only the import
    pages_only: bool = False  # time the pages (and the floor) only
    load: LoadOptions = field(default_factory=LoadOptions)


def analyse() -> None:
    """Fresh planner statistics, as autovacuum would have after a real load."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def database_version() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            return "SQLite " + cursor.fetchone()[0]
        cursor.execute("SELECT version()")
        return cursor.fetchone()[0]


def run(options: Options, log: Callable[[str], None] = lambda message: None) -> dict:
    """Everything, in a scratch database that is destroyed at the end. Returns the report
    (see the README's Benchmark section for its keys)."""
    started = time.perf_counter()
    report: dict = {"version": 1, "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    # Timings on a busy machine are slower: say how busy it was.
    report["host"] = {"cpus": os.cpu_count(), "load_average_start": os.getloadavg()}
    with override_settings(**BENCH_SETTINGS), scratch_database() as name:
        report["database"] = {
            "vendor": connection.vendor,
            "version": database_version(),
            "scratch_name": os.path.basename(name) if connection.vendor == "sqlite" else name,
        }
        log(f"scratch database {name} ({report['database']['version']})")
        mark = time.perf_counter()
        data = start_dataset(years=options.years)
        # First a tenth of the data: query counts there and at full scale must match.
        grow(
            data,
            lines=max(2, options.lines // 10),
            contracts=max(1, options.contracts // 10),
            initiatives=max(1, options.initiatives // 10),
        )
        client = Client()
        client.force_login(data.finance_user)
        specs = page_specs(data)
        small_queries = {
            spec.key: profile_request(client, url, built=spec.built)["queries"]
            for spec in specs
            if (url := resolve(spec))
        }
        small_scale = data.counts()
        grow(
            data,
            lines=options.lines,
            contracts=options.contracts,
            initiatives=options.initiatives,
        )
        analyse()
        report["generate_seconds"] = round(time.perf_counter() - mark, 2)
        report["scale"] = {
            **data.counts(),
            "requests": options.requests,
            "import_rows": options.import_rows,
            "small_scale": small_scale,
        }
        log(f"generated {data.figure_count} monthly figures in {report['generate_seconds']} s")
        if not options.import_only:
            measure_reads(report, data, client, specs, small_queries, options, log)
        if options.pages_only:
            report["targets"] = TARGETS
            report["host"]["load_average_end"] = os.getloadavg()
            report["duration_seconds"] = round(time.perf_counter() - started, 1)
            return report
        report["import"] = imported = measure_import(data, options.import_rows)
        log(
            f"import: {imported['seconds']} s, floor {imported.get('floor_seconds', '—')} s"
            if "seconds" in imported
            else f"import: {imported.get('reason') or imported.get('error')}"
        )
    report["import_only"] = options.import_only
    report["targets"] = TARGETS
    report["host"]["load_average_end"] = os.getloadavg()
    report["duration_seconds"] = round(time.perf_counter() - started, 1)
    return report


def measure_reads(report: dict, data, client, specs, small_queries, options, log) -> None:
    """Everything but the import: the floor, the pages, the load, the scenario, Chromium."""
    report["floor"] = measure_floor(data, options.requests)
    log(f"floor {report['floor']['median_ms']} ms")
    # Pages are timed as a served process answers them (metbudget/wsgi.py): with what is
    # loaded, here the dataset's own objects too, set aside from the garbage collector.
    settle()
    try:
        report["pages"] = measure_pages(client, specs, options.requests)
    finally:
        gc.unfreeze()
    judge_pages(report["pages"], small_queries, report["floor"]["median_ms"])
    for key, page in report["pages"].items():
        log(f"{key}: {page.get('median_ms', page.get('status', 'not present'))} ms")
    if options.pages_only:
        return
    report["load"] = load = bench_load(
        data.finance_user,
        connection.settings_dict["NAME"],
        {"dashboard": reverse("home"), "budgets_index": reverse("budgets:index")},
        options.load,
    )
    log(
        f"load: {load['throughput_rps']} requests/s, p95 {load['p95_ms']} ms, "
        f"answers {load['statuses']}"
        if load["present"]
        else f"load: not run ({load['reason']})"
    )
    report["scenario"] = scenario = measure_scenario(
        data, client, options.requests, report["floor"]["median_ms"]
    )
    log(f"scenario: {scenario['median_ms']} ms (computation {scenario['compute']['median_ms']} ms)")
    report["browser"] = measure_browser(data, enabled=options.browser)
    browser = report["browser"]
    log(
        f"browser: {browser['charts']} charts, cold {browser['cold_ms']} ms, "
        f"warm {browser['warm_ms']} ms"
        if browser["present"]
        else f"browser: not run ({browser['reason']})"
    )
