"""Figures written through the API: the entry grids' service and rules, all or nothing.

tests/world.py: 2014-15 is closed through P2; NET-01 has a budget of 500.00 a month and no
P3 actual; the note rule needs a note when |actual - budget| is over 10% and over 50,000
(VARIANCE_NOTE_PERCENT, VARIANCE_NOTE_AMOUNT), so the tests lower the amount to 100.
"""

from decimal import Decimal as D

import pytest
from django.test import override_settings

from budgets.models import ImportBatch, MonthlyFigure
from tests.metbudget.permission_matrix import database_fingerprint

URL = "/api/v1/figure-batches/"


def figure(code: str, period: int) -> MonthlyFigure:
    return MonthlyFigure.objects.get(line__code=code, year__label="2014-15", period=period)


def entry(code: str, period: int, **values) -> dict:
    return {"line": code, "period": period, "version": figure(code, period).version, **values}


def post(client, *entries, year: str = "2014-15"):
    return client.post(URL, {"year": year, "figures": list(entries)}, format="json")


def test_finance_records_actuals_forecasts_and_notes_in_one_batch(world, finance_user, finance_api):
    response = post(
        finance_api,
        entry("NET-01", 3, actual="480.50", note="Line rental credit"),
        entry("OUT-01", 7, forecast="1075.25"),
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    net, out = figure("NET-01", 3), figure("OUT-01", 7)
    assert net.actual == D("480.50") and net.note == "Line rental credit"
    assert out.forecast == D("1075.25") and out.actual is None
    assert net.updated_by == finance_user and net.version == 2
    batch = ImportBatch.objects.get(pk=body["batch"])
    assert net.import_batch == out.import_batch == batch
    assert batch.uploaded_by == finance_user and batch.file_format == "api"
    assert batch.figure_count == 2 and batch.total == D("480.50")
    assert sorted(row["line"] for row in body["changed"]) == ["NET-01", "OUT-01"]
    assert {row["version"] for row in body["changed"]} == {2}


def test_every_change_has_a_history_row_with_the_api_user_and_batch(
    world, finance_user, finance_api
):
    response = post(finance_api, entry("NET-01", 3, actual="480.50"))
    batch = response.json()["batch"]
    record = figure("NET-01", 3).history.latest("history_id")
    assert record.history_user == finance_user
    assert record.actual == D("480.50") and record.import_batch_id == batch
    assert record.history_change_reason == f"API: token tests (batch {batch})"


def test_a_closed_period_is_refused_with_409_and_nothing_written(world, finance_api):
    before = database_fingerprint()
    response = post(finance_api, entry("NET-01", 3, actual="1.00"), entry("NET-01", 2, actual="9"))
    assert response.status_code == 409
    assert response.json()["code"] == "period_closed"
    assert "P2 2014-15 is closed" in response.json()["detail"]
    assert figure("NET-01", 3).actual is None and figure("NET-01", 2).actual == D("450.00")
    assert database_fingerprint() == before


def test_a_stale_version_is_refused_with_409_naming_the_figure(world, admin_user, finance_api):
    stale = entry("OUT-01", 5, forecast="1.00")
    # Someone else saves OUT-01 P5 after it was read.
    fresh = post(finance_api, entry("OUT-01", 5, forecast="999.00"))
    assert fresh.status_code == 200
    response = post(finance_api, entry("NET-01", 4, forecast="2.00"), stale)
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "stale_version"
    assert body["detail"] == (
        "Nothing was saved: changed since read: OUT-01 P5 (sent version 1, now 2 by Fiona). "
        "Read them again and resend."
    )
    assert body["figures"] == [{"line": "OUT-01", "period": 5, "version": 2, "changed_by": "Fiona"}]
    # All or nothing: the fresh entry in the same request was not written either.
    assert figure("NET-01", 4).forecast is None
    assert figure("OUT-01", 5).forecast == D("999.00")


def test_a_version_is_required(world, finance_api):
    response = post(finance_api, {"line": "NET-01", "period": 3, "actual": "1.00"})
    assert response.status_code == 400
    assert response.json() == {"figures": {"0": {"version": ["This field is required."]}}}
    assert figure("NET-01", 3).actual is None


@override_settings(VARIANCE_NOTE_AMOUNT=D("100"))
def test_an_actual_far_from_budget_needs_a_note_as_in_the_grid(world, finance_api):
    # 800.00 against a 500.00 budget: 300.00 over, 60% and more than 100.00.
    response = post(finance_api, entry("OUT-01", 3, note="ok"), entry("NET-01", 3, actual="800"))
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "note_required"
    assert body["figures"] == [{"line": "NET-01", "period": 3}]
    assert figure("NET-01", 3).actual is None and figure("OUT-01", 3).note == ""
    explained = post(finance_api, entry("NET-01", 3, actual="800", note="Annual renewal"))
    assert explained.status_code == 200
    assert figure("NET-01", 3).actual == D("800.00")


def test_committee_may_not_write(world, committee_api):
    before = database_fingerprint()
    response = post(committee_api, entry("NET-01", 3, actual="480.50"))
    assert response.status_code == 403
    assert database_fingerprint() == before


def test_admin_writes_figures_as_finance_does(world, admin_api):
    assert post(admin_api, entry("NET-01", 3, actual="480.50")).status_code == 200
    assert figure("NET-01", 3).actual == D("480.50")


def test_the_budget_cannot_be_written_through_the_api(world, admin_api):
    response = post(admin_api, entry("NET-01", 3, budget="1.00"))
    # `budget` is not a field of an entry: it is ignored, and the entry has nothing to set.
    assert response.status_code == 400
    assert figure("NET-01", 3).budget == D("500.00")


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"line": "NOPE-01", "period": 3}, "no figure for NOPE-01 P3 2014-15"),
        ({"line": "NET-01", "period": 13}, "less than or equal to 12"),
        ({"line": "NET-01", "period": 3, "actual": "1.234"}, "2 decimal places"),
        ({"line": "NET-01", "period": 3, "actual": "lots"}, "valid number"),
    ],
)
def test_bad_entries_are_refused_naming_the_row(world, finance_api, bad, message):
    good = entry("OUT-01", 4, forecast="5.00")
    response = post(finance_api, good, {"version": 1, "actual": "1.00", **bad})
    assert response.status_code == 400
    assert message in str(response.json())
    assert figure("OUT-01", 4).forecast == D("1050.00")


def test_the_same_figure_twice_in_one_batch_is_refused(world, finance_api):
    response = post(finance_api, entry("NET-01", 3, actual="1"), entry("NET-01", 3, actual="2"))
    assert response.status_code == 400
    assert "NET-01 P3 is sent twice" in str(response.json())


def test_a_batch_that_changes_nothing_makes_no_batch(world, finance_api):
    response = post(finance_api, entry("OUT-01", 4, forecast="1050.00"))
    assert response.status_code == 200
    assert response.json() == {"batch": None, "changed": []}
    assert not ImportBatch.objects.exists()


def test_session_writes_need_the_csrf_token(world, finance_user):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(finance_user)
    response = post(client, entry("NET-01", 3, actual="480.50"))
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert figure("NET-01", 3).actual is None


def test_an_api_batch_is_listed_with_the_imports(world, finance_user, finance_api, finance_client):
    batch = post(finance_api, entry("NET-01", 3, actual="480.50")).json()["batch"]
    page = finance_client.get(f"/budgets/import/batches/{batch}/")
    assert page.status_code == 200
    assert "API: token tests" in page.content.decode()
