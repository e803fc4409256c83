"""Drill-down outside the dashboard: the savings, budget line, contract, supplier and
project charts name the page each point opens (its trace's `meta.links`) and link their
tables' rows to the same pages; and the plumbing in `common.charts` that carries them.
The dashboard's charts are tests/reports/test_chart_links.py."""

from datetime import date
from decimal import Decimal as D

from django.template import engines
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from budgets.charts import line_months_chart
from common.charts import Chart, linked_rows, page_url, year_query
from contracts.charts import contract_spend_chart, supplier_share_chart
from projects.charts import growth_chart
from savings.charts import pipeline_chart, savings_by_year_chart
from tests.budgets.test_charts import ROWS as LINE_MONTHS
from tests.contracts.test_charts import CONTRACT_ROWS
from tests.contracts.test_charts import SUPPLIER_ROWS as SUPPLIER_YEARS
from tests.projects.test_charts import _judged
from tests.reports.test_chart_links import row_links, trace_links
from tests.savings.test_charts import UNTARGETED, Y2014, Y2015


def test_a_tables_link_sits_on_its_column_and_rows_without_one_have_none():
    rows = [("2014-15", "BT", D("1.00")), ("2014-15", "Other", D("2.00")), ("2015-16", "X", 3)]
    assert linked_rows(rows, ["/bt/", None], 1) == [
        [("2014-15", None), ("BT", "/bt/"), (D("1.00"), None)],
        [("2014-15", None), ("Other", None), (D("2.00"), None)],
        [("2015-16", None), ("X", None), (3, None)],
    ]
    assert Chart(id="c", title="", summary="", figure=None, rows=rows[:1]).linked_rows == [
        [("2014-15", None), ("BT", None), (D("1.00"), None)]
    ]


def test_a_tables_body_heads_each_row_formats_each_cell_and_escapes_every_part():
    rows = [
        ("Networks & telephony", D("1234.5"), None, date(2015, 9, 30)),
        ("<b>Other</b>", D("-2.00"), 7, "a & b"),
    ]
    chart = Chart(
        id="c", title="", summary="", figure=None, rows=rows, links=['/x/?a=1&b="2"', None]
    )
    assert chart.table_body == (
        '<tr><th scope="row"><a href="/x/?a=1&amp;b=&quot;2&quot;">Networks &amp; telephony'
        '</a></th><td class="num">£1,234.50</td><td class="num">—</td>'
        '<td class="num">30 Sep 2015</td></tr>'
        '<tr><th scope="row">&lt;b&gt;Other&lt;/b&gt;</th><td class="num">−£2.00</td>'
        '<td class="num">7</td><td class="num">a &amp; b</td></tr>'
    )
    assert Chart(id="c", title="", summary="", figure=None).table_body == ""


# The loop the chart include drew its table's rows with, before `table_body`.
TEMPLATE_ROWS = (
    "{% load common %}{% for row in chart.linked_rows %}<tr>{% for cell, link in row %}"
    '{% if forloop.first %}<th scope="row">{% else %}<td class="num">{% endif %}'
    '{% if link %}<a href="{{ link }}">{{ cell|cell }}</a>{% else %}{{ cell|cell }}{% endif %}'
    "{% if forloop.first %}</th>{% else %}</td>{% endif %}{% endfor %}</tr>{% endfor %}"
)


def test_a_tables_body_is_what_the_template_drew():
    rows = [
        (mark_safe("<i>safe</i>"), gettext_lazy("lazy & text"), D("0.005"), True, 1.5),
        ("", None, date(2016, 3, 31), 'It\'s "quoted"', -3),
        (),
    ]
    for column in (0, 1):
        chart = Chart(
            id="c",
            title="",
            summary="",
            figure=None,
            rows=rows,
            links=["/a/?x=1&y=<2>", "", None],
            link_column=column,
        )
        drawn = engines["django"].from_string(TEMPLATE_ROWS).render({"chart": chart})
        assert chart.table_body == drawn


