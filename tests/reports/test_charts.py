"""The dashboard's spend, supplier, contract and waterfall charts from plain rows: title,
summary, table, traces and values, each worked by hand (the savings charts are
tests/savings/test_charts.py)."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from reports.charts import (
    NO_SUPPLIER,
    category_chart,
    contract_timeline_chart,
    monthly_chart,
    supplier_chart,
    waterfall_chart,
)
from reports.dashboard import largest_supplier
from tests.figure_text import BOLD, HOSTILE, HOSTILE_ESCAPED, end_labels, markup_in

M = D("1000000.00")


def traces(chart) -> list[tuple]:
    return [
        (t["type"], t["name"], list(t["y"] if t.get("orientation") != "h" else t["x"]))
        for t in chart.figure_json["data"]
    ]


# Monthly spend. Budget £1.0m a month; actuals P1 £0.9m and P2 £1.1m (as at P2); every
# later month forecast at £1.2m, so the outturn is 2.0 + 10 x 1.2 = £14.0m, £2.0m (16.7%)
# over the £12.0m budget.


def by_period() -> list[dict]:
    actuals = {1: D("0.9") * M, 2: D("1.1") * M}
    rows, budget, expected = [], D(0), D(0)
    for period in range(1, 13):
        actual = actuals.get(period)
        budget += M
        expected += actual if actual is not None else D("1.2") * M
        rows.append(
            {
                "period": period,
                "budget": M,
                "actual": actual,
                "forecast": M if period <= 2 else D("1.2") * M,
                "cumulative_budget": budget,
                "cumulative_actual": {1: D("0.9") * M, 2: D("2.0") * M}.get(period),
                "cumulative_expected": expected,
            }
        )
    return rows


TOTALS = {
    "budget": 12 * M,
    "actual_to_date": 2 * M,
    "outturn": 14 * M,
    "variance": 2 * M,
    "variance_pct": D("16.7"),
    "rag": "red",
}


def test_monthly_chart_summary_and_table():
    chart = monthly_chart(by_period(), TOTALS, year_label="2014-15", as_at=2)
    assert chart.title == "Monthly spend 2014-15: actual against budget, with burn-up"
    assert chart.summary == (
        "Actual £2.0m to P2 against a budget to date of £2.0m; forecast outturn £14.0m "
        "against a £12.0m budget, £2.0m over (16.7%, Red)."
    )
    assert len(chart.rows) == 12
    assert chart.rows[1] == ("P2", M, D("1.1") * M, M, 2 * M, 2 * M, 2 * M)
    assert chart.rows[11] == ("P12", M, None, D("1.2") * M, 12 * M, None, 14 * M)


def test_monthly_chart_bars_before_and_forecast_after_the_reporting_date():
    chart = monthly_chart(by_period(), TOTALS, year_label="2014-15", as_at=2)
    later = [1.2] * 10
    assert traces(chart) == [
        ("bar", "Revised budget", [1.0] * 12),
        ("bar", "Actual", [0.9, 1.1] + [None] * 10),
        ("bar", "Forecast (after the reporting date)", [None, None, *later]),
        ("scatter", "Cumulative revised budget", [float(n) for n in range(1, 13)]),
        ("scatter", "Cumulative actual", [0.9, 2.0] + [None] * 10),
        (
            "scatter",
            "Cumulative forecast",
            [None, 2.0, 3.2, 4.4, 5.6, 6.8, 8.0, 9.2, 10.4, 11.6, 12.8, 14.0],
        ),
    ]
    (note,) = chart.figure_json["layout"]["annotations"]
    assert (note["x"], note["y"], note["text"]) == ("P12", 14.0, "Outturn £14.0m")


def test_monthly_chart_before_any_actuals():
    totals = {**TOTALS, "variance": -M, "variance_pct": D("-8.3"), "rag": "green"}
    chart = monthly_chart(by_period(), totals, year_label="2014-15", as_at=0)
    assert chart.summary == (
        "No actuals yet; forecast outturn £14.0m against a £12.0m budget, £1.0m under "
        "(8.3%, Green)."
    )


# Categories: Outsourced services £120.0m budget, £126.0m outturn (+£6.0m, Amber);
# End-user devices £20.0m budget, £18.0m outturn.

CATEGORIES = [
    {
        "category_id": 4,
        "category": "Outsourced services",
        "kind": "run",
        "budget": 120 * M,
        "actual_to_date": 30 * M,
        "outturn": 126 * M,
        "variance": 6 * M,
        "rag": "amber",
    },
    {
        "category_id": 7,
        "category": "End-user devices",
        "kind": "change",
        "budget": 20 * M,
        "actual_to_date": 2 * M,
        "outturn": 18 * M,
        "variance": -2 * M,
        "rag": "green",
    },
]


def test_category_chart_names_the_largest_overspend():
    chart = category_chart(CATEGORIES, year_label="2014-15")
    assert chart.title == "Spend by category 2014-15: budget against forecast outturn"
    assert chart.summary == (
        "Outsourced services has the largest forecast overspend: £6.0m over its £120.0m "
        "budget (Amber)."
    )
    assert [tuple(row) for row in chart.rows] == [
        ("Outsourced services", "Run", 120 * M, 30 * M, 126 * M, 6 * M, "Amber"),
        ("End-user devices", "Change", 20 * M, 2 * M, 18 * M, -2 * M, "Green"),
    ]
    assert traces(chart) == [
        ("bar", "Revised budget", [120.0, 20.0]),
        ("bar", "Forecast outturn", [126.0, 18.0]),
    ]
    budget = chart.figure_json["data"][0]
    assert list(budget["y"]) == ["Outsourced services", "End-user devices"]
    assert list(budget["customdata"]) == ["£120,000,000.00", "£20,000,000.00"]


def test_category_chart_when_every_category_is_within_budget_or_there_are_none():
    within = [{**row, "variance": -M} for row in CATEGORIES]
    chart = category_chart(within, year_label="2014-15")
    assert chart.summary == "Every category is forecast to spend within its 2014-15 budget."
    empty = category_chart([], year_label="2015-16")
    assert (empty.figure, empty.summary) == (None, "No budget is recorded for 2015-16.")


# Suppliers: each year £200.0m; 2013-14 Capgemini 120 (60.0%), BT 30 (15.0%), no contract
# 50 (25.0%); 2014-15 Capgemini 100 (50.0%), BT 40 (20.0%), no contract 60 (30.0%).

# `supplier_shares()` rows: each year's technology outturn is £200m; shares worked by hand.
SUPPLIER_ROWS = [
    {
        "year_label": y,
        "supplier_id": i,
        "supplier": n,
        "outturn": o * M,
        "technology_outturn": 200 * M,
        "outturn_share": D(share),
    }
    for y, i, n, o, share in (
        ("2013-14", 1, "Capgemini", 120, "60.0"),
        ("2013-14", None, None, 50, "25.0"),
        ("2013-14", 2, "BT", 30, "15.0"),
        ("2014-15", 1, "Capgemini", 100, "50.0"),
        ("2014-15", None, None, 60, "30.0"),
        ("2014-15", 2, "BT", 40, "20.0"),
    )
]
YEAR_TOTALS = [
    {"year_label": "2013-14", "outturn": 200 * M},
    {"year_label": "2014-15", "outturn": 200 * M},
]
LARGEST = {
    "name": "Capgemini",
    "supplier_id": 1,
    "outturn": 100 * M,
    "total": 200 * M,
    "share": D("50.0"),
}


def test_largest_supplier_of_the_year_with_its_share():
    assert largest_supplier(SUPPLIER_ROWS, year_label="2014-15") == LARGEST
    assert largest_supplier(SUPPLIER_ROWS, year_label="2015-16") is None


def test_supplier_chart_summary_and_table_of_shares():
    chart = supplier_chart(SUPPLIER_ROWS, YEAR_TOTALS, largest=LARGEST, year_label="2014-15")
    assert chart.title == "Supplier concentration: share of technology spend by year"
    assert chart.summary == (
        "Capgemini is the largest supplier in 2014-15: £100.0m of £200.0m (50.0% of the "
        "year's forecast outturn)."
    )
    assert [tuple(row) for row in chart.rows] == [
        ("2013-14", "Capgemini", 120 * M, "60.0%"),
        ("2013-14", NO_SUPPLIER, 50 * M, "25.0%"),
        ("2013-14", "BT", 30 * M, "15.0%"),
        ("2014-15", "Capgemini", 100 * M, "50.0%"),
        ("2014-15", NO_SUPPLIER, 60 * M, "30.0%"),
        ("2014-15", "BT", 40 * M, "20.0%"),
    ]


def test_supplier_chart_stacks_shares_largest_first_and_labelled_no_contract_last():
    chart = supplier_chart(SUPPLIER_ROWS, YEAR_TOTALS, largest=LARGEST, year_label="2014-15")
    assert traces(chart) == [
        ("bar", "Capgemini (largest)", [60.0, 50.0]),
        ("bar", "BT", [15.0, 20.0]),
        ("bar", NO_SUPPLIER, [25.0, 30.0]),
    ]
    largest, bt, _ = chart.figure_json["data"]
    assert list(largest["x"]) == ["2013-14", "2014-15"]
    assert list(largest["text"]) == ["60.0%", "50.0%"]
    assert list(bt["text"]) == ["", ""]
    assert (largest["marker"]["color"], bt["marker"]["color"]) == ("#0072B2", "#b8b8b8")
    assert list(largest["customdata"]) == ["£120,000,000.00 (60.0%)", "£100,000,000.00 (50.0%)"]


def test_supplier_chart_of_a_year_without_contract_spend_keeps_the_table():
    no_contract = {"year_label": "2015-16", "supplier_id": None, "supplier": None}
    rows = [*SUPPLIER_ROWS, {**no_contract, "outturn": 10 * M, "outturn_share": D("100.0")}]
    totals = [*YEAR_TOTALS, {"year_label": "2015-16", "outturn": 10 * M}]
    chart = supplier_chart(rows, totals, largest=None, year_label="2015-16")
    assert chart.figure is None
    assert chart.summary == "No spend in 2015-16 is on a supplier's contract."
    assert chart.rows[-1] == ("2015-16", NO_SUPPLIER, 10 * M, "100.0%")


# Contracts, as at 30 Sep 2014 with decisions due by 31 Mar 2015: CAP-2005 ends 31 Mar 2015
# with 6 months' notice (decide by 30 Sep 2014: due); BT-NET ends 31 Mar 2017 with 12
# months' notice (decide by 31 Mar 2016: not due).

CONTRACTS = [
    {
        "reference": "CAP-2005",
        "title": "Outsourced IT services",
        "supplier_name": "Capgemini",
        "start_date": date(2005, 4, 1),
        "end_date": date(2015, 3, 31),
        "notice_months": 6,
        "annual_value": 12 * M,
        "status": "active",
    },
    {
        "reference": "BT-NET",
        "title": "Network services",
        "supplier_name": "BT",
        "start_date": date(2012, 4, 1),
        "end_date": date(2017, 3, 31),
        "notice_months": 12,
        "annual_value": 6 * M,
        "status": "active",
    },
]
AS_AT, CUTOFF = date(2014, 9, 30), date(2015, 3, 31)


def test_contract_timeline_summary_and_table():
    chart = contract_timeline_chart(
        CONTRACTS, as_at_date=AS_AT, decision_cutoff=CUTOFF, due=["CAP-2005"]
    )
    assert chart.title == "Contract timeline: end dates and the annual value that falls off"
    assert chart.columns[-1] == "Decision due by 31 Mar 2015"
    assert chart.summary == (
        "Next to end: CAP-2005 (Capgemini) on 31 Mar 2015, when £12.0m a year falls off; "
        "1 contract needs a decision by 31 Mar 2015."
    )
    assert [tuple(row) for row in chart.rows] == [
        (
            "CAP-2005: Outsourced IT services",
            "Capgemini",
            date(2005, 4, 1),
            date(2015, 3, 31),
            date(2014, 9, 30),
            12 * M,
            "Active",
            "Yes",
        ),
        (
            "BT-NET: Network services",
            "BT",
            date(2012, 4, 1),
            date(2017, 3, 31),
            date(2016, 3, 31),
            6 * M,
            "Active",
            "No",
        ),
    ]


def test_contract_timeline_terms_decisions_due_end_markers_and_reporting_date():
    chart = contract_timeline_chart(
        CONTRACTS, as_at_date=AS_AT, decision_cutoff=CUTOFF, due=["CAP-2005"]
    )
    term, due, ends = chart.figure_json["data"]
    day = 24 * 60 * 60 * 1000
    assert (term["type"], term["name"], list(term["y"])) == (
        "bar",
        "Contract term",
        ["BT-NET (BT)"],
    )
    assert list(term["base"]) == ["2012-04-01"]
    assert list(term["x"]) == [1826 * day]  # 1 Apr 2012 to 31 Mar 2017: 5 x 365 + 1 leap day
    assert (due["name"], list(due["y"])) == (
        "Decision due within 6 months",
        ["CAP-2005 (Capgemini)"],
    )
    assert list(due["x"]) == [3652 * day]  # 10 x 365 + 2 leap days (2008, 2012)
    assert due["marker"]["pattern"]["shape"] == "x"
    assert (ends["type"], ends["name"]) == ("scatter", "End date: annual value falling off")
    assert list(ends["x"]) == ["2015-03-31", "2017-03-31"]
    assert end_labels(chart.figure_json) == {
        "CAP-2005 (Capgemini)": "−£12.0m/yr",
        "BT-NET (BT)": "−£6.0m/yr",
    }
    layout = chart.figure_json["layout"]
    assert layout["shapes"][0]["x0"] == "2014-09-30"
    assert layout["annotations"][0]["text"] == "Reporting date 30 Sep 2014"
    # From three years before the reporting date to a year after the last end.
    # From the 1 January before the first contract starts (CAP-2005, 1 Apr 2005: no bar
    # is cut at the left edge) to six months after the last ends (room for its label).
    assert layout["xaxis"]["range"] == ["2005-01-01", "2017-09-30"]


def test_contract_timeline_on_a_phone_leaves_the_end_values_to_the_table():
    chart = contract_timeline_chart(
        CONTRACTS, as_at_date=AS_AT, decision_cutoff=CUTOFF, due=["CAP-2005"]
    )
    layout = chart.figure_json["layout"]
    small = layout["meta"]["small"]
    assert [note["text"] for note in small["annotations"]] == ["Reporting date 30 Sep 2014"]
    assert small["margin"]["r"] <= 16  # no room kept for labels beside the markers
    assert len(layout["annotations"]) == 3  # the wide layout keeps them
    # The reporting date (late in the range) is labelled leftwards from its line.
    assert small["annotations"][0]["xanchor"] == "right"
    assert chart.rows[0][5] == 12 * M  # each annual value is in the table


def test_contract_timeline_when_every_contract_has_ended_or_there_are_none():
    chart = contract_timeline_chart(
        CONTRACTS, as_at_date=date(2018, 1, 1), decision_cutoff=date(2018, 7, 1), due=[]
    )
    assert chart.summary == (
        "Every contract shown ended before the reporting date; 0 contracts need a decision "
        "by 1 Jul 2018."
    )
    empty = contract_timeline_chart([], as_at_date=AS_AT, decision_cutoff=CUTOFF, due=[])
    assert (empty.figure, empty.summary) == (None, "No contracts run into the selected year.")


# Waterfall: £325.0m baseline (2013-14) less CAP-RENEG £20.0m and MOBILE £5.0m is £300.0m;
# the outturn is £310.0m, so other changes add £10.0m.

INITIATIVES = [
    {"code": "CAP-RENEG", "name": "Renegotiate", "confidence": "amber", "forecast": 20 * M},
    {"code": "MOBILE", "name": "Mobile working", "confidence": "green", "forecast": 5 * M},
]


def waterfall(**overrides):
    arguments = {
        "baseline": 325 * M,
        "baseline_label": "2013-14",
        "initiatives": INITIATIVES,
        "total_savings": 25 * M,
        "outturn": 310 * M,
        "year_label": "2014-15",
    }
    return waterfall_chart(**{**arguments, **overrides})


def test_waterfall_steps_from_baseline_to_outturn():
    chart = waterfall()
    assert chart.title == "From the 2013-14 baseline to the 2014-15 forecast outturn"
    assert chart.summary == (
        "From the £325.0m baseline, initiatives are forecast to save £25.0m by 2014-15; "
        "other changes add £10.0m, for a forecast outturn of £310.0m."
    )
    assert [tuple(row) for row in chart.rows] == [
        ("Baseline 2013-14", "—", 325 * M),
        ("CAP-RENEG: Renegotiate", "Amber", -20 * M),
        ("MOBILE: Mobile working", "Green", -5 * M),
        ("Other changes in spend", "—", 10 * M),
        ("Forecast outturn 2014-15", "—", 310 * M),
    ]
    (trace,) = chart.figure_json["data"]
    assert trace["type"] == "waterfall"
    assert list(trace["x"]) == [
        "Baseline 2013-14",
        "CAP-RENEG",
        "MOBILE",
        "Other changes in spend",
        "Forecast outturn 2014-15",
    ]
    assert list(trace["y"]) == [325.0, -20.0, -5.0, 10.0, 310.0]
    assert list(trace["measure"]) == ["absolute", "relative", "relative", "relative", "total"]
    assert trace["customdata"][1] == "CAP-RENEG: Renegotiate: −£20,000,000.00"


def test_waterfall_axis_starts_a_round_number_below_the_lowest_level():
    axis = waterfall().figure_json["layout"]["yaxis"]
    # Lowest level £300.0m; 80% of it is 240, already a round ten.
    assert axis["title"]["text"] == "£m, axis from £240m"
    # The baseline's 325 plus 8% is 351. The longest value, "−£20.0m", written upwards
    # takes 7 x 7.5 + 8 = 60.5px of a phone's 260px plot: the 240..351 span is that much
    # less than the whole.
    assert axis["range"] == [240, pytest.approx(240 + 111 / (1 - 60.5 / 260))]


def test_waterfall_writes_each_value_upwards_over_its_column_never_under_it():
    # Small amounts are written in pounds and pence: long labels.
    chart = waterfall(
        baseline=D("10800.00"),
        initiatives=[
            {**INITIATIVES[0], "forecast": D("5000.00")},
            {**INITIATIVES[1], "forecast": D("3000.00")},
        ],
        total_savings=D("8000.00"),
        outturn=D("22000.00"),
    )
    layout = chart.figure_json["layout"]
    notes = layout["annotations"]
    assert [note["text"] for note in notes] == [
        "£10,800.00",
        "−£5,000.00",
        "−£3,000.00",
        "£19,200.00",
        "£22,000.00",
    ]
    # Over each column: a saving's over where it starts, a rise's over where it ends.
    assert [note["y"] for note in notes] == pytest.approx([0.0108, 0.0108, 0.0058, 0.022, 0.022])
    assert {(note["yanchor"], note["textangle"]) for note in notes} == {("bottom", -90)}
    assert "text" not in chart.figure_json["data"][0]
    # Room over the tallest column for "£22,000.00" (10 x 7.5 + 8 = 83px of 260px).
    assert layout["yaxis"]["range"][1] >= 0.022 / (1 - 83 / 260)


def test_waterfall_when_other_changes_remove_spend_or_there_is_no_baseline():
    chart = waterfall(outturn=290 * M)
    assert chart.summary.endswith("other changes remove £10.0m, for a forecast outturn of £290.0m.")
    none = waterfall(baseline=None, baseline_label="")
    assert none.figure is None
    assert none.summary == (
        "No reduction programme is recorded, so there is no baseline to start from."
    )


# Names from the data are text, never markup, in the figure: plotly draws a subset of HTML,
# so a supplier named like a link would otherwise be a link inside the chart.


def test_category_chart_shows_a_name_like_a_link_as_text():
    chart = category_chart([{**CATEGORIES[0], "category": HOSTILE}], year_label="2014-15")
    assert markup_in(chart) == []
    assert list(chart.figure_json["data"][0]["y"]) == [HOSTILE_ESCAPED]
    assert chart.rows[0][0] == HOSTILE


def test_supplier_chart_shows_suppliers_and_years_named_like_markup_as_text():
    rows = [
        {**r, "supplier": {"Capgemini": HOSTILE, "BT": BOLD}.get(r["supplier"])}
        for r in SUPPLIER_ROWS
    ]
    rows = [{**r, "year_label": r["year_label"].replace("2014-15", BOLD)} for r in rows]
    totals = [{**t, "year_label": t["year_label"].replace("2014-15", BOLD)} for t in YEAR_TOTALS]
    largest = largest_supplier(rows, year_label=BOLD)
    chart = supplier_chart(rows, totals, largest=largest, year_label=BOLD)
    assert markup_in(chart) == []
    names = [trace["name"] for trace in chart.figure_json["data"]]
    assert names[:2] == [f"{HOSTILE_ESCAPED} (largest)", "&lt;b&gt;bold&lt;/b&gt;"]
    assert chart.rows[3][:2] == (BOLD, HOSTILE)


def test_contract_timeline_shows_a_supplier_named_like_a_link_as_text():
    contracts = [{**c, "supplier_name": HOSTILE, "title": BOLD} for c in CONTRACTS]
    chart = contract_timeline_chart(
        contracts, as_at_date=AS_AT, decision_cutoff=CUTOFF, due=["CAP-2005"]
    )
    assert markup_in(chart) == []
    ends = chart.figure_json["data"][-1]
    assert ends["y"][0] == f"CAP-2005 ({HOSTILE_ESCAPED})"


def test_waterfall_shows_an_initiative_named_like_a_link_as_text():
    # An initiative's code is a slug (its page's address), so the name and the baseline's
    # label are where markup could come from.
    initiatives = [{**INITIATIVES[0], "name": HOSTILE}]
    chart = waterfall(initiatives=initiatives, total_savings=20 * M, baseline_label=BOLD)
    assert markup_in(chart) == []
    (trace,) = chart.figure_json["data"]
    assert trace["x"][0] == "Baseline &lt;b&gt;bold&lt;/b&gt;"
    assert trace["customdata"][1] == f"CAP-RENEG: {HOSTILE_ESCAPED}: −£20,000,000.00"


def test_contract_timeline_shows_the_twenty_that_end_soonest_and_links_to_the_register():
    many = [
        {
            **CONTRACTS[1],
            "reference": f"C-{n:02d}",
            "start_date": date(2010 + n % 5, 4, 1),
            "end_date": date(2015, 1, 1) + timedelta(days=30 * (29 - n)),
        }
        for n in range(30)
    ]
    chart = contract_timeline_chart(many, as_at_date=AS_AT, decision_cutoff=CUTOFF, due=[])
    # C-29 ends first (1 Jan 2015), C-10 twentieth; C-00 .. C-09 end later and are left out.
    shown = [row[0].split(":")[0] for row in chart.rows]
    assert sorted(shown) == [f"C-{n:02d}" for n in range(10, 30)]
    assert [row[2] for row in chart.rows] == [r["start_date"] for r in many[10:]]
    (term, ends) = chart.figure_json["data"]
    assert len(term["y"]) == len(ends["y"]) == 20
    assert chart.notes == ["Showing the 20 contracts that end soonest, of 30."]
    assert chart.more == ("Every contract, in the contract register", "/contracts/")
    layout = chart.figure_json["layout"]
    plot = layout["height"] - layout["margin"]["t"] - layout["margin"]["b"]
    assert plot >= 30 * 20  # at least 30px for each contract's row
    assert (
        contract_timeline_chart(CONTRACTS, as_at_date=AS_AT, decision_cutoff=CUTOFF, due=[]).more
        is None
    )


def test_a_chart_that_shows_part_links_to_the_whole():
    from django.template.loader import render_to_string

    chart = contract_timeline_chart([], as_at_date=AS_AT, decision_cutoff=CUTOFF, due=[])
    chart.more = ("Every contract, in the contract register", "/contracts/")
    html = render_to_string("includes/chart.html", {"chart": chart})
    assert '<a href="/contracts/">Every contract, in the contract register</a>' in html


def test_waterfall_draws_nine_initiatives_and_the_rest_as_one_step():
    many = [
        {
            "code": f"I{n:02d}",
            "name": f"Initiative {n}",
            "confidence": "amber",
            "forecast": M * (20 - n),
        }
        for n in range(12)
    ]
    # 20 + 19 + ... + 9 = 174 (£m); the last three are 11 + 10 + 9 = 30.
    chart = waterfall(initiatives=many, total_savings=174 * M, outturn=160 * M)
    (trace,) = chart.figure_json["data"]
    assert len(trace["x"]) == 13  # baseline, nine initiatives, the rest, other changes, outturn
    assert chart.rows[9] == ("I08: Initiative 8", "Amber", -12 * M)
    assert chart.rows[10] == ("Other initiatives (3)", "—", -30 * M)
    assert list(trace["x"])[10] == "Other initiatives (3)"
    # 325 - 174 = 151; the outturn is 160, so other changes add 9.
    assert chart.rows[11] == ("Other changes in spend", "—", 9 * M)
    ten = waterfall(initiatives=many[:10], total_savings=155 * M)
    assert len(ten.rows) == 13 and ten.rows[10][0] == "I09: Initiative 9"
