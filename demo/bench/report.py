"""The markdown table `manage.py bench` prints: results beside their targets."""

from demo.bench.timing import TARGETS


def _yes_no(flag: bool | None) -> str:
    return "—" if flag is None else ("yes" if flag else "**no**")


def _load_row(load: dict) -> str:
    if not load["present"]:
        return f"| load against gunicorn | not run: {load['reason']} | | — |"
    pages = ", ".join(
        f"{name} p95 {page.get('p95_ms', '—')} ms ({page['requests']} requests)"
        for name, page in load["pages"].items()
    )
    answers = ", ".join(f"{count} × {status}" for status, count in sorted(load["statuses"].items()))
    return (
        f"| load: {load['clients']} signed-in clients for {load['seconds']:g} s, dashboard and "
        f"budgets table in turn, gunicorn with {load['workers']} workers | "
        f"{load['throughput_rps']} requests/s, p95 {load.get('p95_ms', '—')} ms, median "
        f"{load.get('median_ms', '—')} ms ({pages}); answers: {answers or 'none'} | | "
        f"{_yes_no(load['all_ok'])} all 200 |"
    )


def _import_row(report: dict) -> str:
    imported = report["import"]
    import_target = (
        f"≤ {TARGETS['import_seconds']} s, ≤ {TARGETS['import_floor_ratio']}x the set-based "
        "SQL pipeline (PostgreSQL)"
    )
    if "seconds" not in imported:
        return f"| import | failed: {imported.get('error')} | {import_target} | **no** |"
    floor = (
        f"; floor (COPY to staging, UPDATE ... FROM, history INSERT ... SELECT, COMMIT) "
        f"{imported['floor_seconds']} s (its commit {imported['floor_commit_seconds']} s), "
        f"ratio {imported['floor_ratio']}x; bare COPY "
        f"{imported['copy_seconds']} s"
        if "floor_seconds" in imported
        else ""
    )
    return (
        f"| import {imported['rows']:,} ledger rows (parse, validate, apply; "
        f"{imported['figures_written']:,} figures) | "
        f"{imported['seconds']} s ({imported['rows_per_second']:,} rows/s: parse "
        f"{imported['parse_seconds']}, validate {imported['validate_seconds']}, apply "
        f"{imported['apply_seconds']}){floor} | {import_target} | "
        f"{_yes_no(imported['meets_target'])} |"
    )


def _kb(size: int | None) -> str:
    """A page's HTML in KB (1,024 bytes), to one decimal."""
    return "—" if size is None else f"{size / 1024:,.1f}"


def markdown(report: dict) -> str:
    db, scale, host = report["database"], report["scale"], report["host"]
    lines = [
        f"Benchmark on {db['version'].split(' on ')[0]}: {scale['lines']:,} lines x "
        f"{scale['years']} years ({scale['monthly_figures']:,} monthly figures), "
        f"{scale['contracts']:,} contracts, {scale['initiatives']:,} initiatives; "
        f"{scale['requests']} requests per page as a Finance user; DEBUG off; "
        f"{host['cpus']} CPUs, load average {host['load_average_start'][0]:.1f} at the start "
        f"and {host['load_average_end'][0]:.1f} at the end.",
        "",
    ]
    if report.get("import_only"):
        lines += ["| import | result | target | meets |", "|---|---|---|---|", _import_row(report)]
        return "\n".join(lines) + "\n"
    floor = report["floor"]
    lines += [
        f"Targets: every page p95 under {TARGETS['page_p95_ms']} ms and its median within "
        f"{TARGETS['page_floor_ratio']}x the floor's; the same query count at a tenth of the "
        "data and at full scale. SQL ms: time of the page's own queries in one request.",
        "",
        f"| page | median ms | p95 ms (< {TARGETS['page_p95_ms']}) | queries: 10% → full "
        f"(equal) | SQL ms | × floor (≤ {TARGETS['page_floor_ratio']}) | HTML KB | "
        "meets targets |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for key, page in report["pages"].items():
        if not page["present"]:
            lines.append(f"| {key} (`{page['url_name']}`) | not present | | | | | | — |")
        elif page["status"] != 200:
            lines.append(f"| {key} | HTTP {page['status']} | | {page['queries']} | | | | **no** |")
        else:
            lines.append(
                f"| {key} | {page['median_ms']} | {page['p95_ms']} | "
                f"{page['queries_small_scale']} → {page['queries']} | {page['db_ms']} | "
                f"{page['floor_ratio']} | {_kb(page.get('bytes'))} | "
                f"{_yes_no(page['meets_target'])} |"
            )
    lines.append(
        f"| floor: the dashboard's aggregates as raw SQL | {floor['median_ms']} | "
        f"{floor['p95_ms']} | {len(floor['queries'])} | {floor['median_ms']} | 1.0 | | |"
    )
    if "scenario" not in report:  # --pages: the pages alone
        return "\n".join(lines) + "\n"
    lines += ["", "| import, scenario and browser | result | target | meets |", "|---|---|---|---|"]
    scenario = report["scenario"]
    lines.append(
        f"| scenario page ({', '.join(scenario['adjustments'])}, confidence-weighted) | "
        f"median {scenario['median_ms']} ms, p95 {scenario['p95_ms']} ms "
        f"({scenario['floor_ratio']}x the floor; computation alone "
        f"{scenario['compute']['median_ms']} ms) | ≤ {TARGETS['scenario_ms']} ms | "
        f"{_yes_no(scenario['meets_target'])} |"
    )
    lines.append(_import_row(report))
    lines.append(_load_row(report["load"]))
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
