"""The entry pages stay small: the period page and the forecast grid show 50 lines a page,
filtered by a search, category, owner and contract, with the totals of every line the
filter leaves beside the page's own subtotal. The pager and filter buttons save what was
typed first; a refused save keeps the page, the typed values and the errors.

`bulk(n)`: 2016-17 (no period closed), n lines L-000.. in code order; the first 40 in
"Alpha" (order 1), the rest in "Beta" (order 2); owners Ann (even) and Bob (odd); lines 0-9
pay contract C-1. Every figure's budget is 100.00; each line's P1 actual is 110.00 and its
P1 committed 5.00; nothing else is entered, so the forecast grid offers P2 to P12.
"""

import re
from datetime import date
from decimal import Decimal as D
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from budgets.models import (
    BudgetLine,
    Category,
    FinancialYear,
    MonthlyFigure,
    refresh_line_year_totals,
)
from contracts.models import Contract, Supplier
from tests.budgets.test_setting import grid_data
from tests.conftest import client_for

P1 = "/budgets/2016-17/p1/"
FORECAST = "/budgets/2016-17/forecast/"
SET = "/budgets/2016-17/budget/"  # a draft: an Admin may set it


def bulk(n: int) -> None:
    alpha = Category.objects.create(name="Alpha", kind="run", order=1)
    beta = Category.objects.create(name="Beta", kind="run", order=2)
    contract = Contract.objects.create(
        reference="C-1",
        title="Contract one",
        supplier=Supplier.objects.create(name="Supplier one"),
        start_date=date(2016, 4, 1),
        end_date=date(2019, 3, 31),
    )
    year = FinancialYear.objects.create(label="2016-17", start=date(2016, 4, 1))
    lines = BudgetLine.objects.bulk_create(
        BudgetLine(
            code=f"L-{i:03d}",
            name=f"Line {i}",
            category=alpha if i < 40 else beta,
            owner="Ann" if i % 2 == 0 else "Bob",
            contract=contract if i < 10 else None,
        )
        for i in range(n)
    )
    MonthlyFigure.objects.bulk_create(
        MonthlyFigure(
            line=line,
            year=year,
            period=p,
            budget=D("100.00"),
            actual=D("110.00") if p == 1 else None,
            committed=D("5.00") if p == 1 else D("0.00"),
        )
        for line in lines
        for p in range(1, 13)
    )
    refresh_line_year_totals(year_ids=[year.pk])  # as every bulk write of figures does


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def codes(response) -> list[str]:
    rows = response.context["rows"]
    return [(row["figure"].line if "figure" in row else row["line"]).code for row in rows]


def fig(code: str, period: int = 1) -> MonthlyFigure:
    return MonthlyFigure.objects.get(line__code=code, year__label="2016-17", period=period)


def post_of(response) -> dict:
    """What the page's entry form sends as it stands (every input, shown value, version)."""
    html = response.content.decode()
    data = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    for name, value in re.findall(r'<input [^>]*name="([^"]+)" [^>]*value="([^"]*)"', html):
        data.setdefault(name, value)
    for name, value in re.findall(r'name="(note-\d+)"[^>]*>([^<]*)</textarea>', html):
        data[name] = value
    return {k: unescape(v) for k, v in data.items()}


def test_period_page_shows_fifty_lines_a_page_with_the_whole_sets_total(db, finance_user):
    bulk(60)
    client = client_for(finance_user)
    first = client.get(P1)
    assert codes(first) == [f"L-{i:03d}" for i in range(50)]
    second = client.get(P1 + "?page=2")
    assert codes(second) == [f"L-{i:03d}" for i in range(50, 60)]
    foot = text_of(second.content.decode().split("<tfoot")[1])
    # Page 2: 10 lines x (budget 100.00, actual 110.00, variance 10.00, committed 5.00).
    assert "This page, 10 lines £1,000.00 — £1,100.00 £100.00 £50.00" in foot
    # All 60: 6,000.00 budget, 6,600.00 actual, 600.00 variance, 300.00 committed.
    assert "Total, all 60 lines £6,000.00 — £6,600.00 £600.00 £300.00" in foot
    text = text_of(second.content.decode())
    assert "Page 2 of 2 (60 lines)" in text
    # Beta's 20 lines: 10 on page 1, 10 here; its subtotal is of all 20 and says so.
    assert "Subtotal, Beta, all 20 lines £2,000.00 — £2,200.00 £200.00 £100.00" in text
    # Past the end: the last page.
    assert codes(client.get(P1 + "?page=9")) == codes(second)


