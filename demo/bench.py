"""The benchmark behind `manage.py bench`: a scratch database, a synthetic dataset, and
timings of every page, the database's own floor, the import and the browser.

Nothing here touches the configured database. `scratch_database()` creates a separate one
with Django's test-database machinery (a temporary SQLite file, or `<name>_bench` on
PostgreSQL), points the default connection at it, and drops it afterwards.

Synthetic rows are written with `bulk_create`. The registers (suppliers, contracts, lines,
initiatives) get one "created" history row each, as real ones would; the bulk of the data
(monthly figures, initiative years, contract changes) gets none: the benchmark measures
reads and the import, and millions of history rows would only slow generation down.
"""

import csv
import gzip
import hashlib
import importlib
import importlib.util
import io
import math
import os
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from simple_history.utils import bulk_create_with_history

from budgets.models import BudgetLine, Category, FinancialYear, MonthlyFigure
from common.roles import COMMITTEE, FINANCE
from contracts.models import Contract, ContractChange, Supplier
from savings.models import Initiative, InitiativeYear, ReductionProgramme, SavingsTarget

# The targets of the benchmark, reported beside the results.
TARGETS = {
    "page_p95_ms": 150,
    "page_floor_ratio": 3,
    "query_counts": "flat: the same at 10% of the data and at full scale",
    "import_seconds": 20,
    "import_copy_ratio": 5,
    "charts_warm_ms": 1000,
}

# The same Chromium flags as the browser tests (tests/browser/conftest.py): without the
# background-networking ones Chromium floods a closed network with refused connections.
CHROMIUM = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Settings for measuring as production runs (DEBUG off) over plain HTTP in one process:
# the test client's host is allowed, nothing redirects to https, cookies work over http,
# and static files need no collectstatic manifest.
BENCH_SETTINGS = {
    "DEBUG": False,
    "ALLOWED_HOSTS": ["testserver", "localhost", "127.0.0.1"],
    "SECURE_SSL_REDIRECT": False,
    "SECURE_HSTS_SECONDS": 0,
    "SESSION_COOKIE_SECURE": False,
    "CSRF_COOKIE_SECURE": False,
    "STORAGES": {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    },
}

CATEGORIES = [
    ("Outsourced services", "run"),
    ("Applications", "run"),
    ("Infrastructure & hosting", "run"),
    ("Networks & telephony", "run"),
    ("End-user devices", "run"),
    ("Licences", "run"),
    ("In-house staff", "run"),
    ("Change portfolio", "change"),
]
LAST_YEAR_START = 2015  # the synthetic data ends with 2015-16
ACTUALS_THROUGH = 6  # the latest year has actuals for P1-P6; P7-P12 are open
BATCH = 5000


# --- the scratch database -------------------------------------------------------------


@contextmanager
def scratch_database(alias: str = "default", verbosity: int = 0) -> Iterator[str]:
    """Create and migrate a scratch database, switch `alias` to it, yield its name, and
    destroy it afterwards. SQLite: a file in a temporary directory; PostgreSQL and others:
    `<configured name>_bench` on the same server."""
    conn = connections[alias]
    original_name = conn.settings_dict["NAME"]
    original_test = dict(conn.settings_dict.get("TEST") or {})
    tmpdir = None
    if conn.vendor == "sqlite":
        tmpdir = tempfile.mkdtemp(prefix="metbudget-bench-")
        scratch = os.path.join(tmpdir, "bench.sqlite3")
    else:
        scratch = f"{original_name}_bench"
    conn.settings_dict["TEST"] = {**original_test, "NAME": scratch}
    conn.close()
    try:
        # Checked before anything is created or migrated: never the configured database.
        planned = conn.creation._get_test_db_name()
        if planned != scratch or planned == original_name:
            raise RuntimeError(f"refusing to benchmark in {planned!r}: not a scratch database")
        name = conn.creation.create_test_db(
            verbosity=verbosity, autoclobber=True, serialize=False, keepdb=False
        )
        try:
            yield name
        finally:
            conn.creation.destroy_test_db(original_name, verbosity=verbosity, keepdb=False)
    finally:
        conn.settings_dict["NAME"] = original_name
        settings.DATABASES[alias]["NAME"] = original_name
        conn.settings_dict["TEST"] = original_test
        if tmpdir:
            shutil.rmtree(tmpdir, ignore_errors=True)


