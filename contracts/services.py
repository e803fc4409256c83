"""Writes to the contract register. Each is one transaction and leaves history rows that
name the user; the checks here hold whichever way the write arrives (page, shell, script)."""

from copy import copy
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from common.locking import bump, check_version
from common.money import ZERO, format_money
from contracts.models import Contract, ContractChange, Supplier

# What "Edit contract" may set. The end date is not among them: it moves only by a recorded
# change (`record_change`), which keeps the old and new dates and the reason on the timeline.
EDITABLE_FIELDS = (
    "reference",
    "title",
    "supplier",
    "description",
    "start_date",
    "notice_months",
    "annual_value",
    "total_value",
    "status",
    "owner",
    "source",
)

# What a recorded change holds; `record_change` takes them by these names.
CHANGE_FIELDS = (
    "kind",
    "effective_date",
    "new_end_date",
    "value_change",
    "expected_annual_saving",
    "note",
    "source",
)

RECORDABLE_KINDS = (
    ContractChange.Kind.EXTENSION,
    ContractChange.Kind.VARIATION,
    ContractChange.Kind.RENEGOTIATION,
    ContractChange.Kind.TERMINATION,
)

ENDED = (Contract.Status.EXPIRED, Contract.Status.TERMINATED)


def contract_errors(contract: Contract) -> dict[str, str]:
    """Every rule a contract to be saved must meet, as {field: message}: the contract's own
    rules (`Contract.rule_errors`) and a reference no other contract has, in any case."""
    errors = contract.rule_errors()
    if (
        contract.reference
        and Contract.objects.filter(reference__iexact=contract.reference)
        .exclude(pk=contract.pk)
        .exists()
    ):
        errors["reference"] = f"Another contract already has the reference {contract.reference}."
    return errors


def _require(user: AbstractBaseUser, permission: str, refusal: str) -> None:
    if not user.has_perm(permission):
        raise PermissionDenied(refusal)


def _save(row: Contract | Supplier, user: AbstractBaseUser, reason: str | None = None) -> None:
    row._history_user = user
    row._change_reason = reason
    row.save()


@transaction.atomic
def create_contract(*, contract: Contract, user: AbstractBaseUser) -> Contract:
    """Add `contract` (unsaved) to the register, with the user in its history.

    Raises ValidationError ({field: message}) and writes nothing when a rule is broken.
    """
    _require(user, "contracts.add_contract", "Only administrators can add contracts.")
    if contract.pk is not None:
        raise ValueError("create_contract adds a new contract; use update_contract.")
    errors = contract_errors(contract)
    if errors:
        raise ValidationError(errors)
    contract.version = 1
    _save(contract, user)
    return contract


@transaction.atomic
def update_contract(
    *,
    contract: Contract,
    data: dict,
    user: AbstractBaseUser,
    expected_version: int | None = None,
) -> Contract:
    """Set the editable fields given in `data` and save, with the user in the history.

    `expected_version` is the version the person saw: a contract changed since raises
    StaleVersionError (None skips the comparison). Raises ValidationError
    ({field: message}) and writes nothing when a rule is broken.
    """
    _require(user, "contracts.change_contract", "Only administrators can edit contracts.")
    current = check_version(contract, expected_version)
    for field in EDITABLE_FIELDS:
        if field in data:
            setattr(current, field, data[field])
    errors = contract_errors(current)
    if errors:
        raise ValidationError(errors)
    bump(current)
    _save(current, user)
    return current


@transaction.atomic
def save_supplier(
    *, supplier: Supplier, user: AbstractBaseUser, expected_version: int | None = None
) -> Supplier:
    """Add `supplier`, or save its name and notes over the stored row, with the user in the
    history. A supplier changed since `expected_version` raises StaleVersionError; a name
    another supplier has (in any case) raises ValidationError."""
    if supplier.pk is None:
        _require(user, "contracts.add_supplier", "Only administrators can add suppliers.")
        current = supplier
    else:
        _require(user, "contracts.change_supplier", "Only administrators can edit suppliers.")
        current = check_version(supplier, expected_version)
        current.name, current.notes = supplier.name, supplier.notes
        bump(current)
    current.name = current.name.strip()
    if Supplier.objects.filter(name__iexact=current.name).exclude(pk=current.pk).exists():
        raise ValidationError({"name": f"Another supplier is already called {current.name}."})
    _save(current, user)
    return current


@transaction.atomic
def delete_supplier(*, supplier: Supplier, user: AbstractBaseUser) -> None:
    """Remove a supplier that has no contracts (a contract's supplier is protected)."""
    _require(user, "contracts.delete_supplier", "Only administrators can delete suppliers.")
    supplier._history_user = user
    supplier.delete()


@transaction.atomic
def delete_contract(*, contract: Contract, user: AbstractBaseUser) -> None:
    """Remove a contract with no recorded changes (its changes are its history, protected)."""
    _require(user, "contracts.delete_contract", "Only administrators can delete contracts.")
    contract._history_user = user
    contract.delete()


