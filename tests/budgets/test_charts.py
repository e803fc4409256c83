"""Budget charts from plain rows: what is drawn, and the table beside it."""

from decimal import Decimal as D

from budgets.charts import line_months_chart

ROWS = [  # as `budgets.reporting.line_months` gives them
    {"period": 1, "budget": D("1000.00"), "actual": D("1100.00"), "forecast_shown": None},
    {"period": 2, "budget": D("1000.00"), "actual": None, "forecast_shown": D("1050.00")},
    {"period": 3, "budget": D("500.00"), "actual": None, "forecast_shown": D("500.00")},
]


def test_line_chart_draws_actual_bars_budget_and_forecast_lines_in_pounds():
    chart = line_months_chart(code="OUT-01", year_label="2014-15", rows=ROWS, csv_url="/x.csv")

    traces = {trace["name"]: trace for trace in chart.figure_json["data"]}
    assert list(traces) == ["Actual", "Revised budget", "Forecast"]
    assert traces["Actual"]["type"] == "bar"
    assert list(traces["Actual"]["x"]) == ["P1", "P2", "P3"]
    assert list(traces["Actual"]["y"]) == [1100.0, None, None]
    assert list(traces["Revised budget"]["y"]) == [1000.0, 1000.0, 500.0]
    assert list(traces["Forecast"]["y"]) == [None, 1050.0, 500.0]
    assert traces["Forecast"]["line"]["dash"] == "dash"


def test_line_chart_table_holds_exactly_the_drawn_numbers_as_decimals():
    chart = line_months_chart(code="OUT-01", year_label="2014-15", rows=ROWS)

    assert chart.columns == ("Period", "Revised budget", "Actual", "Forecast")
    assert chart.rows == [
        ("P1", D("1000.00"), D("1100.00"), None),
        ("P2", D("1000.00"), None, D("1050.00")),
        ("P3", D("500.00"), None, D("500.00")),
    ]
    assert chart.title == "Revised budget, actual and forecast by month, 2014-15"
    assert chart.summary == (
        "OUT-01 in 2014-15: actuals entered for 1 of 3 periods; "
        "budget, actual and forecast by month."
    )