# --- synthetic data -----------------------------------------------------------------


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    """A random amount in pounds and pence between low and high pounds."""
    return Decimal(rng.randint(low * 100, high * 100)).scaleb(-2)


@dataclass
class Dataset:
    """What the generator made, and what the measurements need to find it again."""

    years: list[FinancialYear] = field(default_factory=list)
    categories: list[Category] = field(default_factory=list)
    suppliers: list[Supplier] = field(default_factory=list)
    contract_ids: list[int] = field(default_factory=list)
    line_count: int = 0
    contract_count: int = 0
    initiative_count: int = 0
    figure_count: int = 0
    initiative_year_count: int = 0
    finance_user: User | None = None
    rng: random.Random = field(default_factory=lambda: random.Random(2015))

    @property
    def latest(self) -> FinancialYear:
        return self.years[-1]

    def counts(self) -> dict:
        return {
            "lines": self.line_count,
            "years": len(self.years),
            "contracts": self.contract_count,
            "initiatives": self.initiative_count,
            "monthly_figures": self.figure_count,
            "initiative_years": self.initiative_year_count,
        }


def start_dataset(*, years: int) -> Dataset:
    """Years, categories, the savings programme with a target per year, and one user per
    role. Everything else is added by `grow`."""
    data = Dataset()
    first = LAST_YEAR_START - years + 1
    data.years = FinancialYear.objects.bulk_create(
        FinancialYear(
            label=FinancialYear.label_for(start),
            start=date(start, 4, 1),
            closed_through=12 if start < LAST_YEAR_START else ACTUALS_THROUGH,
        )
        for start in range(first, LAST_YEAR_START + 1)
    )
    data.categories = Category.objects.bulk_create(
        Category(name=name, kind=kind, order=i) for i, (name, kind) in enumerate(CATEGORIES)
    )
    programme = ReductionProgramme.objects.create(
        name="Synthetic reduction programme",
        organisation_budget=Decimal("3000000000.00"),
        reduction_target=Decimal("500000000.00"),
        first_year=data.years[0],
        last_year=data.latest,
        baseline_year=data.years[0],
        technology_baseline=Decimal("325000000.00"),
    )
    SavingsTarget.objects.bulk_create(
        SavingsTarget(
            programme=programme, year=year, amount=_money(data.rng, 20_000_000, 60_000_000)
        )
        for year in data.years
    )
    data.finance_user = _user("bench-finance", FINANCE)
    _user("bench-committee", COMMITTEE)
    return data


def _user(username: str, role: str) -> User:
    user = User.objects.create_user(username=username, password=None)
    user.groups.add(Group.objects.get(name=role))
    return user


def grow(data: Dataset, *, lines: int, contracts: int, initiatives: int) -> None:
    """Add rows until the dataset has `lines` lines (each with 12 figures in every year),
    `contracts` contracts (each with an award) and `initiatives` initiatives (each with
    savings in the last three years and one or two lines)."""
    _add_contracts(data, contracts)
    _add_lines(data, lines)
    _add_initiatives(data, initiatives)


