"""From the technology baseline, through each initiative's savings, to the outturn."""

import math
from collections.abc import Mapping, Sequence
from decimal import Decimal

import plotly.graph_objects as go
from django.urls import reverse

from common.chart_layout import (
    TEXT_FONT,
    nice_step,
    responsive,
    small_layout,
    upward_label_top,
    wide_height,
)
from common.charts import (
    PALETTE,
    Chart,
    chart_layout,
    label,
    link_points,
    millions,
    money_axis,
    page_url,
    plain_figure,
    short_money,
)
from common.money import format_money
from common.rag import RAG_WORDS

COLUMNS = ("Step", "Confidence", "Amount")
SMALL_PLOT = 260  # a phone's plot height, px
# Initiatives drawn as their own steps, largest saving first; any more are one step, so the
# chart stays readable and the same size whatever the number of initiatives.
INITIATIVE_STEPS = 10


def waterfall_chart(
    *,
    baseline: Decimal | None,
    baseline_label: str,
    initiatives: Sequence[dict],
    total_savings: Decimal,
    outturn: Decimal,
    year_label: str,
    query: Mapping[str, object] | None = None,
) -> Chart:
    """From the technology baseline, less each initiative's savings (forecast, cumulative
    to the selected year), plus everything else, to the year's forecast outturn.

    `initiatives` are `InitiativeYear.objects.by_initiative()` rows; `total_savings` is
    their total (the pipeline's cumulative forecast). Each initiative opens its page, the
    rest together the savings page, and the outturn the budget lines table for the page's
    `query` (year and reporting date); the baseline and other changes open nothing."""
    query = query or {"year": year_label}
    title = f"From the {baseline_label} baseline to the {year_label} forecast outturn"
    if baseline is None:
        return Chart(
            id="waterfall",
            title=title,
            summary="No reduction programme is recorded, so there is no baseline to start from.",
            figure=None,
            columns=COLUMNS,
        )
    other = outturn - (baseline - total_savings)
    # (step, confidence, amount, plotly measure)
    steps = [(f"Baseline {baseline_label}", "", baseline, "absolute")]
    steps += _initiative_steps(initiatives)
    steps += [
        ("Other changes in spend", "", other, "relative"),
        (f"Forecast outturn {year_label}", "", outturn, "total"),
    ]
    summary = (
        f"From the {short_money(baseline)} baseline, initiatives are forecast to save "
        f"{short_money(total_savings)} by {year_label}; other changes "
        f"{'add' if other >= 0 else 'remove'} {short_money(abs(other))}, for a forecast "
        f"outturn of {short_money(outturn)}."
    )
    lowest = min(baseline - total_savings, outturn)
    links = [
        None,
        *_initiative_links(initiatives, year_label),
        None,
        page_url("budgets:index", query=query),
    ]
    figure = _figure(steps, _axis_floor(lowest), millions(max(baseline, outturn)) * 1.08)
    return Chart(
        id="waterfall",
        title=title,
        summary=summary,
        figure=link_points(figure, links),
        links=links,
        columns=COLUMNS,
        rows=[(name, confidence or "—", amount) for name, confidence, amount, _ in steps],
    )


def _initiative_steps(initiatives: Sequence[dict]) -> list[tuple]:
    """A step per initiative (they come largest first), the ones beyond INITIATIVE_STEPS - 1
    together as "Other initiatives (N)"."""
    named, rest = _named(initiatives)
    steps = [
        (
            f"{i['code']}: {i['name']}",
            RAG_WORDS.get(i["confidence"], "—"),
            -i["forecast"],
            "relative",
        )
        for i in named
    ]
    if rest:
        steps.append(
            (f"Other initiatives ({len(rest)})", "", -sum(i["forecast"] for i in rest), "relative")
        )
    return steps


def _named(initiatives: Sequence[dict]) -> tuple[Sequence[dict], Sequence[dict]]:
    """The initiatives drawn as their own steps, and the rest (drawn as one)."""
    if len(initiatives) <= INITIATIVE_STEPS:
        return initiatives, ()
    return initiatives[: INITIATIVE_STEPS - 1], initiatives[INITIATIVE_STEPS - 1 :]


