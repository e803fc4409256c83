"""Every page the benchmark times, through Django's test client, with its SQL profiled."""

import time
from contextlib import suppress
from dataclasses import dataclass

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from budgets.models import BudgetLine
from common.datacache import forget
from contracts.models import Contract
from demo.bench.dataset import ACTUALS_THROUGH, Dataset
from demo.bench.timing import TARGETS, time_calls
from savings.models import Initiative


@dataclass
class PageSpec:
    key: str
    url_name: str
    kwargs_options: list[dict]  # tried in turn: the first that reverses is used
    query: str = ""
    # Drop what `common.datacache` remembers before each request: the page built afresh,
    # as the first reader after a write sees it.
    built: bool = False


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
        PageSpec("dashboard_built", "home", [{}], built=True),
        PageSpec("budgets_index", "budgets:index", [{}]),
        PageSpec("budgets_filtered", "budgets:index", [{}], f"category={category.pk}"),
        PageSpec("budgets_sorted", "budgets:index", [{}], "sort=-variance"),
        PageSpec("budgets_export_csv", "budgets:index", [{}], "_export=csv"),
        PageSpec("budgets_export_xlsx", "budgets:index", [{}], "_export=xlsx"),
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
        PageSpec("budget_setting", "budgets:set_budget", [{"year": label}]),
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


def profile_request(client: Client, url: str, *, built: bool = False) -> dict:
    """One GET with its SQL recorded: status (500 when the page raised; Django logs why),
    response bytes, number of queries, their total time and the slowest one. `built`: with
    nothing remembered (`PageSpec.built`)."""
    if built:
        forget()
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


def _getter(client: Client, url: str, *, built: bool):
    def get():
        if built:
            forget()
        return client.get(url)

    return get


def measure_pages(client: Client, specs: list[PageSpec], repeats: int) -> dict:
    """Per page: one profiled request (status, queries, database time), then the median
    and p95 time of `repeats` GETs for pages that answer 200."""
    results = {}
    for spec in specs:
        url = resolve(spec)
        entry = {"url_name": spec.url_name, "present": url is not None, "url": url}
        if url is not None:
            entry.update(profile_request(client, url, built=spec.built))
            if entry["status"] == 200:
                entry.update(time_calls(_getter(client, url, built=spec.built), repeats))
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
