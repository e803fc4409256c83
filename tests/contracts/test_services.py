"""contracts.services: every write to the register, with the user's permission checked,
the rules applied, the user in history and the row's version taken (common.locking)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from common.locking import StaleVersionError
from contracts.models import Contract, ContractChange, Supplier
from contracts.services import (
    create_contract,
    delete_supplier,
    record_change,
    save_supplier,
    update_contract,
)


def test_update_takes_the_next_version_and_names_the_user(world, admin_user):
    cap = world["contracts"]["cap"]
    saved = update_contract(
        contract=cap, data={"title": "Towers"}, user=admin_user, expected_version=1
    )
    stored = Contract.objects.get(pk=cap.pk)
    assert (saved.version, stored.version, stored.title) == (2, 2, "Towers")
    assert stored.history.latest("history_id").history_user == admin_user


def test_a_stale_update_is_refused_and_writes_nothing(world, admin_user):
    cap = world["contracts"]["cap"]
    update_contract(contract=cap, data={"title": "First"}, user=admin_user, expected_version=1)
    with pytest.raises(StaleVersionError) as error:
        update_contract(contract=cap, data={"title": "Second"}, user=admin_user, expected_version=1)
    assert error.value.current.title == "First"
    assert error.value.changed_by == "Adam"
    stored = Contract.objects.get(pk=cap.pk)
    assert (stored.title, stored.version) == ("First", 2)


def test_recording_a_change_takes_the_contracts_next_version(world, admin_user):
    """An edit opened before the change was recorded is then stale: the end date moved."""
    cap = world["contracts"]["cap"]
    record_change(
        contract=cap,
        kind=ContractChange.Kind.RENEGOTIATION,
        effective_date=date(2014, 4, 1),
        user=admin_user,
    )
    assert Contract.objects.get(pk=cap.pk).version == 2
    with pytest.raises(StaleVersionError):
        update_contract(contract=cap, data={"title": "x"}, user=admin_user, expected_version=1)


def test_create_contract_checks_rules_and_names_the_user(world, admin_user):
    bad = Contract(
        reference="new-1",
        title="New",
        supplier=world["suppliers"]["bt"],
        start_date=date(2015, 4, 1),
        end_date=date(2015, 3, 1),
    )
    with pytest.raises(ValidationError) as error:
        create_contract(contract=bad, user=admin_user)
    assert set(error.value.message_dict) == {"end_date"}
    assert not Contract.objects.filter(reference="new-1").exists()
    bad.end_date = date(2016, 3, 31)
    created = create_contract(contract=bad, user=admin_user)
    stored = Contract.objects.get(pk=created.pk)
    assert (stored.version, stored.history.get().history_user) == (1, admin_user)


def test_create_contract_refuses_a_reference_in_another_case(world, admin_user):
    twin = Contract(
        reference="cap-2005",
        title="Twin",
        supplier=world["suppliers"]["bt"],
        start_date=date(2015, 4, 1),
        end_date=date(2016, 3, 31),
    )
    with pytest.raises(ValidationError) as error:
        create_contract(contract=twin, user=admin_user)
    assert error.value.message_dict == {
        "reference": ["Another contract already has the reference cap-2005."]
    }


def test_save_supplier_creates_renames_and_refuses_a_stale_rename(world, admin_user):
    added = save_supplier(supplier=Supplier(name="  Atos "), user=admin_user)
    assert Supplier.objects.get(pk=added.pk).name == "Atos"
    bt = world["suppliers"]["bt"]
    renamed = save_supplier(
        supplier=Supplier(pk=bt.pk, name="BT Group", notes="Networks"),
        user=admin_user,
        expected_version=1,
    )
    stored = Supplier.objects.get(pk=bt.pk)
    assert (stored.name, stored.notes, stored.version) == ("BT Group", "Networks", 2)
    assert renamed.history.latest("history_id").history_user == admin_user
    with pytest.raises(StaleVersionError):
        save_supplier(
            supplier=Supplier(pk=bt.pk, name="BT plc"), user=admin_user, expected_version=1
        )
    assert Supplier.objects.get(pk=bt.pk).name == "BT Group"


def test_save_supplier_refuses_a_name_taken_in_another_case(world, admin_user):
    with pytest.raises(ValidationError) as error:
        save_supplier(supplier=Supplier(name="capgemini"), user=admin_user)
    assert error.value.message_dict == {"name": ["Another supplier is already called capgemini."]}
    assert Supplier.objects.count() == 2


@pytest.mark.parametrize("role_fixture", ["finance_user", "committee_user"])
def test_every_register_write_refuses_users_without_the_permission(request, world, role_fixture):
    user = request.getfixturevalue(role_fixture)
    bt = world["suppliers"]["bt"]
    new = Contract(
        reference="NEW-9",
        title="x",
        supplier=bt,
        start_date=date(2015, 1, 1),
        end_date=date(2016, 1, 1),
    )
    with pytest.raises(PermissionDenied):
        create_contract(contract=new, user=user)
    with pytest.raises(PermissionDenied):
        save_supplier(supplier=Supplier(name="Atos"), user=user)
    with pytest.raises(PermissionDenied):
        save_supplier(supplier=Supplier(pk=bt.pk, name="BT plc"), user=user)
    with pytest.raises(PermissionDenied):
        delete_supplier(supplier=bt, user=user)
    assert Contract.objects.count() == 2
    assert sorted(Supplier.objects.values_list("name", "version")) == [
        ("BT", 1),
        ("Capgemini", 1),
    ]
    assert Contract.objects.get(reference="CAP-2005").total_value == Decimal("350000.00")
