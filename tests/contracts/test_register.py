"""The contract register at /contracts/: rows, filters, totals, RAG and export.

The world (tests/world.py) closes 2014-15 through P2; these tests choose P3 (30 Jun 2014)
explicitly, the period whose actuals they work with (`register`). CAP-2005 ends 31 Dec
2015 with 6 months' notice (decision 30 Jun 2015); BT-NET ends 31 Mar 2017 with 12
months' notice (decision 31 Mar 2016). Actuals to P3: OUT-01 3,300.00 (CAP-2005),
NET-01 900.00 (BT-NET), CHG-01 250.00 (no contract): technology 4,450.00.
"""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from budgets.models import BudgetLine, Category, MonthlyFigure
from contracts.models import Contract, Supplier

URL = "/contracts/"


def register(client, params: dict | None = None):
    """The register as at 2014-15 P3 unless `params` choose another reporting date."""
    return client.get(URL, {"as_at": 3, **(params or {})})


def rows(response) -> list[tuple]:
    return [
        (row.record.reference, row.record.spend, row.record.expiry_rag)
        for row in response.context["table"].rows
    ]


def test_register_lists_every_contract_with_its_spend_in_the_reporting_year(
    world, committee_client
):
    response = register(committee_client)
    assert response.status_code == 200
    assert rows(response) == [
        ("CAP-2005", Decimal("3300.00"), "green"),
        ("BT-NET", Decimal("900.00"), "green"),
    ]
    page = response.content.decode()
    assert "£3,300.00" in page
    assert "74.2%" in page  # 3,300 / 4,450
    assert "20.2%" in page  # 900 / 4,450
    assert "30 Jun 2015" in page  # CAP-2005 decision date: end less 6 months
    assert "31 Mar 2016" in page  # BT-NET decision date: end less 12 months
    assert "1 year 6 months" in page  # 30 Jun 2014 to 31 Dec 2015


def test_register_totals_are_the_rows_shown(world, committee_client):
    response = register(committee_client)
    table = response.context["table"]
    assert table.totals == {"annual_value": Decimal("18000.00"), "spend": Decimal("4200.00")}
    assert table.share_text(table.totals["spend"]) == "94.4%"  # 4,200 / 4,450
    assert "94.4%" in response.content.decode()
    filtered = register(committee_client, {"supplier": world["suppliers"]["bt"].pk})
    assert filtered.context["table"].totals == {
        "annual_value": Decimal("6000.00"),
        "spend": Decimal("900.00"),
    }


def test_register_says_its_totals_add_every_row_shown(world, committee_client):
    html = register(committee_client).content.decode()
    assert "Totals add up every row shown, planned contracts included" in html


def test_register_shows_spend_of_the_selected_year(world, committee_client):
    response = register(committee_client, {"year": "2013-14", "as_at": 12})
    assert rows(response) == [
        ("CAP-2005", Decimal("10800.00"), "green"),
        ("BT-NET", Decimal("0.00"), "green"),
    ]
    assert "100.0%" in response.content.decode()


def test_filter_by_supplier_shows_only_its_contracts(world, committee_client):
    response = register(committee_client, {"supplier": world["suppliers"]["capgemini"].pk})
    assert [r[0] for r in rows(response)] == ["CAP-2005"]


def test_filter_by_status_shows_only_that_status(world, committee_client):
    Contract.objects.create(
        reference="OLD-1",
        title="Old print contract",
        supplier=world["suppliers"]["bt"],
        start_date=date(2008, 1, 1),
        end_date=date(2013, 1, 1),
        status=Contract.Status.TERMINATED,
    )
    terminated = register(committee_client, {"status": "terminated"})
    assert [r[0] for r in rows(terminated)] == ["OLD-1"]
    assert rows(terminated)[0][2] == ""  # no expiry RAG for an ended contract
    active = register(committee_client, {"status": "active"})
    assert [r[0] for r in rows(active)] == ["CAP-2005", "BT-NET"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        # As at 30 Jun 2014: within 12 months is by 30 Jun 2015, CAP-2005's decision date.
        ({"decision_due_within": 12}, ["CAP-2005"]),
        ({"decision_due_within": 11}, []),
        ({"decision_due_within": 6}, []),
        # As at P12, 31 Mar 2015: within 3 months is by 30 Jun 2015.
        ({"decision_due_within": 3, "as_at": 12}, ["CAP-2005"]),
        ({"decision_due_within": 2, "as_at": 12}, []),
        # Within 12 months of 31 Mar 2015 is by 31 Mar 2016: BT-NET's decision date too.
        ({"decision_due_within": 12, "as_at": 12}, ["CAP-2005", "BT-NET"]),
    ],
)
def test_decision_due_filter_counts_from_the_reporting_date(
    world, committee_client, params, expected
):
    response = register(committee_client, params)
    assert [r[0] for r in rows(response)] == expected


def test_decision_due_filter_leaves_out_ended_contracts(world, committee_client):
    Contract.objects.filter(reference="CAP-2005").update(status=Contract.Status.EXPIRED)
    response = register(committee_client, {"decision_due_within": 12})
    assert rows(response) == []


def test_a_bad_months_value_is_explained_not_ignored(world, committee_client):
    response = register(committee_client, {"decision_due_within": "soon"})
    assert rows(response) == []
    assert "Enter a whole number." in response.content.decode()


