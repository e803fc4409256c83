"""An upload waiting for its confirmation: kept in PendingImport, owned, and expiring."""

from datetime import timedelta
from decimal import Decimal as D
from hashlib import sha256

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from budgets.importing.pending import PENDING_SECONDS
from budgets.models import ImportBatch, MonthlyFigure, PendingImport
from common.roles import FINANCE
from tests.conftest import client_for, make_user

FILE = b"line_code,year,period,actual\nOUT-01,2014-15,4,42.00\n"


def upload(client, data: bytes = FILE, name: str = "p4.csv"):
    return client.post("/budgets/import/", {"file": SimpleUploadedFile(name, data)})


def confirm_data(preview) -> dict:
    form = preview.context["confirm_form"]
    return {name: form[name].value() for name in form.fields}


def out_p4() -> MonthlyFigure:
    return MonthlyFigure.objects.get(line__code="OUT-01", year__label="2014-15", period=4)


def test_the_upload_waits_in_a_row_of_its_owner_with_its_bytes_and_versions(
    world, finance_user, finance_client
):
    before = timezone.now()
    upload(finance_client)

    pending = PendingImport.objects.get()
    assert pending.owner == finance_user
    assert (pending.filename, pending.sha256) == ("p4.csv", sha256(FILE).hexdigest())
    assert bytes(pending.data) == FILE
    assert pending.versions == {f"{out_p4().line_id}:{out_p4().year_id}:4": 1}
    assert pending.expires_at - pending.created_at == timedelta(seconds=PENDING_SECONDS)
    assert pending.created_at >= before
    assert out_p4().actual is None  # nothing applied yet


def test_an_expired_upload_is_refused_with_a_clear_message_and_deleted(world, finance_client):
    preview = upload(finance_client)
    PendingImport.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    response = finance_client.post("/budgets/import/confirm/", confirm_data(preview), follow=True)

    page = response.content.decode()
    assert "The upload of p4.csv expired: a preview must be confirmed within 60 minutes." in page
    assert "Nothing was saved; upload the file again." in page
    assert not PendingImport.objects.exists()
    assert out_p4().actual is None
    assert not ImportBatch.objects.exists()


def test_one_person_cannot_confirm_anothers_upload(world, finance_client):
    preview = upload(finance_client)
    frank = make_user("frank", FINANCE)

    response = client_for(frank).post(
        "/budgets/import/confirm/", confirm_data(preview), follow=True
    )

    assert "There is no import waiting for confirmation" in response.content.decode()
    assert out_p4().actual is None
    assert PendingImport.objects.count() == 1  # the owner's upload still waits
    finance_client.post("/budgets/import/confirm/", confirm_data(preview))
    assert out_p4().actual == D("42.00")
    assert not PendingImport.objects.exists()


def test_a_new_upload_replaces_the_persons_earlier_one_and_clears_expired_ones(
    world, finance_user, finance_client
):
    frank = make_user("frank", FINANCE)
    first = upload(finance_client)
    upload(client_for(frank), b"line_code,year,period,actual\nNET-01,2014-15,4,1.00\n")
    PendingImport.objects.filter(owner=frank).update(expires_at=timezone.now())

    upload(finance_client, b"line_code,year,period,actual\nOUT-01,2014-15,4,43.00\n", "b.csv")

    assert list(PendingImport.objects.values_list("owner__username", "filename")) == [
        ("fiona", "b.csv")
    ]
    response = finance_client.post("/budgets/import/confirm/", confirm_data(first), follow=True)
    assert "There is no import waiting for confirmation" in response.content.decode()
    assert out_p4().actual is None


def test_a_refused_file_keeps_only_its_problems_for_the_csv(world, finance_client):
    upload(finance_client, b"line_code,year,period,actual\nNOPE,2014-15,4,1.00\n", "bad.csv")

    pending = PendingImport.objects.get()
    assert (pending.sha256, bytes(pending.data)) == ("", b"")
    assert pending.problems == [[2, "line_code", "“NOPE” is not a budget line code"]]
    crafted = {"pending": str(pending.pk), "sha256": "0" * 64}
    response = finance_client.post("/budgets/import/confirm/", crafted, follow=True)
    assert "There is no import waiting for confirmation" in response.content.decode()


@pytest.mark.parametrize("data", [{}, {"pending": "x", "sha256": "y"}])
def test_a_malformed_confirmation_changes_nothing(world, finance_client, data):
    upload(finance_client)
    response = finance_client.post("/budgets/import/confirm/", data, follow=True)
    assert "There is no import waiting for confirmation" in response.content.decode()
    assert out_p4().actual is None
