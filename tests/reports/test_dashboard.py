"""The committee dashboard at `/`: headline figures, the seven charts' data, CSV downloads,
the empty state and a query count that does not grow with the data.

Numbers are tests/world.py's, worked out by hand. Year 2014-15 as at P3 (30 Jun 2014):
budget 12 x (1,000 + 500 + 200) = 20,400.00; actuals to date 3 x 1,100 + 2 x 450 + (0 - 50
+ 300) = 4,450.00; outturn = OUT-01 12,450.00 (3,300 actual + 3 x 1,050 forecast + 6 x
1,000) + NET-01 5,900.00 (900 actual, P3 not entered so its 500 budget, 9 x 500) + CHG-01
3,850.00 (250 actual + 8 x 200 + 2,000) = 22,200.00.
"""

from datetime import date
from decimal import Decimal as D

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from budgets.models import (
    BudgetLine,
    Category,
    FinancialYear,
    MonthlyFigure,
    refresh_line_year_totals,
)
from common.models import DemoDataset
from common.roles import ADMIN, COMMITTEE, FINANCE
from contracts.models import Contract, Supplier
from savings.models import Initiative, InitiativeYear, ReductionProgramme, SavingsTarget
from tests.conftest import client_for, make_user
from tests.figure_text import BOLD, HOSTILE, HOSTILE_ESCAPED, end_labels, markup_in

# The world is closed through P2 and has P3 actuals for two of its three lines: the hand-
# worked figures below are as at P3, chosen explicitly (the default is the closed P2).
AS_AT_P3 = "?as_at=3"


def dashboard_for(client: Client, query: str = ""):
    response = client.get(f"/{query}")
    assert response.status_code == 200
    return response.context["dashboard"], response.content.decode()


def table(chart) -> list[tuple]:
    return [tuple(row) for row in chart.rows]


def test_by_default_the_dashboard_is_as_at_the_last_closed_period(world, committee_client):
    dashboard, html = dashboard_for(committee_client)
    assert dashboard.reporting.year.label == "2014-15"
    assert dashboard.reporting.as_at == 2
    # P1-P2 actuals: OUT-01 2 x 1,100.00, NET-01 2 x 450.00, CHG-01 0.00 + (50.00).
    assert dashboard.totals["actual_to_date"] == D("3050.00")
    assert "Figures as at 2014-15 P2 (31 May 2014)" in html
    assert '<span data-testid="reporting-status">P2 closed</span>' in html
    assert 'data-testid="in-progress"' not in html


def test_a_period_in_progress_is_labelled_with_its_completeness(world, committee_client):
    _, html = dashboard_for(committee_client, AS_AT_P3)
    assert "P3 in progress: actuals for 2 of 3 lines" in html
    assert "Every figure on this page includes incomplete actuals" in html


def test_headline_figures_for_the_latest_year_as_at_the_latest_actuals(world, committee_client):
    dashboard, html = dashboard_for(committee_client, AS_AT_P3)
    assert dashboard.reporting.year.label == "2014-15"
    assert dashboard.reporting.as_at == 3
    totals = dashboard.totals
    assert totals["budget"] == D("20400.00")
    assert totals["actual_to_date"] == D("4450.00")
    assert totals["outturn"] == D("22200.00")
    assert totals["variance"] == D("1800.00")
    assert totals["variance_pct"] == D("8.8")
    assert totals["rag"] == "red"
    assert "£20,400.00" in html and "£22,200.00" in html and "£1,800.00" in html
    assert "30 Jun 2014" in html


def test_headline_savings_gap_share_of_reduction_and_largest_supplier(world, committee_client):
    dashboard, html = dashboard_for(committee_client, AS_AT_P3)
    savings = dashboard.savings
    assert savings["target"] == D("10000.00")
    assert savings["realised"] == D("4000.00")
    assert savings["forecast"] == D("8000.00")  # CAP-RENEG 5,000 forecast + APP-RAT 3,000
    assert savings["gap"] == D("2000.00")
    assert savings["rag"] == "red"  # 20% short of target
    assert savings["cumulative_realised_share"] == D("4.0")  # of the 100,000.00 reduction
    top = dashboard.largest_supplier
    assert top["name"] == "Capgemini"
    assert top["outturn"] == D("12450.00")
    assert top["total"] == D("22200.00")
    assert top["share"] == D("56.1")
    assert "56.1%" in html
    # The gap's RAG is a word, not only a colour.
    assert '<span class="rag rag-red">Red</span>' in html


