"""The committee dashboard's charts.

Each builder takes plain rows (dicts of Decimals from QuerySet methods) and returns a
Chart. Tables and summaries carry the Decimals; figures draw floats in £m, and their
labels and hover text are the formatted Decimals, so no float is ever read as a figure.
"""

import math
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

import plotly.graph_objects as go
from django.utils.formats import date_format

from common.charts import (
    MONEY_HOVER,
    PALETTE,
    Chart,
    base_layout,
    chart_layout,
    hover_money,
    millions,
    money_axis,
    short_money,
)
from common.money import add_months, format_money, percent
from common.rag import RAG_WORDS, rag_word


def savings_by_year_chart(rows: Sequence[dict], *, year_label: str) -> Chart:
    """In-year savings against target for every year (bars) and the running totals (lines).

    `rows` are `InitiativeYear.objects.pipeline(...)` rows.
    """
    title = "Savings by year against target, in-year and cumulative"
    columns = (
        "Year",
        "Target (in-year)",
        "Realised",
        "Forecast",
        "Gap to target",
        "RAG",
        "Cumulative target",
        "Cumulative realised",
        "Cumulative forecast",
    )
    table = [
        (
            r["year_label"],
            r["target"],
            r["realised"],
            r["forecast"],
            r["gap"],
            rag_word(r["rag"]),
            r["cumulative_target"],
            r["cumulative_realised"],
            r["cumulative_forecast"],
        )
        for r in rows
    ]
    if not rows:
        return Chart(
            id="savings",
            title=title,
            summary="No savings targets or initiatives are recorded for any year.",
            figure=None,
            columns=columns,
        )
    selected = next((r for r in rows if r["year_label"] == year_label), None)
    if selected is not None and selected["cumulative_target"]:
        share = percent(selected["cumulative_realised"], selected["cumulative_target"])
        summary = (
            f"By {year_label}, {short_money(selected['cumulative_realised'])} of the "
            f"cumulative {short_money(selected['cumulative_target'])} target has been "
            f"realised ({share}%), with {short_money(selected['cumulative_forecast'])} "
            "forecast."
        )
    else:
        summary = (
            f"No savings target is recorded for {year_label}; the chart shows the years "
            f"from {rows[0]['year_label']} to {rows[-1]['year_label']}."
        )
    years = [r["year_label"] for r in rows]
    fig = go.Figure(
        layout=chart_layout(barmode="group", yaxis=money_axis("Savings, £m")),
    )
    for key, name, colour, pattern in (
        ("target", "Target (in-year)", PALETTE["grey"], ""),
        ("realised", "Realised (in-year)", PALETTE["blue"], ""),
        ("forecast", "Forecast (in-year)", PALETTE["sky"], "/"),
    ):
        values = [r[key] for r in rows]
        fig.add_bar(
            x=years,
            y=[millions(v) for v in values],
            name=name,
            marker={"color": colour, "pattern": {"shape": pattern}},
            customdata=hover_money(values),
            hovertemplate=MONEY_HOVER,
        )
    for key, name, colour, dash, symbol in (
        ("cumulative_target", "Cumulative target", PALETTE["black"], "dash", "square"),
        ("cumulative_realised", "Cumulative realised", PALETTE["vermillion"], "solid", "circle"),
        ("cumulative_forecast", "Cumulative forecast", PALETTE["orange"], "dot", "diamond"),
    ):
        values = [r[key] for r in rows]
        fig.add_scatter(
            x=years,
            y=[millions(v) for v in values],
            name=name,
            mode="lines+markers",
            line={"color": colour, "dash": dash, "width": 2},
            marker={"symbol": symbol, "size": 9},
            customdata=hover_money(values),
            hovertemplate=MONEY_HOVER,
        )
    return Chart(
        id="savings", title=title, summary=summary, figure=fig, columns=columns, rows=table
    )


