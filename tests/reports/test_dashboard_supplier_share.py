"""The dashboard's largest-supplier headline and supplier chart use the page's reporting date,
as the outturn headline does (tests/world.py, worked by hand).

As at 2014-15 P2 (31 May 2014) the P3 actuals already entered are after the date, so P3
counts at its forecast or budget: OUT-01 (Capgemini) 2 x 1,100 + 1,000 + 3 x 1,050 +
6 x 1,000 = 12,350.00; NET-01 (BT) 2 x 450 + 10 x 500 = 5,900.00; CHG-01 (no contract)
0 - 50 + 9 x 200 + 2,000 = 3,750.00; outturn 22,000.00. Counting the whole year's actuals
instead gives 12,450.00 of 22,200.00, a total the page's outturn headline does not show.
"""

import csv
import io
from decimal import Decimal as D

AS_AT_P2 = "?year=2014-15&as_at=2"


def test_largest_supplier_is_of_the_outturn_headline_as_at_the_chosen_period(
    world, committee_client
):
    response = committee_client.get(f"/{AS_AT_P2}")
    dashboard = response.context["dashboard"]
    assert dashboard.totals["outturn"] == D("22000.00")
    top = dashboard.largest_supplier
    assert (top["name"], top["outturn"], top["total"], top["share"]) == (
        "Capgemini",
        D("12350.00"),
        D("22000.00"),  # the same "of £Y" as the outturn headline
        D("56.1"),  # 12,350 / 22,000 = 56.14%
    )
    assert "£12,350.00 of £22,000.00" in response.content.decode()


def test_supplier_chart_states_the_same_reporting_date(world, committee_client):
    dashboard = committee_client.get(f"/{AS_AT_P2}").context["dashboard"]
    chart = dashboard.chart("suppliers")
    assert chart.summary == (
        "Capgemini is the largest supplier in 2014-15: £12,350.00 of £22,000.00 "
        "(56.1% of the year's forecast outturn)."
    )
    assert [tuple(row) for row in chart.rows if row[0] == "2014-15"] == [
        ("2014-15", "Capgemini", D("12350.00"), "56.1%"),
        ("2014-15", "BT", D("5900.00"), "26.8%"),  # 5,900 / 22,000 = 26.82%
        ("2014-15", "No contract (in-house and other)", D("3750.00"), "17.0%"),
    ]


def test_supplier_chart_csv_uses_the_same_reporting_date(world, committee_client):
    response = committee_client.get("/charts/suppliers.csv?year=2014-15&as_at=2")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert ["2014-15", "Capgemini", "12350.00", "56.1%"] in rows