def test_contract_decisions_due_within_six_months_of_the_reporting_date(world, committee_client):
    dashboard, _ = dashboard_for(committee_client, AS_AT_P3)
    assert dashboard.decision_cutoff == date(2014, 12, 30)
    assert dashboard.decisions_due == []
    # As at P12 (31 Mar 2015) the window runs to 30 Sep 2015: CAP-2005 ends 31 Dec 2015
    # with 6 months' notice, so its decision (30 Jun 2015) is due; BT's (31 Mar 2016) is not.
    dashboard, html = dashboard_for(committee_client, "?year=2014-15&as_at=12")
    assert dashboard.decision_cutoff == date(2015, 9, 30)
    assert [c.reference for c in dashboard.decisions_due] == ["CAP-2005"]
    assert "decide by 30 Jun 2015" in html


def test_a_decision_date_already_passed_is_marked_so_not_shown_as_still_to_come(
    world, committee_client
):
    # 24 months' notice on a contract ending 31 Dec 2015: the decision was due 31 Dec 2013,
    # before the reporting date (30 Jun 2014); the contract is live, so it is still listed.
    Contract.objects.filter(reference="CAP-2005").update(notice_months=24)
    dashboard, html = dashboard_for(committee_client, AS_AT_P3)
    assert [c.reference for c in dashboard.decisions_due] == ["CAP-2005"]
    assert "(decision was due 31 Dec 2013)" in html
    assert "decide by 31 Dec 2013" not in html
    assert "Largest supplier's share of 2014-15 forecast outturn" in html


def test_timeline_labels_no_value_falling_off_for_a_contract_without_its_own_value(
    world, committee_client
):
    Contract.objects.create(
        reference="CAP-SUB",
        title="Telephony (subcontract)",
        supplier=world["suppliers"]["bt"],
        start_date=date(2005, 4, 1),
        end_date=date(2015, 12, 31),
        notice_months=0,
        annual_value=D("0.00"),
    )
    chart = dashboard_for(committee_client, AS_AT_P3)[0].chart("contracts")
    labels = end_labels(chart.figure_json)
    assert "CAP-SUB (BT)" not in labels
    assert labels["CAP-2005 (Capgemini)"] == "−£12,000.00/yr"


def test_seven_charts_each_with_title_summary_table_and_csv(world, committee_client):
    dashboard, html = dashboard_for(committee_client, AS_AT_P3)
    ids = [chart.id for chart in dashboard.charts]
    assert ids == [
        "savings",
        "pipeline",
        "monthly",
        "categories",
        "suppliers",
        "waterfall",
        "contracts",
    ]
    for chart in dashboard.charts:
        assert chart.figure is not None, chart.id
        assert chart.title and chart.summary and chart.rows, chart.id
        assert chart.csv_url == f"/charts/{chart.id}.csv?year=2014-15&as_at=3"
        assert f'data-chart="chart-data-{chart.id}"' in html
        assert f'id="chart-data-{chart.id}" type="application/json"' in html
    # The seven, and spend per officer's table in the projects summary.
    assert html.count("<details>") == 8


def test_savings_by_year_chart_in_year_and_cumulative(world, committee_client):
    chart = dashboard_for(committee_client, AS_AT_P3)[0].chart("savings")
    assert table(chart) == [
        (
            "2014-15",
            D("10000.00"),
            D("4000.00"),
            D("8000.00"),
            D("2000.00"),
            "Red",
            D("10000.00"),
            D("4000.00"),
            D("8000.00"),
        )
    ]
    assert chart.summary == (
        "By 2014-15, £4,000.00 of the cumulative £10,000.00 target has been realised (40.0%), "
        "with £8,000.00 forecast. The cumulative forecast to 2014-15 is £8,000.00, 8.0% of "
        "the programme's £100,000.00 reduction."
    )
    reduction = chart.figure.data[-1]
    assert reduction.name == "Organisation-wide reduction (£100,000.00)"
    assert list(reduction.y) == [0.1]  # £m


