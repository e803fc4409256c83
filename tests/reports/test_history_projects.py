"""/history/ lists the projects and benefits changes too: the register, forecasts,
re-baselines, benefit measures and values, and officer numbers (tests/projects/world.py)."""

import pytest

from reports.filters import HistoryFilter
from tests.conftest import client_for
from tests.projects.world import build_projects
from tests.reports.test_history_page import page_rows, row_count

pytestmark = pytest.mark.django_db

PROJECT_TYPES = {
    "projects.project": "Project",
    "projects.projectforecast": "Project forecast",
    "projects.rebaseline": "Rebaseline",
    "projects.benefitmeasure": "Benefit measure",
    "projects.benefitvalue": "Benefit value",
    "projects.officercount": "Officer count",
}


@pytest.fixture
def projects(world) -> dict:
    return build_projects(world)


def _rows(client, record_type: str) -> list[dict]:
    response = client.get("/history/", {"record_type": record_type})
    assert response.status_code == 200
    return page_rows(response)


def test_every_projects_model_is_a_record_type(db):
    choices = dict(HistoryFilter().filters["record_type"].extra["choices"]())
    for label, name in PROJECT_TYPES.items():
        assert choices[label] == name


def test_forecasts_and_baselines_are_named_and_linked_to_their_project(projects, committee_user):
    client = client_for(committee_user)
    forecasts = {r["name"]: r["url"] for r in _rows(client, "projects.projectforecast")}
    # CC: one from its baseline and two more; MOB two; OLD two.
    assert len(forecasts) == 7
    assert forecasts["CC: Forecast of 1 Oct 2014"] == "/projects/CC/"
    assert forecasts["MOB: Forecast of 1 Jan 2015"] == "/projects/MOB/"
    baselines = {r["name"]: r["url"] for r in _rows(client, "projects.rebaseline")}
    assert baselines == {
        "CC: Baseline of 1 Apr 2014": "/projects/CC/",
        "MOB: Baseline of 15 Jan 2014": "/projects/MOB/",
        "MOB: Baseline of 1 Jun 2014": "/projects/MOB/",
        "OLD: Baseline of 1 Jan 2014": "/projects/OLD/",
    }


def test_register_changes_say_old_and_new_values(projects, committee_user):
    rows = _rows(client_for(committee_user), "projects.project")
    newest_cc = next(r for r in rows if r["name"] == "CC Command and control")
    assert newest_cc["url"] == "/projects/CC/"
    assert newest_cc["action"] == "Changed"
    # The latest forecast (1 Apr 2015) moved the register's forecast from 10,400.00.
    assert ("forecast whole-life cost", "£10,400.00", "£11,500.00") in newest_cc["changes"]


def test_benefit_values_measures_and_officer_numbers(projects, committee_user):
    client = client_for(committee_user)
    values = {(r["action"], r["name"]) for r in _rows(client, "projects.benefitvalue")}
    assert ("Created", "DEVICES Jun 2015") in values
    assert ("Changed", "DEVICES Apr 2015") in values  # its actual recorded
    assert ("Created", "HOURS Apr 2015") in values
    urls = {r["name"]: r["url"] for r in _rows(client, "projects.benefitvalue")}
    assert urls["DEVICES Apr 2015"] == "/benefits/DEVICES/"
    measures = {r["name"]: r["url"] for r in _rows(client, "projects.benefitmeasure")}
    assert measures["DEVICES Devices deployed"] == "/benefits/DEVICES/"
    officers = {r["name"]: r["url"] for r in _rows(client, "projects.officercount")}
    assert officers == {"Officers 2013-14": "/benefits/", "Officers 2014-15": "/benefits/"}


def test_the_unfiltered_page_counts_the_projects_changes(projects, committee_user):
    client = client_for(committee_user)
    everything = row_count(client.get("/history/"))
    projects_only = sum(
        row_count(client.get("/history/", {"record_type": label})) for label in PROJECT_TYPES
    )
    assert projects_only > 0
    without = row_count(client.get("/history/", {"record_type": "budgets.monthlyfigure"}))
    assert everything >= projects_only + without
