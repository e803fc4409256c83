"""Setting a year's budget: phasing a full-year amount into twelve months, making the next
year from the previous one, and saving the budget-setting grid.

A year's budget is written here only while it is a draft (`FinancialYear.is_budget_approved`
is False); once approved it changes only by a recorded budget change, and every write
path here refuses with `BudgetApprovedError`.

Phasing is exact to the penny: the twelve months always add up to the full-year amount.
- even: each month is the amount / 12 rounded down to the penny; the pennies left over
  (0 to 11 of them) go one each to the first months, P1 onwards.
- previous year's profile: each month takes the amount in proportion to that month's share
  of the previous year's budget, rounded down to the penny; the pennies left over go one
  each to the months with the largest remainders (the earlier month on a tie).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Sum
from simple_history.utils import bulk_create_with_history

from budgets.models import (
    PERIODS,
    BudgetLine,
    FinancialYear,
    MonthlyFigure,
    refresh_line_year_totals,
)
from budgets.services.figures import FigureEntry, _record
from common.money import PENNY, ZERO, format_money

EVEN, PREVIOUS, MONTHLY = "even", "previous", "monthly"
PHASINGS = {
    MONTHLY: "Months as typed",
    EVEN: "Even (split to the penny)",
    PREVIOUS: "Previous year's monthly profile",
}
SET_BUDGET_PERMISSIONS = ("budgets.change_budgetline", "budgets.change_monthlyfigure")
NEW_YEAR_PERMISSIONS = ("budgets.add_financialyear", "budgets.add_monthlyfigure")


class BudgetApprovedError(Exception):
    """The year's budget is approved: it changes only by a recorded budget change."""

    def __init__(self, year: FinancialYear):
        self.year = year
        super().__init__(approved_message(year))


def approved_message(year: FinancialYear) -> str:
    return f"{year.label}'s budget is approved; change it with a budget change"


class PhasingError(ValueError):
    """A full-year amount cannot be phased as asked (the message says why)."""


def _pennies(amount: Decimal) -> int:
    return int((amount / PENNY).to_integral_value())


def phase_even(annual: Decimal) -> list[Decimal]:
    """Twelve months adding up exactly to `annual` (see the module's note on pennies)."""
    if annual < 0:
        raise PhasingError("a budget cannot be negative")
    total = _pennies(annual)
    base, left = divmod(total, 12)
    return [(base + (1 if i < left else 0)) * PENNY for i in range(12)]


def phase_profile(annual: Decimal, profile: Sequence[Decimal]) -> list[Decimal]:
    """Twelve months adding up exactly to `annual`, shaped like the twelve `profile`
    amounts (the previous year's monthly budget). Refuses a profile that adds up to
    nothing: there is no shape to follow."""
    if annual < 0:
        raise PhasingError("a budget cannot be negative")
    weights = [max(value or ZERO, ZERO) for value in profile]
    whole = sum(weights, ZERO)
    if len(weights) != 12 or whole <= 0:
        raise PhasingError("the previous year has no budget for this line to take a profile from")
    shares = [annual * weight / whole for weight in weights]
    months = [share.quantize(PENNY, rounding=ROUND_DOWN) for share in shares]
    left = _pennies(annual - sum(months, ZERO))
    by_remainder = sorted(range(12), key=lambda i: (-(shares[i] - months[i]), i))
    for i in by_remainder[:left]:
        months[i] += PENNY
    return months


def previous_year(year: FinancialYear) -> FinancialYear | None:
    return FinancialYear.objects.filter(start__lt=year.start).order_by("-start").first()


def profiles(year: FinancialYear | None, line_ids: Iterable[int]) -> dict[int, list[Decimal]]:
    """Each line's twelve monthly budgets in `year` (zeros for a month with no figure), by
    line id; lines with no figure in `year` are left out. One query."""
    if year is None:
        return {}
    found: dict[int, list[Decimal]] = {}
    rows = MonthlyFigure.objects.filter(year=year, line_id__in=list(line_ids)).values_list(
        "line_id", "period", "budget"
    )
    for line_id, period, budget in rows:
        found.setdefault(line_id, [ZERO] * 12)[period - 1] = budget
    return found


def ensure_draft(year: FinancialYear) -> None:
    """Refuse (BudgetApprovedError) when the year's budget is approved, read afresh with a
    row lock, so that an approval a moment ago is honoured by a save already under way."""
    current = FinancialYear.objects.select_for_update().get(pk=year.pk)
    if current.is_budget_approved:
        raise BudgetApprovedError(year)


def _require(user: AbstractBaseUser, perms: tuple[str, ...], refusal: str) -> None:
    if not user.has_perms(perms):
        raise PermissionDenied(refusal)


# --- the budget-setting grid -------------------------------------------------------------