def pipeline_chart(row: dict | None, *, year_label: str) -> Chart:
    """One year's pipeline: target -> identified -> approved -> realised (+ forecast), and
    the gap from the forecast to the target. `row` is that year's `pipeline()` row."""
    title = f"Savings pipeline {year_label}: target to realised"
    columns = ("Stage", "Amount", "Share of target")
    if row is None:
        return Chart(
            id="pipeline",
            title=title,
            summary=f"No savings target or initiatives are recorded for {year_label}.",
            figure=None,
            columns=columns,
        )
    target = row["target"]
    stages = [
        ("Target", target, PALETTE["grey"], ""),
        ("Identified", row["identified"], PALETTE["sky"], "."),
        ("Approved", row["approved"], PALETTE["green"], "/"),
        ("Realised", row["realised"], PALETTE["blue"], ""),
        ("Forecast", row["forecast"], PALETTE["orange"], "x"),
    ]
    table = [(name, value, percent(value, target)) for name, value, _, _ in stages]
    if target is not None:
        table.append(("Gap: target less forecast", row["gap"], percent(row["gap"], target)))
    table = [(name, value, "—" if pct is None else f"{pct}%") for name, value, pct in table]
    if target is None:
        summary = (
            f"{year_label} has no savings target; initiatives forecast "
            f"{short_money(row['forecast'])}, of which {short_money(row['realised'])} "
            "is realised."
        )
    elif row["gap"] > 0:
        summary = (
            f"{short_money(row['realised'])} of the {short_money(target)} target realised "
            f"({row['realised_pct']}%); the forecast of {short_money(row['forecast'])} "
            f"leaves a gap of {short_money(row['gap'])} ({rag_word(row['rag'])})."
        )
    else:
        summary = (
            f"{short_money(row['realised'])} of the {short_money(target)} target realised "
            f"({row['realised_pct']}%); the forecast of {short_money(row['forecast'])} "
            f"meets the target ({rag_word(row['rag'])})."
        )
    shown = [s for s in stages if s[1] is not None]
    fig = go.Figure(
        layout=chart_layout(showlegend=False, hovermode="closest", yaxis=money_axis("Savings, £m"))
    )
    fig.add_bar(
        x=[name for name, *_ in shown],
        y=[millions(value) for _, value, *_ in shown],
        name="Savings",
        marker={
            "color": [colour for _, _, colour, _ in shown],
            "pattern": {"shape": [pattern for *_, pattern in shown]},
            "line": {"color": PALETTE["black"], "width": 1},
        },
        text=[short_money(value) for _, value, *_ in shown],
        textposition="outside",
        cliponaxis=False,
        customdata=hover_money([value for _, value, *_ in shown]),
        hovertemplate="%{x}: %{customdata}<extra></extra>",
    )
    if target is not None:
        fig.add_hline(
            y=millions(target),
            line={"color": PALETTE["black"], "dash": "dash", "width": 1},
        )
        if row["gap"] > 0:
            fig.add_annotation(
                x="Forecast",
                y=millions(target),
                ax=0,
                ay=40,
                text=f"Gap {short_money(row['gap'])} ({rag_word(row['rag'])})",
                showarrow=True,
                arrowhead=2,
                font={"color": PALETTE["black"]},
                bgcolor="#ffffff",
            )
    return Chart(
        id="pipeline", title=title, summary=summary, figure=fig, columns=columns, rows=table
    )


