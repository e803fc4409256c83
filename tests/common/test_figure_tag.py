"""A headline card's figure: £m to one decimal place, with the exact figure to the penny
as the element's accessible name and in a tooltip shown on hover and keyboard focus; and
the filters that show money, percentages and points with one negative style."""

from decimal import Decimal as D

import pytest
from django.template import Context, Template
from django.test.html import parse_html


def render(source: str, **context) -> str:
    return Template("{% load common %}" + source).render(Context(context))


def card_figure(shown: str, exact: str, size: str = "") -> str:
    return (
        f'<span class="figure{size}" tabindex="0" role="group" aria-label="{exact}">'
        f'<span aria-hidden="true">{shown}</span>'
        f'<span class="figure-exact" aria-hidden="true">{exact}</span></span>'
    )


def test_a_figure_shows_millions_with_the_exact_figure_on_focus():
    html = render("{% figure value %}", value=D("331050000.05"))
    # Focusable (tabindex), named by the exact figure, which the tooltip also shows.
    assert parse_html(html) == parse_html(card_figure("£331.1m", "£331,050,000.05"))


def test_a_negative_figure_has_the_minus_first_in_both_forms():
    html = render("{% figure value %}", value=D("-1234567.89"))
    assert parse_html(html) == parse_html(card_figure("\u2212£1.2m", "\u2212£1,234,567.89"))


def test_a_long_figure_is_marked_to_set_smaller():
    html = render("{% figure value %}", value=D("1000000000000.00"))
    expected = card_figure("£1,000,000.0m", "£1,000,000,000,000.00", " figure-long")
    assert parse_html(html) == parse_html(expected)
    assert "figure-long" not in render("{% figure value %}", value=D("42000000.00"))


def test_short_figures_below_a_million_are_already_exact():
    assert render("{% figure value short=True %}", value=D("-950000.00")) == "\u2212£950,000.00"
    html = render("{% figure value short=True %}", value=D("-2500000.00"))
    assert parse_html(html) == parse_html(card_figure("\u2212£2.5m", "\u2212£2,500,000.00"))


def test_a_figure_that_rounds_to_nothing_still_gives_its_pence():
    html = render("{% figure value %}", value=D("-12.34"))
    assert parse_html(html) == parse_html(card_figure("£0.0m", "\u2212£12.34"))


def test_no_figure_is_a_dash():
    assert render("{% figure value %}", value=None) == "—"


@pytest.mark.parametrize(
    ("source", "value", "shown"),
    [
        ("{{ value|money }}", D("-978.005"), "\u2212£978.01"),
        ("{{ value|millions }}", D("-1250000"), "\u2212£1.3m"),
        ("{{ value|pct }}", D("-3.45"), "\u22123.5%"),
        ("{{ value|pct }}", None, "—"),
        ("{{ value|points }}", D("-1.5"), "\u22121.5 points"),
        ("{{ value|cell }}", D("-5.50"), "\u2212£5.50"),
    ],
)
def test_filters_share_the_one_negative_style(source, value, shown):
    assert render(source, value=value) == shown