@transaction.atomic
def set_budgets(
    *, year: FinancialYear, entries: Iterable[FigureEntry], user: AbstractBaseUser
) -> list[MonthlyFigure]:
    """Monthly budgets of a draft year for many lines and periods; returns the figures
    changed. Refuses an approved year (BudgetApprovedError) and a user who may not set
    budgets; otherwise the entry grids' rules, all or nothing (see `services._record`:
    closed periods, stale versions, history)."""
    _require(user, SET_BUDGET_PERMISSIONS, "Only administrators can set a year's budget.")
    ensure_draft(year)
    entries = list(entries)
    if any(e.budget is not None and e.budget < 0 for e in entries):  # type: ignore[operator]
        raise PhasingError("a budget cannot be negative")
    return _record(year=year, entries=entries, user=user)


# --- the next year from the previous one -------------------------------------------------


@dataclass(frozen=True)
class CarryLine:
    """A line offered for the next year: `carry` says whether it is ticked by default and
    `reason` why not (its contract ends before the year starts)."""

    line: BudgetLine
    previous_budget: Decimal
    carry: bool = True
    reason: str = ""


def next_year_start(previous: FinancialYear) -> date:
    return previous.start.replace(year=previous.start.year + 1)


def lines_to_carry(previous: FinancialYear) -> list[CarryLine]:
    """The active lines offered for the year after `previous`, by code, with their
    full-year budget in `previous`. A line whose contract ends before the new year starts
    is offered unticked, at £0, with the reason; inactive (closed) lines are not offered.
    Two queries."""
    start = next_year_start(previous)
    budgets = dict(
        MonthlyFigure.objects.filter(year=previous)
        .values("line_id")
        .annotate(total=Sum("budget"))
        .values_list("line_id", "total")
    )
    offered = []
    for line in BudgetLine.objects.active().select_related("contract").order_by("code"):
        contract = line.contract
        ends = contract.end_date if contract is not None else None
        reason = ""
        if ends is not None and ends < start:
            reason = f"contract {contract.reference} ends {ends:%-d %b %Y}, before the year starts"
        offered.append(
            CarryLine(
                line=line,
                previous_budget=(budgets.get(line.pk) or ZERO).quantize(PENNY),
                carry=not reason,
                reason=reason,
            )
        )
    return offered


class YearExistsError(Exception):
    def __init__(self, label: str):
        super().__init__(f"{label} already exists; its budget is set on its own page.")


@transaction.atomic
def create_next_year(
    *,
    previous: FinancialYear,
    lines: Iterable[BudgetLine],
    copy_budgets: bool,
    user: AbstractBaseUser,
) -> FinancialYear:
    """The year after `previous`, as a draft, with twelve figures for each of `lines`:
    budget £0, or (`copy_budgets`) the line's budget of the same month of `previous`; a
    line whose contract ends before the year starts stays at £0 even then (see
    `lines_to_carry`).
    Refuses (YearExistsError) when the year exists, an inactive line, and a user without
    the Admin's permissions. All or nothing, with a history row per row written."""
    _require(user, NEW_YEAR_PERMISSIONS, "Only administrators can create a financial year.")
    start = next_year_start(previous)
    label = FinancialYear.label_for(start.year)
    if FinancialYear.objects.filter(start=start).exists():
        raise YearExistsError(label)
    lines = list(lines)
    closed = [line.code for line in lines if not line.active]
    if closed:
        raise PhasingError(f"{', '.join(closed)} is closed (inactive) and cannot be carried")
    year = FinancialYear(label=label, start=start, closed_through=0, version=1)
    year._history_user = user
    year._change_reason = f"Created from {previous.label}"
    try:
        with transaction.atomic():
            year.save()
    except IntegrityError:
        raise YearExistsError(label) from None
    ended = {row.line.pk for row in lines_to_carry(previous) if row.reason}
    copied = profiles(previous, [line.pk for line in lines if line.pk not in ended])
    if not copy_budgets:
        copied = {}
    figures = [
        MonthlyFigure(
            line=line,
            year=year,
            period=period,
            budget=copied.get(line.pk, [ZERO] * 12)[period - 1],
            version=1,
            updated_by=user,
        )
        for line in lines
        for period in PERIODS
    ]
    bulk_create_with_history(
        figures,
        MonthlyFigure,
        default_user=user,
        default_change_reason=f"Budget set up from {previous.label}",
    )
    refresh_line_year_totals(year_ids=[year.pk])
    return year


def describe_new_year(year: FinancialYear) -> str:
    total = MonthlyFigure.objects.for_year(year).aggregate(t=Sum("budget"))["t"] or ZERO
    lines = MonthlyFigure.objects.for_year(year).values("line").distinct().count()
    return (
        f"Created {year.label} (draft) with {lines} lines, full-year budget "
        f"{format_money(total)}. Set and phase its budget below."
    )
