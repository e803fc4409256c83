"""Finance records an initiative-year's forecast saving (realised savings are claims)."""

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


def test_finance_records_a_forecast_and_the_realised_saving_stays(
    world, finance_client, finance_user
):
    """Realised savings are validated claims: the record form changes the forecast and
    note only."""
    response = finance_client.post(
        URL,
        {"realised": "£5,500.00", "forecast": "6,000.00", "note": "Q3 invoices", "version": "1"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/savings/initiatives/CAP-RENEG/"
    row = reneg_year(world)
    assert row.realised == Decimal("4000.00")  # the posted realised is ignored
    assert row.forecast == Decimal("6000.00")
    assert row.note == "Q3 invoices"
    (record,) = row.history.all()
    assert record.history_user == finance_user

    pipeline = pipeline_2014_15(finance_client)
    assert pipeline["realised"] == Decimal("4000.00")
    assert pipeline["forecast"] == Decimal("9000.00")  # 6,000 + APP-RAT as planned 3,000
    assert pipeline["gap"] == Decimal("1000.00")
    assert pipeline["realised_gap"] == Decimal("6000.00")
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
    response = finance_client.post(URL, {"forecast": "abc", "version": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Forecast saving for the year (£): “abc” is not an amount in pounds" in html
    assert 'value="abc"' in html
    row = reneg_year(world)
    assert (row.realised, row.forecast) == (Decimal("4000.00"), Decimal("5000.00"))


def test_negative_forecast_is_refused(world, finance_client):
    response = finance_client.post(URL, {"forecast": "(100.00)", "version": "1"})
    assert "A saving cannot be negative" in response.content.decode()
    assert reneg_year(world).forecast == Decimal("5000.00")


def test_unknown_initiative_year_is_not_found(world, finance_client):
    assert finance_client.get("/savings/initiatives/CAP-RENEG/years/2013-14/").status_code == 404


def test_service_refuses_negative_forecast(world, finance_user):
    with pytest.raises(ValidationError):
        record_savings(
            initiative_year=reneg_year(world),
            forecast=Decimal("-1.00"),
            note="",
            user=finance_user,
        )
    assert reneg_year(world).forecast == Decimal("5000.00")


def test_record_form_starts_from_the_stored_figures(world, finance_client):
    html = finance_client.get(URL).content.decode()
    assert 'name="realised"' not in html
    assert 'name="forecast" value="5,000.00"' in html
    assert "Planned: £6,000.00." in html
