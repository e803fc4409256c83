"""Every savings write is a service that checks the user's permission: called straight
(a script, the shell), the wrong role is refused and nothing is stored."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from savings.models import Initiative, InitiativeYear, ReductionProgramme, SavingsTarget
from savings.services import (
    change_confidence,
    record_savings,
    save_initiative,
    save_initiative_year,
    save_programme,
    set_target,
)


def reneg_year(world) -> InitiativeYear:
    return InitiativeYear.objects.get(initiative__code="CAP-RENEG", year=world["year"])


def stored(model, **lookup) -> list[tuple]:
    """Every field of every row of `model` (or those matching `lookup`), and its history."""
    rows = list(model.objects.filter(**lookup).values_list())
    return [*rows, model.history.count()]


@pytest.mark.parametrize("user_fixture", ["committee_user"])
def test_committee_cannot_record_savings_through_the_service(request, world, user_fixture):
    before = stored(InitiativeYear)
    with pytest.raises(PermissionDenied):
        record_savings(
            initiative_year=reneg_year(world),
            forecast=Decimal("1.00"),
            note="",
            user=request.getfixturevalue(user_fixture),
        )
    assert stored(InitiativeYear) == before


def test_finance_records_savings_and_the_row_takes_its_next_version(world, finance_user):
    row = record_savings(
        initiative_year=reneg_year(world),
        forecast=None,
        note="Q2",
        user=finance_user,
    )
    stored_row = reneg_year(world)
    assert (stored_row.realised, stored_row.forecast, stored_row.note) == (
        Decimal("4000.00"),
        None,
        "Q2",
    )
    assert row.version == stored_row.version == 2
    assert stored_row.history.latest().history_user == finance_user


@pytest.mark.parametrize("user_fixture", ["committee_user", "finance_user"])
def test_only_admin_edits_an_initiative_through_the_service(request, world, user_fixture):
    user = request.getfixturevalue(user_fixture)
    before = (stored(Initiative), stored(InitiativeYear))
    reneg = Initiative.objects.get(code="CAP-RENEG")
    reneg.name = "Hijacked"
    with pytest.raises(PermissionDenied):
        save_initiative(initiative=reneg, lines=[], planned={}, reason="", user=user)
    with pytest.raises(PermissionDenied):
        save_initiative(
            initiative=Initiative(code="NEW", name="New", lever="cancel"),
            lines=[],
            planned={world["year"]: Decimal("1.00")},
            reason="",
            user=user,
        )
    with pytest.raises(PermissionDenied):
        change_confidence(initiative=reneg, confidence="red", reason="Because", user=user)
    with pytest.raises(PermissionDenied):
        save_initiative_year(
            initiative_year=reneg_year(world),
            planned=Decimal("1.00"),
            forecast=None,
            note="",
            user=user,
        )
    assert (stored(Initiative), stored(InitiativeYear)) == before


@pytest.mark.parametrize("user_fixture", ["committee_user", "finance_user"])
def test_only_admin_sets_targets_and_the_programme_through_the_service(
    request, world, user_fixture
):
    user = request.getfixturevalue(user_fixture)
    before = (stored(SavingsTarget), stored(ReductionProgramme))
    with pytest.raises(PermissionDenied):
        set_target(target=world["target"], amount=Decimal("1.00"), source="", user=user)
    new = SavingsTarget(programme=world["programme"], year=world["base_year"])
    with pytest.raises(PermissionDenied):
        set_target(target=new, amount=Decimal("1.00"), source="", user=user)
    programme = ReductionProgramme.objects.get()
    programme.reduction_target = Decimal("1.00")
    with pytest.raises(PermissionDenied):
        save_programme(programme=programme, user=user)
    assert (stored(SavingsTarget), stored(ReductionProgramme)) == before


def test_admin_changes_confidence_with_the_reason_in_history(world, admin_user):
    reneg = Initiative.objects.get(code="CAP-RENEG")
    change_confidence(
        initiative=reneg, confidence="amber_green", reason="Terms agreed", user=admin_user
    )
    stored_row = Initiative.objects.get(code="CAP-RENEG")
    assert (stored_row.confidence, stored_row.version) == ("amber_green", 2)
    latest = stored_row.history.latest()
    assert (latest.history_change_reason, latest.history_user) == ("Terms agreed", admin_user)


def test_confidence_change_without_a_reason_is_refused_by_the_service(world, admin_user):
    reneg = Initiative.objects.get(code="CAP-RENEG")
    with pytest.raises(ValidationError) as refused:
        change_confidence(initiative=reneg, confidence="red", reason="  ", user=admin_user)
    assert refused.value.message_dict == {
        "change_reason": ["Give a one-line reason for changing the delivery confidence."]
    }
    assert Initiative.objects.get(code="CAP-RENEG").confidence == "amber"


def test_a_negative_forecast_saving_is_refused_by_the_models_rule(world, admin_user):
    with pytest.raises(ValidationError) as refused:
        save_initiative_year(
            initiative_year=reneg_year(world),
            planned=Decimal("6000.00"),
            forecast=Decimal("-1.00"),
            note="",
            user=admin_user,
        )
    assert refused.value.messages == ["A forecast saving cannot be negative."]
    assert reneg_year(world).forecast == Decimal("5000.00")


def test_admin_sets_a_target_for_a_year_without_one(world, admin_user):
    new = SavingsTarget(programme=world["programme"], year=world["base_year"])
    set_target(target=new, amount=Decimal("500.00"), source="Paper", user=admin_user)
    target = SavingsTarget.objects.get(year=world["base_year"])
    assert (target.amount, target.source, target.version) == (Decimal("500.00"), "Paper", 1)
    set_target(target=target, amount=Decimal("600.00"), source="Paper 2", user=admin_user)
    target.refresh_from_db()
    assert (target.amount, target.version) == (Decimal("600.00"), 2)