def monthly_chart(rows: Sequence[dict], totals: dict, *, year_label: str, as_at: int) -> Chart:
    """Monthly actual against budget (bars) with the cumulative burn-up (lines on the
    right axis) running on to the forecast outturn. `rows` are `by_period()` rows."""
    title = f"Monthly spend {year_label}: actual against budget, with burn-up"
    columns = (
        "Period",
        "Budget",
        "Actual",
        "Forecast",
        "Cumulative budget",
        "Cumulative actual",
        "Cumulative expected",
    )
    table = [
        (
            f"P{r['period']}",
            r["budget"],
            r["actual"],
            r["forecast"],
            r["cumulative_budget"],
            r["cumulative_actual"],
            r["cumulative_expected"],
        )
        for r in rows
    ]
    over = "over" if totals["variance"] > 0 else "under"
    if as_at:
        to_date = rows[as_at - 1]
        opening = (
            f"Actual {short_money(totals['actual_to_date'])} to P{as_at} against a budget "
            f"to date of {short_money(to_date['cumulative_budget'])}; "
        )
    else:
        opening = "No actuals yet; "
    summary = (
        f"{opening}forecast outturn {short_money(totals['outturn'])} against a "
        f"{short_money(totals['budget'])} budget, {short_money(abs(totals['variance']))} "
        f"{over} ({abs(totals['variance_pct'] or 0)}%, {rag_word(totals['rag'])})."
    )
    periods = [f"P{r['period']}" for r in rows]
    fig = go.Figure(
        layout=chart_layout(
            barmode="group",
            yaxis=money_axis("Monthly, £m"),
            yaxis2=money_axis(
                "Cumulative, £m", overlaying="y", side="right", showgrid=False, rangemode="tozero"
            ),
            margin={"l": 60, "r": 70, "t": 20, "b": 50},
        )
    )
    bars = (
        ("budget", "Budget", PALETTE["grey"], "", None),
        ("actual", "Actual", PALETTE["blue"], "", None),
        ("forecast", "Forecast (after the reporting date)", PALETTE["orange"], "/", as_at),
    )
    for key, name, colour, pattern, after in bars:
        values = [r[key] if after is None or r["period"] > after else None for r in rows]
        fig.add_bar(
            x=periods,
            y=[millions(v) for v in values],
            name=name,
            marker={"color": colour, "pattern": {"shape": pattern}},
            customdata=hover_money(values),
            hovertemplate=MONEY_HOVER,
        )
    lines = (
        ("cumulative_budget", "Cumulative budget", PALETTE["black"], "dash", "square"),
        ("cumulative_actual", "Cumulative actual", PALETTE["vermillion"], "solid", "circle"),
        ("cumulative_expected", "Cumulative forecast", PALETTE["green"], "dot", "diamond"),
    )
    for key, name, colour, dash, symbol in lines:
        values = [
            r[key] if key != "cumulative_expected" or r["period"] >= as_at else None for r in rows
        ]
        fig.add_scatter(
            x=periods,
            y=[millions(v) for v in values],
            yaxis="y2",
            name=name,
            mode="lines+markers",
            line={"color": colour, "dash": dash, "width": 2},
            marker={"symbol": symbol, "size": 7},
            customdata=hover_money(values),
            hovertemplate=MONEY_HOVER,
        )
    fig.add_annotation(
        x="P12",
        y=millions(totals["outturn"]),
        yref="y2",
        text=f"Outturn {short_money(totals['outturn'])}",
        showarrow=True,
        ax=-60,
        ay=-25,
        bgcolor="#ffffff",
    )
    return Chart(
        id="monthly", title=title, summary=summary, figure=fig, columns=columns, rows=table
    )


def category_chart(rows: Sequence[dict], *, year_label: str) -> Chart:
    """Budget against forecast outturn for each category. `rows` are `by_category()` rows."""
    title = f"Spend by category {year_label}: budget against forecast outturn"
    columns = (
        "Category",
        "Kind",
        "Budget",
        "Actual to date",
        "Forecast outturn",
        "Variance",
        "RAG",
    )
    table = [
        (
            r["category"],
            r["kind"].title(),
            r["budget"],
            r["actual_to_date"],
            r["outturn"],
            r["variance"],
            rag_word(r["rag"]),
        )
        for r in rows
    ]
    if not rows:
        return Chart(
            id="categories",
            title=title,
            summary=f"No budget is recorded for {year_label}.",
            figure=None,
            columns=columns,
        )
    worst = max(rows, key=lambda r: r["variance"])
    if worst["variance"] > 0:
        summary = (
            f"{worst['category']} has the largest forecast overspend: "
            f"{short_money(worst['variance'])} over its {short_money(worst['budget'])} budget "
            f"({rag_word(worst['rag'])})."
        )
    else:
        summary = f"Every category is forecast to spend within its {year_label} budget."
    names = [r["category"] for r in rows]
    fig = go.Figure(
        layout=chart_layout(
            barmode="group",
            hovermode="y unified",
            xaxis={**money_axis("£m"), "tickprefix": "£"},
            yaxis={"autorange": "reversed", "automargin": True},
            margin={"l": 20, "r": 20, "t": 20, "b": 50},
        )
    )
    for key, name, colour, pattern in (
        ("budget", "Budget", PALETTE["grey"], ""),
        ("outturn", "Forecast outturn", PALETTE["blue"], "/"),
    ):
        values = [r[key] for r in rows]
        fig.add_bar(
            y=names,
            x=[millions(v) for v in values],
            orientation="h",
            name=name,
            marker={"color": colour, "pattern": {"shape": pattern}},
            customdata=hover_money(values),
            hovertemplate=MONEY_HOVER,
        )
    return Chart(
        id="categories", title=title, summary=summary, figure=fig, columns=columns, rows=table
    )


