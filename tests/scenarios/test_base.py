"""The base column of every scenario equals the live pages to the penny, on the small world
and on the demo data; computing any scenario leaves every live table as it was; and the
demo's scenario is quick enough to work out on every view."""

import io
import time
from datetime import date
from decimal import Decimal as D

import pytest
from django.apps import apps
from django.core.management import call_command

from budgets.models import FinancialYear
from common.money import PENNY
from contracts.models import Contract
from savings.models import Initiative
from scenarios.engine import compute
from scenarios.models import Adjustment
from scenarios.services import add_adjustment, create_scenario

pytestmark = pytest.mark.django_db
Kind = Adjustment.Kind
LIVE_APPS = ("contracts", "budgets", "savings", "projects", "reports", "common", "auth")


def penny(value: D) -> D:
    return value.quantize(PENNY)


def assert_base_is_live(client) -> int:
    """Every year's base against the dashboard of that year (as at its last closed
    period): outturn, budget, variance, savings forecast, gap and cumulative forecast."""
    results = compute([], weight_by_confidence=True)
    checked = 0
    for year in results.years:
        dashboard = client.get("/", {"year": year.year.label}).context["dashboard"]
        if not dashboard.has_figures:
            continue
        totals, savings = dashboard.totals, dashboard.savings or {}
        # SQLite's sums can carry a float's tail (…130.160001); the pages show pence.
        assert year.base["outturn"] == penny(totals["outturn"]), year.year.label
        assert year.base["budget"] == penny(totals["budget"]), year.year.label
        assert year.base["variance"] == penny(totals["variance"]), year.year.label
        assert year.base["savings"] == savings.get("forecast", D("0.00")), year.year.label
        assert year.base["gap"] == savings.get("gap"), year.year.label
        if savings:
            assert year.base["cumulative_savings"] == savings["cumulative_forecast"]
            assert year.base["cumulative_share"] == savings["cumulative_forecast_share"]
        checked += 1
    return checked


def test_base_equals_the_dashboard_of_every_year_on_the_world(world, committee_client):
    assert assert_base_is_live(committee_client) == 2


def every_kind(world) -> list[Adjustment]:
    return [
        Adjustment(
            kind=Kind.CANCEL,
            contract=world["contracts"]["cap"],
            on_date=date(2014, 7, 1),
            amount=D("500.00"),
        ),
        Adjustment(
            kind=Kind.RENEGOTIATE,
            contract=world["contracts"]["bt"],
            on_date=date(2014, 5, 1),
            percent=D("-12.5"),
        ),
        Adjustment(
            kind=Kind.EXTEND,
            contract=world["contracts"]["cap"],
            on_date=date(2015, 3, 31),
            amount=D("9000.00"),
        ),
        Adjustment(kind=Kind.SLIP, initiative=world["initiatives"]["apps"], months=7),
        Adjustment(kind=Kind.SCALE, initiative=world["initiatives"]["reneg"], factor=D("1.2")),
        Adjustment(
            kind=Kind.SET_FORECAST,
            line=world["lines"]["chg"],
            year=world["year"],
            period=1,
            amount=D("123.45"),
        ),
    ]


def live_rows() -> dict:
    """Every row of every live table, history included, as stored."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for label in LIVE_APPS
        for model in apps.get_app_config(label).get_models()
    }


def test_computing_every_kind_of_adjustment_leaves_every_live_table_unchanged(world):
    before = live_rows()
    results = compute(every_kind(world), weight_by_confidence=True)
    assert results.years[-1].scenario != results.years[-1].base  # it did adjust something
    assert live_rows() == before


def test_viewing_a_stored_scenario_leaves_every_live_table_unchanged(world, finance_user, client):
    scenario = create_scenario(
        user=finance_user, data={"name": "All", "weight_by_confidence": True}
    )
    Contract.objects.filter(pk=world["contracts"]["cap"].pk).update(end_date=date(2014, 9, 30))
    for adjustment in every_kind(world):
        if adjustment.kind == Kind.CANCEL:
            continue  # the contract now ends before the notice would run out
        adjustment.contract = adjustment.contract and Contract.objects.get(
            pk=adjustment.contract_id
        )
        add_adjustment(
            scenario=scenario, adjustment=adjustment, user=finance_user, expected_version=None
        )
    client.force_login(finance_user)
    before = live_rows()
    page = client.get(f"/scenarios/{scenario.pk}/")
    assert page.status_code == 200
    assert len(page.context["adjustments"]) == 5
    assert live_rows() == before


@pytest.fixture
def demo(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", stdout=io.StringIO())


def test_base_equals_the_dashboard_of_every_year_on_the_demo_data(demo, committee_client):
    assert assert_base_is_live(committee_client) >= 2


def test_the_demo_confidence_weighted_scenario_takes_under_200_ms(demo):
    contract = Contract.objects.live().filter(budget_lines__isnull=False).first()
    initiative = Initiative.objects.exclude(stage="abandoned").first()
    years = list(FinancialYear.objects.order_by("start"))
    adjustments = [
        Adjustment(
            kind=Kind.RENEGOTIATE,
            contract=contract,
            on_date=max(years[0].start, min(contract.end_date, years[-1].start)),
            percent=D("-10"),
        ),
        Adjustment(kind=Kind.SLIP, initiative=initiative, months=6),
    ]
    compute(adjustments, weight_by_confidence=True)  # warm
    # The best of five: other work on a shared machine only ever slows a run down.
    runs = []
    for _ in range(5):
        started = time.perf_counter()
        compute(adjustments, weight_by_confidence=True)
        runs.append(time.perf_counter() - started)
    assert min(runs) < 0.2, runs