def test_pipeline_chart_target_to_realised_with_the_gap(world, committee_client):
    chart = dashboard_for(committee_client, AS_AT_P3)[0].chart("pipeline")
    assert table(chart) == [
        ("Target", D("10000.00"), "100.0%"),
        ("Identified", D("9000.00"), "90.0%"),  # OLD-X abandoned, MOBILE non-cashable
        ("Approved", D("6000.00"), "60.0%"),
        ("Realised", D("4000.00"), "40.0%"),
        ("Forecast", D("8000.00"), "80.0%"),
        ("Gap: target less forecast", D("2000.00"), "20.0%"),
    ]
    assert chart.summary == (
        "£4,000.00 of the £10,000.00 target realised (40.0%); the forecast of £8,000.00 "
        "leaves a gap of £2,000.00 (Red)."
    )


def test_monthly_chart_actuals_burn_up_and_outturn(world, committee_client):
    chart = dashboard_for(committee_client, AS_AT_P3)[0].chart("monthly")
    rows = table(chart)
    assert len(rows) == 12
    assert rows[0] == (
        "P1",
        D("1700.00"),
        D("1550.00"),
        D("1700.00"),
        D("1700.00"),
        D("1550.00"),
        D("1550.00"),
    )
    # P3: NET-01 has no actual yet, so its budget stands in the expected spend.
    assert rows[2] == (
        "P3",
        D("1700.00"),
        D("1400.00"),
        D("1700.00"),
        D("5100.00"),
        D("4450.00"),
        D("4950.00"),
    )
    assert rows[11] == (
        "P12",
        D("1700.00"),
        None,
        D("3500.00"),
        D("20400.00"),
        None,
        D("22200.00"),
    )
    assert chart.summary == (
        "Actual £4,450.00 to P3 against a budget to date of £5,100.00; forecast outturn "
        "£22,200.00 against a £20,400.00 budget, £1,800.00 over (8.8%, Red)."
    )


def test_monthly_chart_before_any_actuals(world, committee_client):
    # As at P0 every period counts its forecast or else budget: OUT-01 3 x 1,050 + 9 x
    # 1,000; NET-01 12 x 500; CHG-01 11 x 200 + 2,000.
    dashboard, _ = dashboard_for(committee_client, "?year=2014-15&as_at=0")
    assert dashboard.totals["outturn"] == D("22350.00")
    chart = dashboard.chart("monthly")
    assert chart.summary == (
        "No actuals yet; forecast outturn £22,350.00 against a £20,400.00 budget, "
        "£1,950.00 over (9.6%, Red)."
    )
    assert chart.csv_url == "/charts/monthly.csv?year=2014-15&as_at=0"


def test_category_chart_budget_against_outturn(world, committee_client):
    chart = dashboard_for(committee_client, AS_AT_P3)[0].chart("categories")
    assert table(chart) == [
        (
            "Outsourced services",
            "Run",
            D("12000.00"),
            D("3300.00"),
            D("12450.00"),
            D("450.00"),
            "Amber",
        ),
        ("Networks", "Run", D("6000.00"), D("900.00"), D("5900.00"), D("-100.00"), "Green"),
        (
            "Change portfolio",
            "Change",
            D("2400.00"),
            D("250.00"),
            D("3850.00"),
            D("1450.00"),
            "Red",
        ),
    ]
    assert chart.summary == (
        "Change portfolio has the largest forecast overspend: £1,450.00 over its £2,400.00 "
        "budget (Red)."
    )


def test_supplier_chart_shares_by_year_largest_highlighted(world, committee_client):
    chart = dashboard_for(committee_client, AS_AT_P3)[0].chart("suppliers")
    assert table(chart) == [
        ("2013-14", "Capgemini", D("10800.00"), "100.0%"),
        ("2014-15", "Capgemini", D("12450.00"), "56.1%"),
        ("2014-15", "BT", D("5900.00"), "26.6%"),
        ("2014-15", "No contract (in-house and other)", D("3850.00"), "17.3%"),
    ]
    assert chart.summary == (
        "Capgemini is the largest supplier in 2014-15: £12,450.00 of £22,200.00 "
        "(56.1% of the year's forecast outturn)."
    )
    names = [trace["name"] for trace in chart.figure_json["data"]]
    assert names[0] == "Capgemini (largest)"


