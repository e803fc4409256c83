"""The contract timeline: when each contract ends and the annual value that falls off."""

from collections.abc import Mapping, Sequence
from datetime import date

import plotly.graph_objects as go
from django.urls import reverse
from django.utils.formats import date_format

from common.chart_layout import (
    TEXT_FONT,
    legend_on_top,
    responsive,
    small_layout,
    wide_height,
)
from common.charts import (
    PALETTE,
    Chart,
    chart_layout,
    label,
    page_url,
    plain_figure,
    point_links,
    short_money,
)
from common.money import add_months, format_money

DAY_MS = 24 * 60 * 60 * 1000
# Bars shown: the contracts that end soonest, so the chart (and its table) stays readable
# and the same size whatever the number of contracts; the register lists them all.
TIMELINE_CONTRACTS = 20
# (decision due?, legend name, colour, pattern): contracts needing a decision stand out by
# pattern as well as colour.
TERM_BARS = (
    (False, "Contract term", PALETTE["sky"], ""),
    (True, "Decision due within 6 months", PALETTE["vermillion"], "x"),
)


def contract_timeline_chart(
    rows: Sequence[dict],
    *,
    as_at_date: date,
    decision_cutoff: date,
    due: Sequence[str],
    query: Mapping[str, object] | None = None,
) -> Chart:
    """A Gantt of contracts with the reporting date marked and, at each end date, the
    annual value that falls off. `rows` are `Contract.objects.timeline(...)` rows; `due`
    the references whose decision date is on or before `decision_cutoff`. Each contract
    opens its page for the page's `query` (year and reporting date)."""
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
    shown = _soonest_to_end(rows)
    if not rows:
        return Chart(
            id="contracts",
            title=title,
            summary="No contracts run into the selected year.",
            figure=None,
            columns=columns,
        )
    links = {_label(r): page_url("contracts:detail", r["reference"], query=query) for r in shown}
    figure = _figure(shown, as_at_date, due)
    for trace in figure.data:  # each bar or marker is on its contract's row
        trace.meta = point_links(links[name] for name in trace.y)
    return Chart(
        id="contracts",
        title=title,
        summary=_summary(rows, as_at_date, decision_cutoff, len(due)),
        figure=figure,
        links=list(links.values()),
        columns=columns,
        notes=_shown_note(shown, rows),
        more=("Every contract, in the contract register", reverse("contracts:index"))
        if len(shown) < len(rows)
        else None,
        rows=[
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
            for r in shown
        ],
    )


def _soonest_to_end(rows: Sequence[dict]) -> list[dict]:
    """The TIMELINE_CONTRACTS rows that end first, in their given (start date) order."""
    soonest = sorted(rows, key=lambda r: (r["end_date"], r["reference"]))[:TIMELINE_CONTRACTS]
    chosen = {r["reference"] for r in soonest}
    return [r for r in rows if r["reference"] in chosen]


def _shown_note(shown: list[dict], rows: Sequence[dict]) -> list[str]:
    if len(shown) == len(rows):
        return []
    return [f"Showing the {len(shown)} contracts that end soonest, of {len(rows)}."]


def _summary(rows: Sequence[dict], as_at_date: date, cutoff: date, due_count: int) -> str:
    contracts = "1 contract needs" if due_count == 1 else f"{due_count} contracts need"
    decisions = f"{contracts} a decision by {date_format(cutoff)}."
    ending = [r for r in rows if r["end_date"] >= as_at_date]
    if not ending:
        return f"Every contract shown ended before the reporting date; {decisions}"
    nxt = min(ending, key=lambda r: r["end_date"])
    return (
        f"Next to end: {nxt['reference']} ({nxt['supplier_name']}) on "
        f"{date_format(nxt['end_date'])}, when {short_money(nxt['annual_value'])} a year "
        f"falls off; {decisions}"
    )


def _label(row: dict) -> str:
    return label(f"{row['reference']} ({row['supplier_name']})")


