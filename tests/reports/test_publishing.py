"""Published reports: stored once, never recomputed; movement is the difference of two."""

import re
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied

from budgets.models import MonthlyFigure
from budgets.reporting import reporting_at
from common import snapshot
from reports.models import PublishedReport
from reports.movement import movement
from reports.publishing import build_payload, publish_report
from tests.conftest import client_for

REPORT = re.compile(r'<article class="report".*?</article>', re.S)


def _publish(world, user, period=2, reason=""):
    return publish_report(year=world["year"], period=period, user=user, reason=reason)


def test_only_those_who_close_periods_publish(world, finance_user):
    with pytest.raises(PermissionDenied):
        _publish(world, finance_user)
    assert PublishedReport.objects.count() == 0


def test_a_report_holds_every_headline_figure_as_the_dashboard_showed_it(
    world, admin_user, committee_client
):
    live = committee_client.get("/?year=2014-15&as_at=2").context["dashboard"]
    report = _publish(world, admin_user)
    data = report.data
    assert (report.version, data["year"], data["period"]) == (1, "2014-15", 2)
    # P1-P2 actuals (1,100 x 2 + 450 x 2 + 0 - 50) and the outturn rule to P2.
    assert data["totals"]["actual_to_date"] == D("3050.00") == live.totals["actual_to_date"]
    assert data["totals"] == live.totals
    assert data["savings"] == live.savings
    headline = {h["key"]: h["value"] for h in data["headline"]}
    assert headline["outturn"] == live.totals["outturn"]
    assert headline["gap"] == live.savings["gap"] == D("2000.00")
    assert [c["id"] for c in data["charts"]] == [c.id for c in live.charts]
    assert [c["rows"] for c in data["charts"]] == [[list(r) for r in c.rows] for c in live.charts]
    assert {line["code"] for line in data["lines"]} == {"OUT-01", "NET-01", "CHG-01"}


def test_a_published_report_never_changes_when_figures_do(world, admin_user, committee_user):
    report = _publish(world, admin_user)
    client = client_for(committee_user)
    before = REPORT.search(client.get(report.get_absolute_url()).content.decode()).group(0)
    stored = report.payload

    figure = MonthlyFigure.objects.get(line__code="NET-01", year=world["year"], period=12)
    figure.forecast = D("99999.00")
    figure.save()

    report.refresh_from_db()
    assert report.payload == stored
    after = REPORT.search(client.get(report.get_absolute_url()).content.decode()).group(0)
    assert after == before
    # The live dashboard has moved; the report has not.
    live = client.get("/?year=2014-15&as_at=2").context["dashboard"]
    assert live.totals["outturn"] != report.data["totals"]["outturn"]


def test_closing_again_publishes_a_new_version_and_keeps_the_old(world, admin_user):
    first = _publish(world, admin_user)
    second = _publish(world, admin_user, reason="Late invoice from BT")
    assert (first.version, second.version) == (1, 2)
    assert list(PublishedReport.objects.current()) == [second]
    assert PublishedReport.objects.count() == 2
    assert second.close_reason == "Late invoice from BT"


def test_the_payload_is_canonical_so_equal_reports_are_byte_identical(world):
    payload = build_payload(reporting_at(world["year"], 2))
    assert snapshot.dumps(payload) == snapshot.dumps(build_payload(reporting_at(world["year"], 2)))


def test_movement_is_the_difference_of_two_stored_reports(world, admin_user):
    p1 = _publish(world, admin_user, period=1)
    out = MonthlyFigure.objects.get(line__code="OUT-01", year=world["year"], period=12)
    out.forecast = D("1500.00")  # outturn up by 500.00 against its 1,000.00 budget
    out.save()
    p2 = _publish(world, admin_user, period=2)
    moved = movement(p2.data, p1.data)
    rows = {row["key"]: row for row in moved["headline"]}
    assert rows["outturn"]["change"] == (
        p2.data["totals"]["outturn"] - p1.data["totals"]["outturn"]
    )
    assert rows["outturn"]["previous"] == p1.data["totals"]["outturn"]
    lines = {line["code"]: line["change"] for line in moved["lines"]}
    # OUT-01: its P2 actual 1,100.00 replaces the 1,000.00 budget, and P12 rises by 500.00.
    assert lines["OUT-01"] == D("600.00")
    assert movement(p2.data, None) is None


def test_committee_reads_the_list_and_the_report(world, admin_user, committee_user):
    report = _publish(world, admin_user)
    client = client_for(committee_user)
    listing = client.get("/reports/")
    assert listing.status_code == 200
    assert report.get_absolute_url() in listing.content.decode()
    page = client.get(report.get_absolute_url())
    assert page.status_code == 200
    assert "first report published for 2014-15" in page.content.decode()


def test_the_dashboard_shows_the_movement_between_its_period_and_the_previous_report(
    world, admin_user, committee_client
):
    p1 = _publish(world, admin_user, period=1)
    p2 = _publish(world, admin_user, period=2)
    response = committee_client.get("/?year=2014-15")  # the default: P2, closed
    movement = response.context["movement"]
    assert movement["report"] == p2
    change = p2.data["totals"]["outturn"] - p1.data["totals"]["outturn"]
    assert {r["key"]: r["change"] for r in movement["headline"]}["outturn"] == change
    assert 'data-testid="movement"' in response.content.decode()