def test_names_like_markup_reach_no_chart_as_markup(world, committee_client):
    Supplier.objects.filter(name="Capgemini").update(name=HOSTILE)
    Supplier.objects.filter(name="BT").update(name=BOLD)
    Category.objects.filter(name="Networks").update(name=HOSTILE)
    Initiative.objects.filter(code="CAP-RENEG").update(name=HOSTILE)
    dashboard, html = dashboard_for(committee_client, AS_AT_P3)
    assert len(dashboard.charts) == 7
    for chart in dashboard.charts:
        assert markup_in(chart) == [], chart.id
    legend = [trace["name"] for trace in dashboard.chart("suppliers").figure_json["data"]]
    assert f"{HOSTILE_ESCAPED} (largest)" in legend
    # The page escapes the same names in its tables and headline.
    assert 'href="https://evil.example/"' not in html
    assert "&lt;a href=&quot;https://evil.example/&quot;&gt;x&lt;/a&gt;" in html


def test_contract_timeline_marks_reporting_date_and_annual_value_ending(world, committee_client):
    chart = dashboard_for(committee_client, AS_AT_P3)[0].chart("contracts")
    assert table(chart) == [
        (
            "CAP-2005: Outsourced IT services",
            "Capgemini",
            date(2005, 4, 1),
            date(2015, 12, 31),
            date(2015, 6, 30),
            D("12000.00"),
            "Active",
            "No",
        ),
        (
            "BT-NET: Network services",
            "BT",
            date(2012, 4, 1),
            date(2017, 3, 31),
            date(2016, 3, 31),
            D("6000.00"),
            "Active",
            "No",
        ),
    ]
    assert chart.summary == (
        "Next to end: CAP-2005 (Capgemini) on 31 Dec 2015, when £12,000.00 a year falls off; "
        "0 contracts need a decision by 30 Dec 2014."
    )
    figure = chart.figure_json
    assert figure["layout"]["shapes"][0]["x0"] == "2014-06-30"  # the reporting date
    assert list(end_labels(figure).values()) == ["−£12,000.00/yr", "−£6,000.00/yr"]


def test_waterfall_from_baseline_through_initiatives_to_outturn(world, committee_client):
    chart = dashboard_for(committee_client, AS_AT_P3)[0].chart("waterfall")
    assert table(chart) == [
        ("Baseline 2013-14", "—", D("10800.00")),
        ("CAP-RENEG: Renegotiate", "Amber", D("-5000.00")),
        ("APP-RAT: Applications", "Amber", D("-3000.00")),
        ("Other changes in spend", "—", D("19400.00")),
        ("Forecast outturn 2014-15", "—", D("22200.00")),
    ]
    assert chart.summary == (
        "From the £10,800.00 baseline, initiatives are forecast to save £8,000.00 by "
        "2014-15; other changes add £19,400.00, for a forecast outturn of £22,200.00."
    )


def test_figures_draw_millions_and_label_with_exact_money(world, committee_client):
    """Floats appear only as drawing coordinates in £m; what a reader sees is formatted."""
    chart = dashboard_for(committee_client, AS_AT_P3)[0].chart("pipeline")
    bar = chart.figure_json["data"][0]
    assert list(bar["y"]) == [0.01, 0.009, 0.006, 0.004, 0.008]
    assert list(bar["text"]) == ["£10,000.00", "£9,000.00", "£6,000.00", "£4,000.00", "£8,000.00"]
    assert list(bar["customdata"]) == list(bar["text"])


def test_switching_year_shows_that_years_figures(world, committee_client):
    dashboard, html = dashboard_for(committee_client, "?year=2013-14")
    assert dashboard.reporting.as_at == 12
    assert dashboard.totals["budget"] == D("10800.00")
    assert dashboard.totals["outturn"] == D("10800.00")
    assert dashboard.largest_supplier["share"] == D("100.0")
    assert dashboard.chart("pipeline").figure is None
    assert dashboard.chart("savings").figure is not None
    assert dashboard.chart("savings").summary == (
        "No savings target is recorded for 2013-14; the chart shows the years from 2014-15 "
        "to 2014-15. The cumulative forecast to 2014-15 is £8,000.00, 8.0% of the "
        "programme's £100,000.00 reduction."
    )
    assert dashboard.chart("pipeline").summary == (
        "No savings target or initiatives are recorded for 2013-14."
    )
    assert '<option value="2013-14" selected>' in html


