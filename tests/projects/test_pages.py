"""Project pages: the register and one project show the figures worked in test_models;
Admin edits the register and re-baselines, Finance updates forecasts; a stale form comes
back with 409 and the typed values; the wrong role gets 403 and nothing changes."""

import csv
import io
from datetime import date
from decimal import Decimal as D

import pytest
from django.utils import timezone

from projects.models import Project, ProjectForecast, Rebaseline
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _row(content: bytes, code: str) -> str:
    text = content.decode()
    start = text.index(f">{code}</a>")
    return text[start : text.index("</tr>", start)]


def test_register_shows_growth_slip_and_rag_as_words(projects, committee_client):
    response = committee_client.get("/projects/?as_at=2015-06-30")
    assert response.status_code == 200
    summary = response.context["summary"]
    assert (summary["projects"], summary["red_on_cost"], summary["total_growth"]) == (
        2,
        1,
        D("1800.00"),
    )
    cc = _row(response.content, "CC")
    assert "£1,500.00" in cc and "15.0%" in cc and "+8" in cc
    assert cc.count("rag-red") == 2 and cc.count(">Red<") == 2
    assert "Closed 31 Jan 2015" in _row(response.content, "OLD")
    assert b'data-testid="kpi-growth"' in response.content


def test_register_filters_by_rag(projects, committee_client):
    response = committee_client.get("/projects/?as_at=2015-06-30&rag=red")
    assert [p.code for p in response.context["table"].data] == ["CC"]


def test_register_exports_exact_figures_and_words(projects, committee_client):
    response = committee_client.get("/projects/?as_at=2015-06-30&_export=csv")
    rows = {row["Code"]: row for row in csv.DictReader(io.StringIO(response.content.decode()))}
    assert rows["CC"]["Cost growth"] == "1500.00"
    assert rows["CC"]["Growth %"] == "15.0"
    assert rows["CC"]["Cost RAG"] == "Red"
    assert rows["CC"]["Senior responsible owner"] == "Senior owner"
    assert rows["BC"]["Cost RAG"] == ""


