"""Charts from plain rows: the numbers in the table, the sentence, and escaped names."""

from datetime import date
from decimal import Decimal as D
from types import SimpleNamespace

from projects.charts import (
    benefit_chart,
    cost_history_chart,
    go_live_history_chart,
    growth_chart,
    spend_per_officer_chart,
)
from projects.models import BenefitMeasure, Project

TIMELINE = [
    {
        "date": date(2014, 4, 1),
        "kind": "baseline",
        "reason": "Business case approved",
        "forecast_cost": None,
        "forecast_go_live": None,
        "baseline_cost": D("90000000.00"),
        "baseline_go_live": date(2015, 10, 31),
    },
    {
        "date": date(2014, 4, 1),
        "kind": "forecast",
        "reason": "Forecast starts at the approved baseline.",
        "forecast_cost": D("90000000.00"),
        "forecast_go_live": date(2015, 10, 31),
        "baseline_cost": D("90000000.00"),
        "baseline_go_live": date(2015, 10, 31),
    },
    {
        "date": date(2015, 9, 30),
        "kind": "forecast",
        "reason": "Integration testing failed",
        "forecast_cost": D("117000000.00"),
        "forecast_go_live": date(2017, 12, 31),
        "baseline_cost": D("90000000.00"),
        "baseline_go_live": date(2015, 10, 31),
    },
    {
        "date": date(2016, 3, 31),
        "kind": "forecast",
        "reason": "Terminated",
        "forecast_cost": D("65000000.00"),
        "forecast_go_live": None,
        "baseline_cost": D("90000000.00"),
        "baseline_go_live": date(2015, 10, 31),
    },
]
PROJECT = Project(code="CC", name='<b onmouseover="x">Command</b>')


def test_cost_history_chart_tells_the_ballooning_story():
    chart = cost_history_chart(PROJECT, TIMELINE)
    assert chart.summary == (
        "The forecast whole-life cost moved from £90.0m on 1 Apr 2014 to £65.0m on "
        "31 Mar 2016, after peaking at £117.0m on 30 Sep 2015: it stopped without going "
        "live, against a £90.0m baseline."
    )
    assert cost_history_chart(PROJECT, TIMELINE[:3]).summary == (
        "The forecast whole-life cost moved from £90.0m on 1 Apr 2014 to £117.0m on "
        "30 Sep 2015: £27.0m (30.0%) above the £90.0m baseline."
    )
    assert chart.columns == ("Date", "Change", "Forecast cost", "Baseline cost", "Reason")
    assert chart.rows[2] == (
        date(2015, 9, 30),
        "Forecast",
        D("117000000.00"),
        D("90000000.00"),
        "Integration testing failed",
    )
    forecast = chart.figure.data[1]
    assert list(forecast.y) == [None, 90.0, 117.0, 65.0]
    assert forecast.customdata[2] == "£117,000,000.00"
    assert forecast.line.shape == "hv"


def test_go_live_chart_says_how_far_the_date_moved():
    chart = go_live_history_chart(PROJECT, TIMELINE[:3])
    assert chart.summary == (
        "The forecast go-live moved from Oct 2015 (forecast of 1 Apr 2014) to Dec 2017 "
        "(forecast of 30 Sep 2015), 26 months after the baseline of Oct 2015."
    )
    assert [row[4] for row in chart.rows] == [None, 0, 26]
    stopped = go_live_history_chart(PROJECT, TIMELINE)
    assert stopped.summary.endswith("since 31 Mar 2016 there is no go-live: the project stopped.")


def test_empty_project_charts_say_so():
    assert cost_history_chart(PROJECT, []).figure is None
    assert go_live_history_chart(PROJECT, []).summary == (
        "No baseline or forecast has been recorded yet."
    )


def _judged(code, name, base, forecast, slip, cost_rag, rag, open_=True):
    growth = None if base is None else D(forecast) - D(base)
    pct = None if base is None else (growth * 100 / D(base)).quantize(D("0.1"))
    return SimpleNamespace(
        code=code,
        name=name,
        is_open=open_,
        base_cost=None if base is None else D(base),
        fc_cost=D(forecast),
        cost_growth=growth,
        cost_growth_pct=pct,
        slip_months=slip,
        cost_rag=cost_rag,
        rag=rag,
    )