def test_a_single_page_has_no_page_row(db, finance_user):
    bulk(12)
    html = client_for(finance_user).get(P1).content.decode()
    assert "This page" not in html
    assert "Total, all 12 lines" in html
    assert 'class="entry-pager"' not in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=L-05", [f"L-{i:03d}" for i in range(50, 60)]),
        ("q=line+7", ["L-007"]),
        ("owner=Bob", [f"L-{i:03d}" for i in range(1, 60, 2)]),
        ("contract={contract}", [f"L-{i:03d}" for i in range(10)]),
        ("category={beta}&owner=Ann", [f"L-{i:03d}" for i in range(40, 60, 2)]),
    ],
)
def test_filters_choose_the_lines_and_the_totals_follow(db, finance_user, query, expected):
    bulk(60)
    query = query.format(
        contract=Contract.objects.get().pk, beta=Category.objects.get(name="Beta").pk
    )
    response = client_for(finance_user).get(f"{P1}?{query}")
    assert codes(response) == expected
    n = len(expected)
    budget, actual = f"£{n * 100:,}.00", f"£{n * 110:,}.00"
    assert f"Total, all {n} line{'s' if n > 1 else ''} {budget} — {actual}" in text_of(
        response.content.decode()
    )
    # The forecast grid takes the same filter: the same lines.
    assert codes(client_for(finance_user).get(f"{FORECAST}?{query}")) == expected


def test_period_pages_go_by_category_then_code_and_leave_out_lines_without_the_period(
    db, finance_user
):
    """The page takes its lines first, then their figures: a line with no figure in the
    period is neither shown nor counted, and the order is the category's, then the code's,
    whatever order the lines or figures were added in."""
    bulk(55)
    alpha, beta = Category.objects.get(name="Alpha"), Category.objects.get(name="Beta")
    year = FinancialYear.objects.get()
    # A Beta line whose code sorts first, an Alpha line whose code sorts last, and a line
    # whose figures start in P2.
    early = BudgetLine.objects.create(code="A-000", name="Early code", category=beta)
    late = BudgetLine.objects.create(code="Z-999", name="Late code", category=alpha)
    no_p1 = BudgetLine.objects.create(code="L-000A", name="No P1", category=alpha)
    MonthlyFigure.objects.bulk_create(
        [MonthlyFigure(line=line, year=year, period=1, budget=D("1.00")) for line in (late, early)]
        + [MonthlyFigure(line=no_p1, year=year, period=p, budget=D("1.00")) for p in (2, 3)]
    )
    refresh_line_year_totals(year_ids=[year.pk])  # as every bulk write of figures does
    client = client_for(finance_user)
    shown = codes(client.get(P1)) + codes(client.get(P1 + "?page=2"))
    alphas = [f"L-{i:03d}" for i in range(40)] + ["Z-999"]
    assert shown == alphas + ["A-000"] + [f"L-{i:03d}" for i in range(40, 55)]
    assert "Page 2 of 2 (57 lines)" in text_of(client.get(P1 + "?page=2").content.decode())
    assert "L-000A" in codes(client.get("/budgets/2016-17/p2/"))


def test_the_contract_filter_offers_each_contract_a_line_pays_once(db, finance_user):
    bulk(12)  # L-000..L-009 pay C-1
    supplier = Supplier.objects.get()
    unpaid = Contract.objects.create(
        reference="C-0",
        title="Nobody pays",
        supplier=supplier,
        start_date=date(2016, 4, 1),
        end_date=date(2019, 3, 31),
    )
    other = Contract.objects.create(
        reference="B-2",
        title="One line pays",
        supplier=supplier,
        start_date=date(2016, 4, 1),
        end_date=date(2019, 3, 31),
    )
    BudgetLine.objects.filter(code="L-011").update(contract=other)
    field = client_for(finance_user).get(P1).context["filter"].fields["contract"]
    assert [label for _, label in field.choices] == ["Any contract", "B-2", "C-1"]
    assert unpaid.pk not in [value for value, _ in field.choices]


