"""Drill-down from the dashboard's charts: each bar or point names the page it opens (its
trace's `meta.links`, which static/js/charts.js follows on a click) and the chart's table
links the same row to the same page, for the keyboard. Worked from the hand rows of
tests/reports/test_charts.py, then from the test world's objects."""

from decimal import Decimal as D
from html import escape

import pytest
from django.urls import reverse

from reports.charts import (
    category_chart,
    contract_timeline_chart,
    monthly_chart,
    supplier_chart,
    waterfall_chart,
)
from reports.charts.suppliers import NAMED_SUPPLIERS, NO_SUPPLIER
from reports.publishing import publish_report
from tests.conftest import client_for
from tests.reports.test_charts import (
    AS_AT,
    CATEGORIES,
    CONTRACTS,
    CUTOFF,
    INITIATIVES,
    LARGEST,
    SUPPLIER_ROWS,
    TOTALS,
    YEAR_TOTALS,
    M,
    by_period,
)


def trace_links(chart) -> list[tuple[str, list]]:
    """Each trace's name and the page each of its points opens."""
    return [(t["name"], list(t["meta"]["links"])) for t in chart.figure_json["data"]]


def row_links(chart) -> list[tuple[object, str] | None]:
    """Each table row's linked cell and its link (None for a row without one)."""
    linked = [[(cell, link) for cell, link in row if link] for row in chart.linked_rows]
    assert all(len(cells) <= 1 for cells in linked)  # one link a row
    return [cells[0] if cells else None for cells in linked]


def test_each_month_opens_its_period_page():
    chart = monthly_chart(by_period(), TOTALS, year_label="2014-15", as_at=2)
    periods = [reverse("budgets:period", args=["2014-15", n]) for n in range(1, 13)]
    assert periods[5] == "/budgets/2014-15/p6/"
    # Every bar and line runs over the twelve periods: a click anywhere in P6 opens P6.
    assert [links for _, links in trace_links(chart)] == [periods] * 6
    assert row_links(chart) == [(f"P{n}", periods[n - 1]) for n in range(1, 13)]


def test_each_category_opens_the_budget_lines_filtered_to_it_for_the_page_year_and_date():
    chart = category_chart(CATEGORIES, year_label="2014-15")
    outsourced, devices = "/budgets/?year=2014-15&category=4", "/budgets/?year=2014-15&category=7"
    assert trace_links(chart) == [
        ("Revised budget", [outsourced, devices]),
        ("Forecast outturn", [outsourced, devices]),
    ]
    assert row_links(chart) == [("Outsourced services", outsourced), ("End-user devices", devices)]

    as_at = category_chart(CATEGORIES, year_label="2014-15", query={"year": "2014-15", "as_at": 3})
    assert as_at.links == [
        "/budgets/?year=2014-15&as_at=3&category=4",
        "/budgets/?year=2014-15&as_at=3&category=7",
    ]


def test_each_supplier_opens_its_page_as_at_the_year_and_spend_without_a_contract_nothing():
    chart = supplier_chart(SUPPLIER_ROWS, YEAR_TOTALS, largest=LARGEST, year_label="2014-15")
    capgemini = reverse("contracts:supplier", args=[1])
    bt = reverse("contracts:supplier", args=[2])
    assert trace_links(chart) == [
        ("Capgemini (largest)", [f"{capgemini}?year=2013-14", f"{capgemini}?year=2014-15"]),
        ("BT", [f"{bt}?year=2013-14", f"{bt}?year=2014-15"]),
        (NO_SUPPLIER, [None, None]),
    ]
    # The table's link is on the supplier's name, not the year.
    assert row_links(chart) == [
        ("Capgemini", f"{capgemini}?year=2013-14"),
        None,
        ("BT", f"{bt}?year=2013-14"),
        ("Capgemini", f"{capgemini}?year=2014-15"),
        None,
        ("BT", f"{bt}?year=2014-15"),
    ]


def test_a_supplier_keeps_the_reporting_date_only_in_the_dashboards_own_year():
    query = {"year": "2014-15", "as_at": 3}
    chart = supplier_chart(
        SUPPLIER_ROWS, YEAR_TOTALS, largest=LARGEST, year_label="2014-15", query=query
    )
    assert trace_links(chart)[0][1] == [
        "/contracts/suppliers/1/?year=2013-14",
        "/contracts/suppliers/1/?year=2014-15&as_at=3",
    ]