def test_page_urls_carry_the_query_and_keep_the_reporting_date_for_its_own_year():
    assert page_url("budgets:index") == "/budgets/"
    assert page_url("contracts:supplier", 7, query={"year": "2014-15", "as_at": 3}) == (
        "/contracts/suppliers/7/?year=2014-15&as_at=3"
    )
    query = {"year": "2014-15", "as_at": 3}
    assert year_query(query, "2014-15") == query
    assert year_query(query, "2013-14") == {"year": "2013-14"}


def test_each_savings_year_opens_that_years_savings_page():
    chart = savings_by_year_chart([Y2014, Y2015], year_label="2014-15", reduction=D("5E8"))
    years = ["/savings/?year=2014-15", "/savings/?year=2015-16"]
    assert reverse("savings:index") + "?year=2014-15" == years[0]
    # Three bars, three running totals and the programme's reduction, over the same years.
    assert [links for _, links in trace_links(chart)] == [years] * 7
    assert row_links(chart) == [("2014-15", years[0]), ("2015-16", years[1])]


def test_each_pipeline_stage_opens_the_years_initiatives():
    initiatives = "/savings/?year=2014-15#initiatives-title"
    chart = pipeline_chart(Y2014, year_label="2014-15")
    assert trace_links(chart) == [("Savings", [initiatives] * 5)]
    assert row_links(chart)[0] == ("Target", initiatives)
    assert len(row_links(chart)) == 6  # the five stages and the gap
    # A year without a target draws four stages, each with its link.
    untargeted = pipeline_chart(UNTARGETED, year_label="2016-17")
    assert trace_links(untargeted) == [
        ("Savings", ["/savings/?year=2016-17#initiatives-title"] * 4)
    ]


def test_each_month_of_a_line_opens_its_period_page():
    chart = line_months_chart(code="OUT-01", year_label="2014-15", rows=LINE_MONTHS)
    periods = [reverse("budgets:period", args=["2014-15", n]) for n in (1, 2, 3)]
    assert periods[0] == "/budgets/2014-15/p1/"
    assert [links for _, links in trace_links(chart)] == [periods] * 3
    assert row_links(chart) == [("P1", periods[0]), ("P2", periods[1]), ("P3", periods[2])]


def test_a_contracts_and_a_suppliers_years_open_the_pages_their_callers_name():
    pages = {"2013-14": "/budgets/?year=2013-14&contract=1", "2014-15": "/b/"}
    chart = contract_spend_chart(
        reference="CAP-2005", annual_value=D("12000.00"), rows=CONTRACT_ROWS, year_links=pages
    )
    assert [links for _, links in trace_links(chart)] == [list(pages.values())] * 3
    assert row_links(chart) == [("2013-14", pages["2013-14"]), ("2014-15", "/b/")]
    # A year the caller names no page for has no link.
    chart = supplier_share_chart(
        name="Capgemini", rows=SUPPLIER_YEARS, year_links={"2014-15": "/contracts/?x=1"}
    )
    assert trace_links(chart) == [("Share of technology spend", [None, "/contracts/?x=1"])]
    assert row_links(chart) == [None, ("2014-15", "/contracts/?x=1")]


def test_each_projects_bar_opens_its_page_as_at_the_registers_date():
    rows = [
        _judged("CC", "Command", "100.00", "120.00", 8, "red", "red"),
        _judged("MOB", "Mobile", "100.00", "104.00", 0, "green", "green"),
        _judged("OLD", "Closed", "100.00", "300.00", 0, "", "", open_=False),
    ]
    chart = growth_chart(rows)
    pages = [reverse("projects:detail", args=[code]) for code in ("CC", "MOB")]
    assert pages == ["/projects/CC/", "/projects/MOB/"]
    assert trace_links(chart) == [("Cost growth", pages)]
    assert row_links(chart) == [("CC Command", pages[0]), ("MOB Mobile", pages[1])]

    dated = growth_chart(rows, as_at=date(2015, 9, 30))
    assert dated.links == [f"{page}?as_at=2015-09-30" for page in pages]
