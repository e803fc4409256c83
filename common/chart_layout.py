"""How every chart is laid out so that it reads at a desktop's width and on a phone's.

- Round ticks: `nice_step` picks 1, 2, 2.5 or 5 x 10^n; `nice_axis` an axis's range and
  step from it; `aligned_axes` the two axes of a chart with a right-hand axis, sharing one
  set of grid lines (and the zero line).
- The legend sits above the plot on a wide screen (it can never cover an axis title) and
  below the plot on a narrow one, where the plot needs the whole width.
- A figure carries its small-screen layout in `layout.meta.small` (`responsive`):
  static/js/charts.js applies it when the chart's box is narrower than SMALL_WIDTH and
  takes it back when the box grows again.
"""

import math
from decimal import Decimal

import plotly.graph_objects as go

from common.money import format_tick

# Below this width (CSS pixels) of the chart's own box, static/js/charts.js draws the
# small-screen layout (a 390 px phone's card is some 320 px; a desktop's 540 px or more).
SMALL_WIDTH = 480
# The smallest text in any chart, in px (tick labels, legend, bar labels, annotations).
MIN_FONT = 11
TEXT_FONT = 12
NICE_STEPS = (1, 2, 2.5, 5)
# The plot area (inside the axes) stays at least this tall: the figure's height is the
# plot's plus what the margins, the axis titles and the legend take.
PLOT_HEIGHT = 240
WIDE_MARGIN = {"l": 64, "r": 24, "t": 24, "b": 56}
SMALL_MARGIN = {"l": 52, "r": 12, "t": 24, "b": 48}
# A horizontal legend entry's height in px, and a small screen's entries per legend row
# (the names are long: one each).
LEGEND_ROW = 22


def nice_step(span: float, ticks: int = 5) -> float:
    """The round step (1, 2, 2.5 or 5 x 10^n) that covers `span` in at most `ticks`
    intervals; 1 for an empty span."""
    span = abs(span)
    if span == 0 or not math.isfinite(span):
        return 1.0
    raw = span / max(1, ticks)
    power = 10 ** math.floor(math.log10(raw))
    for step in NICE_STEPS:
        if step * power >= raw * (1 - 1e-9):
            return _tidy(step * power)
    return _tidy(10 * power)


def nice_axis(low: float, high: float, ticks: int = 5) -> dict:
    """A linear axis from a round number at or below `low` (and zero) to one at or above
    `high` (and zero), in round steps: plotly's range, tick0 and dtick."""
    low, high = min(low, 0.0), max(high, 0.0)
    step = _covering_step(low, high, ticks)
    below, above = _intervals(low, step), _intervals(high, step)
    if below + above == 0:
        above = 1
    return _axis(step, below, above)


def aligned_axes(left: tuple[float, float], right: tuple[float, float], ticks: int = 5):
    """Round ticks on both axes of a two-axis chart, with the same number of intervals
    below and above zero on each, so their grid lines and zero lines coincide. `left` and
    `right` are each axis's (lowest, highest) value; returns the two axes' settings. Of
    the interval counts near `ticks`, the one that leaves the least empty space wins."""
    bounds = [(min(low, 0.0), max(high, 0.0)) for low, high in (left, right)]
    best = None
    for count in range(max(2, ticks - 2), ticks + 2):
        steps = [_covering_step(low, high, count) for low, high in bounds]
        below = max(_intervals(low, s) for (low, _), s in zip(bounds, steps, strict=True))
        above = max(_intervals(high, s) for (_, high), s in zip(bounds, steps, strict=True))
        above = above or (0 if below else 1)
        waste = max(
            (below + above) * s / ((high - low) or s)
            for (low, high), s in zip(bounds, steps, strict=True)
        )
        score = (round(waste, 6), abs(below + above - ticks))
        if best is None or score < best[0]:
            best = (score, steps, below, above)
    _, steps, below, above = best
    return tuple(_axis(step, below, above) for step in steps)


def _covering_step(low: float, high: float, ticks: int) -> float:
    """The smallest round step that covers low..high (which include zero) in at most
    `ticks` whole intervals on either side of zero."""
    step = nice_step(high - low, ticks)
    while _intervals(low, step) + _intervals(high, step) > ticks:
        step = nice_step(step * 1.0001 * ticks, ticks)
    return step


def _intervals(value: float, step: float) -> int:
    """Whole steps from zero to reach `value` (away from zero)."""
    return math.ceil(abs(value) / step - 1e-9)


