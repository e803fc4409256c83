"""Finance records realised and forecast savings for an initiative-year."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from savings.models import InitiativeYear
from savings.services import record_savings

URL = "/savings/initiatives/CAP-RENEG/years/2014-15/"


def reneg_year(world) -> InitiativeYear:
    return InitiativeYear.objects.get(initiative=world["initiatives"]["reneg"], year=world["year"])


def pipeline_2014_15(client) -> dict:
    rows = client.get("/savings/").context["pipeline"]
    return next(row for row in rows if row["year_label"] == "2014-15")


def test_finance_records_realised_saving_and_totals_move(world, finance_client, finance_user):
    response = finance_client.post(
        URL,
        {"realised": "£5,500.00", "forecast": "6,000.00", "note": "Q3 invoices", "version": "1"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/savings/initiatives/CAP-RENEG/"
    row = reneg_year(world)
    assert row.realised == Decimal("5500.00")
    assert row.forecast == Decimal("6000.00")
    assert row.note == "Q3 invoices"
    (record,) = row.history.all()
    assert record.history_user == finance_user
    assert (record.realised, record.forecast) == (Decimal("5500.00"), Decimal("6000.00"))

    pipeline = pipeline_2014_15(finance_client)
    assert pipeline["realised"] == Decimal("5500.00")
    assert pipeline["forecast"] == Decimal("9000.00")  # 6,000 + APP-RAT as planned 3,000
    assert pipeline["gap"] == Decimal("1000.00")
    assert pipeline["realised_gap"] == Decimal("4500.00")
    assert pipeline["rag"] == "amber"  # 10% short


def test_empty_forecast_means_as_planned(world, finance_client):
    finance_client.post(URL, {"realised": "4000.00", "forecast": "", "note": "", "version": "1"})
    assert reneg_year(world).forecast is None
    assert pipeline_2014_15(finance_client)["forecast"] == Decimal("9000.00")


def test_committee_cannot_record_savings(world, committee_client):
    before = list(InitiativeYear.objects.values_list("planned", "forecast", "realised", "note"))
    history_before = InitiativeYear.history.count()
    response = committee_client.post(
        URL, {"realised": "9999.00", "forecast": "9999.00", "version": "1"}
    )
    assert response.status_code == 403
    assert committee_client.get(URL).status_code == 403
    after = list(InitiativeYear.objects.values_list("planned", "forecast", "realised", "note"))
    assert after == before
    assert InitiativeYear.history.count() == history_before


def test_bad_amount_names_the_field_and_writes_nothing(world, finance_client):
    response = finance_client.post(URL, {"realised": "12.345", "forecast": "abc", "version": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Realised saving (£): “12.345” is not an amount in pounds" in html
    assert "Forecast saving for the year (£): “abc” is not an amount in pounds" in html
    assert 'value="12.345"' in html and 'value="abc"' in html
    row = reneg_year(world)
    assert (row.realised, row.forecast) == (Decimal("4000.00"), Decimal("5000.00"))


def test_negative_saving_is_refused(world, finance_client):
    response = finance_client.post(URL, {"realised": "(100.00)", "forecast": "", "version": "1"})
    assert "A saving cannot be negative" in response.content.decode()
    assert reneg_year(world).realised == Decimal("4000.00")


def test_realised_above_planned_is_accepted_and_flagged(world, finance_client):
    response = finance_client.post(
        URL, {"realised": "7000.00", "forecast": "", "version": "1"}, follow=True
    )
    assert reneg_year(world).realised == Decimal("7000.00")
    assert reneg_year(world).over_plan is True
    html = response.content.decode()
    assert "is above the planned £6,000.00: flagged for a second look" in html
    assert "above plan" in html


def test_unknown_initiative_year_is_not_found(world, finance_client):
    assert finance_client.get("/savings/initiatives/CAP-RENEG/years/2013-14/").status_code == 404


def test_service_refuses_negative_forecast(world, finance_user):
    with pytest.raises(ValidationError):
        record_savings(
            initiative_year=reneg_year(world),
            realised=None,
            forecast=Decimal("-1.00"),
            note="",
            user=finance_user,
        )
    assert reneg_year(world).forecast == Decimal("5000.00")


def test_record_form_starts_from_the_stored_figures(world, finance_client):
    html = finance_client.get(URL).content.decode()
    assert 'name="realised" value="4,000.00"' in html
    assert 'name="forecast" value="5,000.00"' in html
    assert "Planned: £6,000.00; more than planned is accepted and flagged." in html
