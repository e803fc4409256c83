"""The contract page and the supplier page (tests/world.py has the figures), as at 2014-15
P3 where spend is asked (`?as_at=3`: the world closes P2; P3 holds the actuals used here).

Technology actuals: 2013-14 10,800.00 (OUT-01 only); 2014-15 4,450.00 (OUT-01 3,300.00,
NET-01 900.00, CHG-01 250.00). Outturn 2014-15: OUT-01 3,300 + 3 x 1,050 + 6 x 1,000 =
12,450.00; NET-01 2 x 450 + 10 x 500 = 5,900.00; CHG-01 250 + 8 x 200 + 2,000 = 3,850.00;
technology 22,200.00.
"""

import csv
import io
from datetime import date
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from budgets.models import BudgetLine, Category, LineYearTotal, MonthlyFigure
from contracts.models import Contract, ContractChange
from savings.models import Initiative, InitiativeYear


def test_contract_page_shows_details_timeline_lines_and_initiatives(world, committee_client):
    response = committee_client.get("/contracts/CAP-2005/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "CAP-2005: Outsourced IT services" in page
    assert "30 Jun 2015" in page  # decision date
    assert "31 Mar 2012 → 31 Dec 2015" in page  # the 2010 extension in the timeline
    assert "£193,000.00" in page
    assert "OUT-01" in page and "NET-01" not in page
    assert "CAP-RENEG" in page and "APP-RAT" not in page
    assert list(response.context["initiatives"].values_list("code", "realised")) == [
        ("CAP-RENEG", Decimal("4000.00"))
    ]
    assert response.context["realised_total"] == Decimal("4000.00")
    assert "Edit contract" not in page


def test_contract_page_spend_by_year_against_annual_value(world, committee_client):
    response = committee_client.get("/contracts/CAP-2005/", {"as_at": 3})
    chart = response.context["chart"]
    assert chart.rows == [
        ["2013-14", Decimal("10800.00"), Decimal("10800.00"), Decimal("12000.00"), "100.0%"],
        ["2014-15", Decimal("3300.00"), Decimal("12450.00"), Decimal("12000.00"), "74.2%"],
    ]
    assert chart.figure_json["data"][0]["y"] == [0.0108, 0.0033]  # £m, drawing only
    page = response.content.decode()
    assert 'data-chart="chart-data-contract-spend"' in page
    assert 'id="chart-data-contract-spend"' in page


def test_contract_spend_downloads_as_csv(world, committee_client):
    response = committee_client.get("/contracts/CAP-2005/", {"data": "spend", "as_at": 3})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "Year",
        "Actual spend",
        "Forecast outturn",
        "Annual value",
        "Share of actual",
    ]
    assert rows[2] == ["2014-15", "3300.00", "12450.00", "12000.00", "74.2%"]


def test_contract_page_history_lists_who_changed_what(world, admin_user, committee_client):
    cap = world["contracts"]["cap"]
    cap.annual_value = Decimal("11000.00")
    cap._history_user = admin_user
    cap.save()
    history = committee_client.get("/contracts/CAP-2005/").context["history"]
    assert history[0]["who"] == admin_user
    assert history[0]["changes"] == [("annual value", "£12,000.00", "£11,000.00")]
    assert history[-1]["kind"] == "Created"


def test_contract_page_marks_a_decision_date_already_passed(world, committee_client):
    page = committee_client.get("/contracts/CAP-2005/", {"as_at": 12}).content.decode()
    assert "30 Jun 2015 <span" in page and "passed" not in page  # still to come at 31 Mar
    Contract.objects.filter(reference="CAP-2005").update(notice_months=12)  # 31 Dec 2014
    page = committee_client.get("/contracts/CAP-2005/", {"as_at": 12}).content.decode()
    assert '31 Dec 2014 <span class="tag">passed</span>' in page


def test_unknown_contract_is_404(world, committee_client):
    assert committee_client.get("/contracts/NOPE/").status_code == 404


