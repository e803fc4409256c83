"""Savings aggregates against tests/world.py (numbers worked out by hand from its
docstring) and the savings tables' database constraints.

2014-15 by hand: identified = CAP-RENEG 6,000 + APP-RAT 3,000 = 9,000 (OLD-X is abandoned,
MOBILE non-cashable); approved = CAP-RENEG 6,000; realised = 4,000; forecast = CAP-RENEG's
5,000 + APP-RAT's planned 3,000 = 8,000; gap to the 10,000 target = 2,000.
"""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.db import IntegrityError, transaction

from budgets.models import FinancialYear, Rag
from savings.models import (
    Initiative,
    InitiativeYear,
    ReductionProgramme,
    SavingsTarget,
    savings_rag,
)
from savings.services import record_savings

pytestmark = pytest.mark.django_db


def test_by_year_keeps_abandoned_and_non_cashable_savings_out_of_the_cash_pipeline(world):
    rows = list(InitiativeYear.objects.by_year())

    assert rows == [
        {
            "year_id": world["year"].pk,
            "year_label": "2014-15",
            "year_start": date(2014, 4, 1),
            "identified": D("9000.00"),
            "approved": D("6000.00"),
            "realised": D("4000.00"),
            "claimed": D("0.00"),
            "forecast": D("8000.00"),
            "non_cashable_planned": D("7000.00"),
            "non_cashable_realised": D("1000.00"),
        }
    ]


def test_by_year_counts_approved_in_delivery_and_delivered_as_approved(world):
    apps = world["initiatives"]["apps"]
    apps.stage = Initiative.Stage.DELIVERED
    apps.save()

    row = InitiativeYear.objects.by_year().get()

    assert row["approved"] == D("9000.00")  # 6,000 + 3,000
    assert row["identified"] == D("9000.00")


def test_by_year_counts_cash_already_saved_by_an_abandoned_initiative(world):
    old = InitiativeYear.objects.get(initiative=world["initiatives"]["old"])
    old.realised = D("500.00")
    old.forecast = D("1500.00")
    old.save()

    row = InitiativeYear.objects.by_year().get()

    assert row["realised"] == D("4500.00")
    assert row["forecast"] == D("8000.00")  # its forecast still does not count
    assert row["identified"] == D("9000.00")


@pytest.fixture
def second_year(world) -> FinancialYear:
    """2015-16: target 20,000; CAP-RENEG planned 8,000 (realised 2,500); APP-RAT planned
    4,000 forecast 1,000; OLD-X (abandoned) 9,999; MOBILE (non-cashable) 5,000. And 2016-17
    with an initiative but no target."""
    year = FinancialYear.objects.create(label="2015-16", start=date(2015, 4, 1))
    later = FinancialYear.objects.create(label="2016-17", start=date(2016, 4, 1))
    SavingsTarget.objects.create(programme=world["programme"], year=year, amount=D("20000.00"))
    i = world["initiatives"]
    InitiativeYear.objects.create(
        initiative=i["reneg"], year=year, planned=D("8000.00"), realised=D("2500.00")
    )
    InitiativeYear.objects.create(
        initiative=i["apps"], year=year, planned=D("4000.00"), forecast=D("1000.00")
    )
    InitiativeYear.objects.create(initiative=i["old"], year=year, planned=D("9999.00"))
    InitiativeYear.objects.create(initiative=i["mobile"], year=year, planned=D("5000.00"))
    InitiativeYear.objects.create(initiative=i["reneg"], year=later, planned=D("1000.00"))
    return year