def test_register_query_count_does_not_grow_with_projects(
    projects, committee_client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        committee_client.get("/projects/")


def test_project_page_shows_the_histories_and_spend(projects, committee_client):
    response = committee_client.get("/projects/MOB/?as_at=2015-06-30")
    assert response.status_code == 200
    project = response.context["project"]
    assert (project.cost_growth, project.original_growth) == (D("300.00"), D("1300.00"))
    content = response.content.decode()
    assert "Scope added" in content  # the re-baseline's reason
    assert "Investment board" in content
    assert "26.0%" in content  # growth since the first baseline
    assert "£900.00" in content  # NET-01 actuals: the spend to date
    cost, go_live = response.context["charts"]
    assert cost.summary.endswith("£300.00 (5.0%) above the £6,000.00 baseline.")
    assert go_live.rows[-1][4] == 1
    assert b"Update forecast" not in response.content  # Committee


def test_project_page_lists_confidence_changes_with_reasons(projects, admin_client_):
    cc = projects["cc"]
    response = admin_client_.post(
        "/projects/CC/edit/",
        _register_data(cc, confidence="red", change_reason="Integrator in breach"),
    )
    assert response.status_code == 302
    page = admin_client_.get("/projects/CC/")
    newest = page.context["confidence_changes"][0]
    assert newest["record"].history_change_reason == "Integrator in breach"
    assert newest["previous"].confidence == "amber"


def test_timeline_csv(projects, committee_client):
    response = committee_client.get("/projects/CC/history.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Date", "Change", "Forecast cost"]
    assert rows[-1][:4] == ["2015-04-01", "forecast", "11500.00", "2016-06-30"]


# ------------------------------------------------------------------------------ forecast


def _forecast_data(project: Project, **overrides) -> dict:
    return {
        "forecast_cost": "£12,345.67",
        "forecast_go_live": "2016-09-30",
        "as_of": "2015-07-01",
        "reason": "Integration testing failed",
        "version": project.version,
    } | overrides


def test_finance_updates_a_forecast_with_its_reason(projects, finance_client):
    cc = projects["cc"]
    response = finance_client.post("/projects/CC/forecast/", _forecast_data(cc))
    assert response.status_code == 302
    assert response["Location"] == "/projects/CC/"
    latest = ProjectForecast.objects.filter(project=cc).latest()
    assert (latest.cost, latest.go_live, latest.reason) == (
        D("12345.67"),
        date(2016, 9, 30),
        "Integration testing failed",
    )


def test_forecast_form_opens_with_the_current_forecast(projects, finance_client):
    response = finance_client.get("/projects/CC/forecast/")
    form = response.context["form"]
    assert form.initial["forecast_cost"] == D("11500.00")
    assert form.initial["as_of"] == timezone.localdate()
    assert b'name="version"' in response.content


def test_stale_forecast_comes_back_409_with_both_values(projects, finance_client, admin_user):
    cc = projects["cc"]
    opened = _forecast_data(cc, forecast_cost="13,000.00")
    client_for(admin_user).post("/projects/CC/forecast/", _forecast_data(cc))
    response = finance_client.post("/projects/CC/forecast/", opened)
    assert response.status_code == 409
    form = response.context["form"]
    assert form["forecast_cost"].value() == "13,000.00"  # the typed value stays
    assert ("Forecast whole-life cost (£)", "£12,345.67", "13,000.00") in form.conflict_rows
    assert b"Someone else saved this record" in response.content
    # Saving again is a deliberate second decision, and works.
    again = finance_client.post(
        "/projects/CC/forecast/", opened | {"version": form["version"].value()}
    )
    assert again.status_code == 302
    assert ProjectForecast.objects.filter(project=cc).latest().cost == D("13000.00")


def test_forecast_without_a_reason_is_refused_on_the_form(projects, finance_client):
    response = finance_client.post(
        "/projects/CC/forecast/", _forecast_data(projects["cc"], reason="")
    )
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    assert ProjectForecast.objects.filter(project=projects["cc"]).count() == 3


def test_forecast_dated_before_the_latest_shows_on_its_field(projects, finance_client):
    response = finance_client.post(
        "/projects/CC/forecast/", _forecast_data(projects["cc"], as_of="2015-01-01")
    )
    assert "1 Apr 2015" in response.context["form"].errors["as_of"][0]


def test_committee_cannot_post_a_forecast(projects, committee_client):
    response = committee_client.post("/projects/CC/forecast/", _forecast_data(projects["cc"]))
    assert response.status_code == 403
    assert ProjectForecast.objects.filter(project=projects["cc"]).count() == 3


# ---------------------------------------------------------------------------- rebaseline


def test_admin_approves_the_first_baseline_of_a_business_case(projects, admin_client_):
    bc = projects["bc"]
    response = admin_client_.post(
        "/projects/BC/rebaseline/",
        {
            "baseline_cost": "8,000.00",
            "baseline_go_live": "2016-03-31",
            "effective": "2015-02-01",
            "approver": "Management board",
            "reason": "Business case approved",
            "version": bc.version,
        },
    )
    assert response.status_code == 302
    bc.refresh_from_db()
    assert bc.stage == Project.Stage.DELIVERY
    assert bc.baseline_cost == D("8000.00")
    assert Rebaseline.objects.get(project=bc).approver == "Management board"


def test_finance_cannot_rebaseline(projects, finance_client):
    assert finance_client.get("/projects/CC/rebaseline/").status_code == 403
    response = finance_client.post("/projects/CC/rebaseline/", {"baseline_cost": "1"})
    assert response.status_code == 403
    assert Rebaseline.objects.filter(project=projects["cc"]).count() == 1


# ------------------------------------------------------------------------------ register


def _register_data(project: Project, **overrides) -> dict:
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
        "initiatives": [i.pk for i in project.initiatives.all()],
        "source": project.source,
        "change_reason": "",
        "version": project.version,
    } | overrides


def test_admin_adds_a_project_at_the_business_case(world, admin_client_):
    response = admin_client_.get("/projects/new/")
    assert response.context["form"].initial["version"] == 0  # a row not yet stored is version 0
    response = admin_client_.post(
        "/projects/new/",
        {
            "code": "NEW-1",
            "name": "New project",
            "stage": "business_case",
            "confidence": "amber",
            "lines": [world["lines"]["chg"].pk],
            "version": 0,
        },
    )
    assert response.status_code == 302
    project = Project.objects.get(code="NEW-1")
    assert [line.code for line in project.lines.all()] == ["CHG-01"]
    assert project.history.get().history_user.username == "adam"


def test_a_new_project_cannot_start_in_delivery(world, admin_client_):
    response = admin_client_.post(
        "/projects/new/",
        {"code": "NEW-2", "name": "x", "stage": "delivery", "confidence": "amber", "version": 1},
    )
    assert response.status_code == 200
    assert "Approve the baseline first" in response.context["form"].errors["stage"][0]
    assert not Project.objects.filter(code="NEW-2").exists()


def test_the_code_new_is_reserved(world, admin_client_):
    response = admin_client_.post(
        "/projects/new/",
        {"code": "new", "name": "x", "stage": "business_case", "confidence": "amber", "version": 1},
    )
    assert "reserved" in response.context["form"].errors["code"][0]