def test_a_later_year_without_savings_rows_still_counts_earlier_savings(world, committee_client):
    later = FinancialYear.objects.create(label="2015-16", start=date(2015, 4, 1))
    MonthlyFigure.objects.create(
        line=world["lines"]["out"], year=later, period=1, budget=D("1000.00"), actual=D("900.00")
    )
    dashboard, html = dashboard_for(committee_client, "?year=2015-16&as_at=1")
    assert dashboard.savings is None
    assert "No savings target or initiatives recorded for this year" in html
    assert dashboard.chart("pipeline").figure is None
    assert table(dashboard.chart("waterfall")) == [
        ("Baseline 2013-14", "—", D("10800.00")),
        ("CAP-RENEG: Renegotiate", "Amber", D("-5000.00")),
        ("APP-RAT: Applications", "Amber", D("-3000.00")),
        ("Other changes in spend", "—", D("-1900.00")),
        ("Forecast outturn 2015-16", "—", D("900.00")),
    ]
    assert dashboard.chart("waterfall").summary == (
        "From the £10,800.00 baseline, initiatives are forecast to save £8,000.00 by "
        "2015-16; other changes remove £1,900.00, for a forecast outturn of £900.00."
    )


def test_dashboard_and_savings_page_measure_a_year_against_the_same_programme(
    world, committee_client
):
    """A later programme covers 2015-16 with its own £5,000.00 target: the dashboard and
    the savings page both take it (the savings page took the first programme stored)."""
    later = FinancialYear.objects.create(label="2015-16", start=date(2015, 4, 1))
    MonthlyFigure.objects.create(
        line=world["lines"]["out"], year=later, period=1, budget=D("1000.00"), actual=D("900.00")
    )
    newer = ReductionProgramme.objects.create(
        name="Second round",
        organisation_budget=D("1000000.00"),
        reduction_target=D("50000.00"),
        first_year=later,
        last_year=later,
        baseline_year=world["year"],
        technology_baseline=D("22200.00"),
    )
    SavingsTarget.objects.create(programme=newer, year=later, amount=D("5000.00"))

    dashboard, _ = dashboard_for(committee_client, "?year=2015-16")
    savings_page = committee_client.get("/savings/", {"year": "2015-16"}).context

    assert dashboard.programme == savings_page["programme"] == newer
    assert dashboard.savings["target"] == savings_page["latest"]["target"] == D("5000.00")


def test_supplier_chart_highlights_the_headlines_largest_supplier(world, committee_client):
    dashboard, _ = dashboard_for(committee_client, AS_AT_P3)
    chart = dashboard.chart("suppliers")
    top = dashboard.largest_supplier
    assert chart.summary.startswith(f"{top['name']} is the largest supplier in 2014-15")
    assert chart.figure_json["data"][0]["name"] == f"{top['name']} (largest)"


def test_a_year_without_figures_shows_an_empty_state(world, committee_client):
    FinancialYear.objects.create(label="2015-16", start=date(2015, 4, 1))
    dashboard, html = dashboard_for(committee_client, "?year=2015-16")
    assert dashboard.has_figures is False
    assert dashboard.charts == []
    assert 'data-testid="empty-state"' in html
    assert "No figures for 2015-16 yet" in html
    assert "data-chart=" not in html


def test_no_years_at_all_shows_an_empty_state(committee_client):
    _, html = dashboard_for(committee_client, AS_AT_P3)
    assert "No financial years yet" in html


def test_unknown_year_is_not_found(world, committee_client):
    assert committee_client.get("/?year=1999-00").status_code == 404


@pytest.mark.parametrize("role_fixture", ["committee_user", "finance_user", "admin_user"])
def test_every_role_sees_the_dashboard(request, world, role_fixture):
    client = client_for(request.getfixturevalue(role_fixture))
    dashboard, html = dashboard_for(client, AS_AT_P3)
    assert len(dashboard.charts) == 7
    assert "Headline figures" in html


def test_every_kind_of_user_sees_their_role_badge_and_the_demo_banner(world):
    DemoDataset.objects.create()
    both = make_user("bea", FINANCE)
    both.groups.add(Group.objects.get(name=ADMIN))
    users = [
        ("Committee", make_user("cat", COMMITTEE)),
        ("Admin", both),  # the highest role held
        ("Admin", User.objects.create_superuser("root", password="x-long-enough-123")),
        ("No role", User.objects.create_user("nobody", password="x-long-enough-123")),
    ]
    for badge, user in users:
        html = client_for(user).get("/").content.decode()
        assert f'<span class="role-badge">{badge}</span>' in html, user
        assert ('<a href="/admin/">Admin</a>' in html) is (badge == "Admin"), user
        assert "Demo data: targets and contracts" in html
    signed_out = Client().get("/accounts/login/").content.decode()
    assert "Demo data: targets and contracts" in signed_out