def test_the_other_suppliers_together_open_the_contract_register():
    # NAMED_SUPPLIERS + 2 suppliers of £10m in 2014-15: the two smallest are "Other
    # suppliers (2)", which opens every supplier's contracts, in the register.
    rows = [
        {
            "year_label": "2014-15",
            "supplier_id": i,
            "supplier": f"Supplier {i:02}",
            "actual": (50 - i) * M,
            "outturn": (100 - i) * M,
            "technology_actual": 500 * M,
            "technology_outturn": 1000 * M,
            "outturn_share": D("10.0"),
        }
        for i in range(1, NAMED_SUPPLIERS + 3)
    ]
    largest = {**LARGEST, "name": "Supplier 01", "supplier_id": 1}
    chart = supplier_chart(rows, YEAR_TOTALS[1:], largest=largest, year_label="2014-15")
    assert row_links(chart)[-1] == ("Other suppliers (2)", "/contracts/?year=2014-15")
    assert trace_links(chart)[-1] == ("Other suppliers", ["/contracts/?year=2014-15"])
    assert row_links(chart)[0] == ("Supplier 01", "/contracts/suppliers/1/?year=2014-15")


def test_each_contract_bar_and_end_marker_opens_the_contract_page():
    chart = contract_timeline_chart(
        CONTRACTS,
        as_at_date=AS_AT,
        decision_cutoff=CUTOFF,
        due=["CAP-2005"],
        query={"year": "2014-15"},
    )
    cap = reverse("contracts:detail", args=["CAP-2005"]) + "?year=2014-15"
    bt = reverse("contracts:detail", args=["BT-NET"]) + "?year=2014-15"
    assert cap == "/contracts/CAP-2005/?year=2014-15"
    # Not due (BT-NET), due (CAP-2005), then an end marker on each contract's row.
    assert trace_links(chart) == [
        ("Contract term", [bt]),
        ("Decision due within 6 months", [cap]),
        ("End date: annual value falling off", [cap, bt]),
    ]
    assert row_links(chart) == [
        ("CAP-2005: Outsourced IT services", cap),
        ("BT-NET: Network services", bt),
    ]


def waterfall(initiatives, **overrides):
    arguments = {
        "baseline": 325 * M,
        "baseline_label": "2013-14",
        "initiatives": initiatives,
        "total_savings": sum(i["forecast"] for i in initiatives),
        "outturn": 310 * M,
        "year_label": "2014-15",
    }
    return waterfall_chart(**{**arguments, **overrides})


def test_each_initiative_step_opens_its_page_and_the_outturn_the_years_lines():
    chart = waterfall(INITIATIVES, query={"year": "2014-15", "as_at": 3})
    steps = [
        None,  # the baseline
        "/savings/initiatives/CAP-RENEG/",
        "/savings/initiatives/MOBILE/",
        None,  # other changes in spend
        "/budgets/?year=2014-15&as_at=3",
    ]
    assert steps[1] == reverse("savings:initiative", args=["CAP-RENEG"])
    assert trace_links(chart) == [("Spend", steps)]
    assert row_links(chart) == [
        None,
        ("CAP-RENEG: Renegotiate", steps[1]),
        ("MOBILE: Mobile working", steps[2]),
        None,
        ("Forecast outturn 2014-15", steps[4]),
    ]


def test_the_initiatives_drawn_as_one_step_open_the_savings_page_of_the_year():
    many = [
        {"code": f"I-{n:02}", "name": f"Idea {n}", "confidence": "green", "forecast": M}
        for n in range(1, 13)
    ]
    chart = waterfall(many)
    ((_, links),) = trace_links(chart)
    assert links[1:10] == [f"/savings/initiatives/I-{n:02}/" for n in range(1, 10)]
    assert links[10] == "/savings/?year=2014-15"
    assert row_links(chart)[10] == ("Other initiatives (3)", "/savings/?year=2014-15")


# The dashboard of the test world (tests/world.py): 2014-15 as at P2, seen by the committee.


def dashboard_charts(client, query: str = "") -> tuple[dict, str]:
    response = client.get(f"/{query}")
    assert response.status_code == 200
    return {c.id: c for c in response.context["dashboard"].charts}, response.content.decode()


@pytest.mark.django_db
def test_the_dashboards_charts_link_the_worlds_objects(world, committee_client):
    charts, html = dashboard_charts(committee_client)
    lines = world["lines"]
    categories = [lines[key].category_id for key in ("out", "net", "chg")]
    assert charts["categories"].links == [
        f"{reverse('budgets:index')}?year=2014-15&category={pk}" for pk in categories
    ]
    assert charts["monthly"].links == [
        reverse("budgets:period", args=["2014-15", n]) for n in range(1, 13)
    ]
    capgemini, bt = world["suppliers"]["capgemini"], world["suppliers"]["bt"]
    capgemini_page = reverse("contracts:supplier", args=[capgemini.pk])
    assert row_links(charts["suppliers"]) == [
        ("Capgemini", f"{capgemini_page}?year=2013-14"),
        ("Capgemini", f"{capgemini_page}?year=2014-15"),
        ("BT", reverse("contracts:supplier", args=[bt.pk]) + "?year=2014-15"),
        None,  # no contract
    ]
    assert set(charts["contracts"].links) == {
        reverse("contracts:detail", args=[c.reference]) + "?year=2014-15"
        for c in world["contracts"].values()
    }
    waterfall_links = [link for link in charts["waterfall"].links if link]
    assert waterfall_links == [
        *(reverse("savings:initiative", args=[code]) for code in ("CAP-RENEG", "APP-RAT")),
        "/budgets/?year=2014-15",
    ]
    assert "/savings/?year=2014-15" in charts["savings"].links
    assert set(charts["pipeline"].links) == {"/savings/?year=2014-15#initiatives-title"}
    # Every link is in the page's tables, and on every point of the chart.
    for chart in charts.values():
        for link in filter(None, chart.links):
            assert f'<a href="{escape(link)}">' in html
        points = {link for trace in chart.figure_json["data"] for link in trace["meta"]["links"]}
        assert points - {None} == set(chart.links) - {None}, chart.id