def test_pipeline_per_year_with_gap_rag_and_cumulative_shares(world, second_year):
    rows = InitiativeYear.objects.pipeline(world["programme"])

    assert [r["year_label"] for r in rows] == ["2014-15", "2015-16", "2016-17"]
    first, second, third = rows

    assert first["target"] == D("10000.00")
    assert first["identified"] == D("9000.00")
    assert first["approved"] == D("6000.00")
    assert first["realised"] == D("4000.00")
    assert first["forecast"] == D("8000.00")
    assert first["gap"] == D("2000.00")
    assert first["realised_gap"] == D("6000.00")
    assert first["realised_pct"] == D("40.0")
    assert first["rag"] == Rag.RED  # 20% short
    assert first["cumulative_target"] == D("10000.00")
    assert first["cumulative_target_share"] == D("10.0")  # of the 100,000 reduction
    assert first["cumulative_realised"] == D("4000.00")
    assert first["cumulative_realised_share"] == D("4.0")
    assert first["cumulative_forecast"] == D("8000.00")
    assert first["cumulative_forecast_share"] == D("8.0")

    assert second["target"] == D("20000.00")
    assert second["identified"] == D("12000.00")  # 8,000 + 4,000
    assert second["approved"] == D("8000.00")
    assert second["realised"] == D("2500.00")
    assert second["forecast"] == D("9000.00")  # 8,000 as planned + APP-RAT's 1,000
    assert second["non_cashable_planned"] == D("5000.00")
    assert second["non_cashable_realised"] == D("0.00")
    assert second["gap"] == D("11000.00")
    assert second["realised_gap"] == D("17500.00")
    assert second["realised_pct"] == D("12.5")
    assert second["cumulative_target"] == D("30000.00")
    assert second["cumulative_target_share"] == D("30.0")
    assert second["cumulative_realised"] == D("6500.00")
    assert second["cumulative_realised_share"] == D("6.5")
    assert second["cumulative_forecast"] == D("17000.00")
    assert second["cumulative_forecast_share"] == D("17.0")

    assert third["target"] is None
    assert third["gap"] is None
    assert third["rag"] is None
    assert third["forecast"] == D("1000.00")
    assert third["cumulative_target"] == D("30000.00")
    assert third["cumulative_forecast"] == D("18000.00")


def test_pipeline_gives_cumulative_realised_as_a_share_of_cumulative_target(world, second_year):
    """The one home of the dashboard's "realised (…%) of the cumulative target"."""
    first, second, third = InitiativeYear.objects.pipeline(world["programme"])
    assert first["cumulative_realised_pct"] == D("40.0")  # 4,000 of 10,000
    assert second["cumulative_realised_pct"] == D("21.7")  # 6,500 of 30,000: 21.66…
    assert third["cumulative_realised_pct"] == D("21.7")


def test_programme_for_a_year_is_the_one_covering_it_else_the_latest(world):
    later = FinancialYear.objects.create(label="2015-16", start=date(2015, 4, 1))
    newer = ReductionProgramme.objects.create(
        name="Second round",
        organisation_budget=D("1.00"),
        reduction_target=D("1.00"),
        first_year=later,
        last_year=later,
        baseline_year=world["year"],
        technology_baseline=D("1.00"),
    )
    assert ReductionProgramme.objects.for_year(world["year"]) == world["programme"]
    assert ReductionProgramme.objects.for_year(later) == newer
    assert ReductionProgramme.objects.for_year(world["base_year"]) == newer  # the latest
    assert ReductionProgramme.objects.for_year(None) == newer


def test_pipeline_shows_a_target_year_without_initiatives(world):
    year = FinancialYear.objects.create(label="2015-16", start=date(2015, 4, 1))
    SavingsTarget.objects.create(programme=world["programme"], year=year, amount=D("20000.00"))

    row = InitiativeYear.objects.pipeline(world["programme"])[-1]

    assert row["year_label"] == "2015-16"
    assert row["target"] == D("20000.00")
    assert row["identified"] == D("0.00")
    assert row["gap"] == D("20000.00")
    assert row["rag"] == Rag.RED
    assert row["cumulative_target"] == D("30000.00")


def test_pipeline_without_a_programme_has_no_targets_or_shares(world):
    (row,) = InitiativeYear.objects.pipeline(None)

    assert row["forecast"] == D("8000.00")
    assert row["target"] is None
    assert row["cumulative_forecast"] == D("8000.00")
    assert row["cumulative_forecast_share"] is None


