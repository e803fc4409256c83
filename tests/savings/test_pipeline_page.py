"""The savings page: pipeline per year, cumulative share, the initiatives table and export."""

import csv
import io
from datetime import date
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from budgets.models import FinancialYear
from savings.models import Initiative, InitiativeYear, SavingsTarget


def year_row(response, label: str) -> dict:
    return next(row for row in response.context["pipeline"] if row["year_label"] == label)


def test_pipeline_for_2014_15_matches_hand_computed_figures(world, committee_client):
    response = committee_client.get("/savings/")
    assert response.status_code == 200
    row = year_row(response, "2014-15")
    assert row["target"] == Decimal("10000.00")
    # CAP-RENEG 6,000 + APP-RAT 3,000; abandoned OLD-X and non-cashable MOBILE left out.
    assert row["identified"] == Decimal("9000.00")
    assert row["approved"] == Decimal("6000.00")
    assert row["realised"] == Decimal("4000.00")
    # CAP-RENEG forecast 5,000 + APP-RAT as planned 3,000.
    assert row["forecast"] == Decimal("8000.00")
    assert row["gap"] == Decimal("2000.00")
    assert row["realised_gap"] == Decimal("6000.00")
    assert row["rag"] == "red"  # 20% short of target
    assert row["non_cashable_planned"] == Decimal("7000.00")
    assert row["non_cashable_realised"] == Decimal("1000.00")


def test_page_shows_gap_rag_and_cumulative_share_of_reduction(world, committee_client):
    response = committee_client.get("/savings/")
    html = response.content.decode()
    assert '<td class="num" data-testid="gap-2014-15">£2,000.00</td>' in html
    assert '<span class="rag rag-red">Red</span>' in html
    row = year_row(response, "2014-15")
    assert row["cumulative_realised"] == Decimal("4000.00")
    assert row["cumulative_realised_share"] == Decimal("4.0")  # of the £100,000.00 reduction
    assert "4.0% of the programme's £0.1m reduction" in html


def test_initiatives_table_lists_abandoned_and_totals_cash_only(world, committee_client):
    response = committee_client.get("/savings/", {"year": "2014-15"})
    table = response.context["table"]
    assert [row.record.code for row in table.rows] == ["APP-RAT", "CAP-RENEG", "MOBILE", "OLD-X"]
    assert table.totals == {
        "planned": Decimal("9000.00"),
        "forecast": Decimal("8000.00"),
        "realised": Decimal("4000.00"),
        "claimed": Decimal("0.00"),
        "non_cashable_planned": Decimal("7000.00"),
        "non_cashable_realised": Decimal("1000.00"),
    }
    html = response.content.decode()
    assert "Non-cashable (not counted towards the cash target): planned £7,000.00, " in html


def test_initiative_row_carries_the_selected_years_figures(world, committee_client):
    response = committee_client.get("/savings/", {"year": "2014-15"})
    reneg = next(r.record for r in response.context["table"].rows if r.record.code == "CAP-RENEG")
    apps = next(r.record for r in response.context["table"].rows if r.record.code == "APP-RAT")
    assert (reneg.planned, reneg.forecast, reneg.realised) == (
        Decimal("6000.00"),
        Decimal("5000.00"),
        Decimal("4000.00"),
    )
    assert (apps.planned, apps.forecast, apps.realised) == (
        Decimal("3000.00"),
        Decimal("3000.00"),
        None,
    )


def test_year_without_savings_lists_no_initiatives(world, committee_client):
    response = committee_client.get("/savings/", {"year": "2013-14"})
    assert list(response.context["table"].rows) == []
    assert response.context["table"].totals["planned"] == Decimal("0.00")


def test_filters_narrow_rows_and_totals(world, committee_client):
    def codes(**params):
        response = committee_client.get("/savings/", {"year": "2014-15", **params})
        return [row.record.code for row in response.context["table"].rows]

    assert codes(stage="abandoned") == ["OLD-X"]
    assert codes(cashable="false") == ["MOBILE"]
    assert codes(contract="CAP-2005") == ["CAP-RENEG"]
    assert codes(lever="consolidate") == ["APP-RAT"]
    assert codes(confidence="amber", stage="identified") == ["APP-RAT"]
    response = committee_client.get("/savings/", {"year": "2014-15", "stage": "approved"})
    assert response.context["table"].totals["planned"] == Decimal("6000.00")


def test_table_sorts_by_planned(world, committee_client):
    response = committee_client.get("/savings/", {"year": "2014-15", "sort": "-planned"})
    assert [r.record.code for r in response.context["table"].rows] == [
        "MOBILE",
        "CAP-RENEG",
        "APP-RAT",
        "OLD-X",
    ]


def test_table_sorts_confidence_from_red_to_green(world, committee_client):
    Initiative.objects.filter(code="OLD-X").update(confidence="red")
    Initiative.objects.filter(code="MOBILE").update(confidence="green")
    response = committee_client.get("/savings/", {"year": "2014-15", "sort": "confidence"})
    assert [r.record.code for r in response.context["table"].rows] == [
        "OLD-X",
        "APP-RAT",
        "CAP-RENEG",
        "MOBILE",
    ]


