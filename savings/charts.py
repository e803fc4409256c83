"""Savings charts: pipeline rows in (from InitiativeYear.objects.pipeline), figures out."""

from decimal import Decimal

import plotly.graph_objects as go

from common.charts import PALETTE, Chart, base_layout, millions
from common.money import PENNY, format_millions, format_money
from common.rag import RAG_WORDS

PIPELINE_SERIES = (
    ("target", "Target", PALETTE["grey"]),
    ("identified", "Identified", PALETTE["sky"]),
    ("approved", "Approved", PALETTE["green"]),
    ("forecast", "Forecast", PALETTE["orange"]),
    ("realised", "Realised", PALETTE["blue"]),
)
# Each stage keeps the colour and fill pattern it has on the dashboard's pipeline chart, so
# the two read alike and no stage is told apart by colour alone.
PATTERNS = {"target": "", "identified": ".", "approved": "/", "forecast": "x", "realised": ""}


def _short(value: Decimal) -> str:
    """£42.0m for millions, £8,000.00 below: the summary reads like the headline."""
    return format_millions(value) if abs(value) >= 1_000_000 else format_money(value)


def _sentence(row: dict) -> str:
    if row["target"] is None:
        return f"{row['year_label']}: no target; {_short(row['forecast'])} forecast"
    gap = row["gap"]
    position = f"{_short(gap)} short" if gap > 0 else f"{_short(-gap)} ahead of target"
    if gap == 0:
        position = "on target"
    return (
        f"{row['year_label']}: {_short(row['forecast'])} forecast against a target of "
        f"{_short(row['target'])}, {position} ({RAG_WORDS.get(row['rag'], row['rag'])}); "
        f"{_short(row['realised'])} realised"
    )


def pipeline_chart(rows: list[dict], csv_url: str = "") -> Chart:
    """Grouped bars per year: target, identified, approved, forecast and realised (cash)."""
    years = [row["year_label"] for row in rows]
    figure = None
    if rows:
        figure = go.Figure(
            data=[
                go.Bar(
                    name=label,
                    x=years,
                    y=[millions(row[key]) for row in rows],
                    marker={
                        "color": colour,
                        "pattern": {"shape": PATTERNS[key]},
                        "line": {"color": PALETTE["black"], "width": 1},
                    },
                    hovertemplate="%{x} " + label + ": £%{y:,.2f}m<extra></extra>",
                )
                for key, label, colour in PIPELINE_SERIES
            ],
            layout=base_layout(
                barmode="group",
                yaxis={
                    "gridcolor": "#e3e7ea",
                    "zerolinecolor": "#9aa3ab",
                    "tickprefix": "£",
                    "ticksuffix": "m",
                    "title": {"text": "£ million"},
                },
            ),
        )
    summary = "; ".join(_sentence(row) for row in rows) + "." if rows else "No savings yet."
    return Chart(
        id="savings-pipeline",
        title="Savings pipeline by year (cashable)",
        summary=summary,
        figure=figure,
        columns=["Year"] + [label for _, label, _ in PIPELINE_SERIES],
        rows=[[row["year_label"]] + [row[key] for key, _, _ in PIPELINE_SERIES] for row in rows],
        csv_url=csv_url,
        notes=["Non-cashable savings (such as officer time) are not in this chart."],
    )


def pipeline_csv_rows(rows: list[dict]) -> list[list[str | Decimal | None]]:
    """The chart's numbers as pounds and pence (some databases drop the scale of sums)."""
    return [
        [row["year_label"]]
        + [None if row[key] is None else row[key].quantize(PENNY) for key, _, _ in PIPELINE_SERIES]
        for row in rows
    ]