SHARE_KEYS = (
    "year_label",
    "actual",
    "technology_actual",
    "share",
    "outturn",
    "technology_outturn",
    "outturn_share",
)


def test_supplier_shares_of_technology_spend_by_year(world, committee_client):
    capgemini = world["suppliers"]["capgemini"]
    response = committee_client.get(f"/contracts/suppliers/{capgemini.pk}/", {"as_at": 3})
    assert response.status_code == 200
    assert [{key: row[key] for key in SHARE_KEYS} for row in response.context["years"]] == [
        {
            "year_label": "2013-14",
            "actual": Decimal("10800.00"),
            "technology_actual": Decimal("10800.00"),
            "share": Decimal("100.0"),
            "outturn": Decimal("10800.00"),
            "technology_outturn": Decimal("10800.00"),
            "outturn_share": Decimal("100.0"),
        },
        {
            "year_label": "2014-15",
            "actual": Decimal("3300.00"),
            "technology_actual": Decimal("4450.00"),
            "share": Decimal("74.2"),  # 3,300 / 4,450 = 74.16%
            "outturn": Decimal("12450.00"),
            "technology_outturn": Decimal("22200.00"),
            "outturn_share": Decimal("56.1"),  # 12,450 / 22,200 = 56.08%
        },
    ]
    page = response.content.decode()
    assert "CAP-2005" in page and "BT-NET" not in page
    assert "2013-14 100.0%, 2014-15 74.2%" in page  # the chart's summary in words


def test_supplier_with_no_spend_in_a_year_has_a_zero_share(world, committee_client):
    bt = world["suppliers"]["bt"]
    years = committee_client.get(f"/contracts/suppliers/{bt.pk}/", {"as_at": 3}).context["years"]
    assert [(y["year_label"], y["actual"], y["share"], y["outturn_share"]) for y in years] == [
        ("2013-14", Decimal("0.00"), Decimal("0.0"), Decimal("0.0")),
        ("2014-15", Decimal("900.00"), Decimal("20.2"), Decimal("26.6")),  # 900/4,450; 5,900/22,200
    ]