NO_SUPPLIER = "No contract (in-house and other)"


def largest_supplier(
    rows: Sequence[dict], year_totals: Sequence[dict], *, year_label: str
) -> dict | None:
    """The year's largest named supplier by spend: name, supplier_id, outturn, total and
    share (%), or None. `rows` and `year_totals` as for `supplier_chart`."""
    total = next((t["outturn"] for t in year_totals if t["year_label"] == year_label), None)
    named = [r for r in rows if r["year_label"] == year_label and r["supplier_id"] is not None]
    if not named or not total:
        return None
    top = max(named, key=lambda r: r["outturn"])
    return {
        "name": top["supplier"],
        "supplier_id": top["supplier_id"],
        "outturn": top["outturn"],
        "total": total,
        "share": percent(top["outturn"], total),
    }


def supplier_chart(rows: Sequence[dict], year_totals: Sequence[dict], *, year_label: str) -> Chart:
    """Each supplier's share of each year's spend, the selected year's largest supplier
    highlighted. `rows` are `spend_by_supplier()` rows, `year_totals` `spend_by_year()`."""
    title = "Supplier concentration: share of technology spend by year"
    columns = ("Year", "Supplier", "Spend", "Share of the year's spend")
    totals = {t["year_label"]: t["outturn"] for t in year_totals}
    shares = [
        {
            **r,
            "name": r["supplier"] or NO_SUPPLIER,
            "share": percent(r["outturn"], totals.get(r["year_label"])),
        }
        for r in rows
    ]
    table = [
        (s["year_label"], s["name"], s["outturn"], "—" if s["share"] is None else f"{s['share']}%")
        for s in shares
    ]
    largest = largest_supplier(rows, year_totals, year_label=year_label)
    if largest is None:
        return Chart(
            id="suppliers",
            title=title,
            summary=f"No spend in {year_label} is on a supplier's contract.",
            figure=None,
            columns=columns,
            rows=table,
        )
    summary = (
        f"{largest['name']} is the largest supplier in {year_label}: "
        f"{short_money(largest['outturn'])} of {short_money(largest['total'])} "
        f"({largest['share']}% of the year's forecast outturn)."
    )
    years = list(totals)
    suppliers = list(dict.fromkeys(s["name"] for s in shares))
    suppliers.sort(key=lambda name: (name == NO_SUPPLIER, name != largest["name"]))
    greys = ["#8c8c8c", "#b8b8b8", "#6e6e6e", "#d0d0d0", "#a3a3a3", "#7d7d7d", "#c4c4c4"]
    by_key = {(s["year_label"], s["name"]): s for s in shares}
    fig = go.Figure(
        layout=chart_layout(
            barmode="stack",
            hovermode="closest",
            yaxis={
                **base_layout()["yaxis"],
                "tickprefix": "",
                "ticksuffix": "%",
                "range": [0, 100],
                "title": {"text": "Share of forecast outturn"},
            },
            legend={"orientation": "v", "x": 1.02, "y": 1, "traceorder": "normal"},
            margin={"l": 60, "r": 20, "t": 20, "b": 40},
        )
    )
    for index, name in enumerate(suppliers):
        highlight = name == largest["name"]
        cells = [by_key.get((year, name)) for year in years]
        fig.add_bar(
            x=years,
            y=[float(c["share"]) if c and c["share"] is not None else None for c in cells],
            name=f"{name} (largest)" if highlight else name,
            marker={
                "color": PALETTE["blue"] if highlight else greys[index % len(greys)],
                "line": {"color": "#ffffff", "width": 1},
            },
            text=[f"{c['share']}%" if highlight and c else "" for c in cells],
            textposition="inside",
            textfont={"color": "#ffffff"},
            customdata=[
                f"{format_money(c['outturn'])} ({c['share']}%)" if c else "—" for c in cells
            ],
            hovertemplate="%{x}: %{customdata}<extra>%{fullData.name}</extra>",
        )
    return Chart(
        id="suppliers", title=title, summary=summary, figure=fig, columns=columns, rows=table
    )