@transaction.atomic
def record_change(
    *,
    contract: Contract,
    kind: str,
    effective_date: date,
    new_end_date: date | None = None,
    value_change: Decimal = ZERO,
    expected_annual_saving: Decimal = ZERO,
    note: str = "",
    source: str = "",
    user: AbstractBaseUser,
) -> ContractChange:
    """Append a change to a contract and apply it, in one transaction.

    An extension moves the end date later; a termination ends the contract on
    `new_end_date` (no later than the current end) and sets its status; a variation or
    renegotiation may move the end date either way. `value_change` is added to the total
    value. The change row keeps the old and new end dates and where the figures come from
    (`source`), and both rows' history names the user. Raises ValidationError
    ({field: message}) and writes nothing on bad input.
    """
    if not (
        user.has_perm("contracts.add_contractchange") and user.has_perm("contracts.change_contract")
    ):
        raise PermissionDenied("Only administrators can record contract changes.")
    current = check_version(contract, None)
    errors = change_errors(
        current,
        kind=kind,
        effective_date=effective_date,
        new_end_date=new_end_date,
        value_change=value_change,
        expected_annual_saving=expected_annual_saving,
    )
    if errors:
        raise ValidationError(errors)

    old_end = current.end_date
    moves_end = new_end_date is not None and new_end_date != old_end
    change = ContractChange(
        contract=current,
        kind=kind,
        effective_date=effective_date,
        old_end_date=old_end if new_end_date is not None else None,
        new_end_date=new_end_date,
        value_change=value_change,
        expected_annual_saving=expected_annual_saving,
        note=note.strip(),
        source=source.strip(),
        recorded_by=user,
    )
    change._history_user = user
    change.save()

    if moves_end:
        current.end_date = new_end_date
    if kind == ContractChange.Kind.TERMINATION:
        current.status = Contract.Status.TERMINATED
    current.total_value += value_change
    bump(current)
    _save(current, user, f"{change.get_kind_display()} effective {effective_date:%-d %b %Y}")
    contract.refresh_from_db()
    return change


def change_errors(
    contract: Contract,
    *,
    kind: str,
    effective_date: date | None,
    new_end_date: date | None,
    value_change: Decimal | None,
    expected_annual_saving: Decimal | None,
) -> dict[str, str]:
    """The rules a change to `contract` must meet, as {field: message}; empty when it meets
    them. `record_change` applies them, and the change form (in the app and the admin) shows
    them by the field. The contract after the change must still meet its own rules
    (`Contract.rule_errors`): an end date on or after the start, a total value not negative."""
    errors: dict[str, str] = {}
    if kind not in RECORDABLE_KINDS:
        errors["kind"] = "Choose an extension, variation, renegotiation or termination."
    if contract.status in ENDED:
        errors["kind"] = (
            f"{contract.reference} is {contract.get_status_display().lower()}; "
            "no further changes can be recorded."
        )
    if effective_date is None:
        errors["effective_date"] = "Enter the date the change takes effect."
    elif effective_date < contract.start_date:
        errors["effective_date"] = (
            f"The change cannot take effect before the contract starts "
            f"({contract.start_date:%-d %b %Y})."
        )
    end_error = _new_end_error(contract, kind, new_end_date)
    if end_error:
        errors["new_end_date"] = end_error
    if value_change is None:
        errors["value_change"] = "Enter the change to the total value (0 for none)."
    if expected_annual_saving is None or expected_annual_saving < 0:
        errors["expected_annual_saving"] = "The expected annual saving cannot be negative."
    after = copy(contract)
    after.end_date = new_end_date or contract.end_date
    after.total_value = contract.total_value + (value_change or ZERO)
    broken = after.rule_errors()
    if "end_date" in broken:
        errors.setdefault("new_end_date", broken["end_date"])
    if "total_value" in broken:
        errors["value_change"] = (
            f"{broken['total_value']} It is {format_money(contract.total_value)} now."
        )
    return errors


def _new_end_error(contract: Contract, kind: str, new_end_date: date | None) -> str | None:
    """What is wrong with the new end date for this kind of change, if anything."""
    end = f"{contract.end_date:%-d %b %Y}"
    if kind == ContractChange.Kind.EXTENSION:
        if new_end_date is None:
            return f"Enter the new end date for the extension, after the current end ({end})."
        if new_end_date <= contract.end_date:
            return (
                f"An extension's new end date ({new_end_date:%-d %b %Y}) must be after the "
                f"current end date ({end})."
            )
    if kind == ContractChange.Kind.TERMINATION:
        if new_end_date is None:
            return "Enter the new end date for the termination: the day the contract ends."
        if new_end_date > contract.end_date:
            return (
                f"A termination cannot end the contract after its current end date ({end}); "
                "record an extension instead."
            )
    return None
