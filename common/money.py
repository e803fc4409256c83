"""Money and month helpers shared by every app: parsing what people type, showing
figures, and dates.

One negative style everywhere a person reads a figure: the sign first, as the true minus
sign U+2212 (`MINUS`), then the pound sign: −£1,234.56, −£1.2m, −3.4%, −1.2 points. Pages,
cards, tables, chart text and the printed pack all take their text from the `format_*`
functions here. Machine-readable output (CSV and XLSX exports, the JSON API) keeps plain
numbers with an ASCII hyphen-minus: it never goes through these functions.
"""

import calendar
import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import models
from django.db.models import functions  # noqa: F401 - models.functions below

ZERO = Decimal("0.00")
PENNY = Decimal("0.01")
MILLION = Decimal(1_000_000)
MINUS = "\u2212"  # the minus sign every figure shown to a person carries: −£1.2m
NO_VALUE = "—"

# The common case, read without the full pattern: plain digits, an optional minus and up
# to two decimals, under £1e12 (`-1234.5`). `parse_amount` gives the same for these.
PLAIN_AMOUNT = r"-?\d{1,12}(?:\.\d{1,2})?"
_PLAIN = re.compile(PLAIN_AMOUNT)
# What ledger exports write besides: `£1,234.56` and `(978.00)`, at most twelve digits (so
# under £1e12), read without the full pattern too. `_parse_written` gives the same for these.
_FORMATTED = re.compile(r"(\()?£?(\d{1,3}(?:,\d{3}){1,3}|\d{1,12})(\.\d{1,2})?(?(1)\))")
_AMOUNT = re.compile(r"^(?P<sign>-)?£?(?P<digits>\d{1,3}(,\d{3})+|\d+)?(?P<frac>\.\d{1,2})?$")


class AmountError(ValueError):
    """Raised with a message fit to show the person who typed the amount."""


def parse_amount(text: str) -> Decimal:
    """Parse `1234.56`, `1,234.56`, `£1,234.56`, `-978`, `(978.00)` or `£(978.00)` exactly;
    the minus sign the pages show (`−£978.00`) reads as a minus too, so a figure
    copied from a page can be typed back.

    More than two decimal places, letters, misplaced commas or an empty string raise
    AmountError: a finance figure is never silently rounded.
    """
    if type(text) is str:  # the short paths, for what spreadsheets and ledgers write
        if _PLAIN.fullmatch(text):
            return Decimal(text).quantize(PENNY)
        if match := _FORMATTED.fullmatch(text):
            bracket, digits, fraction = match.groups()
            value = Decimal(digits.replace(",", "") + (fraction or "")).quantize(PENNY)
            return -value if bracket else value
    return _parse_written(text)


def _parse_written(text: str) -> Decimal:
    """`parse_amount` by the full pattern: every form it accepts, and every refusal."""
    raw = str(text).strip().replace(" ", "").replace("\u00a0", "").replace(MINUS, "-")
    if not raw:
        raise AmountError("is empty")
    negative = False
    if raw.startswith("(") and raw.endswith(")"):
        negative, raw = True, raw[1:-1]
    elif raw.startswith("£(") and raw.endswith(")"):
        negative, raw = True, raw[2:-1]
    match = _AMOUNT.match(raw)
    if not match or not (match["digits"] or match["frac"]):
        raise AmountError(f"“{text}” is not an amount in pounds, like 1234.56 or (978.00)")
    if match["sign"]:
        if negative:
            raise AmountError(f"“{text}” has both a minus sign and brackets")
        negative = True
    try:
        value = Decimal((match["digits"] or "0").replace(",", "") + (match["frac"] or ""))
    except InvalidOperation:  # pragma: no cover - the pattern only admits digits
        raise AmountError(f"“{text}” is not an amount") from None
    if value >= Decimal("1e12"):
        raise AmountError(f"“{text}” is too large (at most £999,999,999,999.99)")
    value = value.quantize(PENNY)
    return -value if negative else value


def display_round(value: Decimal, places: int) -> Decimal:
    """`value` to `places` decimal places, half-up (finance's convention: 0.05 -> 0.1,
    -0.05 -> -0.1), for display only; storage never rounds. A result that rounds to zero
    is plain zero, never -0."""
    rounded = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return rounded if rounded else abs(rounded)


def percent(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    """part / whole as a percentage to one decimal place (half-up), or None when whole is
    zero or part is unknown."""
    if part is None or not whole:
        return None
    return display_round(Decimal(part) * 100 / Decimal(whole), 1)


def _signed(rounded: Decimal, text: str) -> str:
    """`text` (the figure without its sign) with MINUS before it when `rounded` is below
    zero; a figure that rounds to zero never shows a sign."""
    return f"{MINUS}{text}" if rounded < 0 else text


def format_money(value: Decimal | None) -> str:
    """£1,234,567.89 to the penny, half-up; −£978.00 for negatives (MINUS, U+2212); an em
    dash for no value."""
    if value is None:
        return NO_VALUE
    rounded = display_round(value, 2)
    return _signed(rounded, f"£{abs(rounded):,.2f}")


def format_millions(value: Decimal | None) -> str:
    """£42.0m to one decimal place, half-up; −£1.2m for negatives (MINUS, U+2212): the
    headline and chart style. Display only; storage never rounds."""
    if value is None:
        return NO_VALUE
    millions = display_round(Decimal(value) / MILLION, 1)
    return _signed(millions, f"£{abs(millions):,}m")


def short_money(value: Decimal | None) -> str:
    """£42.0m from a million up (either side of zero), else pounds and pence (£950,000.00,
    −£12.50): for headline figures and summaries of any size."""
    if value is not None and abs(value) >= MILLION:
        return format_millions(value)
    return format_money(value)


def format_tick(millions: Decimal) -> str:
    """An axis tick in £m as written, with no more decimals than the tick has: £0m, £2.5m,
    £1,000m, −£5m (MINUS, U+2212), the charts' money style."""
    text = f"{abs(millions).normalize():,f}"
    return _signed(millions, f"£{text}m")


def format_percent(value: Decimal | None, places: int = 1) -> str:
    """A percentage to one decimal place (or `places`), half-up: 3.4%, −3.4% (MINUS,
    U+2212); an em dash for none (a share of nothing)."""
    if value is None:
        return NO_VALUE
    rounded = display_round(value, places)
    return _signed(rounded, f"{abs(rounded)}%")


def format_points(value: Decimal | None) -> str:
    """A change between two percentages, in percentage points to one decimal place,
    half-up: 1.5 points, −1.5 points (MINUS, U+2212); an em dash for none."""
    if value is None:
        return NO_VALUE
    rounded = display_round(value, 1)
    return _signed(rounded, f"{abs(rounded)} points")


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def MoneyField(**kwargs) -> models.DecimalField:  # noqa: N802 - reads like a field class
    """Pounds and pence, everywhere: DecimalField(max_digits=14, decimal_places=2)."""
    return models.DecimalField(max_digits=14, decimal_places=2, **kwargs)


MONEY = models.DecimalField(max_digits=14, decimal_places=2)


def money_sum(expression) -> models.functions.Coalesce:
    """A money expression (usually a Sum) that is £0.00, not NULL, when there is nothing
    to add."""
    return models.functions.Coalesce(expression, models.Value(ZERO), output_field=MONEY)
