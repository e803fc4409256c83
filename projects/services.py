"""Writes to projects, benefits and officer numbers: each one transaction, each checking the
user's permission, each stale save refused (common.locking), the user kept in history."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from budgets.models import BudgetLine, FinancialYear
from common.locking import bump, check_version
from contracts.models import Contract
from projects.models import (
    BenefitMeasure,
    BenefitValue,
    OfficerCount,
    Project,
    ProjectForecast,
    Rebaseline,
)
from savings.models import Initiative

FIRST_BASELINE_REASON = "Forecast starts at the approved baseline."


def _require(user: AbstractBaseUser, *perms: str, message: str) -> None:
    if not all(user.has_perm(perm) for perm in perms):
        raise PermissionDenied(message)


def _not_in_future(field: str, day: date) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: "This date is in the future: record what is known now."})


def _not_negative(**amounts: Decimal | None) -> None:
    errors = {
        name: "Cannot be negative."
        for name, value in amounts.items()
        if value is not None and value < 0
    }
    if errors:
        raise ValidationError(errors)


def _required_text(**texts: str) -> None:
    errors = {name: "Required." for name, text in texts.items() if not text.strip()}
    if errors:
        raise ValidationError(errors)


# ------------------------------------------------------------------------ the register


@transaction.atomic
def save_project(
    *,
    project: Project | None,
    version: int | None,
    code: str,
    name: str,
    description: str,
    owner: str,
    stage: str,
    closed_on: date | None,
    confidence: str,
    source: str,
    lines: Iterable[BudgetLine],
    contracts: Iterable[Contract],
    initiatives: Iterable[Initiative],
    reason: str,
    user: AbstractBaseUser,
) -> Project:
    """Create a project (`project` None) or change an existing one's register entry.

    Baseline and forecast are not changed here (see `rebaseline` and `record_forecast`). A
    change of delivery confidence needs a reason, kept as the history's change reason; a
    project leaves the business case stage only once its baseline is approved; a closed
    project needs its closing date.
    """
    reason = reason.strip()
    if project is None:
        _require(user, "projects.add_project", message="Only administrators add projects.")
        row = Project()
    else:
        _require(user, "projects.change_project", message="Only administrators edit projects.")
        row = check_version(project, version)
        if row.confidence != confidence and not reason:
            raise ValidationError(
                {"change_reason": "A change of delivery confidence needs a reason."}
            )
        bump(row)
    if stage == Project.Stage.CLOSED and closed_on is None:
        raise ValidationError({"closed_on": "Give the date the project closed."})
    if stage != Project.Stage.CLOSED:
        closed_on = None
    if stage not in Project.UNBASELINED_STAGES and row.baseline_cost is None:
        raise ValidationError(
            {
                "stage": "Approve the baseline first (Re-baseline): a business case moves on "
                "to delivery when its baseline is approved."
            }
        )
    for field, value in {
        "code": code,
        "name": name,
        "description": description,
        "owner": owner,
        "stage": stage,
        "closed_on": closed_on,
        "confidence": confidence,
        "source": source,
    }.items():
        setattr(row, field, value)
    row._change_reason = reason or None
    row._history_user = user
    row.save()
    row.lines.set(lines)
    row.contracts.set(contracts)
    row.initiatives.set(initiatives)
    return row


@transaction.atomic
def record_forecast(
    *,
    project: Project,
    version: int | None,
    cost: Decimal,
    go_live: date,
    as_of: date,
    reason: str,
    user: AbstractBaseUser,
    source: str = "",
) -> ProjectForecast:
    """Append a forecast of the project's whole-life cost and go-live, with its reason, and
    make it the project's current forecast. Forecasts are kept in date order: one cannot
    be dated before the latest one."""
    _require(
        user, "projects.add_projectforecast", message="Only Finance updates project forecasts."
    )
    _required_text(reason=reason)
    _not_negative(forecast_cost=cost)
    _not_in_future("as_of", as_of)
    row = check_version(project, version)
    if row.stage == Project.Stage.CLOSED:
        raise ValidationError("This project is closed: its forecast no longer changes.")
    latest = row.forecasts.order_by("-as_of", "-pk").first()
    if latest is not None and as_of < latest.as_of:
        raise ValidationError(
            {
                "as_of": f"The latest forecast is dated {latest.as_of:%d %b %Y}: date this one "
                "on or after it."
            }
        )
    forecast = ProjectForecast(
        project=row,
        as_of=as_of,
        cost=cost,
        go_live=go_live,
        reason=reason.strip(),
        source=source,
        recorded_by=user,
    )
    forecast._history_user = user
    forecast.save()
    row.forecast_cost, row.forecast_go_live = cost, go_live
    bump(row)
    row._change_reason = f"Forecast: {reason.strip()}"[:100]
    row._history_user = user
    row.save()
    return forecast


@transaction.atomic
def rebaseline(
    *,
    project: Project,
    version: int | None,
    cost: Decimal,
    go_live: date,
    effective: date,
    approver: str,
    reason: str,
    user: AbstractBaseUser,
    source: str = "",
) -> Rebaseline:
    """Record an approved baseline with its reason and approver, keeping the one it
    replaces. The first baseline is the business case's approval: it moves the project
    to delivery, and the forecast starts at it when there is none yet."""
    _require(user, "projects.add_rebaseline", message="Only administrators re-baseline.")
    _required_text(reason=reason, approver=approver)
    _not_negative(baseline_cost=cost)
    _not_in_future("effective", effective)
    row = check_version(project, version)
    if row.stage == Project.Stage.CLOSED:
        raise ValidationError("This project is closed: its baseline no longer changes.")
    latest = row.baselines.order_by("-effective", "-pk").first()
    if latest is not None and effective < latest.effective:
        raise ValidationError(
            {
                "effective": f"The current baseline was approved on {latest.effective:%d %b %Y}:"
                " date this one on or after it."
            }
        )
    baseline = Rebaseline(
        project=row,
        effective=effective,
        cost=cost,
        go_live=go_live,
        previous_cost=row.baseline_cost,
        previous_go_live=row.baseline_go_live,
        approver=approver.strip(),
        reason=reason.strip(),
        source=source,
        recorded_by=user,
    )
    baseline._history_user = user
    baseline.save()
    if latest is None and not row.forecasts.exists():
        first = ProjectForecast(
            project=row,
            as_of=effective,
            cost=cost,
            go_live=go_live,
            reason=FIRST_BASELINE_REASON,
            source=source,
            recorded_by=user,
        )
        first._history_user = user
        first.save()
        row.forecast_cost, row.forecast_go_live = cost, go_live
    if row.stage == Project.Stage.BUSINESS_CASE:
        row.stage = Project.Stage.DELIVERY
    row.baseline_cost, row.baseline_go_live = cost, go_live
    bump(row)
    row._change_reason = f"Baseline: {reason.strip()}"[:100]
    row._history_user = user
    row.save()
    return baseline


# ----------------------------------------------------------------------------- benefits


@transaction.atomic
def save_measure(
    *,
    measure: BenefitMeasure | None,
    version: int | None,
    code: str,
    name: str,
    description: str,
    unit: str,
    cashable: bool,
    owner: str,
    initiative: Initiative | None,
    project: Project | None,
    source: str,
    user: AbstractBaseUser,
) -> BenefitMeasure:
    """Create a benefit measure (`measure` None) or change one's definition."""
    if measure is None:
        _require(user, "projects.add_benefitmeasure", message="Only administrators add measures.")
        row = BenefitMeasure()
    else:
        _require(
            user, "projects.change_benefitmeasure", message="Only administrators edit measures."
        )
        row = check_version(measure, version)
        bump(row)
    for field, value in {
        "code": code,
        "name": name,
        "description": description,
        "unit": unit,
        "cashable": cashable,
        "owner": owner,
        "initiative": initiative,
        "project": project,
        "source": source,
    }.items():
        setattr(row, field, value)
    row._history_user = user
    row.save()
    return row


