"""The budget lines table and the line page, against tests/world.py.

Hand workings for 2014-15 as at P3 (the latest period with actuals):
  OUT-01 budget 12,000.00; actual 3 x 1,100 = 3,300.00; outturn 3,300 + 3 x 1,050 +
         6 x 1,000 = 12,450.00; variance 450.00 (3.8%) amber (over 1%)
  NET-01 budget 6,000.00; actual 900.00; outturn 900 + 500 (P3, no actual) + 9 x 500 =
         5,900.00; variance (100.00) (-1.7%) green
  CHG-01 budget 2,400.00; actual 0 - 50 + 300 = 250.00; outturn 250 + 8 x 200 + 2,000 =
         3,850.00; variance 1,450.00 (60.4%) red
"""

import csv
import io
from datetime import date
from decimal import Decimal as D

import openpyxl
import pytest

from budgets.models import (
    BudgetLine,
    Category,
    FinancialYear,
    MonthlyFigure,
    refresh_line_year_totals,
)
from tests.conftest import client_for

HEADER = [
    "Code",
    "Line",
    "Category",
    "Contract",
    "Original budget",
    "Revised budget",
    "Actual to date",
    "Committed",
    "Uncommitted budget",
    "Forecast outturn",
    "Variance £",
    "Variance %",
    "RAG",
]


# The figures below are worked by hand as at P3 (in progress; the world is closed through P2).
def exported_rows(client, query: str = "") -> list[list[str]]:
    response = client.get(f"/budgets/?as_at=3&{query}&_export=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    assert rows[0] == HEADER
    return rows[1:]


def codes(client, query: str) -> list[str]:
    return [row[0] for row in exported_rows(client, query)]


def test_csv_export_has_every_lines_figures_as_worked_by_hand(world, committee_user):
    rows = exported_rows(client_for(committee_user), "year=2014-15")
    chg = ["CHG-01", "Change projects", "Change portfolio", ""]
    net = ["NET-01", "Network services", "Networks", "BT-NET"]
    out = ["OUT-01", "Capgemini service", "Outsourced services", "CAP-2005"]
    assert rows == [
        # No original budget: 2014-15 is a draft. Uncommitted: revised - actual - committed.
        [*chg, "", "2400.00", "250.00", "0.00", "2150.00", "3850.00", "1450.00", "60.4", "Red"],
        [*net, "", "6000.00", "900.00", "0.00", "5100.00", "5900.00", "-100.00", "-1.7", "Green"],
        [*out, "", "12000.00", "3300.00", "0.00", "8700.00", "12450.00", "450.00", "3.8", "Amber"],
    ]


def test_xlsx_export_has_the_filtered_lines_with_numbers_as_numbers(world, committee_user):
    response = client_for(committee_user).get("/budgets/?as_at=3&kind=run&_export=xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == HEADER
    assert [row[0] for row in rows[1:]] == ["NET-01", "OUT-01"]
    assert D(str(rows[2][9])) == D("12450.00")


def test_a_line_name_starting_with_equals_is_neutralised_in_exports(world, committee_user):
    BudgetLine.objects.filter(code="CHG-01").update(name='=HYPERLINK("http://x","y")')
    client = client_for(committee_user)
    row = exported_rows(client, "q=CHG")[0]
    assert row[1] == '\'=HYPERLINK("http://x","y")'
    response = client.get("/budgets/?as_at=3&q=CHG&_export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["B2"].value == '\'=HYPERLINK("http://x","y")'
    assert sheet["K2"].value == 1450  # a negative or positive number stays a number


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("category={category}", ["NET-01"]),
        ("kind=change", ["CHG-01"]),
        ("kind=run", ["NET-01", "OUT-01"]),
        ("contract={contract}", ["OUT-01"]),
        ("rag=red", ["CHG-01"]),
        ("rag=amber", ["OUT-01"]),
        ("rag=green", ["NET-01"]),
        ("q=net", ["NET-01"]),
        ("q=projects", ["CHG-01"]),
        ("q=zzz", []),
        ("kind=run&rag=green", ["NET-01"]),
    ],
)
def test_table_filters_select_the_right_lines(world, committee_user, query, expected):
    query = query.format(
        category=Category.objects.get(name="Networks").pk, contract=world["contracts"]["cap"].pk
    )
    assert codes(client_for(committee_user), query) == expected


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("code", ["CHG-01", "NET-01", "OUT-01"]),
        ("-full_year_budget", ["OUT-01", "NET-01", "CHG-01"]),
        ("variance", ["NET-01", "OUT-01", "CHG-01"]),
        ("-variance_pct", ["CHG-01", "OUT-01", "NET-01"]),
        ("actual_to_date", ["CHG-01", "NET-01", "OUT-01"]),
    ],
)
def test_table_sorts_by_column(world, committee_user, sort, expected):
    response = client_for(committee_user).get(f"/budgets/?sort={sort}")
    assert [row.record.code for row in response.context["table"].rows] == expected


