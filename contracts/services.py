"""Writes to the contract register. Each is one transaction and leaves history rows that
name the user; the checks here hold whichever way the write arrives (page, shell, script)."""

from datetime import date
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from common.money import ZERO, format_money
from contracts.models import Contract, ContractChange

# What "Edit contract" may set; a contract's changes are recorded separately.
EDITABLE_FIELDS = (
    "reference",
    "title",
    "supplier",
    "description",
    "start_date",
    "end_date",
    "notice_months",
    "annual_value",
    "total_value",
    "status",
    "owner",
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
    """The rules a contract must meet, as {field: message}; empty when it meets them."""
    errors: dict[str, str] = {}
    if contract.start_date and contract.end_date and contract.end_date < contract.start_date:
        errors["end_date"] = (
            f"The end date ({contract.end_date:%-d %b %Y}) cannot be before the start date "
            f"({contract.start_date:%-d %b %Y})."
        )
    for field in ("annual_value", "total_value"):
        value = getattr(contract, field)
        if value is not None and value < 0:
            label = Contract._meta.get_field(field).verbose_name
            errors[field] = f"The {label} cannot be negative (it is {format_money(value)})."
    notice = contract.notice_months
    if notice is None or not 0 <= notice <= Contract.MAX_NOTICE_MONTHS:
        errors["notice_months"] = (
            f"The notice period must be between 0 and {Contract.MAX_NOTICE_MONTHS} months."
        )
    if (
        contract.reference
        and Contract.objects.filter(reference__iexact=contract.reference)
        .exclude(pk=contract.pk)
        .exists()
    ):
        errors["reference"] = f"Another contract already has the reference {contract.reference}."
    return errors


@transaction.atomic
def update_contract(*, contract: Contract, data: dict, user: AbstractBaseUser) -> Contract:
    """Set the editable fields given in `data` and save, with the user in the history.

    Raises ValidationError ({field: message}) and writes nothing when a rule is broken.
    """
    if not user.has_perm("contracts.change_contract"):
        raise PermissionDenied("Only administrators can edit contracts.")
    current = Contract.objects.select_for_update().get(pk=contract.pk)
    for field in EDITABLE_FIELDS:
        if field in data:
            setattr(current, field, data[field])
    errors = contract_errors(current)
    if errors:
        raise ValidationError(errors)
    current._history_user = user
    current.save()
    return current


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
    current = Contract.objects.select_for_update().get(pk=contract.pk)
    errors = change_errors(
        current, kind, effective_date, new_end_date, value_change, expected_annual_saving
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
    current._history_user = user
    current._change_reason = f"{change.get_kind_display()} effective {effective_date:%-d %b %Y}"
    current.save()
    contract.refresh_from_db()
    return change


def change_errors(
    contract: Contract,
    kind: str,
    effective_date: date | None,
    new_end_date: date | None,
    value_change: Decimal | None,
    expected_annual_saving: Decimal | None,
) -> dict[str, str]:
    """The rules a change to `contract` must meet, as {field: message}; empty when it meets
    them. `record_change` applies them, and forms call them to show errors by the field."""
    errors: dict[str, str] = {}
    end = f"{contract.end_date:%-d %b %Y}"
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
    if kind == ContractChange.Kind.EXTENSION:
        if new_end_date is None:
            errors["new_end_date"] = f"Enter the new end date, after the current end ({end})."
        elif new_end_date <= contract.end_date:
            errors["new_end_date"] = (
                f"An extension's new end date ({new_end_date:%-d %b %Y}) must be after the "
                f"current end date ({end})."
            )
    elif kind == ContractChange.Kind.TERMINATION:
        if new_end_date is None:
            errors["new_end_date"] = "Enter the date the contract ends on termination."
        elif new_end_date > contract.end_date:
            errors["new_end_date"] = (
                f"A termination cannot end the contract after its current end date ({end}); "
                "record an extension instead."
            )
    if new_end_date is not None and new_end_date < contract.start_date:
        errors["new_end_date"] = (
            f"The new end date cannot be before the start date ({contract.start_date:%-d %b %Y})."
        )
    if value_change is None:
        errors["value_change"] = "Enter the change to the total value (0 for none)."
    elif contract.total_value + value_change < 0:
        errors["value_change"] = (
            f"This would make the total value negative: it is {format_money(contract.total_value)}."
        )
    if expected_annual_saving is None or expected_annual_saving < 0:
        errors["expected_annual_saving"] = "The expected annual saving cannot be negative."
    return errors
