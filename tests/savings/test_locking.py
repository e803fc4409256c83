"""No lost update: two people open the same savings record and both save. The first save
stands; the second is refused (409) with the first person's values, who saved them and
when, and the second person's own typed values still in the form, ready to save again."""

from decimal import Decimal

import pytest
from django.test import Client

from common.locking import StaleVersionError
from common.roles import ADMIN, FINANCE
from savings.models import Initiative, InitiativeYear, SavingsTarget
from savings.services import record_savings, save_initiative, save_initiative_year, set_target
from tests.conftest import client_for, make_user

RECORD = "/savings/initiatives/CAP-RENEG/years/2014-15/"
EDIT = "/savings/initiatives/CAP-RENEG/edit/"
CONFIDENCE = "/savings/initiatives/CAP-RENEG/confidence/"
TARGET = "/savings/targets/2014-15/edit/"


def opened(client: Client, url: str) -> dict:
    """What the form posts back unchanged: every field's value as the page showed it."""
    form = client.get(url).context["form"]
    data = {}
    for field in form:
        value = field.value()
        if value is None or value is False:
            continue
        data[field.html_name] = value if isinstance(value, list) else str(value)
    return data


@pytest.fixture
def two_finance(world, finance_user) -> tuple[Client, Client]:
    return client_for(finance_user), client_for(make_user("frank", FINANCE))


@pytest.fixture
def two_admins(world, admin_user) -> tuple[Client, Client]:
    return client_for(admin_user), client_for(make_user("alex", ADMIN, is_staff=True))


def conflict_rows(response) -> dict[str, tuple[str, str]]:
    return {
        label: (theirs, yours) for label, theirs, yours in response.context["form"].conflict_rows
    }


def test_second_save_of_a_forecast_saving_is_refused_and_keeps_both_sets_of_values(two_finance):
    fiona, frank = two_finance
    first, second = opened(fiona, RECORD), opened(frank, RECORD)
    assert first["version"] == second["version"] == "1"

    first.update(forecast="5,500.00", note="Q3 invoices: £1.5m more")
    assert fiona.post(RECORD, first).status_code == 302
    second.update(forecast="4,200.00", note="Only October's invoice")
    refused = frank.post(RECORD, second)

    assert refused.status_code == 409
    row = InitiativeYear.objects.get(initiative__code="CAP-RENEG")
    assert (row.forecast, row.note, row.version) == (
        Decimal("5500.00"),
        "Q3 invoices: £1.5m more",
        2,
    )
    html = refused.content.decode()
    assert "Someone else saved this record after you opened it" in html
    assert "Fiona saved it on" in html
    assert conflict_rows(refused) == {
        "Forecast saving for the year (£)": ("£5,500.00", "4,200.00"),
        "Note (optional)": ("Q3 invoices: £1.5m more", "Only October's invoice"),
    }
    # Frank's typed values are in the form, with the version he now has seen.
    assert 'name="forecast" value="4,200.00"' in html
    assert "Only October&#x27;s invoice</textarea>" in html
    assert 'name="version" value="2"' in html


def test_saving_again_after_the_conflict_is_a_deliberate_second_decision(two_finance):
    fiona, frank = two_finance
    first, second = opened(fiona, RECORD), opened(frank, RECORD)
    fiona.post(RECORD, {**first, "forecast": "5,500.00"})
    second["forecast"] = "4,200.00"
    refused = frank.post(RECORD, second)
    again = {**second, "version": refused.context["form"]["version"].value()}

    assert frank.post(RECORD, again).status_code == 302
    row = InitiativeYear.objects.get(initiative__code="CAP-RENEG")
    assert (row.forecast, row.version) == (Decimal("4200.00"), 3)
    assert row.history.latest().history_user.username == "frank"


def test_second_edit_of_an_initiative_is_refused_with_the_others_details_and_plan(two_admins):
    adam, alex = two_admins
    first, second = opened(adam, EDIT), opened(alex, EDIT)

    first.update(name="Renegotiate Capgemini", **{"planned_2014-15": "6,500.00"})
    assert adam.post(EDIT, first).status_code == 302
    second.update(owner="Head of Commercial", confidence="red", change_reason="Talks stalled")
    refused = alex.post(EDIT, second)

    assert refused.status_code == 409
    reneg = Initiative.objects.get(code="CAP-RENEG")
    assert (reneg.name, reneg.owner, reneg.confidence) == ("Renegotiate Capgemini", "", "amber")
    assert reneg.years.get().planned == Decimal("6500.00")
    rows = conflict_rows(refused)
    assert rows["Name"] == ("Renegotiate Capgemini", "Renegotiate")
    assert rows["Owner"] == ("—", "Head of Commercial")
    assert rows["Delivery confidence"] == ("Amber", "Red")
    assert rows["Budget lines"] == ("OUT-01 Capgemini service", "OUT-01 Capgemini service")
    assert rows["Planned saving 2014-15 (£)"] == ("£6,500.00", "6,000.00")
    html = refused.content.decode()
    assert "Adam saved it on" in html
    assert 'value="Head of Commercial"' in html
    assert 'value="Talks stalled"' in html


