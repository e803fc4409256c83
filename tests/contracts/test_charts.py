"""The contract and supplier charts, each built from plain rows (no database), so that a
failure names the chart."""

from decimal import Decimal as D

from common.charts import Chart
from contracts.charts import contract_spend_chart, supplier_share_chart

CONTRACT_ROWS = [
    {
        "year_label": "2013-14",
        "actual": D("10800.00"),
        "outturn": D("10800.00"),
        "share": D("100.0"),
    },
    {"year_label": "2014-15", "actual": D("3300.00"), "outturn": D("12450.00"), "share": D("74.2")},
]


def test_contract_spend_chart_states_the_latest_year_and_tabulates_every_year():
    chart = contract_spend_chart(
        reference="CAP-2005", annual_value=D("12000.00"), rows=CONTRACT_ROWS
    )
    assert isinstance(chart, Chart)
    assert chart.id == "contract-spend"
    assert chart.summary == (
        "In 2014-15 the lines naming CAP-2005 spent £3,300.00 to date against an annual "
        "value of £12,000.00."
    )
    assert chart.rows == [
        ["2013-14", D("10800.00"), D("10800.00"), D("12000.00"), "100.0%"],
        ["2014-15", D("3300.00"), D("12450.00"), D("12000.00"), "74.2%"],
    ]
    assert chart.csv_url == "?data=spend"
    bars, outturn, value = chart.figure_json["data"]
    assert list(bars["y"]) == [0.0108, 0.0033]  # £m, drawing only
    assert list(outturn["y"]) == [0.0108, 0.01245]
    assert list(value["y"]) == [0.012, 0.012]


def test_contract_spend_chart_without_spend_says_so_and_draws_nothing():
    chart = contract_spend_chart(reference="NEW-1", annual_value=D("5.00"), rows=[])
    assert chart.summary == "No spend has been recorded against NEW-1 yet."
    assert chart.figure is None
    assert chart.rows == []


def test_contract_spend_chart_a_year_without_a_share_shows_a_dash():
    rows = [{"year_label": "2015-16", "actual": D("0.00"), "outturn": D("9.00"), "share": None}]
    chart = contract_spend_chart(reference="X", annual_value=D("1.00"), rows=rows)
    assert chart.rows == [["2015-16", D("0.00"), D("9.00"), D("1.00"), "—"]]
    assert chart.summary == "No spend has been recorded against X yet."


SUPPLIER_ROWS = [
    {
        "year_label": "2013-14",
        "actual": D("0.00"),
        "technology_actual": D("10800.00"),
        "share": D("0.0"),
        "outturn": D("0.00"),
        "technology_outturn": D("10800.00"),
        "outturn_share": D("0.0"),
    },
    {
        "year_label": "2014-15",
        "actual": D("900.00"),
        "technology_actual": D("4450.00"),
        "share": D("20.2"),
        "outturn": D("5900.00"),
        "technology_outturn": D("22200.00"),
        "outturn_share": D("26.6"),
    },
]


def test_supplier_share_chart_lists_each_years_share_in_words_and_table():
    chart = supplier_share_chart(name="BT", rows=SUPPLIER_ROWS)
    assert chart.id == "supplier-share"
    assert chart.summary == "BT's share of technology actual spend: 2013-14 0.0%, 2014-15 20.2%."
    assert chart.rows[1] == [
        "2014-15",
        D("900.00"),
        D("4450.00"),
        "20.2%",
        D("5900.00"),
        D("22200.00"),
        "26.6%",
    ]
    assert chart.csv_url == "?data=share"
    line = chart.figure_json["data"][0]
    assert list(line["y"]) == [0.0, 20.2]
    assert chart.figure_json["layout"]["yaxis"]["range"] == [0, 100]


def test_supplier_share_chart_without_any_actuals_draws_nothing():
    rows = [{**SUPPLIER_ROWS[0], "technology_actual": D("0.00"), "share": None}]
    chart = supplier_share_chart(name="Solo", rows=rows)
    assert chart.summary == "No actual spend has been recorded against Solo's contracts."
    assert chart.figure is None
    assert chart.rows[0][3] == "—"
