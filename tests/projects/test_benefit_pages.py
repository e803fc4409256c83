"""Benefit pages: the curves, the devices headline, FTE and spend per officer; Finance
records actuals, Admin sets plans and officer numbers; stale saves come back with 409."""

from datetime import date
from decimal import Decimal as D

import pytest

from projects.models import BenefitValue, OfficerCount
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_benefits_page_shows_headline_curves_fte_and_spend_per_officer(projects, committee_client):
    response = committee_client.get("/benefits/?as_at=2015-06-30")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Devices deployed 150 of 300 planned by Jun 2015 (to the end of May 2015)" in content
    assert "5.0 FTE" in content  # 160 hours a week / 32
    assert "32 hours a week released is one officer back on the beat" in content
    charts = {chart.id: chart for chart in response.context["charts"]}
    assert set(charts) == {"benefit-DEVICES", "benefit-HOURS"}
    assert charts["benefit-DEVICES"].summary.startswith("By May 2015, 150 devices against 200")
    spend = response.context["spend_chart"]
    assert [row[3] for row in spend.rows] == [D("270.00"), D("555.00")]
    assert b"/benefits/officers/2014-15/" not in response.content  # Committee


def test_benefits_page_is_fine_with_nothing_recorded(world, committee_client):
    response = committee_client.get("/benefits/")
    assert response.status_code == 200
    assert b"No benefit measures yet." in response.content


def test_measure_page_lists_months_and_plan_changes(projects, admin_client_):
    row = BenefitValue.objects.get(measure__code="DEVICES", month=date(2015, 6, 1))
    admin_client_.post(
        "/benefits/DEVICES/2015-06/plan/",
        {"planned": "250", "reason": "Fewer devices agreed", "version": row.version},
    )
    response = admin_client_.get("/benefits/DEVICES/")
    assert [r["planned"] for r in response.context["rows"]] == [
        D("100.00"),
        D("200.00"),
        D("250.00"),
    ]
    changes = list(response.context["plan_changes"])
    assert [c.history_change_reason for c in changes] == ["Fewer devices agreed"]
    assert b"Record actual" in response.content and b">Plan<" in response.content


def test_another_month_opens_its_record_page(projects, finance_client):
    response = finance_client.get("/benefits/DEVICES/?month=2015-07")
    assert response.status_code == 302
    assert response["Location"] == "/benefits/DEVICES/2015-07/"


def test_finance_records_an_actual(projects, finance_client):
    row = BenefitValue.objects.get(measure__code="DEVICES", month=date(2015, 6, 1))
    response = finance_client.post(
        "/benefits/DEVICES/2015-06/",
        {"actual": "12,400", "note": "Three boroughs", "version": row.version},
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.actual, row.note) == (D("12400.00"), "Three boroughs")


def test_finance_records_a_month_with_no_row_yet(projects, finance_client):
    response = finance_client.get("/benefits/DEVICES/2015-07/")
    assert response.context["form"].initial == {"version": 0}
    response = finance_client.post("/benefits/DEVICES/2015-07/", {"actual": "320", "version": 0})
    assert response.status_code == 302
    assert BenefitValue.objects.get(measure__code="DEVICES", month=date(2015, 7, 1)).actual == D(
        "320.00"
    )


def test_a_negative_actual_is_refused(projects, finance_client):
    row = BenefitValue.objects.get(measure__code="DEVICES", month=date(2015, 6, 1))
    response = finance_client.post(
        "/benefits/DEVICES/2015-06/", {"actual": "-5", "version": row.version}
    )
    assert response.status_code == 200
    assert "actual" in response.context["form"].errors
    row.refresh_from_db()
    assert row.actual is None


def test_stale_actual_comes_back_409(projects, finance_client, admin_user):
    row = BenefitValue.objects.get(measure__code="DEVICES", month=date(2015, 5, 1))
    client_for(admin_user).post(
        "/benefits/DEVICES/2015-05/", {"actual": "160", "version": row.version}
    )
    response = finance_client.post(
        "/benefits/DEVICES/2015-05/", {"actual": "175", "version": row.version}
    )
    assert response.status_code == 409
    assert ("Actual", "160", "175") in response.context["form"].conflict_rows
    assert response.context["form"]["actual"].value() == "175"
    row.refresh_from_db()
    assert row.actual == D("160.00")


def test_bad_month_is_not_found(projects, finance_client):
    assert finance_client.get("/benefits/DEVICES/2015-13/").status_code == 404
    assert finance_client.get("/benefits/DEVICES/someday/").status_code == 404


def test_finance_cannot_set_a_plan(projects, finance_client):
    response = finance_client.post("/benefits/DEVICES/2015-06/plan/", {"planned": "1"})
    assert response.status_code == 403
    assert BenefitValue.objects.get(measure__code="DEVICES", month=date(2015, 6, 1)).planned == D(
        "300.00"
    )


def test_revising_a_plan_without_a_reason_is_refused(projects, admin_client_):
    row = BenefitValue.objects.get(measure__code="DEVICES", month=date(2015, 6, 1))
    response = admin_client_.post(
        "/benefits/DEVICES/2015-06/plan/", {"planned": "250", "version": row.version}
    )
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors


def test_committee_cannot_record(projects, committee_client):
    row = BenefitValue.objects.get(measure__code="DEVICES", month=date(2015, 6, 1))
    response = committee_client.post(
        "/benefits/DEVICES/2015-06/", {"actual": "1", "version": row.version}
    )
    assert response.status_code == 403
    row.refresh_from_db()
    assert row.actual is None


def test_admin_sets_officer_numbers(projects, admin_client_):
    count = OfficerCount.objects.get(year__label="2014-15")
    response = admin_client_.post(
        "/benefits/officers/2014-15/",
        {"officers": "32000", "source": "Computer Weekly, Feb 2013", "version": count.version},
    )
    assert response.status_code == 302
    count.refresh_from_db()
    assert count.officers == 32000
    spend = admin_client_.get("/benefits/").context["spend_chart"]
    # 22,200.00 / 32,000 = 0.69375 -> £0.69
    assert spend.rows[1][3] == D("0.69")


def test_admin_records_officers_for_a_year_without_them(projects, admin_client_):
    OfficerCount.objects.filter(year__label="2013-14").delete()
    response = admin_client_.post(
        "/benefits/officers/2013-14/", {"officers": "31500", "version": 0}
    )
    assert response.status_code == 302
    assert OfficerCount.objects.get(year__label="2013-14").officers == 31500


def test_finance_cannot_set_officer_numbers(projects, finance_client):
    response = finance_client.post("/benefits/officers/2014-15/", {"officers": "1"})
    assert response.status_code == 403
    assert OfficerCount.objects.get(year__label="2014-15").officers == 40