def test_pager_button_saves_what_was_typed_then_moves(db, finance_user):
    bulk(60)
    client = client_for(finance_user)
    data = post_of(client.get(P1))
    data[f"actual-{fig('L-003').pk}"] = "150.00"
    data["page"] = "2"
    response = client.post(P1, data)
    assert response.status_code == 302
    assert response["Location"] == P1 + "?page=2"
    assert fig("L-003").actual == D("150.00")
    assert fig("L-004").actual == D("110.00")  # left alone
    # Back on page 1 the value is there, and the total counts it: 6,600 + 40.
    back = client.get(P1)
    assert f'id="actual-{fig("L-003").pk}" value="150.00"' in back.content.decode()
    assert "Total, all 60 lines £6,000.00 — £6,640.00" in text_of(back.content.decode())


def test_filter_button_saves_then_shows_the_filtered_lines(db, finance_user):
    bulk(60)
    client = client_for(finance_user)
    data = post_of(client.get(P1 + "?page=2"))
    data[f"actual-{fig('L-055').pk}"] = "99"
    data.update(go="filter", q="", owner="Bob", category="", contract="")
    response = client.post(P1 + "?page=2", data)
    assert response["Location"] == P1 + "?owner=Bob"
    assert fig("L-055").actual == D("99.00")
    data = post_of(client.get(P1 + "?owner=Bob"))
    data["go"] = "clear"
    assert client.post(P1 + "?owner=Bob", data)["Location"] == P1


def test_moving_with_nothing_typed_saves_nothing(db, finance_user):
    bulk(60)
    client = client_for(finance_user)
    versions = list(MonthlyFigure.objects.values_list("version", flat=True))
    data = {**post_of(client.get(P1)), "page": "2"}
    response = client.post(P1, data, follow=True)
    assert response.redirect_chain == [(P1 + "?page=2", 302)]
    assert "Saved" not in response.content.decode()
    assert list(MonthlyFigure.objects.values_list("version", flat=True)) == versions


