"""Writes to savings: each one transaction, with the user recorded in history."""

from collections.abc import Iterable
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from budgets.models import BudgetLine, FinancialYear
from common.money import ZERO
from savings.models import Initiative, InitiativeYear, ReductionProgramme, SavingsTarget


def _not_negative(**amounts: Decimal | None) -> None:
    errors = {
        name: f"{name.capitalize()} cannot be negative."
        for name, value in amounts.items()
        if value is not None and value < 0
    }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def record_savings(
    *,
    initiative_year: InitiativeYear,
    realised: Decimal | None,
    forecast: Decimal | None,
    note: str,
    user: AbstractBaseUser,
) -> InitiativeYear:
    """Record an initiative-year's realised saving and latest forecast (empty forecast =
    as planned). Realised above planned is accepted; `over_plan` flags it."""
    _not_negative(realised=realised, forecast=forecast)
    row = InitiativeYear.objects.select_for_update().get(pk=initiative_year.pk)
    row.realised = realised
    row.forecast = forecast
    row.note = note
    row._history_user = user
    row.save(update_fields=["realised", "forecast", "note"])
    return row


@transaction.atomic
def save_initiative(
    *,
    initiative: Initiative,
    lines: Iterable[BudgetLine],
    planned: dict[FinancialYear, Decimal | None],
    reason: str,
    user: AbstractBaseUser,
) -> Initiative:
    """Create or update an initiative, its budget lines and its planned savings per year.

    A change of delivery confidence needs a reason; the reason is stored as the history
    row's change reason. An empty planned amount creates no row for a new year and means
    £0.00 for a year that already has one (its realised savings stay).
    """
    reason = reason.strip()
    if initiative.pk:
        before = Initiative.objects.select_for_update().get(pk=initiative.pk)
        if before.confidence != initiative.confidence and not reason:
            raise ValidationError(
                {"change_reason": "A change of delivery confidence needs a reason."}
            )
    _not_negative(**{f"planned {year}": amount for year, amount in planned.items()})
    initiative._change_reason = reason or None
    initiative._history_user = user
    initiative.save()
    initiative.lines.set(lines)

    existing = {row.year_id: row for row in initiative.years.select_for_update()}
    for year, amount in planned.items():
        row = existing.get(year.pk)
        if row is None:
            if amount is None:
                continue
            row = InitiativeYear(initiative=initiative, year=year)
        elif row.planned == (amount or ZERO):
            continue
        row.planned = amount or ZERO
        row._history_user = user
        row.save()
    return initiative


@transaction.atomic
def set_target(
    *,
    programme: ReductionProgramme,
    year: FinancialYear,
    amount: Decimal,
    source: str,
    user: AbstractBaseUser,
) -> SavingsTarget:
    """Set (or first create) the programme's savings target for a year."""
    _not_negative(target=amount)
    target = (
        SavingsTarget.objects.select_for_update().filter(programme=programme, year=year).first()
    ) or SavingsTarget(programme=programme, year=year)
    target.amount = amount
    target.source = source
    target._history_user = user
    target.save()
    return target
