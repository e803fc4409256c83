"""Display rounding is half-up (finance's convention) in every money and percent helper,
nothing ever shows as minus zero, and every negative figure a person reads has one style:
the true minus sign (U+2212) first, then the pound sign."""

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from common.money import (
    MINUS,
    AmountError,
    display_round,
    format_millions,
    format_money,
    format_percent,
    format_points,
    format_tick,
    parse_amount,
    percent,
    short_money,
)


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


def test_the_minus_is_the_true_minus_sign():
    assert MINUS == "\u2212"
    assert format_money(D("-1.00")).startswith("\u2212£")


def test_a_saving_of_minus_4_050_000_shows_as_minus_4_1m():
    assert format_millions(D("-4050000.00")) == "−£4.1m"


def test_format_millions_rounds_half_up_and_never_shows_minus_zero():
    assert format_millions(D("4050000.00")) == "£4.1m"
    assert format_millions(D("42250000.00")) == "£42.3m"
    assert format_millions(D("-40000.00")) == "£0.0m"
    assert format_millions(D("1234550000.00")) == "£1,234.6m"
    assert format_millions(None) == "—"


def test_format_money_rounds_half_up_to_the_penny_and_puts_the_minus_first():
    assert format_money(D("1234567.885")) == "£1,234,567.89"
    assert format_money(D("1234567.884")) == "£1,234,567.88"
    assert format_money(D("-978.005")) == "−£978.01"
    assert format_money(D("-978.004")) == "−£978.00"
    assert format_money(D("-0.004")) == "£0.00"
    assert format_money(D("-0.005")) == "−£0.01"
    assert format_money(D("-978.00")) == "−£978.00"
    assert format_money(D("0")) == "£0.00"
    assert format_money(None) == "—"


def test_huge_figures_keep_every_digit():
    assert format_money(D("-999999999.99")) == "−£999,999,999.99"
    assert format_money(D("999999999999.99")) == "£999,999,999,999.99"
    assert format_millions(D("1000000000000.00")) == "£1,000,000.0m"
    assert format_millions(D("-999999999.99")) == "−£1,000.0m"
    assert short_money(D("-999999999999.99")) == "−£1,000,000.0m"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("1050000.00", "£1.1m"),  # exactly 1.05m: half-up
        ("1049999.99", "£1.0m"),
        ("-1050000.00", "−£1.1m"),
        ("-1049999.99", "−£1.0m"),
        ("-49999.99", "£0.0m"),  # rounds to zero: no sign
        ("-50000.00", "−£0.1m"),
        ("0", "£0.0m"),
    ],
)
def test_format_millions_at_the_half_way_boundaries(value, shown):
    assert format_millions(D(value)) == shown


def test_short_money_is_millions_from_a_million_either_side_of_zero():
    assert short_money(D("1000000.00")) == "£1.0m"
    assert short_money(D("-1000000.00")) == "−£1.0m"
    assert short_money(D("999999.99")) == "£999,999.99"
    assert short_money(D("-999999.99")) == "−£999,999.99"
    assert short_money(None) == "—"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("3.4", "3.4%"),
        ("-3.4", "−3.4%"),
        ("3.45", "3.5%"),  # half-up
        ("-3.45", "−3.5%"),
        ("3.449", "3.4%"),
        ("-0.04", "0.0%"),  # no minus zero
        ("0", "0.0%"),
        ("12", "12.0%"),
        ("123456.7", "123456.7%"),
    ],
)
def test_format_percent(value, shown):
    assert format_percent(D(value)) == shown


def test_format_percent_to_more_places():
    assert format_percent(D("-12.25"), places=2) == "−12.25%"
    assert format_percent(D("-10"), places=2) == "−10.00%"


def test_format_percent_of_nothing_is_a_dash():
    assert format_percent(None) == "—"
    assert format_percent(percent(D("1.00"), D("0.00"))) == "—"


def test_format_points_is_signed_like_money():
    assert format_points(D("1.25")) == "1.3 points"
    assert format_points(D("-1.25")) == "−1.3 points"
    assert format_points(D("-0.04")) == "0.0 points"
    assert format_points(None) == "—"


@pytest.mark.parametrize("text", ["−978.00", "−£978.00", "−£1,234.56"])
def test_a_figure_copied_from_a_page_reads_back(text):
    assert parse_amount(text) == -D(text.replace("−", "").replace("£", "").replace(",", ""))


money = st.decimals(
    min_value=D("-999999999999.99"), max_value=D("999999999999.99"), places=2, allow_nan=False
)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        money.map(str),
        money.map(lambda amount: f"£{amount:,}"),
        money.map(lambda amount: f"({abs(amount)})"),
        money.map(lambda amount: f"(£{abs(amount):,.1f})"),
        st.text(alphabet="0123456789.,-£() ", max_size=18),
    )
)
def test_the_short_paths_read_what_the_full_pattern_reads(text):
    # Plain and ledger-formatted amounts skip the full pattern; nothing else may change.
    from common.money import _parse_written

    try:
        expected = _parse_written(text)
    except AmountError as error:
        with pytest.raises(AmountError) as refused:
            parse_amount(text)
        assert str(refused.value) == str(error)
    else:
        assert str(parse_amount(text)) == str(expected)  # value, places and sign


def test_the_page_minus_and_brackets_together_are_refused():
    with pytest.raises(AmountError, match="both a minus sign and brackets"):
        parse_amount("(−978.00)")


@pytest.mark.parametrize(
    ("millions", "shown"),
    [
        ("0", "£0m"),
        ("-0.0", "£0m"),
        ("2.5", "£2.5m"),
        ("100.0", "£100m"),
        ("1000", "£1,000m"),
        ("-5", f"{MINUS}£5m"),
        ("-0.25", f"{MINUS}£0.25m"),
    ],
)
def test_an_axis_tick_is_money_in_millions_with_its_own_decimals(millions, shown):
    assert format_tick(D(millions)) == shown
