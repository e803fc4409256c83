"""The PDF's charts: a stored table drawn as SVG bars, every text from the data escaped."""

import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal as D

from defusedxml.ElementTree import fromstring

from reports.svg import (
    BAR,
    MAX_HEIGHT,
    MAX_ROWS,
    MIN_BAR,
    bar_chart_svg,
    bar_size,
    money_series,
    row_label,
)
from tests.figure_text import BOLD, HOSTILE

SVG = "{http://www.w3.org/2000/svg}"


def parsed(svg: str) -> ET.Element:
    return fromstring(str(svg))


def bars(svg: str) -> list[dict]:
    """The data bars (the legend's swatches are 12 x 12 at y=8)."""
    return [r.attrib for r in parsed(svg).iter(f"{SVG}rect") if r.attrib["y"] != "8"]


def texts(svg: str) -> list[str]:
    return [t.text for t in parsed(svg).iter(f"{SVG}text")]


def test_money_columns_are_drawn_and_running_totals_left_out():
    columns = ["Period", "Budget", "Actual", "Cumulative budget", "Share"]
    rows = [
        ["P1", D("10.00"), None, D("10.00"), "50.0%"],
        ["P2", D("10.00"), D("9.00"), D("20.00"), "—"],
    ]
    assert [(s.name, s.column) for s in money_series(columns, rows)] == [
        ("Budget", 1),
        ("Actual", 2),
    ]


def test_running_totals_are_drawn_when_they_are_the_only_money():
    rows = [["2015-16", D("5.00"), D("7.00")]]
    found = money_series(["Year", "Cumulative target", "Cumulative realised"], rows)
    assert [s.name for s in found] == ["Cumulative target", "Cumulative realised"]


def test_at_most_three_series():
    columns = ["Category", "A", "B", "C", "D"]
    rows = [["x", D("1"), D("2"), D("3"), D("4")]]
    assert [s.name for s in money_series(columns, rows)] == ["A", "B", "C"]


def test_a_table_without_money_draws_nothing():
    assert bar_chart_svg("Dates", ["Contract", "End"], [["A", date(2015, 1, 1)]]) == ""
    assert bar_chart_svg("Empty", ["Stage", "Amount"], []) == ""


def test_bars_are_proportional_and_labelled_with_their_amounts():
    svg = bar_chart_svg(
        "Pipeline",
        ["Stage", "Amount"],
        [["Target", D("60000000.00")], ["Realised", D("15000000.00")]],
    )
    drawn = bars(svg)
    assert len(drawn) == 2
    assert float(drawn[0]["width"]) == 4 * float(drawn[1]["width"])
    assert drawn[0]["x"] == drawn[1]["x"]  # both start at zero
    assert {"Target", "Realised", "£60.0m", "£15.0m", "Amount"} <= set(texts(svg))


def test_a_negative_amount_runs_left_of_zero():
    svg = bar_chart_svg(
        "Steps", ["Step", "Amount"], [["Baseline", D("300.00")], ["Saving", D("-100.00")]]
    )
    baseline, saving = bars(svg)
    assert float(saving["x"]) + float(saving["width"]) == float(baseline["x"])
    assert float(baseline["width"]) == 3 * float(saving["width"])
    assert "−£100.00" in texts(svg)


def test_text_from_the_data_is_escaped_and_stays_text():
    svg = bar_chart_svg(HOSTILE, ["Name", BOLD], [[HOSTILE, D("1.00")]])
    root = parsed(svg)  # well-formed: nothing from the data became markup
    assert root.find(f"{SVG}title").text == HOSTILE
    assert [a for a in root.iter() if a.tag in ("a", f"{SVG}a", "b", f"{SVG}b")] == []
    assert HOSTILE in texts(svg) and BOLD in texts(svg)


def test_long_tables_show_the_first_rows_and_say_so():
    rows = [[f"Line {n}", D(n)] for n in range(1, MAX_ROWS + 6)]
    svg = bar_chart_svg("Lines", ["Line", "Outturn"], rows)
    assert len(bars(svg)) == MAX_ROWS
    assert f"The first {MAX_ROWS} of {MAX_ROWS + 5} rows; the table has all." in texts(svg)


def test_row_labels_join_the_words_before_the_money_and_are_shortened():
    assert row_label(["2015-16", "Capgemini", D("1")], 2) == "2015-16 · Capgemini"
    assert row_label(["CAP-2005", date(2005, 4, 1), D("1")], 2) == "CAP-2005"
    assert row_label(["x" * 60, D("1")], 1) == "x" * 47 + "…"


def test_long_tables_get_thinner_bars_so_the_chart_fits_half_a_page():
    assert bar_size(rows=2, series=1) == BAR
    assert bar_size(rows=12, series=3) == 8  # a year's months, three series
    assert bar_size(rows=MAX_ROWS, series=3) == MIN_BAR
    rows = [[f"P{n}", D("1.00"), D("2.00"), D("3.00")] for n in range(1, 13)]
    svg = bar_chart_svg("Monthly", ["Period", "Budget", "Actual", "Forecast"], rows)
    assert float(parsed(svg).attrib["height"]) <= MAX_HEIGHT
    assert {b["height"] for b in bars(svg)} == {"6"}
