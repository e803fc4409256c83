"""The entry pages' layout: the period strip on the budget lines page, a period's category
groups with subtotals, total and variance, notes sized to their text, and a paged table's
total with the page's subtotal.

tests/world.py: 2014-15 closed through P2; budgets per month OUT-01 1,000.00 (Outsourced
services), NET-01 500.00 (Networks), CHG-01 200.00 (Change portfolio); P3 actuals OUT-01
1,100.00, NET-01 none, CHG-01 300.00; P2 actuals 1,100.00, 450.00 and (50.00); 2013-14 has
OUT-01 only, actual 900.00 every month.
"""

import re
from datetime import date
from decimal import Decimal as D
from html import unescape

from django.db.models import Count, F, Sum

from budgets.models import (
    BudgetLine,
    Category,
    FinancialYear,
    MonthlyFigure,
    refresh_line_year_totals,
)
from common.money import MONEY, money_sum
from common.templatetags.common import text_rows
from tests.conftest import client_for


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def test_entry_totals_equal_the_figures_added_up_at_once(world, django_assert_num_queries):
    # The total is the category rows added up: the same as one sum of every figure,
    # including a period with no actual (None) and an empty set (nothing but zeros).
    sums = {
        "variance": Sum(F("actual") - F("budget"), output_field=MONEY),
        "budget": money_sum(Sum("budget")),
        "actual": Sum("actual", output_field=MONEY),
        "committed": money_sum(Sum("committed")),
        "count": Count("pk"),
    }
    for period in range(1, 13):
        figures = MonthlyFigure.objects.filter(year__label="2014-15", period=period)
        with django_assert_num_queries(1):
            total = figures.entry_subtotals()[None]
        assert total == figures.aggregate(**sums)
    assert MonthlyFigure.objects.none().entry_subtotals() == {
        None: {
            "variance": None,
            "budget": D("0.00"),
            "actual": None,
            "committed": D("0.00"),
            "count": 0,
        }
    }


def test_entry_subtotals_by_category_and_in_all_for_p3(world):
    sums = MonthlyFigure.objects.filter(year__label="2014-15", period=3).entry_subtotals()
    out, net = (Category.objects.get(name=n).pk for n in ("Outsourced services", "Networks"))
    assert sums[out] == {
        "budget": D("1000.00"),
        "actual": D("1100.00"),
        "committed": D("0.00"),
        "variance": D("100.00"),
        "count": 1,
    }
    # NET-01 has no P3 actual: no actual and no variance yet, its budget still counts.
    assert sums[net] == {
        "budget": D("500.00"),
        "actual": None,
        "committed": D("0.00"),
        "variance": None,
        "count": 1,
    }
    # 1,000 + 500 + 200; 1,100 + 300; (1,100 - 1,000) + (300 - 200), NET-01 left out.
    assert sums[None] == {
        "budget": D("1700.00"),
        "actual": D("1400.00"),
        "committed": D("0.00"),
        "variance": D("200.00"),
        "count": 3,
    }


def test_entry_subtotals_with_last_years_actual_of_the_same_lines_and_period(world):
    # tests/world.py: 2013-14 has OUT-01 only, with an actual of 900.00 every month.
    p3 = MonthlyFigure.objects.filter(year__label="2014-15", period=3)
    sums = p3.entry_subtotals(last_year=(world["base_year"], 3))
    out, net = (Category.objects.get(name=n).pk for n in ("Outsourced services", "Networks"))
    assert sums[None]["last_year_actual"] == sums[out]["last_year_actual"] == D("900.00")
    assert sums[net]["last_year_actual"] is None
    # Only these figures' lines count: NET-01 alone had no actual last year.
    net_only = p3.filter(line__code="NET-01").entry_subtotals(last_year=(world["base_year"], 3))
    assert net_only[None]["last_year_actual"] is None
    # The same as adding up last year's figures of these lines in that period.
    last = MonthlyFigure.objects.filter(
        year=world["base_year"], period=3, line__in=p3.values("line")
    )
    assert sums[None]["last_year_actual"] == last.aggregate(a=Sum("actual"))["a"]
    # No last year: nothing to compare with; the other sums are as without one.
    none = p3.entry_subtotals(last_year=(None, 3))
    assert none[None]["last_year_actual"] is None
    assert {k: v for k, v in none[None].items() if k != "last_year_actual"} == (
        p3.entry_subtotals()[None]
    )


def test_figure_variance_is_actual_less_budget_and_none_until_entered(world):
    p2 = MonthlyFigure.objects.filter(year__label="2014-15", period=2)
    assert p2.get(line__code="CHG-01").variance == D("-250.00")  # (50.00) - 200.00
    assert p2.get(line__code="NET-01").variance == D("-50.00")
    assert (
        MonthlyFigure.objects.get(year__label="2014-15", period=4, line__code="OUT-01").variance
        is None
    )


