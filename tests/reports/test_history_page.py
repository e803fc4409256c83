"""/history/: recent changes across every model's history table."""

import csv
import io
from datetime import datetime, timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone

from budgets.models import BudgetLine, FinancialYear, MonthlyFigure
from budgets.services import close_period
from contracts.models import Contract, Supplier
from tests.conftest import client_for


def enter_p4_actual(client, code: str, actual: str) -> None:
    fig = MonthlyFigure.objects.get(line__code=code, year__label="2014-15", period=4)
    data = {f"actual-{fig.pk}": actual, f"note-{fig.pk}": "", f"version-{fig.pk}": fig.version}
    assert client.post("/budgets/2014-15/p4/", data).status_code == 302


@pytest.fixture
def changes(world, finance_user, admin_user):
    """Fiona enters OUT-01's P4 actual; Adam closes P3 and renames a supplier."""
    enter_p4_actual(client_for(finance_user), "OUT-01", "1,010.00")
    close_period(year=FinancialYear.objects.get(label="2014-15"), through=3, user=admin_user)
    supplier = Supplier.objects.get(name="BT")
    supplier.name = "BT Group"
    supplier._history_user = admin_user
    supplier.save()


def page_rows(response) -> list[dict]:
    """The described rows of the page shown (the history table's current page)."""
    return [row.record for row in response.context["table"].page.object_list]


def row_count(response) -> int:
    return response.context["table"].paginator.count


def rows_of(response) -> list[tuple]:
    return [(r["who"], r["action"], r["type_name"], r["name"]) for r in page_rows(response)]


def test_history_lists_recent_changes_across_apps_newest_first(changes, committee_user):
    response = client_for(committee_user).get("/history/")
    assert response.status_code == 200
    assert rows_of(response)[:3] == [
        ("Adam", "Changed", "Supplier", "BT Group"),
        ("Adam", "Changed", "Financial year", "2014-15"),
        ("Fiona", "Changed", "Monthly figure", "OUT-01 2014-15 P4"),
    ]
    assert page_rows(response)[1]["history_change_reason"] == "Closed through P3"


def test_history_rows_say_old_and_new_values(changes, finance_user, committee_user):
    enter_p4_actual(client_for(finance_user), "OUT-01", "1,020.00")
    response = client_for(committee_user).get("/history/")
    rows = page_rows(response)
    assert rows[0]["changes"] == [("actual", "£1,010.00", "£1,020.00")]
    assert rows[1]["changes"] == [("name", "BT", "BT Group")]
    assert rows[2]["changes"] == [("closed through", "2", "3")]
    html = response.content.decode()
    assert "actual: £1,010.00 → £1,020.00" in html


def test_each_history_row_links_to_its_record(changes, committee_user):
    response = client_for(committee_user).get("/history/")
    urls = {r["name"]: r["url"] for r in page_rows(response)}
    assert urls["OUT-01 2014-15 P4"] == "/budgets/lines/OUT-01/?year=2014-15"
    assert urls["2014-15"] == "/budgets/?year=2014-15"
    bt = Supplier.objects.get(name="BT Group")
    assert urls["BT Group"] == f"/contracts/suppliers/{bt.pk}/"
    html = response.content.decode()
    assert '<a href="/budgets/lines/OUT-01/?year=2014-15">OUT-01 2014-15 P4</a>' in html


def test_history_filters_by_user(changes, committee_user, finance_user):
    response = client_for(committee_user).get(f"/history/?user={finance_user.pk}")
    assert rows_of(response) == [("Fiona", "Changed", "Monthly figure", "OUT-01 2014-15 P4")]


def test_history_filters_by_record_type(changes, committee_user):
    response = client_for(committee_user).get("/history/?record_type=contracts.supplier")
    assert rows_of(response) == [
        ("Adam", "Changed", "Supplier", "BT Group"),
        ("system", "Created", "Supplier", "BT"),  # named as it was then
        ("system", "Created", "Supplier", "Capgemini"),
    ]


def test_history_filters_by_date(changes, committee_user):
    client = client_for(committee_user)
    today = timezone.localdate()
    tomorrow = today + timedelta(days=1)
    assert page_rows(client.get(f"/history/?since={tomorrow}")) == []
    everything = row_count(client.get("/history/"))
    today_only = client.get(f"/history/?since={today}&until={today}")
    assert row_count(today_only) == everything
    response = client.get(f"/history/?since={tomorrow}&until={today}")
    assert b"The end date is before the start date." in response.content