def test_pipeline_is_two_queries(world, second_year, django_assert_num_queries):
    with django_assert_num_queries(2):
        InitiativeYear.objects.pipeline(world["programme"])


@pytest.mark.parametrize(
    ("achieved", "rag"),
    [
        ("10000.00", Rag.GREEN),
        ("12000.00", Rag.GREEN),
        ("9000.00", Rag.AMBER),  # exactly 10% short
        ("8999.99", Rag.RED),
        ("0.00", Rag.RED),
    ],
)
def test_savings_rag_against_a_10000_target(achieved, rag):
    assert savings_rag(D(achieved), D("10000.00")) == rag


# Constraints


def _refused(create, **fields) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        create(**fields)


def test_one_target_per_programme_and_year(world):
    _refused(
        SavingsTarget.objects.create,
        programme=world["programme"],
        year=world["year"],
        amount=D("1.00"),
    )


def test_target_cannot_be_negative(world):
    _refused(
        SavingsTarget.objects.create,
        programme=world["programme"],
        year=world["base_year"],
        amount=D("-1.00"),
    )


def test_initiative_code_is_unique(world):
    _refused(Initiative.objects.create, code="CAP-RENEG", name="Again", lever="cancel")


def test_one_initiative_year_per_initiative_and_year(world):
    _refused(
        InitiativeYear.objects.create,
        initiative=world["initiatives"]["reneg"],
        year=world["year"],
        planned=D("1.00"),
    )


def test_planned_saving_cannot_be_negative(world):
    _refused(
        InitiativeYear.objects.create,
        initiative=world["initiatives"]["reneg"],
        year=world["base_year"],
        planned=D("-0.01"),
    )


def test_forecast_saving_cannot_be_negative(world):
    _refused(
        InitiativeYear.objects.create,
        initiative=world["initiatives"]["reneg"],
        year=world["base_year"],
        planned=D("0.00"),
        forecast=D("-0.01"),
    )


def test_realised_above_planned_is_accepted_and_flagged(world):
    row = InitiativeYear.objects.get(initiative=world["initiatives"]["reneg"])
    row.realised = D("6000.01")
    row.save()
    row.refresh_from_db()
    assert row.realised == D("6000.01")
    assert row.over_plan is True


def test_programme_amounts_cannot_be_negative(world):
    _refused(
        ReductionProgramme.objects.create,
        name="Bad",
        organisation_budget=D("1.00"),
        reduction_target=D("-1.00"),
        first_year=world["year"],
        last_year=world["year"],
        baseline_year=world["base_year"],
        technology_baseline=D("0.00"),
    )


# Realised savings awaiting an update before a close: initiatives in delivery or delivered
# (in the world MOBILE is in delivery, CAP-RENEG approved), by their rows' history.


def _awaiting(moment) -> list[str]:
    rows = InitiativeYear.objects.not_updated_since(moment).order_by("initiative__code")
    return [row.initiative.code for row in rows]


def test_rows_never_changed_by_a_person_await_an_update_when_nothing_has_closed(
    world, finance_user
):
    assert _awaiting(None) == ["MOBILE"]  # loaded in bulk: no history by anyone

    Initiative.objects.filter(code="CAP-RENEG").update(stage=Initiative.Stage.DELIVERED)
    assert _awaiting(None) == ["CAP-RENEG", "MOBILE"]

    mobile = InitiativeYear.objects.get(initiative__code="MOBILE")
    record_savings(initiative_year=mobile, forecast=None, note="Reviewed", user=finance_user)
    assert _awaiting(None) == ["CAP-RENEG"]


def test_rows_changed_since_the_moment_are_up_to_date(world, finance_user):
    mobile = InitiativeYear.objects.get(initiative__code="MOBILE")
    record_savings(initiative_year=mobile, forecast=None, note="Reviewed", user=finance_user)
    recorded = mobile.history.get().history_date

    assert _awaiting(recorded) == []  # a change at the moment itself counts
    assert _awaiting(recorded + timedelta(seconds=1)) == ["MOBILE"]
