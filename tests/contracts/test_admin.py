"""The Django admin of the register saves through contracts.services: the same rules, the
permission check, the user in history and the next version, whichever way the write comes."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.test import RequestFactory

from common.locking import StaleVersionError
from contracts.models import Contract, ContractChange, Supplier
from tests.budgets.admin_helpers import admin_form_data
from tests.conftest import client_for


def test_admin_edit_of_a_contract_goes_through_the_service(world, admin_user):
    client = client_for(admin_user)
    cap = world["contracts"]["cap"]
    url = f"/admin/contracts/contract/{cap.pk}/change/"
    data = admin_form_data(client, url, title="Outsourced services", owner="CTO")
    assert data["version"] == "1"  # carried hidden, as opened
    response = client.post(url, data)
    assert response.status_code == 302
    stored = Contract.objects.get(pk=cap.pk)
    assert (stored.title, stored.owner, stored.version) == ("Outsourced services", "CTO", 2)
    assert stored.history.latest("history_id").history_user == admin_user


def test_admin_contract_form_states_the_contracts_own_rules(world, admin_user):
    client = client_for(admin_user)
    cap = world["contracts"]["cap"]
    url = f"/admin/contracts/contract/{cap.pk}/change/"
    response = client.post(url, admin_form_data(client, url, notice_months="61"))
    assert response.status_code == 200
    assert "The notice period must be between 0 and 60 months." in response.text
    assert Contract.objects.get(pk=cap.pk).notice_months == 6


def test_admin_adds_a_contract_through_the_service(world, admin_user):
    client = client_for(admin_user)
    url = "/admin/contracts/contract/add/"
    data = admin_form_data(
        client,
        url,
        reference="ATOS-1",
        title="Hosting",
        supplier=str(world["suppliers"]["bt"].pk),
        start_date="2015-04-01",
        end_date="2018-03-31",
        notice_months="6",
        annual_value="100.00",
        total_value="300.00",
        status="active",
    )
    assert client.post(url, data).status_code == 302
    added = Contract.objects.get(reference="ATOS-1")
    assert (added.version, added.history.get().history_user) == (1, admin_user)


def test_admin_supplier_add_and_rename_go_through_the_service(world, admin_user):
    client = client_for(admin_user)
    assert client.post("/admin/contracts/supplier/add/", {"name": "Atos"}).status_code == 302
    atos = Supplier.objects.get(name="Atos")
    assert atos.history.get().history_user == admin_user
    url = f"/admin/contracts/supplier/{atos.pk}/change/"
    response = client.post(url, admin_form_data(client, url, name="Atos Origin"))
    assert response.status_code == 302
    stored = Supplier.objects.get(pk=atos.pk)
    assert (stored.name, stored.version) == ("Atos Origin", 2)


def test_a_stale_admin_edit_is_refused_with_409_keeping_typed_values(world, admin_user):
    client = client_for(admin_user)
    cap = world["contracts"]["cap"]
    url = f"/admin/contracts/contract/{cap.pk}/change/"
    data = admin_form_data(client, url, title="Mine")  # opened at version 1
    Contract.objects.filter(pk=cap.pk).update(version=2, owner="Beth")  # someone saved since
    response = client.post(url, data)
    assert response.status_code == 409
    assert 'value="Mine"' in response.text
    stored = Contract.objects.get(pk=cap.pk)
    assert (stored.title, stored.owner, stored.version) == ("Outsourced IT services", "Beth", 2)


def test_admin_save_passes_the_version_the_form_carried(world, admin_user):
    """The admin's save calls the service with the version the form carried: a stale save
    is refused by the service, not written over the other person's change."""
    cap = world["contracts"]["cap"]
    Contract.objects.filter(pk=cap.pk).update(version=2)  # someone saved since
    model_admin = admin.site._registry[Contract]
    request = RequestFactory().post("/")
    request.user = admin_user
    form = SimpleNamespace(cleaned_data={"title": "Mine", "version": 1}, changed_data=["title"])
    cap.title = "Mine"
    with pytest.raises(StaleVersionError):
        model_admin.save_model(request, cap, form, change=True)
    assert Contract.objects.get(pk=cap.pk).title == "Outsourced IT services"


def test_change_admin_uses_the_one_change_form_and_its_rules(world, admin_user):
    client = client_for(admin_user)
    cap = world["contracts"]["cap"]
    before = (ContractChange.objects.count(), Contract.objects.get(pk=cap.pk).end_date)
    response = client.post(
        "/admin/contracts/contractchange/add/",
        {
            "contract": cap.pk,
            "kind": "extension",
            "effective_date": "2015-09-01",
            "new_end_date": "2015-06-30",
            "value_change": "0",
            "expected_annual_saving": "0",
        },
    )
    assert response.status_code == 200
    assert (
        "An extension&#x27;s new end date (30 Jun 2015) must be after the current end date "
        "(31 Dec 2015)."
    ) in response.text
    assert (ContractChange.objects.count(), Contract.objects.get(pk=cap.pk).end_date) == before


def test_change_added_inline_on_the_contract_page_is_recorded_by_the_service(world, admin_user):
    client = client_for(admin_user)
    cap = world["contracts"]["cap"]
    url = f"/admin/contracts/contract/{cap.pk}/change/"
    data = admin_form_data(client, url)
    data.update(
        {
            "changes-TOTAL_FORMS": "2",
            "changes-1-kind": "extension",
            "changes-1-effective_date": "2015-09-01",
            "changes-1-new_end_date": "2016-03-31",
            "changes-1-value_change": "1,000.00",
            "changes-1-expected_annual_saving": "",
            "changes-1-note": "Bridge",
            "changes-1-source": "Board",
            "changes-1-contract": str(cap.pk),
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.text
    stored = Contract.objects.get(pk=cap.pk)
    assert stored.end_date == date(2016, 3, 31)
    assert stored.total_value == Decimal("351000.00")
    change = stored.changes.latest("pk")
    assert (change.kind, change.recorded_by, change.old_end_date) == (
        "extension",
        admin_user,
        date(2015, 12, 31),
    )


def test_an_inline_change_alone_does_not_resave_the_contract(world, admin_user):
    client = client_for(admin_user)
    cap = world["contracts"]["cap"]
    url = f"/admin/contracts/contract/{cap.pk}/change/"
    data = admin_form_data(client, url)
    data.update(
        {
            "changes-TOTAL_FORMS": "2",
            "changes-1-kind": "renegotiation",
            "changes-1-effective_date": "2015-04-01",
            "changes-1-value_change": "0",
            "changes-1-contract": str(cap.pk),
        }
    )
    before = cap.history.count()
    assert client.post(url, data).status_code == 302
    stored = Contract.objects.get(pk=cap.pk)
    assert stored.version == 2  # the change's own save, and only that
    assert stored.history.count() == before + 1
    assert stored.history.latest("history_id").history_change_reason == (
        "Renegotiation effective 1 Apr 2015"
    )