def test_supplier_contracts_export_as_csv(world, committee_client):
    capgemini = world["suppliers"]["capgemini"]
    response = committee_client.get(f"/contracts/suppliers/{capgemini.pk}/", {"_export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[0] for row in rows] == ["Reference", "CAP-2005"]
    assert "Supplier" not in rows[0]


def test_unknown_supplier_is_404(world, committee_client):
    assert committee_client.get("/contracts/suppliers/999999/").status_code == 404


def _grow(world, count: int) -> None:
    """More contracts for Capgemini, each with a line, figures, a change and an initiative."""
    capgemini = world["suppliers"]["capgemini"]
    category = Category.objects.get(name="Outsourced services")
    for n in range(count):
        contract = Contract.objects.create(
            reference=f"CAP-T{n}",
            title=f"Tower {n}",
            supplier=capgemini,
            start_date=date(2013, 1, 1),
            end_date=date(2017, 1, 1),
        )
        ContractChange.objects.create(
            contract=contract, effective_date=date(2014, 1, 1), kind="variation"
        )
        line = BudgetLine.objects.create(
            code=f"CAP-T{n}",
            name=f"Tower {n}",
            category=category,
            contract=world["contracts"]["cap"],
        )
        for year in (world["base_year"], world["year"]):
            MonthlyFigure.objects.create(
                line=line, year=year, period=1, budget=Decimal("5.00"), actual=Decimal("5.00")
            )
        initiative = Initiative.objects.create(
            code=f"I-{n}", name=f"Init {n}", lever="renegotiate", contract=world["contracts"]["cap"]
        )
        InitiativeYear.objects.create(
            initiative=initiative, year=world["year"], planned=Decimal("1.00")
        )


def _queries(client, url: str) -> int:
    client.get(url)  # warm caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_contract_and_supplier_pages_query_counts_do_not_grow(world, committee_client):
    supplier_url = f"/contracts/suppliers/{world['suppliers']['capgemini'].pk}/"
    before = (
        _queries(committee_client, "/contracts/CAP-2005/"),
        _queries(committee_client, supplier_url),
    )
    _grow(world, 12)
    after = (
        _queries(committee_client, "/contracts/CAP-2005/"),
        _queries(committee_client, supplier_url),
    )
    assert after == before
    assert len(committee_client.get("/contracts/CAP-2005/").context["initiatives"]) == 13


def test_contract_loaded_without_history_still_shows_its_page(world, committee_client):
    contract = world["contracts"]["bt"]
    contract.history.all().delete()  # as after bulk_create or loaddata
    response = committee_client.get(f"/contracts/{contract.reference}/")
    assert response.status_code == 200
    assert contract.title in response.text


def test_contract_page_lists_its_lines_a_page_at_a_time_and_links_to_the_register(
    world, committee_client, monkeypatch
):
    monkeypatch.setattr("reports.contract_pages.LINES_SHOWN", 3)
    url = "/contracts/CAP-2005/?year=2014-15&as_at=2"
    page = committee_client.get(url)
    assert page.context["lines_pages"] == []  # one line: one page, no pager
    assert 'data-testid="line-pages"' not in page.content.decode()
    _grow(world, 5)  # five more lines pay CAP-2005: CAP-T0 to CAP-T4, with figures
    BudgetLine.objects.create(  # and one with no figures in any year
        code="ZZ-NEW",
        name="Not started",
        category=Category.objects.get(name="Outsourced services"),
        contract=world["contracts"]["cap"],
    )
    first = committee_client.get(url)
    assert [line.code for line in first.context["lines"]] == ["CAP-T0", "CAP-T1", "CAP-T2"]
    second_url = "/contracts/CAP-2005/?year=2014-15&as_at=2&lines=2"
    assert first.context["lines_pages"] == [(1, None), (2, second_url), (3, second_url[:-1] + "3")]
    assert "Lines 1 to 3 of 7, by code." in first.content.decode()
    second = committee_client.get(second_url)
    assert [line.code for line in second.context["lines"]] == ["CAP-T3", "CAP-T4", "OUT-01"]
    assert '<span aria-current="page">2</span>' in second.content.decode()
    for beyond in ("99", "x"):  # past the end: the last page; not a number: the first
        codes = [
            line.code for line in committee_client.get(f"{url}&lines={beyond}").context["lines"]
        ]
        assert codes == (["ZZ-NEW"] if beyond == "99" else ["CAP-T0", "CAP-T1", "CAP-T2"])
    cap = world["contracts"]["cap"].pk
    assert first.context["lines_url"] == f"/budgets/?year=2014-15&as_at=2&contract={cap}"
    register = committee_client.get(first.context["lines_url"])
    codes = {row.record.code for row in register.context["table"].rows}
    assert codes == {"OUT-01", "CAP-T0", "CAP-T1", "CAP-T2", "CAP-T3", "CAP-T4"}  # with figures


def test_supplier_and_contract_pages_do_not_read_other_suppliers_lines(world, committee_client):
    # Another supplier's stored totals, made wrong, leave Capgemini's page and CAP-2005's
    # as they were: their year totals come from the period totals, and only their own
    # lines are read.
    supplier = f"/contracts/suppliers/{world['suppliers']['capgemini'].pk}/?year=2014-15&as_at=2"
    contract = "/contracts/CAP-2005/?year=2014-15&as_at=2"
    before = (
        committee_client.get(supplier).context["years"],
        committee_client.get(contract).context["chart"].rows,
    )
    bt = world["suppliers"]["bt"].pk
    LineYearTotal.objects.filter(line__contract__supplier_id=bt).update(actual=Decimal("999999"))
    assert (
        committee_client.get(supplier).context["years"],
        committee_client.get(contract).context["chart"].rows,
    ) == before