@pytest.mark.django_db
def test_a_chosen_reporting_date_goes_with_the_links_of_the_dashboards_year(
    world, committee_client
):
    charts, _ = dashboard_charts(committee_client, "?year=2014-15&as_at=3")
    out = world["lines"]["out"].category_id
    assert charts["categories"].links[0] == f"/budgets/?year=2014-15&as_at=3&category={out}"
    assert charts["contracts"].links[0] == "/contracts/CAP-2005/?year=2014-15&as_at=3"
    assert charts["waterfall"].links[-1] == "/budgets/?year=2014-15&as_at=3"
    capgemini = world["suppliers"]["capgemini"].pk
    assert charts["suppliers"].links[:2] == [
        f"/contracts/suppliers/{capgemini}/?year=2013-14",  # another year: its own default
        f"/contracts/suppliers/{capgemini}/?year=2014-15&as_at=3",
    ]
    # A period's page has no reporting date: it is the period.
    assert charts["monthly"].links[2] == "/budgets/2014-15/p3/"


@pytest.mark.django_db
def test_the_committee_can_open_every_page_the_dashboard_links(
    world, committee_client, finance_user
):
    charts, _ = dashboard_charts(committee_client)
    links = {link for chart in charts.values() for link in chart.links if link}
    assert len(links) == 12 + 3 + 3 + 2 + 3 + 2  # periods, categories, suppliers, ...
    for link in links:
        assert committee_client.get(link).status_code == 200, link
    # The committee reads an open period's page (Finance enters the figures there).
    period = committee_client.get(charts["monthly"].links[2]).content.decode()
    assert "You can view these figures; Finance enters them." in period
    assert 'name="actual-' not in period
    entry = client_for(finance_user).get(charts["monthly"].links[2]).content.decode()
    assert 'name="actual-' in entry


@pytest.mark.django_db
def test_a_category_link_shows_only_that_categorys_lines(world, committee_client):
    charts, _ = dashboard_charts(committee_client)
    networks = charts["categories"].links[1]
    table = committee_client.get(networks).context["table"]
    assert [row.record.code for row in table.rows] == ["NET-01"]


@pytest.mark.django_db
def test_a_contracts_years_open_its_budget_lines_and_a_suppliers_its_contracts(
    world, committee_client
):
    cap, capgemini = world["contracts"]["cap"], world["suppliers"]["capgemini"]
    chart = committee_client.get(f"/contracts/{cap.reference}/?as_at=3").context["chart"]
    assert row_links(chart) == [
        ("2013-14", f"/budgets/?year=2013-14&contract={cap.pk}"),
        ("2014-15", f"/budgets/?year=2014-15&as_at=3&contract={cap.pk}"),
    ]
    assert [links for _, links in trace_links(chart)] == [chart.links] * 3
    lines = committee_client.get(chart.links[1]).context["table"]
    assert [row.record.code for row in lines.rows] == ["OUT-01"]

    chart = committee_client.get(f"/contracts/suppliers/{capgemini.pk}/").context["chart"]
    assert row_links(chart) == [
        ("2013-14", f"/contracts/?year=2013-14&supplier={capgemini.pk}"),
        ("2014-15", f"/contracts/?year=2014-15&supplier={capgemini.pk}"),
    ]
    assert trace_links(chart) == [("Share of technology spend", chart.links)]
    register = committee_client.get(chart.links[1]).context["table"]
    assert [row.record.reference for row in register.rows] == [cap.reference]


@pytest.mark.django_db
def test_a_published_report_keeps_its_charts_links(world, admin_user, committee_client):
    report = publish_report(year=world["year"], period=2, user=admin_user, reason="")
    page = committee_client.get(report.get_absolute_url())
    charts = {chart.id: chart for chart in page.context["charts"]}
    assert charts["monthly"].links == [f"/budgets/2014-15/p{n}/" for n in range(1, 13)]
    assert row_links(charts["suppliers"])[0][0] == "Capgemini"  # on the supplier's column
    assert '<a href="/budgets/2014-15/p1/">P1</a>' in page.content.decode()