def test_totals_row_is_for_the_filtered_lines(world, committee_user):
    response = client_for(committee_user).get("/budgets/?as_at=3&kind=run")
    totals = response.context["table"].totals
    assert totals["budget"] == D("18000.00")
    assert totals["actual_to_date"] == D("4200.00")
    assert totals["outturn"] == D("18350.00")
    assert totals["variance"] == D("350.00")
    html = response.content.decode()
    assert "<tfoot" in html
    assert "£18,350.00" in html


@pytest.mark.parametrize("query", ["", "?as_at=3", "?as_at=1&q=", "?year=2013-14"])
def test_totals_row_of_every_line_is_the_years_totals(world, committee_user, query):
    # Unfiltered, the total comes from the year's stored period totals: the same figures.
    response = client_for(committee_user).get(f"/budgets/{query}")
    reporting = response.context["reporting"]
    figures = MonthlyFigure.objects.for_year(reporting.year)
    assert response.context["table"].totals == figures.totals(reporting.as_at)


def test_totals_row_follows_a_rag_filter(world, committee_user):
    totals = client_for(committee_user).get("/budgets/?as_at=3&rag=red").context["table"].totals
    assert (totals["budget"], totals["outturn"]) == (D("2400.00"), D("3850.00"))


def test_totals_row_covers_every_page_not_only_the_one_shown(db, committee_user):
    _bulk_lines(30)
    response = client_for(committee_user).get("/budgets/?page=2")
    table = response.context["table"]
    assert len(table.page.object_list) == 5
    assert table.totals["budget"] == D("36000.00")  # 30 lines x 12 x 100.00


def test_table_is_paginated_by_25(db, committee_user):
    _bulk_lines(30)
    client = client_for(committee_user)
    first = client.get("/budgets/")
    assert [row.record.code for row in first.context["table"].page.object_list][-1] == "L-024"
    second = client.get("/budgets/?page=2")
    assert [row.record.code for row in second.context["table"].page.object_list] == [
        f"L-{i:03d}" for i in range(25, 30)
    ]
    assert len(exported_rows(client)) == 30  # the export is every filtered line


def _bulk_lines(count: int) -> None:
    category = Category.objects.create(name="Bulk", kind="run")
    year = FinancialYear.objects.create(label="2016-17", start=date(2016, 4, 1))
    lines = BudgetLine.objects.bulk_create(
        BudgetLine(code=f"L-{i:03d}", name=f"Line {i}", category=category) for i in range(count)
    )
    MonthlyFigure.objects.bulk_create(
        MonthlyFigure(
            line=line,
            year=year,
            period=p,
            budget=D("100.00"),
            actual=D("110.00") if p == 1 else None,
        )
        for line in lines
        for p in range(1, 13)
    )
    refresh_line_year_totals(year_ids=[year.pk])  # as every bulk write of figures does


# Whatever the number of lines; one of them reads the user's roles, as the import
# link is shown only to those who may import; one finds the latest period with actuals
# (the period strip) and one totals the page shown (its subtotal).
TABLE_QUERIES = 12


@pytest.mark.parametrize("count", [3, 60])
def test_table_uses_a_constant_number_of_queries(
    db, committee_user, django_assert_num_queries, count
):
    _bulk_lines(count)
    client = client_for(committee_user)
    with django_assert_num_queries(TABLE_QUERIES):
        response = client.get("/budgets/?kind=run&sort=-variance")
    assert response.context["table"].paginator.count == count


def test_table_links_each_line_to_its_page_for_the_year(world, committee_user):
    html = client_for(committee_user).get("/budgets/").content.decode()
    assert '<a href="/budgets/lines/OUT-01/?year=2014-15">OUT-01</a>' in html
    assert 'href="/budgets/2014-15/p4/"' in html
    assert 'href="/budgets/2014-15/forecast/"' in html


# The line page


