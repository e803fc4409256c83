"""Round ticks, and every chart's layout at a desktop's width and a phone's: legend clear
of the axis titles, axis titles, margins, readable text, and a small-screen layout."""

from datetime import date
from decimal import Decimal as D

import pytest

from budgets.charts import line_months_chart
from common.chart_layout import (
    MIN_FONT,
    SMALL_WIDTH,
    aligned_axes,
    nice_axis,
    nice_step,
    small_layout,
    wrapped,
)
from common.charts import format_percent
from contracts.charts import contract_spend_chart, supplier_share_chart
from reports.charts import (
    category_chart,
    contract_timeline_chart,
    monthly_chart,
    supplier_chart,
)
from savings.charts import pipeline_chart, savings_by_year_chart
from tests.reports import test_charts as report_rows
from tests.savings import test_charts as savings_rows

ROUND = {1, 2, 2.5, 5}


def mantissa(step: float) -> float:
    while step >= 10:
        step /= 10
    while step < 1:
        step *= 10
    return round(step, 6)


@pytest.mark.parametrize(
    ("span", "step"),
    [(261, 100), (22, 5), (10, 2), (12.5, 2.5), (0.3, 0.1), (1234, 250), (7, 2), (100, 20)],
)
def test_a_nice_step_is_one_two_two_and_a_half_or_five_times_a_power_of_ten(span, step):
    assert nice_step(span, 5) == pytest.approx(step)
    assert mantissa(nice_step(span, 5)) in ROUND
    assert span / nice_step(span, 5) <= 5


def test_nothing_to_span_is_a_step_of_one():
    assert nice_step(0) == 1
    assert nice_axis(0, 0)["range"] == [0, 1]


def test_an_axis_runs_from_a_round_number_below_to_one_above_and_includes_zero():
    axis = nice_axis(3, 47)
    assert axis["range"] == [0, 50]
    assert axis["dtick"] == 10
    negative = nice_axis(-7, -2)
    assert negative["range"] == [-8, 0]
    assert negative["dtick"] == 2
    both = nice_axis(-12, 30)
    low, high = both["range"]
    assert low <= -12 and high >= 30 and low % both["dtick"] == 0 == high % both["dtick"]


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ((0, 22), (0, 261)),
        ((0, 2.2), (0, 26.1)),
        ((-3, 22), (0, 261)),
        ((0, 0), (0, 0)),
        ((-5, -1), (0, 40)),
        ((0, 19.7), (0, 229.3)),
    ],
)
def test_two_axes_share_their_grid_lines_in_round_steps(left, right):
    a, b = aligned_axes(left, right)
    for axis, (low, high) in ((a, left), (b, right)):
        assert mantissa(axis["dtick"]) in ROUND
        assert axis["range"][0] <= min(low, 0) and axis["range"][1] >= max(high, 0)
        assert axis["tick0"] == 0
    # The same number of intervals below and above zero on both: grid lines coincide.
    assert [v / a["dtick"] for v in a["range"]] == pytest.approx(
        [v / b["dtick"] for v in b["range"]]
    )


def test_the_monthly_chart_of_the_issue_gets_round_right_hand_ticks():
    # £19.7m a month at most, £261m cumulative: not £65m/£130m/£196m/£261m.
    left, right = aligned_axes((0, 19.7), (0, 261))
    for axis in (left, right):
        assert mantissa(axis["dtick"]) in ROUND
        top = axis["range"][1] / axis["dtick"]
        assert top == pytest.approx(round(top))  # the top is a tick too
    assert right["range"][1] >= 261 and left["range"][1] >= 19.7


def test_a_long_name_wraps_at_its_spaces():
    assert wrapped("Outsourced services and more", 12) == "Outsourced<br>services and<br>more"
    assert wrapped("Short", 12) == "Short"


def test_a_small_layout_makes_room_for_its_legend_below():
    small = small_layout(legend_items=6)
    assert small["legend"]["yref"] == "container" and small["legend"]["y"] == 0
    plot = small["height"] - small["margin"]["t"] - small["margin"]["b"]
    assert plot >= 200
    assert small["margin"]["b"] >= 6 * 20


def test_chart_percentages_have_one_decimal_place():
    assert format_percent(D("16.66")) == "16.7%"
    assert format_percent(None) == "—"


# ---------------------------------------------------------------------- every chart


