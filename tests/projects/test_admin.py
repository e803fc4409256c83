"""The Django admin saves projects, measures, benefit values and officer numbers through
the services: the same rules, history with the user, and a stale save shown again (409)."""

from datetime import date
from decimal import Decimal as D

import pytest

from projects.models import BenefitValue, OfficerCount, Project
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _project_data(project: Project, **overrides) -> dict:
    return {
        "code": project.code,
        "name": project.name,
        "description": project.description,
        "owner": project.owner,
        "stage": project.stage,
        "closed_on": "",
        "confidence": project.confidence,
        "lines": [line.pk for line in project.lines.all()],
        "contracts": [],
        "initiatives": [],
        "source": project.source,
        "change_reason": "",
        "version": project.version,
    } | overrides


def test_admin_change_goes_through_the_service(projects, admin_client_):
    cc = projects["cc"]
    opened_at = cc.version
    url = f"/admin/projects/project/{cc.pk}/change/"
    page = admin_client_.get(url)
    assert b'name="version"' in page.content and b'type="hidden"' in page.content
    response = admin_client_.post(
        url, _project_data(cc, confidence="red", change_reason="Supplier in breach")
    )
    assert response.status_code == 302
    cc.refresh_from_db()
    assert cc.confidence == "red"
    assert cc.version == opened_at + 1
    latest = cc.history.latest("history_date")
    assert (latest.history_change_reason, latest.history_user.username) == (
        "Supplier in breach",
        "adam",
    )
    # The baseline and forecast are read-only here.
    assert (cc.baseline_cost, cc.forecast_cost) == (D("10000.00"), D("11500.00"))


def test_admin_confidence_change_needs_a_reason(projects, admin_client_):
    cc = projects["cc"]
    response = admin_client_.post(
        f"/admin/projects/project/{cc.pk}/change/", _project_data(cc, confidence="red")
    )
    assert response.status_code == 200
    assert "change_reason" in response.context["adminform"].form.errors
    assert Project.objects.get(pk=cc.pk).confidence == "amber"


def test_admin_stale_save_is_shown_again_with_the_typed_values(projects, admin_client_):
    cc = projects["cc"]
    url = f"/admin/projects/project/{cc.pk}/change/"
    opened = _project_data(cc, name="Mine")
    admin_client_.post(url, _project_data(cc, name="Theirs"))
    response = admin_client_.post(url, opened)
    assert response.status_code == 409
    form = response.context["adminform"].form
    assert form["name"].value() == "Mine"
    assert "after you opened it" in str(form.non_field_errors())
    assert Project.objects.get(pk=cc.pk).name == "Theirs"
    again = admin_client_.post(url, opened | {"version": form["version"].value()})
    assert again.status_code == 302
    assert Project.objects.get(pk=cc.pk).name == "Mine"


def test_admin_add_project_in_delivery_is_refused(world, admin_client_):
    response = admin_client_.post(
        "/admin/projects/project/add/",
        {"code": "X", "name": "X", "stage": "delivery", "confidence": "amber", "version": 1},
    )
    assert response.status_code == 200
    assert "stage" in response.context["adminform"].form.errors
    assert not Project.objects.filter(code="X").exists()


def test_forecasts_and_baselines_are_read_only_in_the_admin(projects, admin_client_):
    forecast = projects["cc"].forecasts.first()
    assert admin_client_.get("/admin/projects/projectforecast/add/").status_code == 403
    assert admin_client_.get("/admin/projects/rebaseline/add/").status_code == 403
    change = admin_client_.post(
        f"/admin/projects/projectforecast/{forecast.pk}/change/", {"cost": "1.00"}
    )
    assert change.status_code == 403
    forecast.refresh_from_db()
    assert forecast.cost == D("10000.00")
    assert admin_client_.get("/admin/projects/projectforecast/").status_code == 200


def test_admin_revises_a_plan_with_a_reason(projects, admin_client_):
    row = BenefitValue.objects.get(measure__code="DEVICES", month=date(2015, 6, 1))
    url = f"/admin/projects/benefitvalue/{row.pk}/change/"
    data = {"planned": "250", "actual": "", "note": "", "version": row.version}
    refused = admin_client_.post(url, data)
    assert refused.status_code == 200
    assert "reason" in refused.context["adminform"].form.errors
    response = admin_client_.post(url, data | {"reason": "Fewer devices"})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.planned == D("250.00")
    assert row.history.latest("history_date").history_change_reason == "Fewer devices"


def test_admin_adds_a_benefit_month(projects, admin_client_):
    response = admin_client_.post(
        "/admin/projects/benefitvalue/add/",
        {
            "measure": projects["devices"].pk,
            "month": "2015-07-01",
            "planned": "400",
            "actual": "310",
            "note": "",
            "version": 1,
        },
    )
    assert response.status_code == 302
    row = BenefitValue.objects.get(measure=projects["devices"], month=date(2015, 7, 1))
    assert (row.planned, row.actual) == (D("400.00"), D("310.00"))


def test_admin_officer_count_stale_save(projects, admin_client_):
    count = OfficerCount.objects.get(year__label="2014-15")
    url = f"/admin/projects/officercount/{count.pk}/change/"
    data = {"year": count.year_id, "officers": "32000", "source": "x", "version": count.version}
    assert admin_client_.post(url, data).status_code == 302
    stale = admin_client_.post(url, data | {"officers": "31000"})
    assert stale.status_code == 409
    assert OfficerCount.objects.get(pk=count.pk).officers == 32000


def test_finance_cannot_reach_the_projects_admin(projects, finance_user):
    finance_user.is_staff = True
    finance_user.save()
    response = client_for(finance_user).get("/admin/projects/project/")
    assert response.status_code == 302