def _month_row(measure: BenefitMeasure, month: date, version: int | None) -> BenefitValue:
    """The measure's row for `month`, locked and version-checked, or a new unsaved one."""
    if month.day != 1:
        raise ValidationError({"month": "A month is given by its first day."})
    existing = BenefitValue.objects.filter(measure=measure, month=month).first()
    if existing is None:
        return BenefitValue(measure=measure, month=month)
    row = check_version(existing, version)
    bump(row)
    return row


@transaction.atomic
def record_benefit_actual(
    *,
    measure: BenefitMeasure,
    month: date,
    actual: Decimal | None,
    note: str,
    version: int | None,
    user: AbstractBaseUser,
) -> BenefitValue:
    """Record the measure's actual level at the end of `month` (empty: not known yet)."""
    _require(
        user,
        "projects.add_benefitvalue",
        "projects.change_benefitvalue",
        message="Only Finance records benefit actuals.",
    )
    _not_negative(actual=actual)
    if month > timezone.localdate():
        raise ValidationError({"month": "This month has not started: nothing is known yet."})
    row = _month_row(measure, month, version)
    row.actual, row.note, row.updated_by = actual, note.strip(), user
    row._history_user = user
    row.save()
    return row


@transaction.atomic
def set_benefit_plan(
    *,
    measure: BenefitMeasure,
    month: date,
    planned: Decimal | None,
    reason: str,
    version: int | None,
    user: AbstractBaseUser,
) -> BenefitValue:
    """Set the measure's planned level for `month`. Changing a plan already set needs a
    reason, kept as the history's change reason: a revised plan stays visible."""
    _require(
        user, "projects.change_benefitmeasure", message="Only administrators set benefit plans."
    )
    _not_negative(planned=planned)
    row = _month_row(measure, month, version)
    if row.pk and row.planned is not None and row.planned != planned and not reason.strip():
        raise ValidationError({"reason": "A change to an agreed plan needs a reason."})
    row.planned, row.updated_by = planned, user
    row._change_reason = reason.strip()[:100] or None
    row._history_user = user
    row.save()
    return row


# ----------------------------------------------------------------------- officer numbers


@transaction.atomic
def set_officer_count(
    *,
    year: FinancialYear,
    officers: int,
    source: str,
    version: int | None,
    user: AbstractBaseUser,
) -> OfficerCount:
    """Set (or first record) the number of police officers in a financial year."""
    _require(
        user,
        "projects.add_officercount",
        "projects.change_officercount",
        message="Only administrators maintain officer numbers.",
    )
    if officers <= 0:
        raise ValidationError({"officers": "Give the number of officers: more than none."})
    existing = OfficerCount.objects.filter(year=year).first()
    if existing is None:
        row = OfficerCount(year=year)
    else:
        row = check_version(existing, version)
        bump(row)
    row.officers, row.source = officers, source.strip()
    row._history_user = user
    row.save()
    return row