def _axis(step: float, below: int, above: int) -> dict:
    """A money axis in £m with a tick every `step` from `below` steps under zero to
    `above` steps over it. Each tick's text is written here by `common.money` (−£5m, as
    every figure): plotly's own would put the minus sign after the pound sign (£−5m)."""
    ticks = [_tidy(n * step) for n in range(-below, above + 1)]
    return {
        "range": [ticks[0], ticks[-1]],
        "tick0": 0,
        "dtick": step,
        "tickmode": "array",
        "tickvals": ticks,
        "ticktext": [format_tick(Decimal(repr(tick))) for tick in ticks],
        "tickprefix": "",
        "ticksuffix": "",
        "autorange": False,
    }


def _tidy(value: float) -> float:
    """Rid a float of representation noise (0.30000000000000004 -> 0.3); -0 becomes 0."""
    return round(value, 10) + 0.0


# What a value written upwards over a bar takes: px a character at TEXT_FONT, and the gap
# between it and the bar.
LABEL_CHAR, LABEL_GAP = 7.5, 8


def upward_label_top(top: float, floor: float, texts: list[str], plot_height: int) -> float:
    """An axis's top such that the longest of `texts`, written upwards over a bar that
    reaches `top`, fits under it in a plot `plot_height` px tall (the axis from `floor`)."""
    needed = max((len(text) for text in texts), default=0) * LABEL_CHAR + LABEL_GAP
    share = min(0.5, needed / plot_height)
    return floor + (top - floor) / (1 - share)


def legend_above() -> dict:
    """A horizontal legend over the plot, left-aligned: plotly makes the top margin room
    for it, and it can never meet the x-axis title."""
    return {
        "orientation": "h",
        "x": 0,
        "xanchor": "left",
        "y": 1.02,
        "yanchor": "bottom",
        "font": {"size": TEXT_FONT},
    }


def legend_on_top() -> dict:
    """A horizontal legend at the very top of the figure, over anything written above
    the plot (such as a date marker's label); the top margin must hold both."""
    return {**legend_above(), "yref": "container", "y": 1, "yanchor": "top"}


def legend_below() -> dict:
    """A legend under everything (the x-axis title too), one entry a row: a phone's."""
    return {
        "orientation": "v",
        "x": 0,
        "xanchor": "left",
        "yref": "container",
        "y": 0,
        "yanchor": "bottom",
        "font": {"size": TEXT_FONT},
    }


def legend_height(items: int) -> int:
    """The px a `legend_below` of `items` entries takes."""
    return items * LEGEND_ROW + 8


def small_layout(
    *,
    legend_items: int = 0,
    x_title: bool = False,
    tick_labels: int = 24,
    left: int = SMALL_MARGIN["l"],
    right: int = SMALL_MARGIN["r"],
    top: int = SMALL_MARGIN["t"],
    plot_height: int = PLOT_HEIGHT,
    **overrides,
) -> dict:
    """The small-screen layout: narrow margins (`left`, `right`, `top`), the legend (of
        `legend_items` entries, one a row) below everything with room made for it, room for an
        x-axis title when `x_title` and `tick_labels` px for the x tick labels, and a height
        that keeps the plot `plot_height` tall. `overrides` are set over it (a dict's keys over
    the same dict's)."""
    bottom = tick_labels + (24 if x_title else 0) + 8
    layout = {"font": {"size": TEXT_FONT}}
    if legend_items:
        bottom += legend_height(legend_items)
        layout["legend"] = legend_below()
        layout["showlegend"] = True
    layout["margin"] = {"l": left, "r": right, "t": top, "b": bottom}
    layout["height"] = plot_height + top + bottom
    for key, value in overrides.items():
        given = layout.get(key)
        layout[key] = {**given, **value} if isinstance(given, dict) else value
    return layout


def wide_height(*, legend_rows: int = 0, plot_height: int = PLOT_HEIGHT, bottom: int = 0) -> int:
    """A wide screen's figure height: the plot, `legend_rows` of legend over it, and the
    margins (`bottom` px instead of the usual bottom margin)."""
    margin = WIDE_MARGIN["t"] + (bottom or WIDE_MARGIN["b"])
    return plot_height + margin + legend_rows * LEGEND_ROW


def wrapped(text: str, width: int = 16) -> str:
    """`text` (already made safe by `common.charts.label`) broken into lines of about
    `width` characters at its spaces, for a tick label on a narrow screen."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def wrapped_ticks(names: list[str], width: int = 16) -> dict:
    """A category axis's settings that show `names` wrapped (`wrapped`)."""
    return {
        "tickmode": "array",
        "tickvals": list(names),
        "ticktext": [wrapped(name, width) for name in names],
    }


def responsive(figure: go.Figure, small: dict) -> go.Figure:
    """`figure` with its small-screen layout `small` in `layout.meta.small`, for
    static/js/charts.js; the wide layout is the figure's own."""
    meta = figure.layout.meta if isinstance(figure.layout.meta, dict) else {}
    figure.update_layout(meta={**meta, "small": small, "smallWidth": SMALL_WIDTH})
    return figure