def _figure(rows: Sequence[dict], as_at_date: date, due: set[str]) -> go.Figure:
    since, until = timeline_range(rows)
    plot_height = max(200, 34 * len(rows) + 20)
    # The reporting date's label runs away from the nearer edge: ending at the line when
    # the date lies in the right half, so that a phone's narrow plot does not cut it.
    right_half = (as_at_date - since) > (until - since) / 2
    reporting_date = {
        "x": as_at_date.isoformat(),
        "y": 1,
        "yref": "paper",
        "xanchor": "right" if right_half else "left",
        "yanchor": "bottom",
        "text": f"Reporting date {date_format(as_at_date)}",
        "showarrow": False,
        "bgcolor": "#ffffff",
    }
    layout = chart_layout(
        hovermode="closest",
        showlegend=True,
        barmode="overlay",
        bargap=0.25,
        xaxis={
            "type": "date",
            "gridcolor": "#e3e7ea",
            "range": [since.isoformat(), until.isoformat()],
            "title": {"text": "Contract term (start to end)"},
        },
        yaxis={"autorange": "reversed", "automargin": True, "type": "category"},
        legend=legend_on_top(),
        margin={"l": 20, "r": 96, "t": 56, "b": 56},
        height=wide_height(plot_height=plot_height + 32, bottom=56 + 32),
        # The reporting date: a dashed line from the bottom of the plot to its top.
        shapes=[
            {
                "type": "line",
                "x0": as_at_date.isoformat(),
                "x1": as_at_date.isoformat(),
                "xref": "x",
                "y0": 0,
                "y1": 1,
                "yref": "y domain",
                "line": {"color": PALETTE["black"], "dash": "dash"},
            }
        ],
        annotations=[reporting_date, *_end_labels(rows)],
    )
    bars = [
        {"type": "bar", **_term_bars(chosen, name, colour, pattern)}
        for flag, name, colour, pattern in TERM_BARS
        if (chosen := [r for r in rows if (r["reference"] in due) is flag])
    ]
    # Up to 20 contracts make some 60 annotations and points: plotly's validation of each
    # property took most of the dashboard's time, so the figure is built unvalidated.
    fig = plain_figure([*bars, {"type": "scatter", **_end_markers(rows)}], layout)
    # A phone: the contract's reference alone names its row (the hover and the table
    # give the supplier), the years a decade apart, and no value beside the end markers:
    # the plot needs the width, and the table under the chart gives each annual value.
    return responsive(
        fig,
        small_layout(
            legend_items=3,
            x_title=True,
            left=8,
            right=16,
            annotations=[reporting_date],
            plot_height=max(240, 30 * len(rows) + 20),
            yaxis={
                "tickmode": "array",
                "tickvals": [_label(r) for r in rows],
                "ticktext": [label(r["reference"]) for r in rows],
                "tickfont": {"size": 11},
            },
            xaxis={"dtick": "M120", "tickformat": "%Y", "tickangle": 0},
            top=32,
        ),
    )


def timeline_range(rows: Sequence[dict]) -> tuple[date, date]:
    """The dates the timeline spans: from the 1 January before the first contract starts
    (no bar is cut at the left edge) to six months after the last ends (room for its
    label)."""
    first = min(r["start_date"] for r in rows)
    return date(first.year, 1, 1), add_months(max(r["end_date"] for r in rows), 6)


def _term_bars(rows: list[dict], name: str, colour: str, pattern: str) -> dict:
    """Horizontal bars from each contract's start to its end (inclusive)."""
    return {
        "y": [_label(r) for r in rows],
        "base": [r["start_date"].isoformat() for r in rows],
        "x": [((r["end_date"] - r["start_date"]).days + 1) * DAY_MS for r in rows],
        "orientation": "h",
        "name": name,
        "marker": {
            "color": colour,
            "pattern": {"shape": pattern},
            "line": {"color": PALETTE["black"], "width": 1},
        },
        "customdata": [
            f"{date_format(r['start_date'])} to {date_format(r['end_date'])}, "
            f"{format_money(r['annual_value'])} a year"
            for r in rows
        ],
        "hovertemplate": "%{y}: %{customdata}<extra></extra>",
    }


def _end_labels(rows: Sequence[dict]) -> list[dict]:
    """Beside each end marker, the annual value that falls off then ("−£19.2m/yr"): as
    annotations, so that the small-screen layout can leave them out. A contract with no
    value of its own (a subcontract paid through its prime) loses nothing when it ends: no
    label rather than "−£0.0m/yr"."""
    return [
        {
            "x": r["end_date"].isoformat(),
            "y": _label(r),
            "xref": "x",
            "yref": "y",
            "xanchor": "left",
            "xshift": 8,
            "text": f"−{short_money(r['annual_value'])}/yr",
            "showarrow": False,
            "font": {"size": TEXT_FONT},
        }
        for r in rows
        if r["annual_value"]
    ]


def _end_markers(rows: Sequence[dict]) -> dict:
    """A marker at each end date (its label is an annotation: `_end_labels`)."""
    return {
        "y": [_label(r) for r in rows],
        "x": [r["end_date"].isoformat() for r in rows],
        "mode": "markers",
        "name": "End date: annual value falling off",
        "marker": {"symbol": "triangle-down", "size": 11, "color": PALETTE["black"]},
        "cliponaxis": False,
        "customdata": [
            f"Ends {date_format(r['end_date'])}: {format_money(r['annual_value'])} a year"
            for r in rows
        ],
        "hovertemplate": "%{y}: %{customdata}<extra></extra>",
    }