def test_confidence_change_without_reason_is_refused(projects, admin_client_):
    response = admin_client_.post(
        "/projects/CC/edit/", _register_data(projects["cc"], confidence="red")
    )
    assert response.status_code == 200
    assert "change_reason" in response.context["form"].errors
    assert Project.objects.get(code="CC").confidence == "amber"


def test_stale_register_edit_shows_choice_labels_and_lines_by_name(projects, admin_client_):
    cc = projects["cc"]
    opened = _register_data(cc, confidence="red", change_reason="Breach", lines=[])
    admin_client_.post("/projects/CC/edit/", _register_data(cc, name="Renamed"))
    response = admin_client_.post("/projects/CC/edit/", opened)
    assert response.status_code == 409
    rows = {
        label: (theirs, yours) for label, theirs, yours in response.context["form"].conflict_rows
    }
    assert rows["Name"] == ("Renamed", "Command and control")
    assert rows["Delivery confidence"] == ("Amber", "Red")
    assert rows["Budget lines"] == ("CHG-01 Change projects", "—")
    assert Project.objects.get(code="CC").name == "Renamed"


def test_finance_cannot_edit_the_register(projects, finance_client):
    response = finance_client.post("/projects/CC/edit/", _register_data(projects["cc"], name="x"))
    assert response.status_code == 403
    assert Project.objects.get(code="CC").name == "Command and control"


def test_beyond_the_limit_lines_are_typed_as_codes(world, admin_client_, monkeypatch):
    monkeypatch.setattr("common.forms.CODE_BOX_OVER", 1)
    page = admin_client_.get("/projects/new/").content.decode()
    assert '<input type="text" name="lines"' in page and '<select name="lines"' not in page
    new = {"name": "New project", "stage": "business_case", "confidence": "amber", "version": 0}
    response = admin_client_.post("/projects/new/", {**new, "code": "NEW-3", "lines": "NOPE-1"})
    assert response.status_code == 200
    assert response.context["form"].errors["lines"] == ["No budget line has the code “NOPE-1”."]
    assert 'name="lines" value="NOPE-1"' in response.content.decode()
    assert not Project.objects.filter(code="NEW-3").exists()

    response = admin_client_.post(
        "/projects/new/", {**new, "code": "NEW-3", "lines": " CHG-01,NET-01  OUT-01 "}
    )
    assert response.status_code == 302
    project = Project.objects.get(code="NEW-3")
    assert [line.code for line in project.lines.order_by("code")] == ["CHG-01", "NET-01", "OUT-01"]
    edit = admin_client_.get("/projects/NEW-3/edit/").content.decode()
    assert 'name="lines" value="CHG-01, NET-01, OUT-01"' in edit


def test_beyond_the_limit_contracts_and_initiatives_are_typed_as_references_and_codes(
    world, admin_client_, monkeypatch
):
    monkeypatch.setattr("common.forms.CODE_BOX_OVER", 1)
    page = admin_client_.get("/projects/new/").content.decode()
    for name in ("contracts", "initiatives"):
        assert f'<input type="text" name="{name}"' in page and f'<select name="{name}"' not in page
    assert "Type the contracts&#x27; references, separated by commas" in page
    new = {"name": "New project", "stage": "business_case", "confidence": "amber", "version": 0}
    response = admin_client_.post(
        "/projects/new/",
        {**new, "code": "NEW-4", "contracts": "CAP-2005, NOPE-9", "initiatives": "MOBILE X-1"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["contracts"] == ["No contract has the reference “NOPE-9”."]
    assert errors["initiatives"] == ["No initiative has the code “X-1”."]
    assert 'name="contracts" value="CAP-2005, NOPE-9"' in response.content.decode()
    assert not Project.objects.filter(code="NEW-4").exists()

    response = admin_client_.post(
        "/projects/new/",
        {**new, "code": "NEW-4", "contracts": "BT-NET CAP-2005", "initiatives": "MOBILE,APP-RAT"},
    )
    assert response.status_code == 302
    project = Project.objects.get(code="NEW-4")
    assert sorted(c.reference for c in project.contracts.all()) == ["BT-NET", "CAP-2005"]
    assert sorted(i.code for i in project.initiatives.all()) == ["APP-RAT", "MOBILE"]
    edit = admin_client_.get("/projects/NEW-4/edit/").content.decode()
    assert 'name="contracts" value="CAP-2005, BT-NET"' in edit  # as the register lists them
    assert 'name="initiatives" value="APP-RAT, MOBILE"' in edit
