"""Admin creates and edits initiatives and targets in the app."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from savings.models import Initiative, InitiativeYear, SavingsTarget
from savings.services import save_initiative

NEW = "/savings/initiatives/new/"


def initiative_data(**overrides) -> dict:
    data = {
        "code": "PRINT",
        "name": "Desktop and print",
        "description": "Fewer printers",
        "owner": "Head of IT",
        "lever": "demand",
        "stage": "identified",
        "confidence": "amber",
        "cashable": "on",
        "contract": "",
        "lines": [],
        "change_reason": "",
        "planned_2013-14": "",
        "planned_2014-15": "2,000.00",
        "version": "0",  # a new initiative
    }
    data.update(overrides)
    return data


def edit_data(initiative: Initiative, **overrides) -> dict:
    data = initiative_data(
        code=initiative.code,
        name=initiative.name,
        lever=initiative.lever,
        stage=initiative.stage,
        confidence=initiative.confidence,
        version=str(initiative.version),
        **{"planned_2014-15": str(initiative.years.get().planned)},
    )
    if not initiative.cashable:
        data.pop("cashable")
    data.update(overrides)
    return data


def test_new_is_the_create_form_not_an_initiative_code(world, admin_client_):
    response = admin_client_.get(NEW)
    assert response.status_code == 200
    assert "New initiative" in response.content.decode()


def test_admin_creates_initiative_with_planned_savings(world, admin_client_, admin_user):
    data = initiative_data(contract=world["contracts"]["cap"].pk, lines=[world["lines"]["out"].pk])
    response = admin_client_.post(NEW, data)
    assert response.status_code == 302
    assert response["Location"] == "/savings/initiatives/PRINT/"
    item = Initiative.objects.get(code="PRINT")
    assert item.contract == world["contracts"]["cap"]
    assert list(item.lines.values_list("code", flat=True)) == ["OUT-01"]
    assert list(item.years.values_list("year__label", "planned")) == [
        ("2014-15", Decimal("2000.00"))
    ]
    assert item.history.get().history_user == admin_user
    assert item.years.get().history.get().history_user == admin_user


def test_code_new_is_refused(world, admin_client_):
    response = admin_client_.post(NEW, initiative_data(code="new"))
    assert response.status_code == 200
    assert "is reserved for a page address" in response.content.decode()
    assert not Initiative.objects.filter(code="new").exists()


def test_negative_planned_saving_is_refused(world, admin_client_):
    response = admin_client_.post(NEW, initiative_data(**{"planned_2014-15": "-5.00"}))
    html = response.content.decode()
    assert "Planned saving 2014-15 (£): A saving cannot be negative" in html
    assert 'value="-5.00"' in html
    assert not Initiative.objects.filter(code="PRINT").exists()


def test_confidence_change_needs_a_reason(world, admin_client_):
    reneg = world["initiatives"]["reneg"]
    url = "/savings/initiatives/CAP-RENEG/edit/"
    response = admin_client_.post(url, edit_data(reneg, confidence="red"))
    assert response.status_code == 200
    assert "Give a one-line reason for changing the delivery confidence." in (
        response.content.decode()
    )
    reneg.refresh_from_db()
    assert reneg.confidence == "amber"


def test_confidence_change_keeps_its_reason_in_history(world, admin_client_, admin_user):
    reneg = world["initiatives"]["reneg"]
    response = admin_client_.post(
        "/savings/initiatives/CAP-RENEG/edit/",
        edit_data(reneg, confidence="amber_red", change_reason="Supplier contests the terms"),
    )
    assert response.status_code == 302
    reneg.refresh_from_db()
    assert reneg.confidence == "amber_red"
    latest = reneg.history.latest()
    assert latest.confidence == "amber_red"
    assert latest.history_change_reason == "Supplier contests the terms"
    assert latest.history_user == admin_user
    page = admin_client_.get("/savings/initiatives/CAP-RENEG/").content.decode()
    assert "Supplier contests the terms" in page


def test_admin_moves_stage_and_plan_keeping_realised(world, admin_client_):
    reneg = world["initiatives"]["reneg"]
    admin_client_.post(
        "/savings/initiatives/CAP-RENEG/edit/",
        edit_data(reneg, stage="delivered", **{"planned_2014-15": "6500.00"}),
    )
    row = InitiativeYear.objects.get(initiative=reneg)
    assert row.initiative.stage == "delivered"
    assert (row.planned, row.realised) == (Decimal("6500.00"), Decimal("4000.00"))


def test_finance_and_committee_cannot_create_or_edit_initiatives(
    world, finance_client, committee_client
):
    reneg = world["initiatives"]["reneg"]
    history_before = (Initiative.history.count(), InitiativeYear.history.count())
    for client in (finance_client, committee_client):
        assert client.post(NEW, initiative_data()).status_code == 403
        response = client.post(
            "/savings/initiatives/CAP-RENEG/edit/", edit_data(reneg, name="Hijacked")
        )
        assert response.status_code == 403
    assert not Initiative.objects.filter(code="PRINT").exists()
    reneg.refresh_from_db()
    assert reneg.name == "Renegotiate"
    assert (Initiative.history.count(), InitiativeYear.history.count()) == history_before


def test_admin_sets_a_target(world, admin_client_, admin_user):
    response = admin_client_.post(
        "/savings/targets/2014-15/edit/",
        {"amount": "£12,500.00", "source": "Committee paper", "version": "1"},
    )
    assert response.status_code == 302
    target = SavingsTarget.objects.get(year=world["year"])
    assert target.amount == Decimal("12500.00")
    assert target.source == "Committee paper"
    assert target.history.latest().history_user == admin_user
    rows = admin_client_.get("/savings/").context["pipeline"]
    assert rows[0]["gap"] == Decimal("4500.00")  # 12,500 - forecast 8,000


def test_admin_adds_a_target_for_a_year_without_one(world, admin_client_):
    admin_client_.post("/savings/targets/2013-14/edit/", {"amount": "500.00", "version": "0"})
    assert SavingsTarget.objects.get(year=world["base_year"]).amount == Decimal("500.00")


def test_negative_target_is_refused(world, admin_client_):
    response = admin_client_.post(
        "/savings/targets/2014-15/edit/", {"amount": "-1.00", "version": "1"}
    )
    assert "Savings target (£): A saving cannot be negative" in response.content.decode()
    assert SavingsTarget.objects.get(year=world["year"]).amount == Decimal("10000.00")


@pytest.mark.parametrize("client_fixture", ["finance_client", "committee_client"])
def test_finance_and_committee_cannot_set_targets(request, world, client_fixture):
    client = request.getfixturevalue(client_fixture)
    history_before = SavingsTarget.history.count()
    assert client.get("/savings/targets/2014-15/edit/").status_code == 403
    response = client.post("/savings/targets/2014-15/edit/", {"amount": "1.00", "version": "1"})
    assert response.status_code == 403
    assert (
        client.post(
            "/savings/targets/2013-14/edit/", {"amount": "1.00", "version": "0"}
        ).status_code
        == 403
    )
    assert SavingsTarget.objects.get(year=world["year"]).amount == Decimal("10000.00")
    assert not SavingsTarget.objects.filter(year=world["base_year"]).exists()
    assert SavingsTarget.history.count() == history_before


def test_committee_gets_403_on_the_create_page_not_an_initiative(world, committee_client):
    assert committee_client.get(NEW).status_code == 403


def test_service_refuses_confidence_change_without_reason(world, admin_user):
    reneg = Initiative.objects.get(code="CAP-RENEG")
    reneg.confidence = Initiative.Confidence.GREEN
    with pytest.raises(ValidationError):
        save_initiative(initiative=reneg, lines=[], planned={}, reason=" ", user=admin_user)
    reneg.refresh_from_db()
    assert reneg.confidence == "amber"
    assert list(reneg.lines.values_list("code", flat=True)) == ["OUT-01"]


def test_emptying_a_planned_year_keeps_the_row_at_zero(world, admin_client_):
    reneg = world["initiatives"]["reneg"]
    admin_client_.post(
        "/savings/initiatives/CAP-RENEG/edit/", edit_data(reneg, **{"planned_2014-15": ""})
    )
    row = InitiativeYear.objects.get(initiative=reneg)
    assert (row.planned, row.realised) == (Decimal("0.00"), Decimal("4000.00"))


CONFIDENCE = "/savings/initiatives/CAP-RENEG/confidence/"


def test_admin_changes_confidence_on_its_own_page_with_a_reason(world, admin_client_, admin_user):
    refused = admin_client_.post(
        CONFIDENCE, {"confidence": "red", "change_reason": "", "version": "1"}
    )
    assert refused.status_code == 200
    assert "Reason for this change: Give a one-line reason" in refused.content.decode()
    assert Initiative.objects.get(code="CAP-RENEG").confidence == "amber"

    response = admin_client_.post(
        CONFIDENCE, {"confidence": "red", "change_reason": "Supplier walked out", "version": "1"}
    )
    assert response.status_code == 302
    reneg = Initiative.objects.get(code="CAP-RENEG")
    assert reneg.confidence == "red"
    latest = reneg.history.latest()
    assert (latest.history_change_reason, latest.history_user) == (
        "Supplier walked out",
        admin_user,
    )


@pytest.mark.parametrize("client_fixture", ["finance_client", "committee_client"])
def test_finance_and_committee_cannot_change_confidence(request, world, client_fixture):
    client = request.getfixturevalue(client_fixture)
    assert client.get(CONFIDENCE).status_code == 403
    response = client.post(
        CONFIDENCE, {"confidence": "red", "change_reason": "Because", "version": "1"}
    )
    assert response.status_code == 403
    assert Initiative.objects.get(code="CAP-RENEG").confidence == "amber"