def contract_timeline_chart(
    rows: Sequence[dict], *, as_at_date: date, decision_cutoff: date, due: Sequence[str]
) -> Chart:
    """A Gantt of contracts with the reporting date marked and, at each end date, the
    annual value that falls off. `rows` are `Contract.objects.timeline(...)` rows; `due`
    the references whose decision date is on or before `decision_cutoff`."""
    title = "Contract timeline: end dates and the annual value that falls off"
    columns = (
        "Contract",
        "Supplier",
        "Start",
        "End",
        "Decision date",
        "Annual value",
        "Status",
        f"Decision due by {date_format(decision_cutoff)}",
    )
    due = set(due)
    table = [
        (
            f"{r['reference']}: {r['title']}",
            r["supplier_name"],
            r["start_date"],
            r["end_date"],
            add_months(r["end_date"], -r["notice_months"]),
            r["annual_value"],
            r["status"].title(),
            "Yes" if r["reference"] in due else "No",
        )
        for r in rows
    ]
    if not rows:
        return Chart(
            id="contracts",
            title=title,
            summary="No contracts run into the selected year.",
            figure=None,
            columns=columns,
        )
    ending = sorted((r for r in rows if r["end_date"] >= as_at_date), key=lambda r: r["end_date"])
    count = len(due)
    decisions = (
        f"{count} contract{'s' if count != 1 else ''} need{'s' if count == 1 else ''} "
        f"a decision by {date_format(decision_cutoff)}."
    )
    if ending:
        nxt = ending[0]
        summary = (
            f"Next to end: {nxt['reference']} ({nxt['supplier_name']}) on "
            f"{date_format(nxt['end_date'])}, when {short_money(nxt['annual_value'])} a year "
            f"falls off; {decisions}"
        )
    else:
        summary = f"Every contract shown ended before the reporting date; {decisions}"
    labels = [f"{r['reference']} ({r['supplier_name']})" for r in rows]
    day_ms = 24 * 60 * 60 * 1000
    # Long-running contracts would squeeze the years that matter: start three years back.
    since = max(min(r["start_date"] for r in rows), add_months(as_at_date, -36))
    until = add_months(max(r["end_date"] for r in rows), 12)
    fig = go.Figure(
        layout=chart_layout(
            hovermode="closest",
            showlegend=True,
            barmode="overlay",
            xaxis={
                "type": "date",
                "gridcolor": "#e3e7ea",
                "range": [since.isoformat(), until.isoformat()],
            },
            yaxis={"autorange": "reversed", "automargin": True, "type": "category"},
            margin={"l": 20, "r": 90, "t": 30, "b": 50},
            height=max(320, 48 * len(rows) + 120),
        )
    )
    for flag, name, colour, pattern in (
        (False, "Contract term", PALETTE["sky"], ""),
        (True, "Decision due within 6 months", PALETTE["vermillion"], "x"),
    ):
        chosen = [
            (label, r)
            for label, r in zip(labels, rows, strict=True)
            if (r["reference"] in due) is flag
        ]
        if not chosen:
            continue
        fig.add_bar(
            y=[label for label, _ in chosen],
            base=[r["start_date"].isoformat() for _, r in chosen],
            x=[((r["end_date"] - r["start_date"]).days + 1) * day_ms for _, r in chosen],
            orientation="h",
            name=name,
            marker={
                "color": colour,
                "pattern": {"shape": pattern},
                "line": {"color": PALETTE["black"], "width": 1},
            },
            customdata=[
                f"{date_format(r['start_date'])} to {date_format(r['end_date'])}, "
                f"{format_money(r['annual_value'])} a year"
                for _, r in chosen
            ],
            hovertemplate="%{y}: %{customdata}<extra></extra>",
        )
    fig.add_scatter(
        y=labels,
        x=[r["end_date"].isoformat() for r in rows],
        mode="markers+text",
        name="End date: annual value falling off",
        marker={"symbol": "triangle-down", "size": 11, "color": PALETTE["black"]},
        # A contract with no value of its own (a subcontract paid through its prime)
        # loses nothing when it ends: no label rather than "−£0.0m/yr".
        text=[f"−{short_money(r['annual_value'])}/yr" if r["annual_value"] else "" for r in rows],
        textposition="middle right",
        cliponaxis=False,
        customdata=[
            f"Ends {date_format(r['end_date'])}: {format_money(r['annual_value'])} a year"
            for r in rows
        ],
        hovertemplate="%{y}: %{customdata}<extra></extra>",
    )
    fig.add_vline(x=as_at_date.isoformat(), line={"color": PALETTE["black"], "dash": "dash"})
    fig.add_annotation(
        x=as_at_date.isoformat(),
        y=1,
        yref="paper",
        yanchor="bottom",
        text=f"Reporting date {date_format(as_at_date)}",
        showarrow=False,
        bgcolor="#ffffff",
    )
    return Chart(
        id="contracts", title=title, summary=summary, figure=fig, columns=columns, rows=table
    )