def test_period_page_groups_lines_by_category_with_subtotals_and_a_total(world, finance_user):
    html = client_for(finance_user).get("/budgets/2014-15/p3/").content.decode()
    text = text_of(html)
    headings = re.findall(r'<th scope="colgroup" colspan="8">([^<]+)</th>', html)
    assert headings == ["Outsourced services", "Networks", "Change portfolio"]
    # Subtotal: budget, last year (2013-14 P3), actual, variance, committed.
    assert "Subtotal, Outsourced services £1,000.00 £900.00 £1,100.00 £100.00 £0.00" in text
    assert "Subtotal, Networks £500.00 — — — £0.00" in text
    assert "Total, all 3 lines £1,700.00 £900.00 £1,400.00 £200.00 £0.00" in text
    out = MonthlyFigure.objects.get(year__label="2014-15", period=3, line__code="OUT-01")
    variance = re.search(rf'id="actual-{out.pk}-variance"[^>]*>(.*?)</span></td>', html, re.S)
    assert text_of(variance.group(1)).strip() == "Variance £100.00"
    assert f'data-budget="1000.00" aria-describedby="actual-{out.pk}-variance"' in html
    assert '<div class="save-bar"><button type="submit" class="button">Save P3 actuals' in html
    assert re.search(r'<script src="/static/js/entry\.[0-9a-f.]*js" defer>', html)


def test_closed_period_shows_variance_with_its_minus_sign_read_only(world, committee_user):
    text = text_of(client_for(committee_user).get("/budgets/2014-15/p2/").content.decode())
    # CHG-01 P2: budget 200.00, actual (50.00): variance (250.00).
    assert "CHG-01 Change projects £200.00 — −£50.00 −£250.00 £0.00" in text
    assert "Total, all 3 lines £1,700.00 £900.00 £1,500.00 −£200.00 £0.00" in text


def test_note_box_has_rows_for_its_text(world, finance_user):
    out = MonthlyFigure.objects.get(year__label="2014-15", period=3, line__code="OUT-01")
    out.note = "Extra licences bought early for the new contact centre.\nCredit due in P5."
    out.save()
    html = client_for(finance_user).get("/budgets/2014-15/p3/").content.decode()
    assert re.search(rf'<textarea rows="3" data-grow name="note-{out.pk}"', html)


def test_text_rows_counts_lines_and_wraps_long_ones():
    assert text_rows("") == 1
    assert text_rows(None) == 1
    assert text_rows("a\nb") == 2
    assert text_rows("x" * 32) == 1
    assert text_rows("x" * 33) == 2
    assert text_rows("x" * 70 + "\nshort") == 4
    assert text_rows("x" * 1000) == 12


def test_budget_lines_page_starts_with_the_period_strip(world, committee_user):
    html = client_for(committee_user).get("/budgets/?year=2014-15").content.decode()
    strip = html.index('data-testid="period-strip"')
    assert strip < html.index('id="budget-lines"')
    statuses = re.findall(
        r'<a href="/budgets/2014-15/p(\d+)/">P\d+<span class="visually-hidden">, ([a-z ]+)</span>',
        html,
    )
    assert statuses[:5] == [
        ("1", "closed"),
        ("2", "closed"),
        ("3", "in progress"),
        ("4", "open"),
        ("5", "open"),
    ]
    assert len(statuses) == 12


def _thirty_lines() -> None:
    category = Category.objects.create(name="Bulk", kind="run")
    year = FinancialYear.objects.create(label="2016-17", start=date(2016, 4, 1))
    lines = BudgetLine.objects.bulk_create(
        BudgetLine(code=f"L-{i:03d}", name=f"Line {i}", category=category) for i in range(30)
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


def test_paged_table_total_says_what_it_covers_beside_the_page_subtotal(db, committee_user):
    _thirty_lines()
    client = client_for(committee_user)
    footer = text_of(client.get("/budgets/").content.decode().split("<tfoot")[1])
    # As at P0 (nothing closed): original budget (a draft: none), revised budget, actual
    # to date, committed, uncommitted, outturn. Page 1: 25 lines x 1,200.00.
    assert "This page, 25 lines — £30,000.00 £0.00 £0.00 £30,000.00 £30,000.00" in footer
    assert "Total, all 30 lines — £36,000.00 £0.00 £0.00 £36,000.00 £36,000.00" in footer
    assert footer.index("This page") < footer.index("Total, all")
    second = text_of(client.get("/budgets/?page=2&as_at=1").content.decode().split("<tfoot")[1])
    # As at P1 the 5 lines' outturn is 5 x (110.00 + 11 x 100.00) = 6,050.00.
    assert "This page, 5 lines — £6,000.00 £550.00 £0.00 £5,450.00 £6,050.00" in second
    assert "Total, all 30 lines — £36,000.00 £3,300.00 £0.00 £32,700.00 £36,300.00" in second


def test_one_page_table_has_only_its_total(world, committee_user):
    html = client_for(committee_user).get("/budgets/?year=2014-15").content.decode()
    footer = text_of(html.split("<tfoot")[1])
    assert "Total, all 3 lines" in footer
    assert "This page" not in footer