def charts():
    r, s = report_rows, savings_rows
    return {
        "monthly": monthly_chart(r.by_period(), r.TOTALS, year_label="2014-15", as_at=2),
        "categories": category_chart(r.CATEGORIES, year_label="2014-15"),
        "suppliers": supplier_chart(
            r.SUPPLIER_ROWS, r.YEAR_TOTALS, largest=r.LARGEST, year_label="2014-15"
        ),
        "contracts": contract_timeline_chart(
            r.CONTRACTS, as_at_date=r.AS_AT, decision_cutoff=r.CUTOFF, due=["CAP-2005"]
        ),
        "waterfall": r.waterfall(),
        "savings": savings_by_year_chart(
            [s.Y2014, s.Y2015], year_label="2014-15", reduction=D("5e8")
        ),
        "pipeline": pipeline_chart(s.Y2014, year_label="2014-15"),
        "contract-spend": contract_spend_chart(
            reference="CAP-2005",
            annual_value=D("12000000"),
            rows=[
                {
                    "year_label": "2013-14",
                    "actual": D("9e6"),
                    "outturn": D("11e6"),
                    "share": D("5"),
                },
                {"year_label": "2014-15", "actual": D("2e6"), "outturn": D("13e6"), "share": None},
            ],
        ),
        "supplier-share": supplier_share_chart(
            name="Capgemini",
            rows=[
                {
                    "year_label": "2014-15",
                    "actual": D("1"),
                    "technology_actual": D("2"),
                    "share": D("50.0"),
                    "outturn": D("1"),
                    "technology_outturn": D("2"),
                    "outturn_share": D("50.0"),
                }
            ],
        ),
        "line-chart": line_months_chart(
            code="OUT-01",
            year_label="2014-15",
            rows=[
                {"period": p, "budget": D("100"), "actual": None, "forecast_shown": D("90")}
                for p in range(1, 13)
            ],
        ),
    }


CHARTS = list(charts())


def layout_of(name: str) -> dict:
    return charts()[name].figure_json["layout"]


def font_sizes(layout: dict, data: list[dict]) -> list[float]:
    sizes = [layout["font"]["size"], layout["legend"]["font"]["size"]]
    sizes += [
        a.get("font", {}).get("size", layout["font"]["size"]) for a in layout.get("annotations", [])
    ]
    sizes += [t["textfont"]["size"] for t in data if "textfont" in t and "size" in t["textfont"]]
    small = layout["meta"]["small"]
    sizes += [small.get("font", {}).get("size", layout["font"]["size"])]
    sizes += [small.get("yaxis", {}).get("tickfont", {}).get("size", MIN_FONT)]
    return sizes


@pytest.mark.parametrize("name", CHARTS)
def test_every_chart_reads_at_both_widths(name):
    figure = charts()[name].figure_json
    layout, data = figure["layout"], figure["data"]
    # Text no smaller than 11px; bar labels never shrunk below it either.
    assert min(font_sizes(layout, data)) >= MIN_FONT
    assert layout["uniformtext"]["minsize"] >= MIN_FONT
    # A y-axis title, and a plot at least 200px tall inside a fixed height.
    # A title on the value axis (the x axis of a chart of horizontal bars).
    horizontal = layout["yaxis"].get("type") == "category"
    assert (layout["xaxis"] if horizontal else layout["yaxis"])["title"]["text"]
    plot = layout["height"] - layout["margin"]["t"] - layout["margin"]["b"]
    assert plot >= 200
    assert layout["margin"]["l"] >= 20 and layout["margin"]["r"] >= 20
    # A horizontal legend sits over the plot, never under it where the x title is.
    legend = layout["legend"]
    if legend.get("orientation") == "h":
        assert legend["yanchor"] in ("bottom", "top") and (
            legend["y"] >= 1 or legend.get("yref") == "container"
        )
    # The small-screen layout: narrow margins, and any legend below with room for it.
    small = layout["meta"]["small"]
    assert layout["meta"]["smallWidth"] == SMALL_WIDTH
    assert small["margin"]["l"] <= layout["margin"]["l"]
    small_plot = small["height"] - small["margin"]["t"] - small["margin"]["b"]
    assert small_plot >= 200
    if small.get("showlegend"):
        assert small["legend"]["y"] == 0 and small["legend"]["yref"] == "container"
        entries = sum(1 for t in data if t.get("showlegend", True))
        assert small["margin"]["b"] >= entries * 20