def test_expiry_rag_is_red_under_6_months_amber_under_12_from_the_reporting_date(
    world, committee_client
):
    Contract.objects.create(
        reference="SHORT",
        title="Ends soon",
        supplier=world["suppliers"]["bt"],
        start_date=date(2013, 1, 1),
        end_date=date(2014, 12, 29),  # a day under 6 months after 30 Jun 2014
        notice_months=1,
    )
    response = register(committee_client)
    assert rows(response)[0] == ("SHORT", Decimal("0.00"), "red")
    page = response.content.decode()
    assert '<span class="rag rag-red">Red</span> 5 months' in page
    # As at 31 Mar 2015, CAP-2005 (ends 31 Dec 2015) is 9 months away: amber.
    later = register(committee_client, {"as_at": 12})
    assert ("CAP-2005", Decimal("3300.00"), "amber") in rows(later)


def test_a_contract_ending_exactly_6_months_after_the_reporting_date_is_amber(
    world, committee_client
):
    Contract.objects.filter(reference="CAP-2005").update(end_date=date(2014, 12, 30))
    response = register(committee_client)  # as at 30 Jun 2014
    assert rows(response)[0] == ("CAP-2005", Decimal("3300.00"), "amber")


def test_a_decision_date_already_passed_is_marked(world, committee_client):
    response = register(committee_client, {"as_at": 12})
    assert "passed" not in response.content.decode()
    Contract.objects.filter(reference="BT-NET").update(notice_months=30)  # decision 30 Sep 2014
    page = register(committee_client, {"as_at": 12}).content.decode()
    assert '30 Sep 2014 <span class="tag">passed</span>' in page


def test_export_has_the_filtered_rows_and_neutralises_formulas(world, committee_client):
    Contract.objects.filter(reference="BT-NET").update(title='=HYPERLINK("http://x","y")')
    response = register(
        committee_client, {"supplier": world["suppliers"]["bt"].pk, "_export": "csv"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, *body = table
    assert header[:3] == ["Reference", "Supplier", "Title"]
    assert len(body) == 1
    assert body[0][0] == "BT-NET"
    assert body[0][2] == '\'=HYPERLINK("http://x","y")'
    assert body[0][header.index("Spend 2014-15")] == "900.00"
    assert body[0][header.index("Time to expiry")] == "2 years 9 months (Green)"


def test_xlsx_export_downloads(world, committee_client):
    response = register(committee_client, {"_export": "xlsx"})
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]


def _add_contracts(world, count: int) -> None:
    year = world["year"]
    category = Category.objects.get(name="Networks")
    for n in range(count):
        supplier = Supplier.objects.create(name=f"Supplier {n}")
        contract = Contract.objects.create(
            reference=f"EXTRA-{n}",
            title=f"Extra {n}",
            supplier=supplier,
            start_date=date(2012, 1, 1),
            end_date=date(2016, 1, 1),
            annual_value=Decimal("100.00"),
        )
        line = BudgetLine.objects.create(
            code=f"X-{n}", name=f"Extra line {n}", category=category, contract=contract
        )
        MonthlyFigure.objects.create(
            line=line, year=year, period=1, budget=Decimal("10.00"), actual=Decimal("10.00")
        )


def _count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_register_query_count_does_not_grow_with_contracts(world, committee_client):
    _count_queries(committee_client, URL)  # warm caches (content types, session)
    few = _count_queries(committee_client, URL)
    _add_contracts(world, 15)
    many = _count_queries(committee_client, URL)
    assert many == few
    assert len(register(committee_client).context["table"].rows) == 17


def test_register_works_before_any_financial_year_exists(db, committee_client):
    supplier = Supplier.objects.create(name="Solo")
    Contract.objects.create(
        reference="SOLO-1",
        title="Only contract",
        supplier=supplier,
        start_date=date(2020, 1, 1),
        end_date=date(2090, 1, 1),
        annual_value=Decimal("10.00"),
    )
    response = register(committee_client)
    assert response.status_code == 200
    assert rows(response) == [("SOLO-1", Decimal("0.00"), "green")]
    assert "No financial figures yet" in response.content.decode()
    assert committee_client.get(f"/contracts/suppliers/{supplier.pk}/").status_code == 200
    assert committee_client.get("/contracts/SOLO-1/").status_code == 200


def test_register_pages_at_fifty_while_totals_and_export_cover_every_row(world, committee_client):
    from contracts.models import Contract

    template = world["contracts"]["bt"]
    Contract.objects.bulk_create(
        Contract(
            reference=f"EXTRA-{i:03d}",
            title=f"Extra {i}",
            supplier=template.supplier,
            start_date=template.start_date,
            end_date=template.end_date,
            annual_value=Decimal("1.00"),
        )
        for i in range(60)
    )
    first = committee_client.get("/contracts/")
    assert first.text.count("/contracts/EXTRA-") < 60
    second = committee_client.get("/contracts/?page=2")
    assert second.status_code == 200
    exported = committee_client.get("/contracts/?_export=csv").content.decode()
    assert exported.count("EXTRA-") == 60
    # 12,000.00 + 6,000.00 (the world's contracts) + 60 x 1.00, on every page
    assert "£18,060.00" in first.text and "£18,060.00" in second.text
