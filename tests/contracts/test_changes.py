"""Admin edits in the app: "Edit contract" and "Record a change", checked on the server."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from contracts.models import Contract, ContractChange
from contracts.services import change_errors, record_change, update_contract
from tests.conftest import client_for

EDIT = "/contracts/CAP-2005/edit/"
CHANGE = "/contracts/CAP-2005/changes/new/"


def edit_data(**overrides) -> dict:
    data = {
        "reference": "CAP-2005",
        "title": "Outsourced IT services",
        "supplier": "",
        "description": "",
        "start_date": "2005-04-01",
        "notice_months": "6",
        "annual_value": "12000.00",
        "total_value": "350000.00",
        "status": "active",
        "owner": "",
        "source": "test",
        "version": "1",
    }
    return {**data, **overrides}


def snapshot() -> tuple:
    cap = Contract.objects.get(pk=Contract.objects.get(reference="CAP-2005").pk)
    return (
        cap.end_date,
        cap.total_value,
        cap.status,
        cap.title,
        ContractChange.objects.count(),
        Contract.history.count(),
        ContractChange.history.count(),
    )


def test_admin_records_an_extension_that_moves_the_end_date_with_history(world, admin_user):
    client = client_for(admin_user)
    response = client.post(
        CHANGE,
        {
            "kind": "extension",
            "effective_date": "2015-09-01",
            "new_end_date": "2016-10-31",
            "value_change": "£20,000.00",
            "expected_annual_saving": "1500.00",
            "note": "Bridge to the tower contracts",
            "source": "Decision notice PCD 101",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/contracts/CAP-2005/"

    cap = Contract.objects.get(reference="CAP-2005")
    assert cap.end_date == date(2016, 10, 31)
    assert cap.total_value == Decimal("370000.00")
    assert cap.status == Contract.Status.ACTIVE
    change = cap.changes.order_by("-pk").first()
    assert change.kind == ContractChange.Kind.EXTENSION
    assert change.effective_date == date(2015, 9, 1)
    assert change.old_end_date == date(2015, 12, 31)
    assert change.new_end_date == date(2016, 10, 31)
    assert change.value_change == Decimal("20000.00")
    assert change.expected_annual_saving == Decimal("1500.00")
    assert change.note == "Bridge to the tower contracts"
    assert change.source == "Decision notice PCD 101"
    assert change.recorded_by == admin_user

    latest = cap.history.order_by("-history_id").first()
    assert latest.history_user == admin_user
    assert latest.end_date == date(2016, 10, 31)
    assert latest.prev_record.end_date == date(2015, 12, 31)
    assert change.history.get().history_user == admin_user

    page = client.get("/contracts/CAP-2005/").content.decode()
    assert "31 Dec 2015 → 31 Oct 2016" in page
    assert "Source: Decision notice PCD 101" in page
    assert "Recorded the extension." in page


def test_django_admin_records_a_change_with_its_source_through_the_service(world, admin_user):
    cap = world["contracts"]["cap"]
    response = client_for(admin_user).post(
        "/admin/contracts/contractchange/add/",
        {
            "contract": cap.pk,
            "kind": "renegotiation",
            "effective_date": "2015-04-01",
            "new_end_date": "",
            "value_change": "-2000.00",
            "expected_annual_saving": "500.00",
            "note": "Rates cut",
            "source": "Commercial board minutes, Mar 2015",
        },
    )
    assert response.status_code == 302
    change = ContractChange.objects.latest("pk")
    assert change.source == "Commercial board minutes, Mar 2015"
    assert change.recorded_by == admin_user
    assert change.history.get().history_user == admin_user
    cap.refresh_from_db()
    assert cap.total_value == Decimal("348000.00")
    latest = cap.history.order_by("-history_id").first()
    assert latest.history_user == admin_user
    assert latest.history_change_reason == "Renegotiation effective 1 Apr 2015"


def test_change_rules_are_public_for_forms_and_name_the_field(world):
    errors = change_errors(
        world["contracts"]["cap"],
        kind=ContractChange.Kind.EXTENSION,
        effective_date=date(2015, 9, 1),
        new_end_date=date(2015, 6, 30),
        value_change=Decimal("-999999.00"),
        expected_annual_saving=Decimal("-1.00"),
    )
    assert errors == {
        "new_end_date": (
            "An extension's new end date (30 Jun 2015) must be after the current end date "
            "(31 Dec 2015)."
        ),
        "value_change": "The total value cannot be negative. It is £350,000.00 now.",
        "expected_annual_saving": "The expected annual saving cannot be negative.",
    }


def test_a_change_may_not_end_the_contract_before_it_starts(world):
    """The contract's own rule (end on or after start), applied to the contract after the
    change and shown by the new end date."""
    errors = change_errors(
        world["contracts"]["cap"],
        kind=ContractChange.Kind.TERMINATION,
        effective_date=date(2005, 4, 1),
        new_end_date=date(2005, 3, 31),
        value_change=Decimal("0.00"),
        expected_annual_saving=Decimal("0.00"),
    )
    assert errors == {
        "new_end_date": ("The end date (31 Mar 2005) cannot be before the start date (1 Apr 2005).")
    }


def test_extension_must_end_after_the_current_end_and_nothing_is_written(world, admin_user):
    before = snapshot()
    response = client_for(admin_user).post(
        CHANGE,
        {"kind": "extension", "effective_date": "2015-09-01", "new_end_date": "2015-06-30"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        "An extension&#x27;s new end date (30 Jun 2015) must be after the current end date "
        "(31 Dec 2015)."
    ) in page
    assert 'value="2015-06-30"' in page  # what was typed stays on the page
    assert snapshot() == before


def test_extension_needs_a_new_end_date(world, admin_user):
    before = snapshot()
    response = client_for(admin_user).post(
        CHANGE, {"kind": "extension", "effective_date": "2015-09-01"}
    )
    assert "Enter the new end date for the extension, after the current end (31 Dec 2015)." in (
        response.content.decode()
    )
    assert snapshot() == before


def test_termination_sets_status_and_end_date(world, admin_user):
    change = record_change(
        contract=world["contracts"]["bt"],
        kind=ContractChange.Kind.TERMINATION,
        effective_date=date(2015, 1, 15),
        new_end_date=date(2015, 7, 31),
        value_change=Decimal("-5000.00"),
        user=admin_user,
    )
    bt = Contract.objects.get(reference="BT-NET")
    assert bt.status == Contract.Status.TERMINATED
    assert bt.end_date == date(2015, 7, 31)
    assert bt.total_value == Decimal("25000.00")
    assert change.old_end_date == date(2017, 3, 31)
    assert bt.history.order_by("-history_id").first().history_user == admin_user
    with pytest.raises(ValidationError) as error:
        record_change(
            contract=bt,
            kind=ContractChange.Kind.VARIATION,
            effective_date=date(2015, 2, 1),
            user=admin_user,
        )
    assert error.value.message_dict["kind"] == [
        "BT-NET is terminated; no further changes can be recorded."
    ]


def test_termination_cannot_end_after_the_current_end(world, admin_user):
    with pytest.raises(ValidationError) as error:
        record_change(
            contract=world["contracts"]["bt"],
            kind=ContractChange.Kind.TERMINATION,
            effective_date=date(2015, 1, 15),
            new_end_date=date(2018, 1, 1),
            user=admin_user,
        )
    assert "new_end_date" in error.value.message_dict
    assert Contract.objects.get(reference="BT-NET").status == Contract.Status.ACTIVE


def test_renegotiation_without_a_new_end_keeps_the_end_date(world, admin_user):
    change = record_change(
        contract=world["contracts"]["cap"],
        kind=ContractChange.Kind.RENEGOTIATION,
        effective_date=date(2014, 4, 1),
        expected_annual_saving=Decimal("3000.00"),
        user=admin_user,
    )
    cap = Contract.objects.get(reference="CAP-2005")
    assert cap.end_date == date(2015, 12, 31)
    assert cap.total_value == Decimal("350000.00")
    assert (change.old_end_date, change.new_end_date) == (None, None)
    assert change.expected_annual_saving == Decimal("3000.00")


def test_negative_expected_saving_is_refused(world, admin_user):
    before = snapshot()
    response = client_for(admin_user).post(
        CHANGE,
        {"kind": "variation", "effective_date": "2014-05-01", "expected_annual_saving": "-10"},
    )
    assert "Cannot be negative." in response.content.decode()
    assert snapshot() == before


def test_admin_edits_a_contract_and_history_names_them(world, admin_user):
    data = edit_data(
        supplier=world["suppliers"]["capgemini"].pk,
        title="Outsourced IT and desktop services",
        annual_value="£11,500.50",
    )
    response = client_for(admin_user).post(EDIT, data)
    assert response.status_code == 302
    cap = Contract.objects.get(reference="CAP-2005")
    assert cap.title == "Outsourced IT and desktop services"
    assert cap.annual_value == Decimal("11500.50")
    record = cap.history.order_by("-history_id").first()
    assert record.history_user == admin_user
    assert record.prev_record.annual_value == Decimal("12000.00")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"start_date": "2016-01-01"},
            "The end date (31 Dec 2015) cannot be before the start date (1 Jan 2016).",
        ),
        ({"annual_value": "-1.00"}, "Cannot be negative."),
        ({"total_value": "(5.00)"}, "Cannot be negative."),
        ({"notice_months": "61"}, "The notice period must be between 0 and 60 months."),
        ({"notice_months": "-1"}, "The notice period must be between 0 and 60 months."),
        ({"reference": "BT-NET"}, "Another contract already has this reference."),
        ({"annual_value": "12,00.0"}, "is not an amount in pounds"),
    ],
)
def test_bad_contract_edits_are_explained_and_write_nothing(world, admin_user, overrides, message):
    before = snapshot()
    data = edit_data(supplier=world["suppliers"]["capgemini"].pk, **overrides)
    response = client_for(admin_user).post(EDIT, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert snapshot() == before


def test_update_contract_service_checks_the_rules_itself(world, admin_user):
    cap = world["contracts"]["cap"]
    with pytest.raises(ValidationError) as error:
        update_contract(
            contract=cap,
            data={"start_date": date(2016, 1, 1), "notice_months": 70, "reference": "BT-NET"},
            user=admin_user,
        )
    assert error.value.message_dict == {
        "end_date": ["The end date (31 Dec 2015) cannot be before the start date (1 Jan 2016)."],
        "notice_months": ["The notice period must be between 0 and 60 months."],
        "reference": ["Another contract already has the reference BT-NET."],
    }
    assert Contract.objects.get(pk=cap.pk).start_date == date(2005, 4, 1)


@pytest.mark.parametrize("role_fixture", ["finance_user", "committee_user"])
@pytest.mark.parametrize("url", [EDIT, CHANGE])
def test_finance_and_committee_cannot_edit_or_record_changes(request, world, role_fixture, url):
    user = request.getfixturevalue(role_fixture)
    client = client_for(user)
    before = snapshot()
    assert client.get(url).status_code == 403
    response = client.post(
        url,
        {
            **edit_data(supplier=world["suppliers"]["capgemini"].pk, title="Hacked"),
            "kind": "extension",
            "effective_date": "2015-09-01",
            "new_end_date": "2016-10-31",
        },
    )
    assert response.status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize("role_fixture", ["finance_user", "committee_user"])
def test_services_refuse_users_without_the_permission(request, world, role_fixture):
    user = request.getfixturevalue(role_fixture)
    before = snapshot()
    with pytest.raises(PermissionDenied):
        update_contract(contract=world["contracts"]["cap"], data={"title": "x"}, user=user)
    with pytest.raises(PermissionDenied):
        record_change(
            contract=world["contracts"]["cap"],
            kind=ContractChange.Kind.EXTENSION,
            effective_date=date(2015, 9, 1),
            new_end_date=date(2016, 10, 31),
            user=user,
        )
    assert snapshot() == before


def test_edit_and_change_buttons_show_only_to_admins(world, admin_user, finance_user):
    admin_page = client_for(admin_user).get("/contracts/CAP-2005/").content.decode()
    finance_page = client_for(finance_user).get("/contracts/CAP-2005/").content.decode()
    assert "Edit contract" in admin_page and "Record a change" in admin_page
    assert "Edit contract" not in finance_page and "Record a change" not in finance_page


def test_a_stale_contract_edit_is_refused_with_409_keeping_typed_values(world, admin_user):
    cap = world["contracts"]["cap"]
    update_contract(contract=cap, data={"owner": "Beth"}, user=admin_user, expected_version=1)
    data = edit_data(supplier=world["suppliers"]["capgemini"].pk, title="My new title")
    response = client_for(admin_user).post(EDIT, data)  # opened at version 1
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved this record after you opened it" in page
    assert 'value="My new title"' in page  # the typed value is kept
    assert 'name="version" value="2"' in page  # saving again is a second decision
    stored = Contract.objects.get(pk=cap.pk)
    assert (stored.title, stored.owner, stored.version) == ("Outsourced IT services", "Beth", 2)
    again = client_for(admin_user).post(
        EDIT,
        edit_data(supplier=world["suppliers"]["capgemini"].pk, title="My new title", version="2"),
    )
    assert again.status_code == 302
    assert Contract.objects.get(pk=cap.pk).title == "My new title"
