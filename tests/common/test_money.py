"""Display rounding is half-up (finance's convention) in every money and percent helper,
and nothing ever shows as minus zero."""

from decimal import Decimal as D

import pytest

from common.money import display_round, format_millions, format_money, percent


@pytest.mark.parametrize(
    ("value", "places", "shown"),
    [
        ("0.05", 1, "0.1"),
        ("0.25", 1, "0.3"),
        ("-0.05", 1, "-0.1"),
        ("-0.25", 1, "-0.3"),
        ("2.5", 0, "3"),
        ("1234.565", 2, "1234.57"),
        ("0.04", 1, "0.0"),
    ],
)
def test_display_round_takes_a_half_away_from_zero(value, places, shown):
    assert str(display_round(D(value), places)) == shown


@pytest.mark.parametrize("value", ["-0.04", "-0.0001", "-0"])
def test_display_round_never_gives_minus_zero(value):
    assert str(display_round(D(value), 1)) == "0.0"


def test_an_exact_minus_five_hundredths_of_a_percent_shows_as_minus_0_1():
    # -£5 of £10,000 is exactly -0.05%.
    assert percent(D("-5.00"), D("10000.00")) == D("-0.1")
    assert str(percent(D("-5.00"), D("10000.00"))) == "-0.1"


def test_percent_rounds_half_up_and_never_shows_minus_zero():
    assert str(percent(D("5.00"), D("10000.00"))) == "0.1"  # exactly 0.05%
    assert str(percent(D("25.00"), D("10000.00"))) == "0.3"  # exactly 0.25%
    assert str(percent(D("-4.00"), D("10000.00"))) == "0.0"  # -0.04%


def test_percent_of_nothing_is_unknown():
    assert percent(D("5.00"), D("0.00")) is None
    assert percent(None, D("100.00")) is None


def test_a_saving_of_minus_4_050_000_shows_as_minus_4_1m():
    assert format_millions(D("-4050000.00")) == "-£4.1m"


def test_format_millions_rounds_half_up_and_never_shows_minus_zero():
    assert format_millions(D("4050000.00")) == "£4.1m"
    assert format_millions(D("42250000.00")) == "£42.3m"
    assert format_millions(D("-40000.00")) == "£0.0m"
    assert format_millions(D("1234550000.00")) == "£1,234.6m"
    assert format_millions(None) == "—"


def test_format_money_rounds_half_up_to_the_penny_and_brackets_negatives():
    assert format_money(D("1234567.885")) == "£1,234,567.89"
    assert format_money(D("-978.005")) == "(£978.01)"
    assert format_money(D("-0.004")) == "£0.00"
    assert format_money(D("-978.00")) == "(£978.00)"
    assert format_money(None) == "—"