def _add_contracts(data: Dataset, total: int) -> None:
    rng = data.rng
    wanted_suppliers = max(1, total // 5)
    if len(data.suppliers) < wanted_suppliers:
        data.suppliers += bulk_create_with_history(
            [
                Supplier(name=f"Supplier {i:05d}")
                for i in range(len(data.suppliers), wanted_suppliers)
            ],
            Supplier,
            batch_size=BATCH,
        )
    new = []
    for i in range(data.contract_count, total):
        start = date(rng.randint(2004, 2014), rng.randint(1, 12), 1)
        years = rng.randint(2, 10)
        annual = _money(rng, 50_000, 20_000_000)
        status = Contract.Status.ACTIVE if start.year + years >= 2015 else Contract.Status.EXPIRED
        new.append(
            Contract(
                reference=f"BENCH-C{i:05d}",
                title=f"Synthetic contract {i}",
                supplier=data.suppliers[i % len(data.suppliers)],
                start_date=start,
                end_date=date(start.year + years, start.month, 1),
                notice_months=rng.choice([3, 6, 12]),
                annual_value=annual,
                total_value=annual * years,
                status=status,
            )
        )
    created = bulk_create_with_history(new, Contract, batch_size=BATCH)
    ContractChange.objects.bulk_create(
        (
            ContractChange(
                contract=c,
                effective_date=c.start_date,
                kind=ContractChange.Kind.AWARD,
                new_end_date=c.end_date,
                value_change=c.total_value,
            )
            for c in created
        ),
        batch_size=BATCH,
    )
    data.contract_ids += [c.pk for c in created]
    data.contract_count = total


def _add_lines(data: Dataset, total: int) -> None:
    rng = data.rng
    new_lines = [
        BudgetLine(
            code=f"L{i:06d}",
            name=f"Synthetic line {i}",
            category=data.categories[i % len(data.categories)],
            # Three lines in five pay a contract, as in the real budget.
            contract_id=data.contract_ids[i % len(data.contract_ids)] if i % 5 < 3 else None,
            owner=f"Owner {i % 40}",
        )
        for i in range(data.line_count, total)
    ]
    created = bulk_create_with_history(new_lines, BudgetLine, batch_size=BATCH)
    batch: list[MonthlyFigure] = []
    for line in created:
        monthly = _money(rng, 1_000, 200_000)
        for year in data.years:
            for period in range(1, 13):
                has_actual = year.closed_through == 12 or period <= ACTUALS_THROUGH
                budget = monthly
                batch.append(
                    MonthlyFigure(
                        line=line,
                        year=year,
                        period=period,
                        budget=budget,
                        actual=budget + _money(rng, -500, 800) if has_actual else None,
                        forecast=None
                        if has_actual or rng.random() < 0.7
                        else budget + _money(rng, 0, 5_000),
                    )
                )
            if len(batch) >= BATCH:
                MonthlyFigure.objects.bulk_create(batch, batch_size=BATCH)
                data.figure_count += len(batch)
                batch = []
    MonthlyFigure.objects.bulk_create(batch, batch_size=BATCH)
    data.figure_count += len(batch)
    data.line_count = total


def _add_initiatives(data: Dataset, total: int) -> None:
    rng = data.rng
    levers, stages = Initiative.Lever.values, Initiative.Stage.values
    confidences = Initiative.Confidence.values
    created = bulk_create_with_history(
        [
            Initiative(
                code=f"INI-{i:05d}",
                name=f"Synthetic initiative {i}",
                lever=levers[i % len(levers)],
                stage=stages[i % len(stages)],
                confidence=confidences[i % len(confidences)],
                cashable=i % 10 != 0,
                contract_id=data.contract_ids[i % len(data.contract_ids)] if i % 2 else None,
            )
            for i in range(data.initiative_count, total)
        ],
        Initiative,
        batch_size=BATCH,
    )
    rows = []
    for initiative in created:
        for year in data.years[-3:]:
            planned = _money(rng, 10_000, 500_000)
            rows.append(
                InitiativeYear(
                    initiative=initiative,
                    year=year,
                    planned=planned,
                    forecast=planned - _money(rng, 0, 5_000) if rng.random() < 0.5 else None,
                    realised=planned - _money(rng, 0, 20_000) if year.closed_through else None,
                )
            )
    InitiativeYear.objects.bulk_create(rows, batch_size=BATCH)
    data.initiative_year_count += len(rows)
    links = Initiative.lines.through
    line_ids = list(BudgetLine.objects.values_list("pk", flat=True))
    links.objects.bulk_create(
        (
            links(initiative_id=initiative.pk, budgetline_id=line_id)
            for n, initiative in enumerate(created)
            for line_id in {line_ids[n % len(line_ids)], line_ids[(n * 7) % len(line_ids)]}
        ),
        batch_size=BATCH,
    )
    data.initiative_count = total


# --- timing ----------------------------------------------------------------------------


def summarise(seconds: list[float]) -> dict:
    """Median and 95th percentile (nearest rank) in milliseconds."""
    ordered = sorted(seconds)
    rank = max(0, math.ceil(0.95 * len(ordered)) - 1)
    return {
        "median_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(ordered[rank] * 1000, 2),
        "samples": len(ordered),
    }


def time_calls(call: Callable[[], object], repeats: int) -> dict:
    call()  # warm caches (templates, query plans) before timing
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
    return summarise(samples)


# --- pages --------------------------------------------------------------------------------


@dataclass
class PageSpec:
    key: str
    url_name: str
    kwargs_options: list[dict]  # tried in turn: the first that reverses is used
    query: str = ""


def page_specs(data: Dataset) -> list[PageSpec]:
    """Every page the issue names, with real objects from the dataset as arguments."""
    line = BudgetLine.objects.order_by("code").first()
    contract = Contract.objects.filter(budget_lines__isnull=False).order_by("reference").first()
    initiative = Initiative.objects.order_by("code").first()
    label = data.latest.label
    period = ACTUALS_THROUGH + 1
    category = data.categories[0]
    return [
        PageSpec("dashboard", "home", [{}]),
        PageSpec("budgets_index", "budgets:index", [{}]),
        PageSpec("budgets_filtered", "budgets:index", [{}], f"category={category.pk}"),
        PageSpec("budgets_sorted", "budgets:index", [{}], "sort=-variance"),
        PageSpec("budgets_export_csv", "budgets:index", [{}], "_export=csv"),
        PageSpec("budget_line", "budgets:line", [{"code": line.code}, {"line_code": line.code}]),
        PageSpec(
            "period_entry",
            "budgets:period",
            [{"year": label, "n": period}, {"year": label, "period": period}],
        ),
        PageSpec("contracts_index", "contracts:index", [{}]),
        PageSpec("contract_detail", "contracts:detail", [{"reference": contract.reference}]),
        PageSpec(
            "supplier",
            "contracts:supplier",
            [{"pk": contract.supplier_id}, {"supplier_id": contract.supplier_id}],
        ),
        PageSpec("savings", "savings:index", [{}]),
        PageSpec("initiative", "savings:initiative", [{"initiative_code": initiative.code}]),
        PageSpec("forecast_entry", "budgets:forecast", [{"year": label}]),
        PageSpec("history", "history", [{}]),
    ]


def resolve(spec: PageSpec) -> str | None:
    """The page's URL, or None when no such URL name exists (yet)."""
    for kwargs in spec.kwargs_options:
        try:
            url = reverse(spec.url_name, kwargs=kwargs or None)
        except NoReverseMatch:
            continue
        return f"{url}?{spec.query}" if spec.query else url
    return None


def profile_request(client: Client, url: str) -> dict:
    """One GET with its SQL recorded: status (500 when the page raised; Django logs why),
    response bytes, number of queries, their total time and the slowest one."""
    response = None
    timings: list[tuple[float, str]] = []

    def timed(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timings.append((time.perf_counter() - start, sql))

    # A page under construction must not stop the benchmark: suppress what it raises.
    with (
        CaptureQueriesContext(connection) as captured,
        connection.execute_wrapper(timed),
        suppress(Exception),
    ):
        response = client.get(url)
    slowest = max(timings, default=(0.0, ""))
    return {
        "status": response.status_code if response is not None else 500,
        "bytes": len(response.content) if response is not None else 0,
        "queries": len(captured),
        "db_ms": round(sum(t for t, _ in timings) * 1000, 2),
        "slowest_query_ms": round(slowest[0] * 1000, 2),
        "slowest_query": slowest[1][:500],
    }


def measure_pages(client: Client, specs: list[PageSpec], repeats: int) -> dict:
    """Per page: one profiled request (status, queries, database time), then the median
    and p95 time of `repeats` GETs for pages that answer 200."""
    results = {}
    for spec in specs:
        url = resolve(spec)
        entry = {"url_name": spec.url_name, "present": url is not None, "url": url}
        if url is not None:
            entry.update(profile_request(client, url))
            if entry["status"] == 200:
                entry.update(time_calls(lambda url=url: client.get(url), repeats))
        results[spec.key] = entry
    return results


def judge_pages(pages: dict, small_queries: dict, floor_ms: float) -> None:
    """Add each page's floor ratio, query flatness and whether it meets the targets."""
    for key, page in pages.items():
        if page.get("status") != 200:
            page["meets_target"] = False if page["present"] else None
            continue
        page["queries_small_scale"] = small_queries[key]
        page["queries_flat"] = page["queries"] == small_queries[key]
        page["floor_ratio"] = round(page["median_ms"] / floor_ms, 1)
        page["meets_target"] = (
            page["p95_ms"] < TARGETS["page_p95_ms"]
            and page["floor_ratio"] <= TARGETS["page_floor_ratio"]
            and page["queries_flat"]
        )


# --- the floor: the dashboard's aggregates as raw SQL ----------------------------------

# What the dashboard has to ask the database, written by hand: the selected year's totals,
# months and categories; spend by year and by supplier across all years (its charts
# compare years); and the savings pipeline by year.
FLOOR_SQL = {
    "year_totals": """
        SELECT SUM(budget),
               SUM(CASE WHEN period <= %(as_at)s THEN actual END),
               SUM(CASE WHEN period > %(as_at)s THEN COALESCE(forecast, budget) END)
        FROM budgets_monthlyfigure WHERE year_id = %(year)s""",
    "by_period": """
        SELECT period, SUM(budget), SUM(actual), SUM(COALESCE(forecast, budget))
        FROM budgets_monthlyfigure WHERE year_id = %(year)s
        GROUP BY period ORDER BY period""",
    "by_category": """
        SELECT c.name, c.kind, SUM(f.budget),
               SUM(CASE WHEN f.period <= %(as_at)s THEN f.actual END),
               SUM(CASE WHEN f.period > %(as_at)s THEN COALESCE(f.forecast, f.budget) END)
        FROM budgets_monthlyfigure f
        JOIN budgets_budgetline l ON l.id = f.line_id
        JOIN budgets_category c ON c.id = l.category_id
        WHERE f.year_id = %(year)s
        GROUP BY c.id, c.name, c.kind, c."order" ORDER BY c."order", c.name""",
    "spend_by_year": """
        SELECT y.label, SUM(f.actual), SUM(COALESCE(f.actual, f.forecast, f.budget))
        FROM budgets_monthlyfigure f JOIN budgets_financialyear y ON y.id = f.year_id
        GROUP BY y.id, y.label, y.start ORDER BY y.start""",
    "spend_by_supplier": """
        SELECT f.year_id, s.id, s.name,
               SUM(f.actual), SUM(COALESCE(f.actual, f.forecast, f.budget)) AS o
        FROM budgets_monthlyfigure f
        JOIN budgets_budgetline l ON l.id = f.line_id
        LEFT JOIN contracts_contract k ON k.id = l.contract_id
        LEFT JOIN contracts_supplier s ON s.id = k.supplier_id
        GROUP BY f.year_id, s.id, s.name ORDER BY f.year_id, o DESC""",
    "savings_by_year": """
        SELECT iy.year_id,
               SUM(CASE WHEN i.cashable AND i.stage <> 'abandoned' THEN iy.planned END),
               SUM(CASE WHEN i.cashable AND i.stage IN ('approved', 'in_delivery', 'delivered')
                        THEN iy.planned END),
               SUM(CASE WHEN i.cashable THEN iy.realised END),
               SUM(CASE WHEN i.cashable AND i.stage <> 'abandoned'
                        THEN COALESCE(iy.forecast, iy.planned) END)
        FROM savings_initiativeyear iy JOIN savings_initiative i ON i.id = iy.initiative_id
        GROUP BY iy.year_id""",
}


def measure_floor(data: Dataset, repeats: int) -> dict:
    """Each aggregate timed alone, and all of them in a row: the floor a dashboard request
    cannot beat, since it needs every one of these answers."""
    params = {"year": data.latest.pk, "as_at": ACTUALS_THROUGH}

    def run(sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.fetchall()

    queries = {
        name: time_calls(lambda sql=sql: run(sql), repeats) for name, sql in FLOOR_SQL.items()
    }
    total = time_calls(lambda: [run(sql) for sql in FLOOR_SQL.values()], repeats)
    return {**total, "queries": queries}


# --- import ----------------------------------------------------------------------------------


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
        amount = _money(rng, 1, 50_000)
        text = {8: f"£{amount:,}", 9: f"({amount})"}.get(n % 10, str(amount))
        writer.writerow([codes[n % len(codes)], day.isoformat(), text])
    return out.getvalue().encode()


def find_importer():
    """budgets.importing when it exists, else None."""
    try:
        return importlib.import_module("budgets.importing")
    except ModuleNotFoundError as error:
        if error.name == "budgets.importing":
            return None
        raise


def measure_import(data: Dataset, rows: int) -> dict:
    """Parse, validate and apply a generated ledger of `rows` rows as the Finance user,
    timing each step; on PostgreSQL also COPY the same file, the floor for loading it."""
    importer = find_importer()
    if importer is None:
        return {"present": False, "rows": rows, "reason": "budgets.importing does not exist"}
    payload = ledger_csv(data, rows)
    filename = "bench-ledger.csv"
    sha256 = hashlib.sha256(payload).hexdigest()
    result = {"present": True, "rows": rows, "bytes": len(payload)}
    start = time.perf_counter()
    parsed = importer.parse_file(filename, payload)
    result["parse_seconds"] = round(time.perf_counter() - start, 3)
    mark = time.perf_counter()
    plan = importer.validate(parsed)
    if plan.errors:
        result.update(error=f"the generated file did not validate: {plan.errors[:3]}")
        return result
    result["validate_seconds"] = round(time.perf_counter() - mark, 3)
    mark = time.perf_counter()
    batch = importer.apply_import(
        plan=plan, user=data.finance_user, filename=filename, sha256=sha256
    )
    result["apply_seconds"] = round(time.perf_counter() - mark, 3)
    result["figures_written"] = batch.figure_count
    seconds = time.perf_counter() - start
    result["seconds"] = round(seconds, 3)
    result["rows_per_second"] = round(rows / seconds)
    if connection.vendor == "postgresql":
        copy = copy_seconds(payload)
        result["copy_seconds"] = round(copy, 3)
        result["copy_ratio"] = round(seconds / copy, 1)
    result["meets_target"] = seconds < TARGETS["import_seconds"] and (
        result.get("copy_ratio", 0) <= TARGETS["import_copy_ratio"]
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
        sql = "COPY bench_ledger FROM STDIN WITH (FORMAT csv, HEADER true)"
        raw = cursor.cursor
        if hasattr(raw, "copy_expert"):  # psycopg2
            raw.copy_expert(sql, io.BytesIO(payload))
        else:  # psycopg 3
            with raw.copy(sql) as copy:
                copy.write(payload)
        cursor.execute("SELECT count(*) FROM bench_ledger")
        count = cursor.fetchone()[0]
        elapsed = time.perf_counter() - start
        cursor.execute("DROP TABLE bench_ledger")
    if count != payload.count(b"\n") - 1:
        raise RuntimeError(f"COPY loaded {count} rows")
    return elapsed


# --- the browser ---------------------------------------------------------------------------

CHARTS_DRAWN_JS = """() => {
  const charts = document.querySelectorAll('[data-chart]').length;
  const drawn = document.querySelectorAll('[data-chart-drawn]').length;
  const done = charts > 0 ? drawn === charts : document.readyState === 'complete';
  const nav = performance.getEntriesByType('navigation')[0];
  return done ? {charts: charts, ms: performance.now(), html: nav.responseEnd} : false;
}"""


def browser_unavailable(enabled: bool) -> str | None:
    """Why the browser measurement cannot run, or None when it can."""
    if not enabled:
        return "--no-browser"
    if not os.path.exists(CHROMIUM):
        return f"no Chromium at {CHROMIUM}"
    if importlib.util.find_spec("playwright") is None:
        return "playwright is not installed"
    return None


def measure_browser(
    data: Dataset, *, enabled: bool, cold_runs: int = 3, warm_runs: int = 5
) -> dict:
    """Time from navigation start to every dashboard chart drawn, in Chromium against a
    live server in this process: cold (new browser profile) and warm (same profile)."""
    reason = browser_unavailable(enabled)
    if reason:
        return {"present": False, "reason": reason}
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.test.testcases import LiveServerThread
    from playwright.sync_api import sync_playwright

    path = resolve(PageSpec("dashboard", "home", [{}]))
    client = Client()
    client.force_login(data.finance_user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    # Playwright's sync API runs an event loop in this thread; the ORM is only used by the
    # server thread from here on.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    server = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    base = f"http://127.0.0.1:{server.port}"
    cookie = {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                colds = []
                for _ in range(cold_runs):
                    context = browser.new_context()
                    context.add_cookies([cookie])
                    colds.append(_load(context.new_page(), base + path))
                    context.close()
                context = browser.new_context()
                context.add_cookies([cookie])
                page = context.new_page()
                _load(page, base + path)
                warms = [_load(page, base + path) for _ in range(warm_runs)]
                context.close()
            finally:
                browser.close()
    finally:
        server.terminate()
        server.join()
    return {
        "present": True,
        "url": path,
        "charts": colds[0]["charts"],
        "cold_ms": round(statistics.median(r["ms"] for r in colds), 1),
        "warm_ms": round(statistics.median(r["ms"] for r in warms), 1),
        "cold_html_ms": round(statistics.median(r["html_ms"] for r in colds), 1),
        "warm_html_ms": round(statistics.median(r["html_ms"] for r in warms), 1),
        "cold_runs": cold_runs,
        "warm_runs": warm_runs,
        "cold_transferred_bytes": colds[0]["transferred_bytes"],
        "cold_body_bytes": colds[0]["body_bytes"],
        "cold_gzip_bytes": colds[0]["gzip_bytes"],
        "cold_requests": colds[0]["requests"],
        "warm_transferred_bytes": warms[-1]["transferred_bytes"],
        "warm_requests": warms[-1]["requests"],
        "static_files": "Django StaticFilesHandler, plain StaticFilesStorage, uncompressed",
        # With no charts on the dashboard there is nothing to hold to the target yet.
        "meets_target": (
            statistics.median(r["ms"] for r in warms) < TARGETS["charts_warm_ms"]
            if colds[0]["charts"]
            else None
        ),
    }


def _load(page, url: str) -> dict:
    """Navigate, wait for every chart drawn, and count what came over the network."""
    finished = []

    def collect(request) -> None:
        finished.append(request)

    page.on("requestfinished", collect)
    page.goto(url, wait_until="commit")
    drawn = page.wait_for_function(CHARTS_DRAWN_JS, polling="raf", timeout=60_000).json_value()
    page.wait_for_load_state("networkidle")
    page.remove_listener("requestfinished", collect)
    transferred = body = compressed = 0
    for request in finished:
        sizes = request.sizes()
        transferred += max(0, sizes["responseBodySize"]) + max(0, sizes["responseHeadersSize"])
        response = request.response()
        if response is not None and response.status == 200 and sizes["responseBodySize"]:
            content = response.body()
            body += len(content)
            compressed += len(gzip.compress(content, compresslevel=6))
    return {
        "charts": drawn["charts"],
        "ms": drawn["ms"],
        "html_ms": drawn["html"],
        "requests": len(finished),
        "transferred_bytes": transferred,
        "body_bytes": body,
        "gzip_bytes": compressed,
    }


# --- the whole run -------------------------------------------------------------------------


@dataclass
class Options:
    lines: int = 2000
    years: int = 10
    contracts: int = 500
    initiatives: int = 1000
    requests: int = 20
    import_rows: int = 100_000
    browser: bool = True


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
    from django.test.utils import override_settings

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
            spec.key: profile_request(client, url)["queries"]
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

        report["floor"] = measure_floor(data, options.requests)
        log(f"floor {report['floor']['median_ms']} ms")
        report["pages"] = measure_pages(client, specs, options.requests)
        judge_pages(report["pages"], small_queries, report["floor"]["median_ms"])
        for key, page in report["pages"].items():
            log(f"{key}: {page.get('median_ms', page.get('status', 'not present'))} ms")

        report["browser"] = measure_browser(data, enabled=options.browser)
        browser = report["browser"]
        log(
            f"browser: {browser['charts']} charts, cold {browser['cold_ms']} ms, "
            f"warm {browser['warm_ms']} ms"
            if browser["present"]
            else f"browser: not run ({browser['reason']})"
        )
        report["import"] = imported = measure_import(data, options.import_rows)
        log(
            f"import: {imported['seconds']} s"
            if "seconds" in imported
            else f"import: {imported.get('reason') or imported.get('error')}"
        )
    report["targets"] = TARGETS
    report["host"]["load_average_end"] = os.getloadavg()
    report["duration_seconds"] = round(time.perf_counter() - started, 1)
    return report


# --- the markdown table --------------------------------------------------------------------


def _yes_no(flag: bool | None) -> str:
    return "—" if flag is None else ("yes" if flag else "**no**")


def markdown(report: dict) -> str:
    db, scale, floor, host = report["database"], report["scale"], report["floor"], report["host"]
    lines = [
        f"Benchmark on {db['version'].split(' on ')[0]}: {scale['lines']:,} lines x "
        f"{scale['years']} years ({scale['monthly_figures']:,} monthly figures), "
        f"{scale['contracts']:,} contracts, {scale['initiatives']:,} initiatives; "
        f"{scale['requests']} requests per page as a Finance user; DEBUG off; "
        f"{host['cpus']} CPUs, load average {host['load_average_start'][0]:.1f} at the start "
        f"and {host['load_average_end'][0]:.1f} at the end.",
        "",
        f"Targets: every page p95 under {TARGETS['page_p95_ms']} ms and its median within "
        f"{TARGETS['page_floor_ratio']}x the floor's; the same query count at a tenth of the "
        "data and at full scale. SQL ms: time of the page's own queries in one request.",
        "",
        f"| page | median ms | p95 ms (< {TARGETS['page_p95_ms']}) | queries: 10% → full "
        f"(equal) | SQL ms | × floor (≤ {TARGETS['page_floor_ratio']}) | meets targets |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for key, page in report["pages"].items():
        if not page["present"]:
            lines.append(f"| {key} (`{page['url_name']}`) | not present | | | | | — |")
        elif page["status"] != 200:
            lines.append(f"| {key} | HTTP {page['status']} | | {page['queries']} | | | **no** |")
        else:
            lines.append(
                f"| {key} | {page['median_ms']} | {page['p95_ms']} | "
                f"{page['queries_small_scale']} → {page['queries']} | {page['db_ms']} | "
                f"{page['floor_ratio']} | {_yes_no(page['meets_target'])} |"
            )
    lines.append(
        f"| floor: the dashboard's aggregates as raw SQL | {floor['median_ms']} | "
        f"{floor['p95_ms']} | {len(floor['queries'])} | {floor['median_ms']} | 1.0 | |"
    )
    lines += ["", "| import and browser | result | target | meets |", "|---|---|---|---|"]
    imported = report["import"]
    import_target = (
        f"< {TARGETS['import_seconds']} s, ≤ {TARGETS['import_copy_ratio']}x COPY (PostgreSQL)"
    )
    if not imported["present"]:
        lines.append(
            f"| import {imported['rows']:,} ledger rows | not present | {import_target} | — |"
        )
    elif "seconds" not in imported:
        lines.append(f"| import | failed: {imported.get('error')} | {import_target} | **no** |")
    else:
        copy = (
            f"; COPY {imported['copy_seconds']} s, ratio {imported['copy_ratio']}x"
            if "copy_seconds" in imported
            else ""
        )
        lines.append(
            f"| import {imported['rows']:,} ledger rows (parse, validate, apply) | "
            f"{imported['seconds']} s ({imported['rows_per_second']:,} rows/s: parse "
            f"{imported['parse_seconds']}, validate {imported['validate_seconds']}, apply "
            f"{imported['apply_seconds']}){copy} | {import_target} | "
            f"{_yes_no(imported['meets_target'])} |"
        )
    browser = report["browser"]
    if not browser["present"]:
        lines.append(f"| dashboard charts in Chromium | not run: {browser['reason']} | | — |")
    else:
        lines.append(
            f"| dashboard: {browser['charts']} charts drawn, cold | {browser['cold_ms']} ms "
            f"(page received at {browser['cold_html_ms']} ms), "
            f"{browser['cold_transferred_bytes']:,} bytes in {browser['cold_requests']} "
            f"requests ({browser['cold_gzip_bytes']:,} gzipped) | | |"
        )
        lines.append(
            f"| dashboard: {browser['charts']} charts drawn, warm | {browser['warm_ms']} ms "
            f"(page received at {browser['warm_html_ms']} ms), "
            f"{browser['warm_transferred_bytes']:,} bytes in {browser['warm_requests']} "
            f"requests | < {TARGETS['charts_warm_ms']} ms | {_yes_no(browser['meets_target'])} |"
        )
    return "\n".join(lines) + "\n"