def waterfall_chart(
    *,
    baseline: Decimal | None,
    baseline_label: str,
    initiatives: Sequence[dict],
    total_savings: Decimal,
    outturn: Decimal,
    year_label: str,
) -> Chart:
    """From the technology baseline, less each initiative's savings (forecast, cumulative
    to the selected year), plus everything else, to the year's forecast outturn.

    `initiatives` are `InitiativeYear.objects.by_initiative()` rows; `total_savings` is
    their total (the pipeline's cumulative forecast)."""
    title = f"From the {baseline_label} baseline to the {year_label} forecast outturn"
    columns = ("Step", "Confidence", "Amount")
    if baseline is None:
        return Chart(
            id="waterfall",
            title=title,
            summary="No reduction programme is recorded, so there is no baseline to start from.",
            figure=None,
            columns=columns,
        )
    other = outturn - (baseline - total_savings)
    steps = [(f"Baseline {baseline_label}", "", baseline, "absolute")]
    steps += [
        (
            f"{i['code']}: {i['name']}",
            RAG_WORDS.get(i["confidence"], "—"),
            -i["forecast"],
            "relative",
        )
        for i in initiatives
    ]
    steps += [
        ("Other changes in spend", "", other, "relative"),
        (f"Forecast outturn {year_label}", "", outturn, "total"),
    ]
    table = [(name, confidence or "—", amount) for name, confidence, amount, _ in steps]
    summary = (
        f"From the {short_money(baseline)} baseline, initiatives are forecast to save "
        f"{short_money(total_savings)} by {year_label}; other changes "
        f"{'add' if other >= 0 else 'remove'} {short_money(abs(other))}, for a forecast "
        f"outturn of {short_money(outturn)}."
    )
    # The steps are small beside the baseline: start the axis below the lowest level, and
    # say so on the axis.
    lowest = min(baseline - total_savings, outturn)
    floor = max(0.0, millions(lowest) * 0.8)
    step = 10 ** max(0, math.floor(math.log10(floor)) - 1) if floor >= 1 else 1
    floor = math.floor(floor / step) * step
    top = millions(max(baseline, outturn)) * 1.08
    axis_title = "Spend, £m" if floor == 0 else f"£m, axis from £{floor:,.0f}m"
    fig = go.Figure(
        layout=chart_layout(
            showlegend=False,
            hovermode="closest",
            yaxis=money_axis(axis_title, range=[floor, top]),
            xaxis={"automargin": True, "tickangle": -30},
            margin={"l": 60, "r": 20, "t": 20, "b": 20},
        )
    )
    fig.add_trace(
        go.Waterfall(
            x=[name.split(":")[0] for name, *_ in steps],
            y=[millions(amount) for _, _, amount, measure in steps],
            measure=[measure for *_, measure in steps],
            text=[short_money(amount) for _, _, amount, _ in steps],
            textposition="outside",
            cliponaxis=False,
            customdata=[f"{name}: {format_money(amount)}" for name, _, amount, _ in steps],
            hovertemplate="%{customdata}<extra></extra>",
            decreasing={"marker": {"color": PALETTE["blue"]}},
            increasing={"marker": {"color": PALETTE["vermillion"]}},
            totals={"marker": {"color": PALETTE["grey"]}},
            connector={"line": {"color": PALETTE["black"], "width": 1, "dash": "dot"}},
            name="Spend",
        )
    )
    return Chart(
        id="waterfall", title=title, summary=summary, figure=fig, columns=columns, rows=table
    )