def test_line_page_shows_months_totals_contract_and_chart(world, committee_user):
    response = client_for(committee_user).get("/budgets/lines/OUT-01/?year=2014-15&as_at=3")
    assert response.status_code == 200
    months = response.context["months"]
    assert [m["figure"].period for m in months] == list(range(1, 13))
    assert months[0]["figure"].actual == D("1100.00")
    assert months[0]["variance"] == D("100.00")
    assert months[4]["forecast_shown"] == D("1050.00")
    assert months[8]["forecast_shown"] == D("1000.00")  # no forecast: as budget
    totals = response.context["totals"]
    assert totals["budget"] == D("12000.00")
    assert totals["actual_to_date"] == D("3300.00")
    assert totals["outturn"] == D("12450.00")
    chart = response.context["chart"]
    assert [trace["name"] for trace in chart.figure_json["data"]] == [
        "Actual",
        "Revised budget",
        "Forecast",
    ]
    assert chart.rows[0] == ("P1", D("1000.00"), D("1100.00"), None)
    html = response.content.decode()
    assert 'data-chart="chart-data-line-chart"' in html
    assert "CAP-2005" in html
    assert "Capgemini" in html


def test_line_page_exports_its_months_with_notes_neutralised(world, committee_user):
    MonthlyFigure.objects.filter(line__code="OUT-01", year__label="2014-15", period=1).update(
        note="=SUM(A1:A9)"
    )
    response = client_for(committee_user).get("/budgets/lines/OUT-01/?year=2014-15&_export=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "Period",
        "Original budget",
        "Revised budget",
        "Actual",
        "Forecast",
        "Committed",
        "Note",
    ]
    assert rows[1] == ["P1", "", "1000.00", "1100.00", "", "0.00", "'=SUM(A1:A9)"]
    assert rows[5] == ["P5", "", "1000.00", "", "1050.00", "0.00", ""]
    assert len(rows) == 13


def test_line_page_for_another_year_shows_that_years_months(world, committee_user):
    response = client_for(committee_user).get("/budgets/lines/OUT-01/?year=2013-14")
    assert response.context["totals"]["actual_to_date"] == D("10800.00")


def test_unknown_line_is_404(world, committee_user):
    assert client_for(committee_user).get("/budgets/lines/NOPE/").status_code == 404


def test_line_page_change_history_says_who_when_old_and_new(world, finance_user, admin_user):
    out = world["lines"]["out"]
    fig = MonthlyFigure.objects.get(line=out, year=world["year"], period=4)
    client = client_for(finance_user)
    for version, actual in ((1, "1,020.00"), (2, "1,040.00")):
        data = {f"actual-{fig.pk}": actual, f"note-{fig.pk}": "", f"version-{fig.pk}": version}
        assert client.post("/budgets/2014-15/p4/", data).status_code == 302
    out.name = "Capgemini managed service"
    out._history_user = admin_user
    out.save()

    response = client.get("/budgets/lines/OUT-01/?year=2014-15")
    changes = response.context["changes"]
    assert changes[0]["who"] == "Adam"
    assert (changes[0]["field"], changes[0]["old"], changes[0]["new"]) == (
        "name",
        "Capgemini service",
        "Capgemini managed service",
    )
    p4 = [(c["who"], c["field"], c["old"], c["new"]) for c in changes if c["what"] == "P4"]
    # The world's figures were written without history rows, so the first change cannot
    # say what the old values were; the second one can.
    assert p4 == [
        ("Fiona", "actual", "£1,020.00", "£1,040.00"),
        ("Fiona", "budget", "not recorded", "£1,000.00"),
        ("Fiona", "actual", "not recorded", "£1,020.00"),
        ("Fiona", "forecast", "not recorded", "£1,050.00"),
    ]
    assert "£1,040.00" in response.content.decode()


LINE_PAGE_MAX_QUERIES = 14


@pytest.mark.parametrize("edits", [1, 12])
def test_line_page_queries_do_not_grow_with_its_history(
    world, finance_user, django_assert_max_num_queries, edits
):
    client = client_for(finance_user)
    fig = MonthlyFigure.objects.get(line__code="OUT-01", year=world["year"], period=8)
    for i in range(edits):
        data = {f"forecast-{fig.pk}": f"{900 + i}.00", f"version-{fig.pk}": str(i + 1)}
        assert client.post("/budgets/2014-15/forecast/", data).status_code == 302
    with django_assert_max_num_queries(LINE_PAGE_MAX_QUERIES):
        response = client.get("/budgets/lines/OUT-01/?year=2014-15")
    p8 = [c for c in response.context["changes"] if c["what"] == "P8"]
    # the first edit has no earlier history row: it lists budget and forecast as new
    assert len(p8) == edits + 1


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("/budgets/", "<h1>Budget lines 2014-15</h1>"),
        ("/budgets/lines/OUT-01/", "<h1>OUT-01: Capgemini service</h1>"),
        ("/budgets/2014-15/p4/", "<h1>P4 2014-15: actuals and variance notes</h1>"),
        ("/budgets/2014-15/p1/", "<h1>P1 2014-15: actuals and variance notes</h1>"),
        ("/budgets/2014-15/forecast/", "<h1>Forecasts 2014-15</h1>"),
        ("/budgets/import/batches/", "<h1>Imported files</h1>"),
    ],
)
@pytest.mark.parametrize("role_fixture", ["committee_user", "finance_user", "admin_user"])
def test_every_role_can_read_the_budget_pages(request, world, role_fixture, url, heading):
    response = client_for(request.getfixturevalue(role_fixture)).get(url)
    assert response.status_code == 200
    assert heading in response.content.decode()