def test_anonymous_visitor_is_sent_to_sign_in(world):
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_chart_csv_has_the_tables_exact_numbers(world, committee_client):
    response = committee_client.get("/charts/pipeline.csv?year=2014-15")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="pipeline-2014-15.csv"' in response["Content-Disposition"]
    lines = response.content.decode().splitlines()
    assert lines[0] == "Stage,Amount,Share of target"
    assert lines[1] == "Target,10000.00,100.0%"
    assert lines[6] == "Gap: target less forecast,2000.00,20.0%"


def test_chart_csv_follows_the_chosen_reporting_date(world, committee_client):
    response = committee_client.get(reverse("chart_csv", args=["contracts"]) + "?as_at=12")
    text = response.content.decode()
    assert "Decision due by 30 Sep 2015" in text.splitlines()[0]
    assert "CAP-2005: Outsourced IT services,Capgemini,2005-04-01,2015-12-31,2015-06-30," in text


def test_unknown_chart_csv_is_not_found(world, committee_client):
    assert committee_client.get("/charts/nonsense.csv").status_code == 404


def test_committee_cannot_post_to_the_dashboard(world, committee_client):
    assert committee_client.post("/", {}).status_code == 405
    assert committee_client.post("/charts/pipeline.csv", {}).status_code == 405


def grow(world, factor: int) -> None:
    """Add (factor - 1) copies of the world's lines, contracts, suppliers and initiatives."""
    year, base = world["year"], world["base_year"]
    categories = list(Category.objects.all())
    figures, initiative_years = [], []
    for n in range(1, factor):
        supplier = Supplier.objects.create(name=f"Supplier {n}")
        contract = Contract.objects.create(
            reference=f"EXTRA-{n}",
            title=f"Extra {n}",
            supplier=supplier,
            start_date=date(2013, 4, 1),
            end_date=date(2015, 3, 31),
            notice_months=3,
            annual_value=D("100.00"),
        )
        for index, category in enumerate(categories):
            line = BudgetLine.objects.create(
                code=f"X{n}-{index}",
                name=f"Extra line {n}.{index}",
                category=category,
                contract=contract if index == 0 else None,
            )
            for fy in (base, year):
                for period in range(1, 13):
                    figures.append(
                        MonthlyFigure(
                            line=line,
                            year=fy,
                            period=period,
                            budget=D("10.00"),
                            actual=D("11.00") if fy == base or period <= 3 else None,
                        )
                    )
        for stage in (Initiative.Stage.APPROVED, Initiative.Stage.IDENTIFIED):
            initiative = Initiative.objects.create(
                code=f"I{n}-{stage}", name=f"Initiative {n}", lever="cancel", stage=stage
            )
            initiative_years.append(
                InitiativeYear(initiative=initiative, year=year, planned=D("5.00"))
            )
    MonthlyFigure.objects.bulk_create(figures)
    refresh_line_year_totals(year_ids=[base.pk, year.pk])  # as every bulk write of figures does
    InitiativeYear.objects.bulk_create(initiative_years)


def test_dashboard_query_count_does_not_grow_with_the_data(
    world, committee_client, django_assert_num_queries
):
    committee_client.get("/")  # warm the session and content types
    # Session, user, role and demo banner; years with their latest actual period; spend by
    # year, totals, programme, pipeline (2), spend by supplier, decisions due, by period, by
    # category, contract timeline, savings by initiative; the report published for the
    # period (for its movement); the projects summary (2), the devices headline and spend
    # per officer (2). The default year costs nothing more; a period in progress one more,
    # for its completeness.
    with django_assert_num_queries(21):
        dashboard_for(committee_client, "?year=2014-15")
    with django_assert_num_queries(22):
        dashboard_for(committee_client, AS_AT_P3)
    grow(world, 10)
    assert Contract.objects.count() == 11 and BudgetLine.objects.count() == 30
    with django_assert_num_queries(21):
        dashboard, _ = dashboard_for(committee_client, "?year=2014-15")
    # 20,400.00 plus 27 extra lines at 12 x 10.00.
    assert dashboard.totals["budget"] == D("23640.00")
