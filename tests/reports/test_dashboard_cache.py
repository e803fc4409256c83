"""The dashboard is built once for each state of the database (`common.datacache`): read
again while nothing is written, built afresh after any commit, by whatever path it came.

These tests commit (transactional_db): inside a transaction already open nothing is kept
or read (tested below too), so the cache stays out of the way of every other test.
"""

import threading
from datetime import date
from decimal import Decimal as D

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budgets import services
from budgets.models import MonthlyFigure
from budgets.services import FigureEntry
from common import datacache
from contracts.models import Contract
from reports import dashboard as dashboard_module
from tests.conftest import client_for, make_user
from tests.world import build_world

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the data version is PostgreSQL's snapshot"
)
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")

AS_AT_P3 = "/?as_at=3"


@pytest.fixture
def committed_world(transactional_db):
    datacache.forget()
    world = build_world()
    yield world
    datacache.forget()


@pytest.fixture
def builds(monkeypatch) -> list:
    """Every time the dashboard is built rather than read again."""
    made = []
    build = dashboard_module.build_dashboard

    def counted(reporting):
        made.append(reporting)
        return build(reporting)

    monkeypatch.setattr(dashboard_module, "build_dashboard", counted)
    return made


def outturn(client, url: str = AS_AT_P3) -> D:
    response = client.get(url)
    assert response.status_code == 200
    return response.context["dashboard"].totals["outturn"]


def read_twice_without_a_write_between(client, builds: list, attempts: int = 5) -> bool:
    """A dashboard read right after another is not built again. Another session on the
    same server that commits in between changes the snapshot (rightly: its rows may be
    ours), so a few tries."""
    client.get(AS_AT_P3)
    for _ in range(attempts):
        before = len(builds)
        client.get(AS_AT_P3)
        if len(builds) == before:
            return True
    return False


@on_postgresql
def test_the_dashboard_is_read_again_while_nothing_is_written(committed_world, builds):
    client = client_for(make_user("carol", "Committee"))
    assert read_twice_without_a_write_between(client, builds)
    # Its chart downloads read the same build.
    before = len(builds)
    client.get(AS_AT_P3)
    response = client.get(reverse("chart_csv", args=["monthly"]) + "?as_at=3")
    assert response.status_code == 200
    assert len(builds) - before <= 1


@on_postgresql
def test_a_cached_dashboard_costs_a_handful_of_queries(committed_world, builds):
    client = client_for(make_user("carol", "Committee"))
    with CaptureQueriesContext(connection) as first:
        client.get(AS_AT_P3)
    for _ in range(5):
        before = len(builds)
        with CaptureQueriesContext(connection) as again:
            client.get(AS_AT_P3)
        if len(builds) == before:
            break
    assert len(builds) == before, "the second read was built again each time"
    # The build's own queries are all gone: what is left is the reporting date, the
    # movement since the last report, the session and the data version itself.
    assert len(again) <= len(first) - 10


@on_postgresql
def test_each_year_and_reporting_date_is_its_own_dashboard(committed_world, builds):
    client = client_for(make_user("carol", "Committee"))
    p3, p2 = outturn(client, "/?as_at=3"), outturn(client, "/?as_at=2")
    assert p3 == D("22200.00")  # tests/world.py, worked by hand
    assert p2 != p3
    assert outturn(client, "/?as_at=3") == p3


@on_postgresql
def test_an_entry_saved_through_the_service_is_shown_at_once(committed_world, builds):
    world = committed_world
    client = client_for(make_user("carol", "Committee"))
    finance = make_user("fiona", "Finance")
    assert outturn(client) == D("22200.00")
    assert read_twice_without_a_write_between(client, builds)  # it is kept, then:

    figure = MonthlyFigure.objects.get(line__code="NET-01", year=world["year"], period=3)
    services.record_period(
        year=world["year"],
        period=3,
        entries=[FigureEntry(figure_id=figure.pk, version=figure.version, actual=D("480.00"))],
        user=finance,
    )
    # NET-01 P3 counted at its 500.00 budget until its actual came.
    before = len(builds)
    assert outturn(client) == D("22180.00")
    assert len(builds) == before + 1


@on_postgresql
def test_a_write_that_bypasses_every_service_and_signal_is_shown_too(committed_world, builds):
    """No write path has to tell the cache: a bare UPDATE (no save(), no signal, no
    history) still changes what the dashboard shows."""
    client = client_for(make_user("carol", "Committee"))
    assert outturn(client) == D("22200.00")
    assert read_twice_without_a_write_between(client, builds)  # it is kept, then:
    dashboard = client.get(AS_AT_P3).context["dashboard"]
    assert dashboard.decisions_due == []

    Contract.objects.filter(reference="CAP-2005").update(
        end_date=date(2014, 12, 31), notice_months=3
    )
    dashboard = client.get(AS_AT_P3).context["dashboard"]
    assert [c.reference for c in dashboard.decisions_due] == ["CAP-2005"]


@on_postgresql
def test_inside_a_transaction_nothing_is_kept_or_read(committed_world):
    """A transaction already open has its own isolation, and may have written rows no one
    else sees: the build is its own."""
    assert datacache.remember("test", 1, lambda: "committed") == "committed"
    assert datacache.remember("test", 1, lambda: "again") == "committed"
    with transaction.atomic():
        Contract.objects.filter(reference="CAP-2005").update(title="Renamed, not committed")
        assert datacache.remember("test", 1, lambda: "uncommitted") == "uncommitted"
        transaction.set_rollback(True)


@on_postgresql
def test_the_build_sees_the_state_its_version_names(committed_world):
    """The version and every query of the build share one REPEATABLE READ snapshot: a
    commit from another connection in the middle of a build is not half in it."""

    def title() -> str:
        return Contract.objects.get(reference="CAP-2005").title

    def rename_elsewhere():
        try:
            Contract.objects.filter(reference="CAP-2005").update(title="Renamed elsewhere")
        finally:
            connection.close()  # this thread's own connection

    def build():
        first = title()
        other = threading.Thread(target=rename_elsewhere)
        other.start()
        other.join()
        return first, title()

    first, then = datacache.remember("test", "straddle", build)
    assert first == then == "Outsourced IT services"
    assert Contract.objects.get(reference="CAP-2005").title == "Renamed elsewhere"


@on_sqlite
def test_sqlite_has_no_data_version_so_nothing_is_kept(committed_world, builds):
    client = client_for(make_user("carol", "Committee"))
    client.get(AS_AT_P3)
    client.get(AS_AT_P3)
    assert len(builds) == 2


def test_the_latest_entries_used_are_kept(monkeypatch):
    monkeypatch.setattr(datacache, "MAX_ENTRIES", 2)
    datacache.forget()
    made = []

    def build(key):
        made.append(key)
        return key

    for key in ("a", "b", "a", "c", "a", "b"):
        assert datacache.keep(("test", key, "v1"), lambda key=key: build(key)) == key
    # "a" stayed by being used; "b" went when "c" came, so it was built again.
    assert made == ["a", "b", "c", "b"]
    datacache.keep(("test", "a", "v2"), lambda: build("a"))  # another version
    assert made[-1] == "a" and len(made) == 5
    datacache.forget()
