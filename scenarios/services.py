"""Writes to scenarios. Finance and Admin make and change scenarios; everyone reads them.
Each write is one transaction that checks the user's permission, records the user in the
history and takes the scenario's next version, so that a form opened before someone
else's change is refused (`common.locking`). A scenario's writes touch only its own rows:
the live figures are never changed by one."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from common.locking import bump, check_version
from reports.models import PublishedReport
from scenarios.appendix import frozen_rows, title_for
from scenarios.engine import compute
from scenarios.models import Adjustment, PackAppendix, Scenario
from scenarios.rules import Plan, adjustment_errors

WRITE_SCENARIOS = (
    "scenarios.add_scenario",
    "scenarios.change_scenario",
    "scenarios.add_adjustment",
    "scenarios.delete_adjustment",
)
REFUSAL = "Only Finance and Admin can make or change scenarios."
ADD_TO_PACK = "scenarios.add_packappendix"
SCENARIO_FIELDS = ("name", "description", "weight_by_confidence")


def _require(user: AbstractBaseUser) -> None:
    if not user.has_perms(WRITE_SCENARIOS):
        raise PermissionDenied(REFUSAL)


def _save(row, user: AbstractBaseUser) -> None:
    row._history_user = user
    row.save()


def _name_errors(scenario: Scenario) -> dict[str, str]:
    if not scenario.name.strip():
        return {"name": "Give the scenario a name."}
    return {}


@transaction.atomic
def create_scenario(*, user: AbstractBaseUser, data: dict) -> Scenario:
    """A new scenario with no adjustments, made by `user` now."""
    _require(user)
    scenario = Scenario(**{k: data[k] for k in SCENARIO_FIELDS if k in data})
    errors = _name_errors(scenario)
    if errors:
        raise ValidationError(errors)
    scenario.made_by = scenario.updated_by = user
    _save(scenario, user)
    return scenario


@transaction.atomic
def update_scenario(
    *, scenario: Scenario, user: AbstractBaseUser, data: dict, expected_version: int | None
) -> Scenario:
    """Set the scenario's name, description and confidence weighting."""
    _require(user)
    current = check_version(scenario, expected_version)
    for name in SCENARIO_FIELDS:
        if name in data:
            setattr(current, name, data[name])
    errors = _name_errors(current)
    if errors:
        raise ValidationError(errors)
    _touch(current, user)
    return current


def _touch(scenario: Scenario, user: AbstractBaseUser) -> None:
    bump(scenario)
    scenario.updated_by = user
    _save(scenario, user)


@transaction.atomic
def add_adjustment(
    *,
    scenario: Scenario,
    adjustment: Adjustment,
    user: AbstractBaseUser,
    expected_version: int | None,
) -> Adjustment:
    """Add `adjustment` (unsaved) to `scenario`. Raises ValidationError ({field: message})
    and saves nothing when it breaks a rule (`scenarios.rules.adjustment_errors`)."""
    _require(user)
    current = check_version(scenario, expected_version)
    adjustment.scenario = current
    adjustment.drop_unused()
    errors = adjustment_errors(adjustment, Plan.current())
    if errors:
        raise ValidationError(errors)
    _save(adjustment, user)
    _touch(current, user)
    return adjustment


@transaction.atomic
def remove_adjustment(
    *, adjustment: Adjustment, user: AbstractBaseUser, expected_version: int | None
) -> None:
    """Take an adjustment out of its scenario."""
    _require(user)
    current = check_version(adjustment.scenario, expected_version)
    adjustment._history_user = user
    adjustment.delete()
    _touch(current, user)


@transaction.atomic
def add_to_pack(
    *, scenario: Scenario, report: PublishedReport, user: AbstractBaseUser
) -> PackAppendix:
    """Put the scenario's results, as they are now, in `report`'s pack as an appendix. Once
    per report: a scenario already there is refused."""
    _require(user)
    if not user.has_perm(ADD_TO_PACK):
        raise PermissionDenied(REFUSAL)
    if PackAppendix.objects.filter(report=report, scenario=scenario).exists():
        raise ValidationError({"report": f"{scenario.name} is already in the pack of {report}."})
    adjustments = list(scenario.adjustments.select_related("contract", "initiative", "line"))
    results = compute(adjustments, weight_by_confidence=scenario.weight_by_confidence)
    appendix = PackAppendix(
        report=report,
        scenario=scenario,
        title=title_for(scenario, results),
        summary="; ".join(a.summary for a in adjustments),
        rows=frozen_rows(results),
        added_by=user,
    )
    _save(appendix, user)
    return appendix
