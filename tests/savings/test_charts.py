"""The savings charts from plain pipeline rows: title, summary, table, traces and values.

Figures in the Met's scale, worked by hand: 2014-15 target £42.0m, forecast £39.9m (gap
£2.1m, 5.0% short: Amber), realised £30.5m (72.6% of target); 2015-16 target £60.0m,
forecast £63.0m (ahead: Green), realised £61.0m.
"""

from decimal import Decimal as D

from savings.charts import pipeline_chart, savings_by_year_chart, savings_charts
from tests.figure_text import HOSTILE, HOSTILE_ESCAPED, markup_in

Y2014 = {
    "year_id": 1,
    "year_label": "2014-15",
    "target": D("42000000.00"),
    "identified": D("45500000.00"),
    "approved": D("38000000.00"),
    "realised": D("30500000.00"),
    "forecast": D("39900000.00"),
    "gap": D("2100000.00"),
    "realised_gap": D("11500000.00"),
    "rag": "amber",
    "realised_pct": D("72.6"),
    "cumulative_target": D("42000000.00"),
    "cumulative_realised": D("30500000.00"),
    "cumulative_forecast": D("39900000.00"),
    "cumulative_realised_pct": D("72.6"),
}
Y2015 = {
    "year_id": 2,
    "year_label": "2015-16",
    "target": D("60000000.00"),
    "identified": D("70000000.00"),
    "approved": D("62000000.00"),
    "realised": D("61000000.00"),
    "forecast": D("63000000.00"),
    "gap": D("-3000000.00"),
    "realised_gap": D("-1000000.00"),
    "rag": "green",
    "realised_pct": D("101.7"),
    "cumulative_target": D("102000000.00"),
    "cumulative_realised": D("91500000.00"),
    "cumulative_forecast": D("102900000.00"),
    "cumulative_realised_pct": D("89.7"),
}
UNTARGETED = {
    **Y2015,
    "year_id": 3,
    "year_label": "2016-17",
    "target": None,
    "identified": D("5000000.00"),
    "approved": D("2000000.00"),
    "realised": D("1000000.00"),
    "forecast": D("4000000.00"),
    "gap": None,
    "realised_gap": None,
    "rag": None,
    "realised_pct": None,
}


def traces(chart) -> list[tuple]:
    return [(t["type"], t["name"], list(t["y"])) for t in chart.figure_json["data"]]


# Savings by year


def test_savings_by_year_chart_table_and_summary_of_the_selected_year():
    chart = savings_by_year_chart([Y2014, Y2015], year_label="2015-16")
    assert chart.id == "savings"
    assert chart.title == "Savings by year against target, in-year and cumulative"
    assert chart.summary == (
        "By 2015-16, £91.5m of the cumulative £102.0m target has been realised (89.7%), "
        "with £102.9m forecast."
    )
    assert [tuple(row) for row in chart.rows] == [
        (
            "2014-15",
            D("42000000.00"),
            D("30500000.00"),
            D("39900000.00"),
            D("2100000.00"),
            "Amber",
            D("42000000.00"),
            D("30500000.00"),
            D("39900000.00"),
        ),
        (
            "2015-16",
            D("60000000.00"),
            D("61000000.00"),
            D("63000000.00"),
            D("-3000000.00"),
            "Green",
            D("102000000.00"),
            D("91500000.00"),
            D("102900000.00"),
        ),
    ]


def test_savings_by_year_chart_bars_in_year_and_lines_cumulative_in_millions():
    chart = savings_by_year_chart([Y2014, Y2015], year_label="2014-15")
    assert traces(chart) == [
        ("bar", "Target (in-year)", [42.0, 60.0]),
        ("bar", "Realised (in-year)", [30.5, 61.0]),
        ("bar", "Forecast (in-year)", [39.9, 63.0]),
        ("scatter", "Cumulative target", [42.0, 102.0]),
        ("scatter", "Cumulative realised", [30.5, 91.5]),
        ("scatter", "Cumulative forecast", [39.9, 102.9]),
    ]
    target = chart.figure_json["data"][0]
    assert list(target["x"]) == ["2014-15", "2015-16"]
    assert list(target["customdata"]) == ["£42,000,000.00", "£60,000,000.00"]


def test_savings_by_year_chart_for_a_year_without_a_target_says_which_years_it_shows():
    chart = savings_by_year_chart([Y2014, Y2015], year_label="2013-14")
    assert chart.summary == (
        "No savings target is recorded for 2013-14; the chart shows the years from 2014-15 "
        "to 2015-16."
    )


