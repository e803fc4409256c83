"""Closing a period from its pre-close checklist: the period closes and its report is
published in one transaction, so no period is closed without the report the committee
reads for it."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction

from budgets.models import FinancialYear
from budgets.services import close_period
from common.locking import check_version
from reports.checklist import checklist_for
from reports.models import PublishedReport
from reports.publishing import publish_report


class CloseRefusedError(ValueError):
    """The period was not closed; the message says why, fit to show the person."""


class ReasonRequiredError(CloseRefusedError):
    """Checklist items are outstanding and no reason for closing was given."""


@transaction.atomic
def close_and_publish(
    *,
    year: FinancialYear,
    through: int,
    user: AbstractBaseUser,
    reason: str = "",
    expected_version: int | None = None,
) -> PublishedReport:
    """Close `through`, the year's next open period, and publish its report.

    Refused (nothing written) when the user may not close periods; when the period is
    already closed or is not the next to close (periods close one at a time, each with
    its report); when the year was closed or reopened since the page showed
    `expected_version` (StaleVersionError); or when checklist items are outstanding and
    no reason is given (ReasonRequiredError). The reason is kept on the report and in the
    year's history.
    """
    if not user.has_perm("budgets.close_period"):
        raise PermissionDenied("Only administrators can close periods.")
    if not 1 <= through <= 12:
        raise CloseRefusedError("A period is P1 to P12.")
    current = FinancialYear.objects.select_for_update().get(pk=year.pk)
    if through <= current.closed_through:
        raise CloseRefusedError(
            f"P{through} {current.label} is already closed "
            f"(closed through P{current.closed_through})."
        )
    if through != current.closed_through + 1:
        raise CloseRefusedError(
            f"Periods close in order: close P{current.closed_through + 1} {current.label} "
            f"before P{through}."
        )
    check_version(current, expected_version)
    reason = (reason or "").strip()
    outstanding = checklist_for(current, through).outstanding
    if outstanding and not reason:
        items = "item is" if outstanding == 1 else "items are"
        raise ReasonRequiredError(
            f"{outstanding} checklist {items} outstanding: give a reason for closing "
            f"P{through} now; it is kept with the report."
        )
    close_period(year=current, through=through, user=user, reason=reason)
    year.closed_through, year.version = current.closed_through, current.version
    return publish_report(year=current, period=through, user=user, reason=reason)