def test_a_refused_save_stays_on_the_page_with_the_typed_values(db, finance_user):
    bulk(60)
    client = client_for(finance_user)
    data = post_of(client.get(P1))
    data[f"actual-{fig('L-003').pk}"] = "12.3.4"
    data[f"actual-{fig('L-004').pk}"] = "170"
    data["page"] = "2"
    response = client.post(P1, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert codes(response) == [f"L-{i:03d}" for i in range(50)]  # still page 1
    assert "L-003 Line 3, actual P1: “12.3.4” is not an amount in pounds" in html
    assert f'id="actual-{fig("L-004").pk}" value="170"' in html
    assert fig("L-004").actual == D("110.00")  # nothing half-written


def test_a_stale_save_is_refused_before_moving(db, finance_user, admin_user):
    bulk(60)
    client = client_for(finance_user)
    data = post_of(client.get(P1))
    out = fig("L-002")
    out.actual = D("300.00")
    out.version += 1
    out.save()  # someone else saved meanwhile
    data[f"actual-{out.pk}"] = "120"
    data["page"] = "2"
    response = client.post(P1, data)
    assert response.status_code == 409
    assert codes(response)[0] == "L-000"
    assert f'id="actual-{out.pk}" value="120"' in response.content.decode()
    assert fig("L-002").actual == D("300.00")


def test_committee_pages_with_a_plain_form_and_cannot_save(db, committee_user):
    bulk(60)
    client = client_for(committee_user)
    html = client.get(P1).content.decode()
    assert '<form method="get"' in html and "data-entry-form" not in html
    assert 'name="page" value="2"' in html
    assert codes(client.get(P1 + "?page=2")) == [f"L-{i:03d}" for i in range(50, 60)]
    assert codes(client.get(P1 + "?owner=Ann")) == [f"L-{i:03d}" for i in range(0, 60, 2)]
    data = {f"actual-{fig('L-001').pk}": "1", "page": "2"}
    assert client.post(P1, data).status_code == 403
    assert fig("L-001").actual == D("110.00")


def test_forecast_totals_leave_out_a_line_with_no_figure_in_the_grid(db, finance_user):
    # The whole set's totals come from the stored period totals only when they are of
    # every line with figures this year; a line with P1 only is not in the grid.
    bulk(60)
    year = FinancialYear.objects.get()
    only_p1 = BudgetLine.objects.create(
        code="Z-999", name="P1 only", category=Category.objects.get(name="Beta")
    )
    MonthlyFigure.objects.create(line=only_p1, year=year, period=1, budget=D("7.00"))
    foot = text_of(client_for(finance_user).get(FORECAST).content.decode().split("<tfoot")[1])
    assert "Total, all 60 lines " + "£6,000.00 " * 11 + "£72,000.00 £72,600.00 £600.00" in foot


def test_forecast_grid_pages_lines_with_the_whole_sets_totals(db, finance_user):
    bulk(60)
    client = client_for(finance_user)
    second = client.get(FORECAST + "?page=2")
    assert codes(second) == [f"L-{i:03d}" for i in range(50, 60)]
    foot = text_of(second.content.decode().split("<tfoot")[1])
    # P2..P12 forecast as budget: 10 x 100.00 a period; full year 1,200.00 a line; the
    # outturn takes P1's actual 110.00 with 11 budgets: 1,210.00, variance 10.00.
    assert "This page, 10 lines " + "£1,000.00 " * 11 + "£12,000.00 £12,100.00 £100.00" in foot
    assert "Total, all 60 lines " + "£6,000.00 " * 11 + "£72,000.00 £72,600.00 £600.00" in foot
    data = post_of(client.get(FORECAST))
    data[f"forecast-{fig('L-001', 5).pk}"] = "250"
    data["page"] = "2"
    assert client.post(FORECAST, data)["Location"] == FORECAST + "?page=2"
    assert fig("L-001", 5).forecast == D("250.00")
    foot = text_of(client.get(FORECAST).content.decode().split("<tfoot")[1])
    assert "Total, all 60 lines £6,000.00 £6,000.00 £6,000.00 £6,150.00" in foot


def test_forecast_cells_are_labelled_by_their_row_and_column(db, finance_user):
    bulk(3)
    html = client_for(finance_user).get(FORECAST).content.decode()
    line, f = BudgetLine.objects.get(code="L-001"), fig("L-001", 4)
    assert f'<th scope="row" id="fl{line.pk}">' in html
    assert '<th scope="col" class="num" id="fp4">P4</th>' in html
    assert f'aria-labelledby="fl{line.pk} fp4" aria-describedby="fb{f.pk}"' in html
    assert f'<small id="fb{f.pk}">Budget £100.00</small>' in html
    assert "<label" not in html.split('id="forecast-grid"')[1].split("</table>")[0]


def test_a_refused_forecast_box_keeps_what_was_typed_and_says_why(db, finance_user):
    bulk(3)
    client = client_for(finance_user)
    line, f = BudgetLine.objects.get(code="L-001"), fig("L-001", 4)
    data = post_of(client.get(FORECAST))
    data[f"forecast-{f.pk}"] = "12<b>x"
    html = client.post(FORECAST, data).content.decode()
    box = html.split(f'name="forecast-{f.pk}"')[0].rsplit("<td", 1)[1]
    box += html.split(f'name="forecast-{f.pk}"')[1].split("</td>")[0]
    assert 'class="money invalid"' in box and 'aria-invalid="true"' in box
    assert 'value="12&lt;b&gt;x"' in box and "<b>" not in box
    assert f'aria-labelledby="fl{line.pk} fp4"' in box
    assert f'aria-describedby="fb{f.pk} forecast-{f.pk}-error"' in box
    assert f'<p class="error-message" id="forecast-{f.pk}-error">' in box
    assert fig("L-001", 4).forecast is None


# --- the budget-setting grid ---------------------------------------------------------


def grid_codes(response) -> list[str]:
    return [row.line.code for row in response.context["grid"].rows]


def budgets_of(code: str) -> list[D]:
    figures = MonthlyFigure.objects.filter(line__code=code).order_by("period")
    return [figure.budget for figure in figures]


def test_budget_grid_shows_fifty_lines_a_page_and_takes_the_entry_filter(db, admin_user):
    bulk(60)
    client = client_for(admin_user)
    first = client.get(SET)
    assert grid_codes(first) == [f"L-{i:03d}" for i in range(50)]
    assert "Page 1 of 2 (60 lines)" in text_of(first.content.decode())
    assert grid_codes(client.get(SET + "?page=2")) == [f"L-{i:03d}" for i in range(50, 60)]
    assert grid_codes(client.get(SET + "?owner=Bob")) == [f"L-{i:03d}" for i in range(1, 60, 2)]
    beta = Category.objects.get(name="Beta")
    by_category = client.get(f"{SET}?category={beta.pk}&q=L-05")
    assert grid_codes(by_category) == [f"L-{i:03d}" for i in range(50, 60)]
    assert "No lines match this filter." in client.get(SET + "?q=nothing").content.decode()


def test_budget_grid_pager_saves_what_was_typed_then_moves(db, admin_user):
    bulk(60)
    client = client_for(admin_user)
    three = BudgetLine.objects.get(code="L-003")
    data = grid_data(
        client.get(SET), **{f"annual-{three.pk}": "2,400", f"phasing-{three.pk}": "even"}
    )
    response = client.post(SET, {**data, "page": "2"})
    assert response.status_code == 302
    assert response["Location"] == SET + "?page=2"
    assert budgets_of("L-003") == [D("200.00")] * 12
    assert budgets_of("L-004") == [D("100.00")] * 12  # left alone

    # Page 2 sends only its own lines' cells: a save there changes them and nothing else.
    data = grid_data(client.get(SET + "?page=2"), **{f"budget-{fig('L-055', 3).pk}": "50"})
    response = client.post(SET + "?page=2", data)
    assert response["Location"] == SET + "?page=2"
    assert budgets_of("L-055") == [D("100.00")] * 2 + [D("50.00")] + [D("100.00")] * 9
    assert budgets_of("L-003") == [D("200.00")] * 12


def test_budget_grid_refused_save_stays_on_its_page_with_what_was_typed(db, admin_user):
    bulk(60)
    client = client_for(admin_user)
    data = grid_data(
        client.get(SET),
        **{f"budget-{fig('L-001').pk}": "1.2.3", f"budget-{fig('L-002').pk}": "170"},
    )
    response = client.post(SET, {**data, "go": "filter", "owner": "Bob"})
    assert response.status_code == 200
    html = response.content.decode()
    assert grid_codes(response) == [f"L-{i:03d}" for i in range(50)]  # still page 1
    assert "L-001 Line 1, budget P1:" in html
    assert 'value="1.2.3"' in html and 'value="170"' in html
    assert budgets_of("L-002") == [D("100.00")] * 12  # nothing half-written


def test_budget_grid_pages_read_only_with_a_plain_form(db, finance_user):
    bulk(60)
    client = client_for(finance_user)
    html = client.get(SET).content.decode()
    assert '<form method="get"' in html and 'name="page" value="2"' in html
    assert 'name="annual-' not in html
    assert grid_codes(client.get(SET + "?page=2")) == [f"L-{i:03d}" for i in range(50, 60)]
    data = {f"budget-{fig('L-001').pk}": "1", f"version-{fig('L-001').pk}": "1", "page": "2"}
    assert client.post(SET, data).status_code == 403
    assert budgets_of("L-001") == [D("100.00")] * 12


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", [P1, FORECAST, SET])
def test_query_count_does_not_grow_with_lines_or_pages(db, finance_user, url):
    bulk(60)
    client = client_for(finance_user)
    client.get(url)  # warm the session and content types
    counts = [_queries(client, url), _queries(client, url + "?page=2")]
    more = BudgetLine.objects.count()
    category = Category.objects.get(name="Beta")
    year = FinancialYear.objects.get()
    added = BudgetLine.objects.bulk_create(
        BudgetLine(code=f"M-{i:03d}", name=f"More {i}", category=category) for i in range(150)
    )
    MonthlyFigure.objects.bulk_create(
        MonthlyFigure(line=line, year=year, period=p, budget=D("1.00"))
        for line in added
        for p in range(1, 13)
    )
    refresh_line_year_totals(year_ids=[year.pk])  # as every bulk write of figures does
    assert BudgetLine.objects.count() == more + 150
    counts += [_queries(client, url), _queries(client, url + "?page=4")]
    assert counts == [counts[0]] * 4
    assert counts[0] <= 30