def test_history_is_paginated_newest_first(world, finance_user, committee_user):
    client = client_for(finance_user)
    for i in range(55):
        enter_p4_actual(client, "NET-01", f"{500 + i}.00")
    page_one = client_for(committee_user).get(f"/history/?user={finance_user.pk}")
    assert len(page_rows(page_one)) == 50
    assert row_count(page_one) == 55
    page_two = client_for(committee_user).get(f"/history/?user={finance_user.pk}&page=2")
    assert len(page_rows(page_two)) == 5
    newest = MonthlyFigure.history.filter(line__code="NET-01").order_by("-history_id").first()
    assert newest.actual == D("554.00")
    assert page_rows(page_one)[0]["history_id"] == newest.history_id


HISTORY_PAGE_QUERIES = 10


@pytest.mark.parametrize("edits", [2, 40])
def test_history_page_queries_do_not_grow_with_rows(
    world, finance_user, django_assert_num_queries, edits
):
    client = client_for(finance_user)
    for i in range(edits):
        enter_p4_actual(client, "CHG-01", f"{i}.00")
    Contract.objects.filter(reference="BT-NET").update(title="Network")  # no history row
    with django_assert_num_queries(HISTORY_PAGE_QUERIES):
        response = client.get(f"/history/?user={finance_user.pk}")
    assert len(page_rows(response)) == edits


# Unfiltered, a page may hold every record type: two queries each at most (the rows, and
# the rows before them to compare with), never one per row.
HISTORY_PAGE_MAX_QUERIES = HISTORY_PAGE_QUERIES + 2 * 11


def test_history_page_queries_are_bounded_by_the_number_of_record_types(
    world, committee_user, django_assert_max_num_queries
):
    client = client_for(committee_user)
    with django_assert_max_num_queries(HISTORY_PAGE_MAX_QUERIES):
        response = client.get("/history/")
    assert len({row["record_type"] for row in page_rows(response)}) == 8


def test_history_exports_the_filtered_rows_with_formulas_neutralised(
    world, finance_user, committee_user
):
    line = BudgetLine.objects.get(code="CHG-01")
    line.name = "=1+1"
    line._history_user = finance_user
    line.save()
    response = client_for(committee_user).get(
        f"/history/?record_type=budgets.budgetline&user={finance_user.pk}&_export=csv"
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["When", "Who", "Action", "Record type", "Record", "Changes", "Reason"]
    assert rows[1][1:6] == [
        "Fiona",
        "Changed",
        "Budget line",
        "CHG-01 =1+1",
        "name: Change projects -> =1+1",
    ]
    assert len(rows) == 2


def test_history_name_starting_with_equals_is_neutralised(world, finance_user, committee_user):
    supplier = Supplier.objects.get(name="BT")
    supplier.name = "=cmd|' /C calc'!A0"
    supplier._history_user = finance_user
    supplier.save()
    response = client_for(committee_user).get(
        "/history/?record_type=contracts.supplier&_export=csv"
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1][4] == "'=cmd|' /C calc'!A0"


def test_history_is_read_only(world, committee_user, finance_user):
    assert client_for(committee_user).post("/history/").status_code == 405
    assert client_for(finance_user).post("/history/").status_code == 405


# Session and user, the count and the UNION page, the rows' records and the rows before
# them, their users: as the page, without the filter form's list of users.
HISTORY_EXPORT_QUERIES = 8


@pytest.mark.parametrize("edits", [2, 40])
def test_history_export_queries_do_not_grow_with_rows(
    world, finance_user, django_assert_num_queries, edits
):
    client = client_for(finance_user)
    for i in range(edits):
        enter_p4_actual(client, "CHG-01", f"{i}.00")
    with django_assert_num_queries(HISTORY_EXPORT_QUERIES):
        response = client.get(f"/history/?user={finance_user.pk}&_export=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == edits + 1


def test_history_xlsx_export_has_date_cells_and_plain_text(world, finance_user, committee_user):
    from openpyxl import load_workbook

    enter_p4_actual(client_for(finance_user), "OUT-01", "1,010.00")
    enter_p4_actual(client_for(finance_user), "OUT-01", "1,020.00")
    response = client_for(committee_user).get(f"/history/?user={finance_user.pk}&_export=xlsx")
    assert "spreadsheetml" in response["Content-Type"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, row, _ = list(sheet.iter_rows(values_only=True))
    assert header == ("When", "Who", "Action", "Record type", "Record", "Changes", "Reason")
    assert isinstance(row[0], datetime)
    assert row[1:6] == (
        "Fiona",
        "Changed",
        "Monthly figure",
        "OUT-01 2014-15 P4",
        "actual: £1,010.00 -> £1,020.00",
    )