def test_second_change_of_confidence_is_refused(two_admins):
    adam, alex = two_admins
    first, second = opened(adam, CONFIDENCE), opened(alex, CONFIDENCE)
    adam.post(CONFIDENCE, {**first, "confidence": "green", "change_reason": "Signed"})
    refused = alex.post(CONFIDENCE, {**second, "confidence": "red", "change_reason": "Stalled"})

    assert refused.status_code == 409
    assert Initiative.objects.get(code="CAP-RENEG").confidence == "green"
    assert conflict_rows(refused) == {"Delivery confidence": ("Green", "Red")}
    assert 'value="Stalled"' in refused.content.decode()


def test_second_edit_of_a_target_is_refused(two_admins):
    adam, alex = two_admins
    first, second = opened(adam, TARGET), opened(alex, TARGET)
    adam.post(TARGET, {**first, "amount": "12,000.00", "source": "Paper A"})
    refused = alex.post(TARGET, {**second, "amount": "11,000.00", "source": "Paper B"})

    assert refused.status_code == 409
    target = SavingsTarget.objects.get(year__label="2014-15")
    assert (target.amount, target.source) == (Decimal("12000.00"), "Paper A")
    assert conflict_rows(refused) == {
        "Savings target (£)": ("£12,000.00", "11,000.00"),
        "Source": ("Paper A", "Paper B"),
    }


def test_two_people_adding_the_same_years_target_do_not_make_two(two_admins):
    adam, alex = two_admins
    url = "/savings/targets/2013-14/edit/"
    first, second = opened(adam, url), opened(alex, url)
    assert first["version"] == second["version"] == "0"
    assert adam.post(url, {**first, "amount": "500.00"}).status_code == 302
    refused = alex.post(url, {**second, "amount": "900.00"})

    assert refused.status_code == 409
    assert SavingsTarget.objects.get(year__label="2013-14").amount == Decimal("500.00")
    assert 'value="900.00"' in refused.content.decode()


def test_services_refuse_a_stale_expected_version_as_the_admin_passes_it(world, admin_user):
    """The Django admin hands its form's version to the same services."""
    row = InitiativeYear.objects.get(initiative__code="CAP-RENEG")
    record_savings(initiative_year=row, forecast=Decimal("4100.00"), note="", user=admin_user)
    with pytest.raises(StaleVersionError) as stale:
        save_initiative_year(
            initiative_year=row,
            planned=Decimal("1.00"),
            forecast=None,
            note="",
            user=admin_user,
            expected_version=1,
        )
    assert stale.value.current.forecast == Decimal("4100.00")
    assert stale.value.changed_by == "Adam"
    with pytest.raises(StaleVersionError):
        set_target(
            target=world["target"],
            amount=Decimal("1.00"),
            source="",
            user=admin_user,
            expected_version=0,
        )
    reneg = Initiative.objects.get(code="CAP-RENEG")
    with pytest.raises(StaleVersionError):
        save_initiative(
            initiative=reneg, lines=[], planned={}, reason="", user=admin_user, expected_version=7
        )
    row.refresh_from_db()
    assert (row.planned, row.forecast) == (Decimal("6000.00"), Decimal("4100.00"))
    assert SavingsTarget.objects.get(year__label="2014-15").amount == Decimal("10000.00")
    assert list(reneg.lines.values_list("code", flat=True)) == ["OUT-01"]


def test_a_new_initiatives_form_posts_back_a_version_it_can_save_with(world, admin_client_):
    data = opened(admin_client_, "/savings/initiatives/new/")
    assert data["version"] == "0"
    data.update(code="PRINT", name="Fewer printers", lever="demand")
    assert admin_client_.post("/savings/initiatives/new/", data).status_code == 302
    assert Initiative.objects.get(code="PRINT").version == 1