def _initiative_links(initiatives: Sequence[dict], year_label: str) -> list[str]:
    """The pages of `_initiative_steps`' steps: each initiative's, and the savings page
    of the year (every initiative) for the rest together."""
    named, rest = _named(initiatives)
    links = [reverse("savings:initiative", args=[i["code"]]) for i in named]
    if rest:
        links.append(page_url("savings:index", query={"year": year_label}))
    return links


def _axis_floor(lowest: Decimal) -> float:
    """The steps are small beside the baseline: start the axis a round number below 80% of
    the lowest level (0 for small amounts)."""
    floor = max(0.0, millions(lowest) * 0.8)
    step = 10 ** max(0, math.floor(math.log10(floor)) - 1) if floor >= 1 else 1
    return math.floor(floor / step) * step


def _column_tops(steps: list[tuple]) -> list[float]:
    """The top of each step's column, in £m: where its value is written."""
    tops, level = [], 0.0
    for _, _, amount, measure in steps:
        value = millions(amount)
        if measure == "absolute":
            level = value
            tops.append(value)
        elif measure == "relative":
            tops.append(max(level, level + value))
            level += value
        else:
            tops.append(level)
    return tops


def _figure(steps: list[tuple], floor: float, top: float) -> go.Figure:
    axis_title = "Spend, £m" if floor == 0 else f"£m, axis from £{floor:,.0f}m"
    texts = [short_money(amount) for _, _, amount, _ in steps]
    tops = _column_tops(steps)
    # Room over the tallest column for its value, written upwards, on a phone's plot.
    top = upward_label_top(max(top, *tops), floor, texts, SMALL_PLOT)
    # Each value over its column, never under it: plotly writes a saving's value below
    # its bar, where a long one ("−£5,000.00") runs into the axis labels. Upright labels
    # are as wide as a bar is narrow (plotly would shrink them to fit, to some 7px);
    # written upwards, they keep their size.
    values = [
        {
            "x": label(name.split(":")[0]),
            "y": column_top,
            "yanchor": "bottom",
            "yshift": 4,
            "text": text,
            "textangle": -90,
            "showarrow": False,
            "font": {"size": TEXT_FONT},
        }
        for (name, _, _, _), text, column_top in zip(steps, texts, tops, strict=True)
    ]
    layout = chart_layout(
        showlegend=False,
        hovermode="closest",
        yaxis=money_axis(axis_title, range=[floor, top], dtick=nice_step(top - floor, 5)),
        xaxis={"automargin": True, "tickangle": -30},
        margin={"l": 64, "r": 20, "t": 24, "b": 24},
        height=wide_height(plot_height=280, bottom=24 + 40),
        annotations=values,
    )
    waterfall = {
        "type": "waterfall",
        # Ticks name the initiative by code; the hover and the table give its name.
        "x": [label(name.split(":")[0]) for name, *_ in steps],
        "y": [millions(amount) for _, _, amount, _ in steps],
        "measure": [measure for *_, measure in steps],
        "customdata": [f"{label(name)}: {format_money(amount)}" for name, _, amount, _ in steps],
        "hovertemplate": "%{customdata}<extra></extra>",
        "decreasing": {"marker": {"color": PALETTE["blue"]}},
        "increasing": {"marker": {"color": PALETTE["vermillion"]}},
        "totals": {"marker": {"color": PALETTE["grey"]}},
        "connector": {"line": {"color": PALETTE["black"], "width": 1, "dash": "dot"}},
        "name": "Spend",
    }
    # A value label per step: built unvalidated, as plotly's check of each cost most of
    # the chart's time.
    return responsive(
        plain_figure([waterfall], layout),
        small_layout(
            tick_labels=120,
            plot_height=SMALL_PLOT,
            xaxis={"tickangle": -90},
            yaxis={"dtick": nice_step(top - floor, 3), "title": {"text": "£m"}},
        ),
    )
