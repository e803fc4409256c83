"""A published chart drawn as a plain SVG bar chart from its stored table, for the PDF.

The HTML pack draws each chart with plotly.js from the stored figure; a PDF made on the
server has no browser, and plotly's own SVG export needs kaleido and Chromium. So the PDF
draws the stored table itself: one horizontal bar per row for up to three money columns
(Decimals), zero marked, each bar labelled with its amount. Every text comes from the data
and is escaped; the full table follows the chart in the pack.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from common.charts import SERIES, short_money

WIDTH = 1000
LABEL_WIDTH = 300
VALUE_ROOM = 90  # room right of the longest bar (and left of the most negative) for its amount
BAR, GAP, TOP = 14, 10, 34
# Bars thin down (to MIN_BAR) so that a chart fits half an A4 landscape page with its title.
MAX_HEIGHT, MIN_BAR = 460, 8
MAX_SERIES, MAX_ROWS, MAX_LABEL = 3, 20, 48
# Cumulative columns run on a larger scale than the monthly ones: drawn only when alone.
CUMULATIVE = "cumulative"


@dataclass(frozen=True)
class Series:
    name: str
    column: int


def money_series(columns: Sequence[str], rows: Sequence[Sequence]) -> list[Series]:
    """The columns to draw: those holding money (a Decimal in some row, nothing else but
    blanks), running totals left out when other money columns exist, at most three."""
    found = []
    for index, name in enumerate(columns):
        cells = [row[index] for row in rows if index < len(row) and row[index] is not None]
        if cells and all(isinstance(c, Decimal) for c in cells):
            found.append(Series(str(name), index))
    plain = [s for s in found if not s.name.lower().startswith(CUMULATIVE)]
    return (plain or found)[:MAX_SERIES]


def row_label(row: Sequence, first_money: int) -> str:
    """The words before the first money column, joined: "2015-16 · Capgemini"."""
    text = " · ".join(value for value in row[:first_money] if isinstance(value, str) and value)
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def _x(value: Decimal, low: Decimal, high: Decimal) -> Decimal:
    """The x position of `value` on a scale from `low` to `high` (low <= 0 <= high)."""
    left, right = LABEL_WIDTH + VALUE_ROOM, WIDTH - VALUE_ROOM
    span = (high - low) or Decimal(1)
    return left + (value - low) * (right - left) / span


def _n(value: Decimal | int) -> str:
    return f"{Decimal(value):.1f}"


def _text(x, y, content: str, anchor: str = "start", size: int | None = None) -> str:
    font = f' font-size="{size}"' if size else ""
    return f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}"{font}>{escape(content)}</text>'


def bar_size(rows: int, series: int) -> int:
    """The thickness of one bar: BAR, or less for a long table, never under MIN_BAR."""
    room = (MAX_HEIGHT - TOP - GAP - rows * GAP) // (rows * series)
    return max(MIN_BAR, min(BAR, room))


def bar_chart_svg(title: str, columns: Sequence[str], rows: Sequence[Sequence]) -> SafeString:
    """The chart as an SVG element, or an empty string when the table holds no money
    (the pack then shows the table alone)."""
    series = money_series(columns, rows)
    if not series or not rows:
        return SafeString("")
    shown = list(rows[:MAX_ROWS])
    values = [row[s.column] for row in shown for s in series if row[s.column] is not None]
    low, high = min([Decimal(0), *values]), max([Decimal(0), *values])
    bar = bar_size(len(shown), len(series))
    band = bar * len(series) + GAP
    height = TOP + band * len(shown) + GAP + (20 if len(rows) > MAX_ROWS else 0)
    zero = _x(Decimal(0), low, high)
    parts = [_legend(series)]
    for index, row in enumerate(shown):
        top = TOP + index * band
        parts.append(
            _text(LABEL_WIDTH - 6, top + band / 2 + 2, row_label(row, series[0].column), "end")
        )
        for number, s in enumerate(series):
            y = top + number * bar
            parts.append(_bar(row[s.column], number, y, bar, zero, (low, high)))
    parts.append(
        f'<line x1="{_n(zero)}" x2="{_n(zero)}" y1="{TOP - 4}" y2="{_n(height - GAP)}" '
        'stroke="#000" stroke-width="1"/>'
    )
    if len(rows) > MAX_ROWS:
        parts.append(
            _text(0, height - 4, f"The first {MAX_ROWS} of {len(rows)} rows; the table has all.")
        )
    # Every text from the data went through escape() in _text or here.
    return mark_safe(  # noqa: S308
        f'<svg xmlns="http://www.w3.org/2000/svg" class="pack-svg" role="img" '
        f'viewBox="0 0 {WIDTH} {_n(height)}" width="{WIDTH}" height="{_n(height)}" '
        f'font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif" font-size="11">'
        f"<title>{escape(title)}</title>{''.join(parts)}</svg>"
    )


def _legend(series: list[Series]) -> str:
    parts, x = [], LABEL_WIDTH + VALUE_ROOM
    for number, s in enumerate(series):
        parts.append(
            f'<rect x="{x}" y="8" width="12" height="12" fill="{SERIES[number]}" '
            'stroke="#000" stroke-width="0.5"/>'
        )
        parts.append(_text(x + 16, 18, s.name))
        x += 24 + 7 * len(s.name)
    return "".join(parts)


def _bar(value: Decimal | None, number: int, y: int, bar: int, zero: Decimal, scale) -> str:
    """One bar from zero to `value`, its amount beside its end (smaller for thin bars)."""
    size = bar if bar < BAR - 2 else None
    if value is None:
        return _text(zero + 4, y + bar - 3, "—", size=size)
    end = _x(value, *scale)
    x, width = min(zero, end), abs(end - zero)
    amount = (
        _text(end + 4, y + bar - 2, short_money(value), size=size)
        if value >= 0
        else _text(end - 4, y + bar - 2, short_money(value), "end", size)
    )
    return (
        f'<rect x="{_n(x)}" y="{y + 1}" width="{_n(width)}" height="{bar - 2}" '
        f'fill="{SERIES[number]}"/>{amount}'
    )