def test_growth_chart_escapes_names_and_counts_the_red():
    rows = [
        _judged("CC", "<script>alert(1)</script>", "100.00", "120.00", 8, "red", "red"),
        _judged("MOB", "Mobile", "100.00", "104.00", 0, "green", "green"),
        _judged("OLD", "Closed", "100.00", "300.00", 0, "", "", open_=False),
        _judged("BC", "Business case", None, "1.00", None, "", ""),
    ]
    chart = growth_chart(rows)
    assert chart.summary == (
        "1 of 2 open projects are more than 10% over their baseline cost; the largest "
        "growth is CC's £20.00 (20.0%)."
    )
    bar = chart.figure.data[0]
    assert list(bar.x) == ["CC", "MOB"]
    assert list(bar.y) == [20.0, 4.0]
    assert "<script>" not in bar.customdata[0]
    assert "&lt;script&gt;" in bar.customdata[0]
    assert bar.marker.pattern.shape == ("x", "")
    assert chart.rows[0][:4] == (
        "CC <script>alert(1)</script>",
        D("100.00"),
        D("120.00"),
        D("20.00"),
    )
    assert growth_chart(rows[2:]).figure is None


MEASURE = BenefitMeasure(code="DEV", name="Devices <deployed>", unit="devices")
CURVE = [
    {
        "month": date(2015, 8, 1),
        "planned": D("20000"),
        "actual": D("11800"),
        "variance": D("-8200"),
    },
    {
        "month": date(2015, 9, 1),
        "planned": D("21000"),
        "actual": D("12400"),
        "variance": D("-8600"),
    },
    {"month": date(2016, 3, 1), "planned": D("30000"), "actual": None, "variance": None},
]


def test_benefit_chart_compares_plan_and_actual_in_words():
    chart = benefit_chart(MEASURE, CURVE)
    assert chart.summary == (
        "By Sep 2015, 12,400 devices against 21,000 planned (59.0% of plan); the plan "
        "reaches 30,000 by Mar 2016."
    )
    assert chart.rows[1] == ["Sep 2015", "21,000", "12,400", "\u22128,600"]
    assert list(chart.figure.data[1].y) == [11800.0, 12400.0, None]
    assert chart.id == "benefit-DEV"


def test_hours_chart_adds_fte_columns():
    hours = BenefitMeasure(code="HRS", name="Hours", unit="hours_per_week")
    rows = [
        {
            "month": date(2015, 9, 1),
            "planned": D("320"),
            "actual": D("160"),
            "variance": D("-160"),
            "planned_fte": D("10.0"),
            "actual_fte": D("5.0"),
        }
    ]
    chart = benefit_chart(hours, rows)
    assert chart.columns[-2:] == ["Planned FTE", "Actual FTE"]
    assert chart.rows[0][-2:] == ["10", "5"]
    assert chart.summary == (
        "By Sep 2015, 160 hours per week against 320 planned (50.0% of plan), 5.0 "
        "officers' time; the plan reaches 320 by Sep 2015."
    )


def test_spend_per_officer_chart_states_the_trend():
    rows = [
        {"year_label": "2013-14", "outturn": D("325000000.00"), "officers": 32000,
         "per_officer": D("10156.25"), "change": None},
        {"year_label": "2014-15", "outturn": D("283000000.00"), "officers": 32000,
         "per_officer": D("8843.75"), "change": D("-1312.50")},
    ]  # fmt: skip
    chart = spend_per_officer_chart(rows)
    assert chart.summary == (
        "Technology spend per officer fell from £10,156.25 in 2013-14 to £8,843.75 in "
        "2014-15 (\u221212.9%)."
    )
    assert chart.rows[0][2] == "32,000"
    assert list(chart.figure.data[0].y) == [10156.25, 8843.75]
    none = spend_per_officer_chart([{**rows[0], "officers": None, "per_officer": None}])
    assert none.figure is None