def test_the_monthly_chart_has_round_ticks_on_both_axes_sharing_grid_lines():
    layout = layout_of("monthly")
    left, right = layout["yaxis"], layout["yaxis2"]
    assert mantissa(left["dtick"]) in ROUND and mantissa(right["dtick"]) in ROUND
    assert left["range"][1] / left["dtick"] == pytest.approx(right["range"][1] / right["dtick"])
    # Fewer ticks on a phone.
    small = layout["meta"]["small"]
    assert small["yaxis"]["range"][1] / small["yaxis"]["dtick"] <= left["range"][1] / left["dtick"]


def test_the_timeline_starts_before_its_first_bar_and_names_contracts_briefly_on_a_phone():
    layout = layout_of("contracts")
    first_start = min(r["start_date"] for r in report_rows.CONTRACTS)
    assert date.fromisoformat(layout["xaxis"]["range"][0]) < first_start
    assert layout["xaxis"]["title"]["text"]
    assert layout["meta"]["small"]["yaxis"]["ticktext"] == ["CAP-2005", "BT-NET"]


def test_the_waterfall_writes_its_values_upwards_at_a_readable_size():
    notes = layout_of("waterfall")["annotations"]
    assert notes and {note["textangle"] for note in notes} == {-90}
    assert min(note["font"]["size"] for note in notes) >= MIN_FONT


def test_long_pipeline_labels_are_written_upwards_with_room_over_the_bars():
    short = pipeline_chart(savings_rows.Y2014, year_label="2014-15").figure_json
    assert short["data"][0]["textangle"] == 0  # "£42.0m" stands upright over its bar
    small = {
        key: value / 1000 if key in ("target", "identified", "approved", "realised") else value
        for key, value in savings_rows.Y2014.items()
    }
    long = pipeline_chart(small, year_label="2014-15").figure_json
    (bar,) = long["data"]
    assert bar["text"][0] == "£42,000.00" and bar["textangle"] == -90
    # "£45,500.00" upwards takes 10 x 7.5 + 8 = 83px of a phone's 240px plot.
    highest = max(bar["y"])
    assert long["layout"]["meta"]["small"]["yaxis"]["range"][1] >= highest / (1 - 83 / 240)


@pytest.mark.parametrize("name", CHARTS)
def test_every_axis_makes_room_for_its_labels_and_title(name):
    layout = layout_of(name)
    axes = [key for key in layout if key.startswith(("xaxis", "yaxis"))]
    assert axes
    for key in axes:
        assert layout[key].get("automargin") is True, key


def test_money_ticks_put_the_minus_sign_first_as_every_figure_does():
    axis = nice_axis(-12, 30)
    assert axis["tickmode"] == "array"
    assert axis["ticktext"] == ["−£20m", "−£10m", "£0m", "£10m", "£20m", "£30m"]
    assert axis["tickvals"] == [-20, -10, 0, 10, 20, 30]
    assert (axis["tickprefix"], axis["ticksuffix"]) == ("", "")  # not £−20m
    left, right = aligned_axes((-2.5, 19.7), (0, 261))
    assert left["ticktext"][0] == "−£5m" and right["ticktext"][0].startswith("−£")
    assert nice_axis(0, 0.3)["ticktext"] == ["£0m", "£0.1m", "£0.2m", "£0.3m"]
    assert nice_axis(0, 1234)["ticktext"][-2:] == ["£1,000m", "£1,250m"]


def test_the_pipeline_gap_note_is_over_the_plot_clear_of_the_bar_labels():
    (note,) = layout_of("pipeline")["annotations"]
    assert note["yref"] == "paper" and note["y"] >= 1 and note["yanchor"] == "bottom"
    assert note["showarrow"] is False


def test_the_category_chart_wraps_long_names_on_a_phone():
    small = layout_of("categories")["meta"]["small"]
    assert small["yaxis"]["ticktext"] == ["Outsourced<br>services", "End-user<br>devices"]
    assert small["xaxis"]["dtick"] >= layout_of("categories")["xaxis"]["dtick"]


def test_the_contract_chart_has_a_y_axis_title():
    assert layout_of("contract-spend")["yaxis"]["title"]["text"] == "Spend, £m"
