"""The demo's projects, benefits and officer numbers: sourced figures kept with their
source, the story's figures as at the demo's reporting date (30 Sep 2015) worked by hand,
and loading twice changing nothing."""

import io
from datetime import date
from decimal import Decimal as D

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from demo.seed.projects import load_projects
from projects.figures import (
    devices_headline,
    fte_for_hours,
    projects_summary,
    spend_per_officer_by_year,
)
from projects.models import (
    BenefitMeasure,
    BenefitValue,
    OfficerCount,
    Project,
    ProjectForecast,
    Rebaseline,
)
from reports.models import PublishedReport
from tests.conftest import client_for

REPORTING_DATE = date(2015, 9, 30)
MODELS = (Project, ProjectForecast, Rebaseline, BenefitMeasure, BenefitValue, OfficerCount)


@pytest.fixture(autouse=True)
def fast_hasher(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo(db, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "kestrel-harbour-lantern-42")
    call_command("seed_demo", stdout=io.StringIO())
    load_projects()


def _counts() -> dict:
    return {model.__name__: model.objects.count() for model in MODELS}


def _history_counts() -> dict:
    return {model.__name__: model.history.count() for model in MODELS}


def test_loading_again_changes_nothing(demo):
    before, history = _counts(), _history_counts()
    load_projects()
    assert _counts() == before
    assert _history_counts() == history
    assert before == {
        "Project": 3,
        "ProjectForecast": 32,
        "Rebaseline": 4,
        "BenefitMeasure": 2,
        "BenefitValue": 2 * 30,  # Oct 2013 to Mar 2016
        "OfficerCount": 3,
    }


def test_what_a_user_changed_stays(demo):
    Project.objects.filter(code="MOBILE").update(name="Renamed by a user")
    BenefitValue.objects.filter(measure__code="MOBILE-DEVICES").delete()
    load_projects()
    assert Project.objects.get(code="MOBILE").name == "Renamed by a user"
    assert BenefitValue.objects.filter(measure__code="MOBILE-DEVICES").count() == 30


def test_sourced_figures_carry_their_source(demo):
    cc = Project.objects.get(code="COMMAND-CONTROL")
    first = cc.baselines.get()
    assert (first.cost, first.effective) == (D("90000000.00"), date(2014, 4, 1))
    assert "MOPAC DMPCD 2016 48" in cc.source
    assert "illustrative" in cc.source
    final = cc.forecasts.latest()
    assert (final.as_of, final.cost, final.go_live) == (date(2016, 3, 31), D("65000000.00"), None)
    assert (cc.stage, cc.closed_on) == (Project.Stage.CLOSED, date(2016, 3, 31))
    tt = Project.objects.get(code="TOTAL-TECH")
    assert tt.baselines.get().cost == D("200000000.00")
    assert "Computing, Feb 2014" in tt.source
    assert OfficerCount.objects.filter(officers=32000).count() == 3
    assert "Computer Weekly, Feb 2013" in OfficerCount.objects.first().source


def test_links_to_lines_contracts_and_initiatives(demo):
    cc = Project.objects.get(code="COMMAND-CONTROL")
    assert [line.code for line in cc.lines.all()] == ["CHG-CAD"]
    assert [c.reference for c in cc.contracts.all()] == ["MPS-LM-CC-2014"]
    mobile = Project.objects.get(code="MOBILE")
    assert sorted(line.code for line in mobile.lines.all()) == ["CHG-MOB", "EUD-MOB"]
    assert [i.code for i in mobile.initiatives.all()] == ["SAV-MOBILE"]
    assert BenefitMeasure.objects.get(code="MOBILE-DEVICES").project == mobile


def test_the_ballooning_project_as_at_the_reporting_date(demo):
    cc = Project.objects.with_growth(REPORTING_DATE).get(code="COMMAND-CONTROL")
    # £90m approved April 2014 for March 2016; the September 2015 forecast: £112m, Sep 2017.
    assert (cc.base_cost, cc.fc_cost) == (D("90000000.00"), D("112000000.00"))
    assert cc.cost_growth == D("22000000.00")
    assert cc.cost_growth_pct == D("24.4")
    assert cc.slip_months == 18
    assert cc.rag == "red"
    history = list(cc.history.order_by("history_date"))
    assert [h.confidence for h in history] == ["amber", "amber_red", "red"]
    assert history[-1].history_change_reason == "Integration testing failed."
    assert history[-1].history_date.date() == date(2015, 7, 31)


def test_projects_summary_at_the_reporting_date(demo):
    # TOTAL-TECH 200 -> 206 (3.0%, Mar -> Jun 2017: 3 months, amber);
    # COMMAND-CONTROL 90 -> 112 (24.4%, 18 months); MOBILE 20 -> 21.6 (8.0%, 9 months).
    summary = projects_summary(REPORTING_DATE)
    assert summary["projects"] == 3
    assert (summary["red_on_cost"], summary["red_on_schedule"], summary["red"]) == (1, 2, 2)
    assert summary["total_baseline"] == D("310000000.00")
    assert summary["total_forecast"] == D("339600000.00")
    assert summary["total_growth"] == D("29600000.00")
    assert summary["total_growth_pct"] == D("9.5")  # 9.548...
    assert [p["code"] for p in summary["red_projects"]] == ["COMMAND-CONTROL", "MOBILE"]


def test_devices_headline_at_the_reporting_date(demo):
    headline = devices_headline(REPORTING_DATE)
    assert headline["text"] == (
        "Devices deployed 12,400 of 30,000 planned by Mar 2016 (to the end of Sep 2015)"
    )
    assert headline["planned_then"] == D("24000.00")


def test_officer_hours_as_fte(demo):
    hours = BenefitValue.objects.get(measure__code="OFFICER-HOURS", month=date(2015, 9, 1))
    # 12,400 devices x 0.8 = 9,920 hours a week / 32 = 310 officers;
    # planned 24,000 x 0.96 = 23,040 / 32 = 720.
    assert (hours.actual, hours.planned) == (D("9920.00"), D("23040.00"))
    assert fte_for_hours(hours.actual) == D("310.0")
    final = BenefitValue.objects.get(measure__code="OFFICER-HOURS", month=date(2016, 3, 1))
    assert fte_for_hours(final.planned) == D("900.0")  # the sourced ~900 officers' time


def test_spend_per_officer_uses_32000_officers_every_year(demo):
    every = spend_per_officer_by_year()
    # The plan's later years have spend but no officer numbers: no figure per officer.
    assert [r["year_label"] for r in every if r["officers"] is None] == [
        "2016-17",
        "2017-18",
        "2018-19",
        "2019-20",
    ]
    assert all(r["per_officer"] is None for r in every if r["officers"] is None)
    rows = [r for r in every if r["officers"] is not None]
    assert [r["year_label"] for r in rows] == ["2013-14", "2014-15", "2015-16"]
    for row in rows:
        assert row["officers"] == 32000
        assert abs(row["per_officer"] * 32000 - row["outturn"]) <= 160  # half a penny x 32,000
    # Spend falls as the savings land.
    assert rows[0]["per_officer"] > rows[1]["per_officer"] > rows[2]["per_officer"]


def test_the_committee_reads_the_story_on_the_dashboard_and_in_the_p6_report(demo):
    home = client_for(User.objects.get(username="committee")).get("/")
    projects = home.context["dashboard"].projects
    assert projects["as_at_date"] == REPORTING_DATE
    html = home.content.decode()
    assert "Devices deployed 12,400 of 30,000 planned by Mar 2016" in html
    assert [p["code"] for p in projects["summary"]["red_projects"]] == [
        "COMMAND-CONTROL",
        "MOBILE",
    ]
    assert projects["summary"]["total_growth"] == D("29600000.00")
    assert projects["this_year"]["officers"] == 32000
    # The P6 report stored the same, as the committee was shown it.
    report = PublishedReport.objects.current().get(year__label="2015-16", period=6)
    stored = report.data["projects"]
    assert stored["summary"]["total_growth"] == D("29600000.00")
    assert stored["devices"]["deployed"] == D("12400.00")
    assert stored["this_year"]["per_officer"] == projects["this_year"]["per_officer"]
