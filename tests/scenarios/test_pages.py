"""The scenario pages: everyone reads, Finance and Admin write through the services, a stale
save keeps what was typed, a bad adjustment is refused by its field with nothing saved."""

from datetime import date
from decimal import Decimal as D

import pytest

from scenarios.models import Adjustment, Scenario
from scenarios.services import create_scenario

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(world, finance_user) -> Scenario:
    return create_scenario(user=finance_user, data={"name": "Cancel Capgemini"})


def adjustment_post(scenario: Scenario, **fields) -> dict:
    return {"version": scenario.version, "note": "", **fields}


def test_finance_makes_a_scenario_that_records_who_and_when(world, finance_client, finance_user):
    response = finance_client.post(
        "/scenarios/new/", {"name": "Exit CAP", "description": "", "version": 0}
    )
    scenario = Scenario.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/scenarios/{scenario.pk}/"
    assert scenario.made_by == finance_user
    page = finance_client.get(response["Location"]).content.decode()
    assert "Made by Fiona on" in page
    assert "Worked out at" in page


def test_adding_an_adjustment_shows_it_in_the_results(scenario, admin_client_, world):
    response = admin_client_.post(
        f"/scenarios/{scenario.pk}/adjustments/new/",
        adjustment_post(
            scenario,
            kind="cancel",
            contract=world["contracts"]["cap"].pk,
            on_date="2014-07-01",
            amount="500.00",
        ),
    )
    assert response.status_code == 302
    adjustment = Adjustment.objects.get()
    assert (adjustment.kind, adjustment.amount) == ("cancel", D("500.00"))
    page = admin_client_.get(f"/scenarios/{scenario.pk}/").content.decode()
    assert "Cancel CAP-2005 from 1 Jul 2014, exit cost £500.00" in page
    assert "£19,500.00" in page  # 2014-15's scenario outturn (see test_engine)
    scenario.refresh_from_db()
    assert scenario.version == 2


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"kind": "cancel", "on_date": "2016-01-01"}, "on_date", "is outside the plan"),
        ({"kind": "scale", "factor": "-0.5"}, "factor", "cannot be below zero"),
        ({"kind": "renegotiate", "percent": "-10"}, "on_date", "Needed for this kind"),
    ],
)
def test_a_bad_adjustment_is_refused_by_its_field_and_nothing_saved(
    scenario, finance_client, world, fields, field, message
):
    data = adjustment_post(
        scenario,
        contract=world["contracts"]["cap"].pk,
        initiative=world["initiatives"]["reneg"].pk,
        **fields,
    )
    response = finance_client.post(f"/scenarios/{scenario.pk}/adjustments/new/", data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Adjustment.objects.exists()
    scenario.refresh_from_db()
    assert scenario.version == 1


def test_a_contract_already_ended_is_refused(scenario, finance_client, world):
    world["contracts"]["bt"].status = "terminated"
    world["contracts"]["bt"].save()
    data = adjustment_post(
        scenario,
        kind="renegotiate",
        contract=world["contracts"]["bt"].pk,
        on_date="2014-07-01",
        percent="-5",
    )
    response = finance_client.post(f"/scenarios/{scenario.pk}/adjustments/new/", data)
    assert response.context["form"].errors["contract"] == ["BT-NET has already ended (terminated)."]
    assert not Adjustment.objects.exists()


def test_a_stale_adjustment_is_refused_and_keeps_what_was_typed(scenario, finance_client, world):
    stale = adjustment_post(
        scenario, kind="slip", initiative=world["initiatives"]["apps"].pk, months="4"
    )
    Scenario.objects.filter(pk=scenario.pk).update(version=2)
    response = finance_client.post(f"/scenarios/{scenario.pk}/adjustments/new/", stale)
    assert response.status_code == 409
    form = response.context["form"]
    assert form.data["months"] == "4"
    assert form.data["version"] == "2"
    assert not Adjustment.objects.exists()


def test_a_stale_edit_keeps_the_typed_name(scenario, admin_client_):
    Scenario.objects.filter(pk=scenario.pk).update(version=5, name="Someone else's name")
    response = admin_client_.post(
        f"/scenarios/{scenario.pk}/edit/", {"name": "Mine", "description": "", "version": 1}
    )
    assert response.status_code == 409
    assert 'value="Mine"' in response.content.decode()
    assert Scenario.objects.get().name == "Someone else's name"


def test_removing_an_adjustment(scenario, finance_client, world):
    adjustment = Adjustment.objects.create(
        scenario=scenario, kind="slip", initiative=world["initiatives"]["apps"], months=3
    )
    url = f"/scenarios/{scenario.pk}/adjustments/{adjustment.pk}/delete/"
    assert finance_client.post(url, {"version": scenario.version}).status_code == 302
    assert not Adjustment.objects.exists()


def test_built_in_confidence_weighted_page_shows_weights_and_results(world, committee_client):
    page = committee_client.get("/scenarios/confidence-weighted/").content.decode()
    assert "Amber/Green" in page and "90%" in page
    assert "£5,600.00" in page  # 70% of 8,000.00 (test_engine)


def test_compare_two_scenarios(scenario, committee_client):
    url = f"/scenarios/compare/?s={scenario.pk}&s=confidence-weighted"
    response = committee_client.get(url)
    assert response.status_code == 200
    table = response.context["side_by_side"][-1]
    gap = next(row for row in table["rows"] if row["key"] == "gap")
    assert gap["values"] == [D("2000.00"), D("2000.00"), D("4400.00")]
    assert response.context["chart"].rows == [("2014-15", D("2000.00"), D("2000.00"), D("4400.00"))]


def test_compare_needs_two_or_three(scenario, committee_client):
    response = committee_client.get(f"/scenarios/compare/?s={scenario.pk}")
    assert response.status_code == 400
    assert "Choose two or three" in response.content.decode()


def test_dates_inside_the_plan_are_accepted(scenario, finance_client, world):
    data = adjustment_post(
        scenario,
        kind="renegotiate",
        contract=world["contracts"]["cap"].pk,
        on_date=date(2014, 8, 15).isoformat(),
        percent="-10",
    )
    assert (
        finance_client.post(f"/scenarios/{scenario.pk}/adjustments/new/", data).status_code == 302
    )


def test_fields_a_kind_does_not_use_are_not_stored(scenario, finance_client, world):
    data = adjustment_post(
        scenario,
        kind="slip",
        initiative=world["initiatives"]["apps"].pk,
        months="2",
        contract=world["contracts"]["cap"].pk,
        factor="3",
    )
    assert (
        finance_client.post(f"/scenarios/{scenario.pk}/adjustments/new/", data).status_code == 302
    )
    stored = Adjustment.objects.get()
    assert (stored.months, stored.contract, stored.factor) == (2, None, None)
    assert stored.summary == "Slip APP-RAT by 2 months"


def test_beyond_the_limit_a_forecasts_line_is_typed_as_its_code(
    scenario, finance_client, world, monkeypatch
):
    monkeypatch.setattr("common.forms.CODE_BOX_OVER", 1)
    url = f"/scenarios/{scenario.pk}/adjustments/new/"
    page = finance_client.get(url).content.decode()
    assert '<input type="text" name="line"' in page
    assert "Set forecast: the line. Type the budget line&#x27;s code" in page
    fields = {"kind": "set_forecast", "year": world["year"].pk, "period": 2, "amount": "400"}
    response = finance_client.post(url, adjustment_post(scenario, line="NOPE", **fields))
    assert response.context["form"].errors["line"] == ["No budget line has the code “NOPE”."]
    assert not Adjustment.objects.exists()
    response = finance_client.post(url, adjustment_post(scenario, line="NET-01", **fields))
    assert response.status_code == 302
    assert Adjustment.objects.get().line == world["lines"]["net"]


def test_beyond_the_limit_contracts_and_initiatives_are_typed_by_reference_and_code(
    scenario, finance_client, world, monkeypatch
):
    monkeypatch.setattr("common.forms.CODE_BOX_OVER", 1)
    url = f"/scenarios/{scenario.pk}/adjustments/new/"
    page = finance_client.get(url).content.decode()
    assert '<input type="text" name="contract"' in page
    assert '<input type="text" name="initiative"' in page
    renegotiate = {"kind": "renegotiate", "on_date": date(2014, 8, 15).isoformat()}
    response = finance_client.post(
        url, adjustment_post(scenario, contract="NOPE-1", percent="-10", **renegotiate)
    )
    assert response.context["form"].errors["contract"] == [
        "No contract has the reference “NOPE-1”."
    ]
    assert 'name="contract" value="NOPE-1"' in response.content.decode()
    assert not Adjustment.objects.exists()
    response = finance_client.post(
        url, adjustment_post(scenario, contract="CAP-2005", percent="-10", **renegotiate)
    )
    assert response.status_code == 302
    scenario.refresh_from_db()  # an adjustment moves the scenario's version on
    response = finance_client.post(
        url, adjustment_post(scenario, kind="slip", initiative="APP-RAT", months="2")
    )
    assert response.status_code == 302
    assert [a.summary for a in Adjustment.objects.order_by("pk")][1] == "Slip APP-RAT by 2 months"
    assert Adjustment.objects.order_by("pk").first().contract == world["contracts"]["cap"]
