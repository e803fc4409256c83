"""The engine's shared terms: the adjustment kinds each part handles, money to the penny
(half-up) or in whole pence, and months numbered from year zero, so that the months of a
plan's years can be compared and counted."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from common.money import PENNY, ZERO
from scenarios.models import Adjustment

Kind = Adjustment.Kind
CONTRACT_KINDS = (Kind.CANCEL, Kind.RENEGOTIATE, Kind.EXTEND)
INITIATIVE_KINDS = (Kind.SLIP, Kind.SCALE)


def pennies(value: Decimal) -> Decimal:
    return Decimal(value).quantize(PENNY, rounding=ROUND_HALF_UP)


def to_pence(series: pd.Series) -> pd.Series:
    """Pounds and pence (Decimals of at most two places) as whole pence, exactly."""
    return series.map(lambda value: int(value.scaleb(2))).astype("int64")


def from_pence(pence: int) -> Decimal:
    return Decimal(int(pence)).scaleb(-2)


def month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def first_month_from(day: date) -> int:
    """The first month that begins on or after `day`."""
    return month_index(day) + (day.day != 1)


def _decimal_sum(series: pd.Series) -> Decimal:
    return sum(series, ZERO)
