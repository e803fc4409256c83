from datetime import date, datetime
from decimal import Decimal

import pytest

from common.snapshot import dumps, loads


def test_decimals_and_dates_round_trip_exactly():
    value = {
        "outturn": Decimal("223456789.01"),
        "as_at": date(2015, 9, 30),
        "published_at": datetime(2015, 10, 5, 9, 30),
        "rows": [("Capgemini", Decimal("-0.10"), None)],
    }
    back = loads(dumps(value))
    assert back == {**value, "rows": [["Capgemini", Decimal("-0.10"), None]]}
    assert isinstance(back["outturn"], Decimal) and str(back["rows"][0][1]) == "-0.10"


def test_equal_snapshots_are_byte_identical_whatever_the_key_order():
    assert dumps({"b": Decimal("1.00"), "a": 2}) == dumps({"a": 2, "b": Decimal("1.00")})


def test_a_float_is_refused_so_money_is_never_rounded_into_a_snapshot():
    with pytest.raises(TypeError, match="float"):
        dumps({"outturn": 1.1})