def test_savings_by_year_chart_without_rows_draws_nothing_and_says_so():
    chart = savings_by_year_chart([], year_label="2014-15")
    assert chart.figure is None
    assert chart.rows == ()
    assert chart.summary == "No savings targets or initiatives are recorded for any year."


# One year's pipeline


def test_pipeline_chart_table_of_stages_with_shares_of_target_and_the_gap():
    chart = pipeline_chart(Y2014, year_label="2014-15")
    assert chart.id == "pipeline"
    assert chart.title == "Savings pipeline 2014-15: target to realised"
    assert [tuple(row) for row in chart.rows] == [
        ("Target", D("42000000.00"), "100.0%"),
        ("Identified", D("45500000.00"), "108.3%"),
        ("Approved", D("38000000.00"), "90.5%"),
        ("Realised", D("30500000.00"), "72.6%"),
        ("Forecast", D("39900000.00"), "95.0%"),
        ("Gap: target less forecast", D("2100000.00"), "5.0%"),
    ]
    assert chart.summary == (
        "£30.5m of the £42.0m target realised (72.6%); the forecast of £39.9m leaves a gap "
        "of £2.1m (Amber)."
    )


def test_pipeline_chart_one_bar_per_stage_the_target_line_and_the_gap_called_out():
    chart = pipeline_chart(Y2014, year_label="2014-15")
    (bar,) = chart.figure_json["data"]
    assert bar["type"] == "bar"
    assert list(bar["x"]) == ["Target", "Identified", "Approved", "Realised", "Forecast"]
    assert list(bar["y"]) == [42.0, 45.5, 38.0, 30.5, 39.9]
    assert list(bar["text"]) == ["£42.0m", "£45.5m", "£38.0m", "£30.5m", "£39.9m"]
    assert list(bar["customdata"]) == [
        "£42,000,000.00",
        "£45,500,000.00",
        "£38,000,000.00",
        "£30,500,000.00",
        "£39,900,000.00",
    ]
    layout = chart.figure_json["layout"]
    assert [shape["y0"] for shape in layout["shapes"]] == [42.0]
    assert [note["text"] for note in layout["annotations"]] == ["Gap to target: £2.1m (Amber)"]


def test_pipeline_chart_when_the_forecast_meets_the_target():
    chart = pipeline_chart(Y2015, year_label="2015-16")
    assert chart.summary == (
        "£61.0m of the £60.0m target realised (101.7%); the forecast of £63.0m meets the "
        "target (Green)."
    )
    assert "annotations" not in chart.figure_json["layout"]
    assert chart.rows[-1] == ("Gap: target less forecast", D("-3000000.00"), "\u22125.0%")


def test_pipeline_chart_of_a_year_without_a_target_draws_the_stages_it_has():
    chart = pipeline_chart(UNTARGETED, year_label="2016-17")
    assert chart.summary == (
        "2016-17 has no savings target; initiatives forecast £4.0m, of which £1.0m is realised."
    )
    assert [tuple(row) for row in chart.rows] == [
        ("Target", None, "—"),
        ("Identified", D("5000000.00"), "—"),
        ("Approved", D("2000000.00"), "—"),
        ("Realised", D("1000000.00"), "—"),
        ("Forecast", D("4000000.00"), "—"),
    ]
    (bar,) = chart.figure_json["data"]
    assert list(bar["x"]) == ["Identified", "Approved", "Realised", "Forecast"]
    assert "shapes" not in chart.figure_json["layout"]


def test_pipeline_chart_of_a_year_without_savings_draws_nothing_and_says_so():
    chart = pipeline_chart(None, year_label="2013-14")
    assert chart.figure is None
    assert chart.summary == "No savings target or initiatives are recorded for 2013-14."


def test_savings_charts_are_every_year_and_the_chosen_years_pipeline():
    by_year, pipeline = savings_charts([Y2014, Y2015], year_label="2015-16")
    assert (by_year.id, pipeline.id) == ("savings", "pipeline")
    assert pipeline.rows[0] == ("Target", D("60000000.00"), "100.0%")
    assert savings_charts([Y2014], year_label="2015-16")[1].figure is None


# Names from the data are text, never markup, in the figure (plotly draws some HTML).


def test_savings_charts_show_a_year_named_like_a_link_as_text():
    hostile = {**Y2014, "year_label": HOSTILE}
    for chart in savings_charts([hostile, Y2015], year_label=HOSTILE):
        assert markup_in(chart) == [], chart.id
    by_year = savings_by_year_chart([hostile], year_label=HOSTILE)
    assert list(by_year.figure_json["data"][0]["x"]) == [HOSTILE_ESCAPED]
    assert by_year.rows[0][0] == HOSTILE  # the table is escaped by the template