def test_csv_export_has_filtered_rows_with_plain_amounts(world, committee_client):
    response = committee_client.get(
        "/savings/", {"year": "2014-15", "cashable": "true", "_export": "csv"}
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Code", "Name", "Lever"]
    by_code = {row[0]: row for row in rows[1:]}
    assert sorted(by_code) == ["APP-RAT", "CAP-RENEG", "OLD-X"]
    assert by_code["CAP-RENEG"][-4:] == ["6000.00", "5000.00", "4000.00", "0.00"]
    assert by_code["OLD-X"][3] == "Abandoned"
    assert by_code["OLD-X"][rows[0].index("Cash or not")] == "Cashable"


def test_xlsx_export_downloads(world, committee_client):
    response = committee_client.get("/savings/", {"year": "2014-15", "_export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    assert 'filename="initiatives-2014-15.xlsx"' in response["Content-Disposition"]


def test_savings_page_draws_the_dashboards_savings_charts_for_its_year(world, committee_client):
    charts = committee_client.get("/savings/", {"year": "2014-15"}).context["charts"]
    assert [(chart.id, chart.title) for chart in charts] == [
        ("savings", "Savings by year against target, in-year and cumulative"),
        ("pipeline", "Savings pipeline 2014-15: target to realised"),
    ]
    assert [chart.csv_url for chart in charts] == [
        "/savings/charts/savings.csv?year=2014-15",
        "/savings/charts/pipeline.csv?year=2014-15",
    ]


def test_savings_chart_csv_has_the_charts_numbers(world, committee_client):
    response = committee_client.get("/savings/charts/pipeline.csv", {"year": "2014-15"})
    assert 'filename="savings-pipeline-2014-15.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        ["Stage", "Amount", "Share of target"],
        ["Target", "10000.00", "100.0%"],
        ["Identified", "9000.00", "90.0%"],
        ["Approved", "6000.00", "60.0%"],
        ["Realised", "4000.00", "40.0%"],
        ["Forecast", "8000.00", "80.0%"],
        ["Gap: target less forecast", "2000.00", "20.0%"],
    ]
    assert committee_client.get("/savings/charts/nonsense.csv").status_code == 404


def test_pipeline_chart_stages_differ_by_pattern_as_well_as_colour(world, committee_client):
    charts = committee_client.get("/savings/").context["charts"]
    (bar,) = next(c for c in charts if c.id == "pipeline").figure_json["data"]
    marker = bar["marker"]
    assert dict(zip(bar["x"], marker["pattern"]["shape"], strict=True)) == {
        "Target": "",
        "Identified": ".",
        "Approved": "/",
        "Realised": "",
        "Forecast": "x",
    }
    # Solid bars are told apart by shade too: grey target, blue realised.
    colours = dict(zip(bar["x"], marker["color"], strict=True))
    assert (colours["Target"], colours["Realised"]) == ("#6E6E6E", "#0072B2")


def test_cumulative_table_says_which_share_is_which(world, committee_client):
    html = committee_client.get("/savings/").content.decode()
    assert '<th scope="col" class="num">Forecast share of reduction</th>' in html
    assert '<th scope="col" class="num">Realised share of reduction</th>' in html


def test_unknown_year_is_not_found(world, committee_client):
    assert committee_client.get("/savings/", {"year": "1999-00"}).status_code == 404


def test_page_query_count_does_not_grow_with_initiatives(world, committee_client):
    with CaptureQueriesContext(connection) as few:
        committee_client.get("/savings/", {"year": "2014-15"})
    year = world["year"]
    for n in range(20):
        item = Initiative.objects.create(
            code=f"EXTRA-{n}", name="Extra", lever="demand", contract=world["contracts"]["bt"]
        )
        InitiativeYear.objects.create(initiative=item, year=year, planned=Decimal("1.00"))
    with CaptureQueriesContext(connection) as many:
        response = committee_client.get("/savings/", {"year": "2014-15"})
    assert len(response.context["table"].rows) == 24
    assert len(many) == len(few)


def test_initiative_page_query_count_does_not_grow_with_lines_and_history(world, committee_client):
    reneg = world["initiatives"]["reneg"]
    with CaptureQueriesContext(connection) as few:
        committee_client.get("/savings/initiatives/CAP-RENEG/")
    reneg.lines.add(world["lines"]["net"], world["lines"]["chg"])
    for confidence in ("red", "green", "amber"):
        reneg.confidence = confidence
        reneg.save()
    with CaptureQueriesContext(connection) as many:
        committee_client.get("/savings/initiatives/CAP-RENEG/")
    assert len(many) == len(few)


def test_headlines_follow_the_selected_year(world, committee_client):
    programme = world["programme"]
    later = FinancialYear.objects.create(label="2015-16", start=date(2015, 4, 1))
    SavingsTarget.objects.create(programme=programme, year=later, amount=Decimal("5000.00"))
    InitiativeYear.objects.create(
        initiative=world["initiatives"]["reneg"], year=later, planned=Decimal("1000.00")
    )
    response = committee_client.get("/savings/", {"year": "2014-15"})
    assert response.context["latest"]["year_label"] == "2014-15"
    assert response.context["cumulative"]["cumulative_realised"] == Decimal("4000.00")
    response = committee_client.get("/savings/", {"year": "2015-16"})
    assert response.context["latest"]["gap"] == Decimal("4000.00")
    assert response.context["cumulative"]["cumulative_target"] == Decimal("15000.00")
    assert response.context["cumulative"]["cumulative_forecast"] == Decimal("9000.00")