def test_unknown_year_or_period_is_404(world, committee_user):
    client = client_for(committee_user)
    assert client.get("/budgets/2099-00/p4/").status_code == 404
    assert client.get("/budgets/2014-15/p13/").status_code == 404
    assert client.get("/budgets/2099-00/forecast/").status_code == 404


def test_a_tiny_negative_variance_shows_as_zero_percent_not_minus_zero(world, committee_user):
    # NET-01's outturn 5,900.00 + 99.99 more forecast in P12 = 5,999.99: 0.01 under
    # 6,000.00 is -0.0002%, which rounds to 0.0%.
    MonthlyFigure.objects.filter(line__code="NET-01", year__label="2014-15", period=12).update(
        forecast=D("599.99")
    )
    refresh_line_year_totals()  # as every bulk write of figures does
    client = client_for(committee_user)
    [row] = exported_rows(client, "q=NET")
    assert (row[10], row[11]) == ("-0.01", "0.0")
    html = client.get("/budgets/?q=NET").content.decode()
    assert "−£0.01" in html
    assert "-0.0%" not in html
    assert '<td class="num">0.0%</td>' in html


def test_budget_table_scrolls_in_a_labelled_focusable_region(world, committee_user):
    html = client_for(committee_user).get("/budgets/?year=2014-15").content.decode()
    region = (
        '<div class="table-wrap scroll-region" role="region" tabindex="0" '
        'aria-label="Budget lines 2014-15 (scrolls sideways on a narrow screen)">'
    )
    assert region in html
    start = html.index(region)
    assert html.find('id="budget-lines"', start) > start  # the table is inside the region


def test_budgets_page_links_finance_to_import_and_everyone_to_imported_files(
    world, finance_user, committee_user
):
    finance = client_for(finance_user).get("/budgets/").content.decode()
    assert '<a href="/budgets/import/">Import actuals from a CSV or Excel file</a>' in finance
    assert '<a href="/budgets/import/batches/">Files imported so far</a>' in finance
    committee = client_for(committee_user).get("/budgets/").content.decode()
    assert 'href="/budgets/import/"' not in committee
    assert '<a href="/budgets/import/batches/">Files imported so far</a>' in committee


def test_open_period_page_links_finance_to_import_for_that_period(
    world, finance_user, committee_user
):
    link = 'href="/budgets/import/?year=2014-15&amp;period=4"'
    assert link in client_for(finance_user).get("/budgets/2014-15/p4/").content.decode()
    assert link not in client_for(committee_user).get("/budgets/2014-15/p4/").content.decode()
    closed = client_for(finance_user).get("/budgets/2014-15/p2/").content.decode()
    assert 'data-testid="import-link"' not in closed
    page = client_for(finance_user).get("/budgets/import/?year=2014-15&period=4")
    assert page.context["template_period"] == 4
    assert '<option value="4" selected>P4</option>' in page.content.decode()


def test_budget_lines_table_counts_its_rows_as_lines(world, committee_client):
    response = committee_client.get("/budgets/?year=2014-15&per_page=2")
    assert "Page 1 of 2 (3 lines)" in response.text


def test_line_chart_csv_holds_exactly_the_charts_table(world, committee_user):
    client = client_for(committee_user)
    chart = client.get("/budgets/lines/OUT-01/?year=2014-15").context["chart"]

    response = client.get(chart.csv_url)

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == list(chart.columns) == ["Period", "Revised budget", "Actual", "Forecast"]
    assert rows[1:] == [["" if v is None else str(v) for v in row] for row in chart.rows]
    assert rows[1] == ["P1", "1000.00", "1100.00", ""]  # an actual: no forecast drawn
    assert rows[5] == ["P5", "1000.00", "", "1050.00"]  # the forecast entered
    assert rows[9] == ["P9", "1000.00", "", "1000.00"]  # no forecast: as budget
