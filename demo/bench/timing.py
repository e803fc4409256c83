"""The targets the results are judged against, and how a call is timed."""

import math
import statistics
import time
from collections.abc import Callable

# The targets of the benchmark, reported beside the results.
TARGETS = {
    "page_p95_ms": 100,
    "page_floor_ratio": 2,
    "query_counts": "flat: the same at 10% of the data and at full scale",
    "import_seconds": 1.5,
    "import_floor_ratio": 1.5,
    "charts_warm_ms": 500,
    "scenario_ms": 1000,
}


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
