"""Approving a year's budget and changing it afterwards.

`approve_budget` freezes every figure's original budget (original = budget, in one UPDATE,
with a history row each). From then on the budget moves only through
`record_budget_change`: a revision, a virement (its amounts net to zero) or a
carry-forward (an amount moved from one year's line into the next year's), each with its
reason, who and when, added to the figures' budget in the same transaction. Admin only
(common/roles.py: `budgets.approve_budget`, `budgets.add_budgetchange`).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from budgets.models import (
    BudgetChange,
    BudgetChangeLine,
    BudgetLine,
    FinancialYear,
    MonthlyFigure,
    refresh_line_year_totals,
)
from budgets.services import ensure_periods_open
from common.locking import bump, check_version
from common.money import ZERO, format_money

APPROVE = "budgets.approve_budget"
RECORD = "budgets.add_budgetchange"


@transaction.atomic
def approve_budget(
    *, year: FinancialYear, user: AbstractBaseUser, expected_version: int | None
) -> FinancialYear:
    """Approve `year`'s budget: who and when on the year, and every figure's
    original_budget set to its budget. Refuses (ValueError) a year already approved or
    with no figures; StaleVersionError when the year changed since `expected_version`."""
    if not user.has_perm(APPROVE):
        raise PermissionDenied("Only administrators can approve a budget.")
    current = check_version(year, expected_version)
    if current.is_budget_approved:
        raise ValueError(f"The {current.label} budget is already approved.")
    figures = MonthlyFigure.objects.filter(year=current)
    if not figures.exists():
        raise ValueError(f"{current.label} has no budget lines with figures to approve.")
    now = timezone.now()
    current.budget_approved_at, current.budget_approved_by = now, user
    current._history_user = user
    current._change_reason = "Budget approved"
    bump(current)
    current.save(update_fields=["budget_approved_at", "budget_approved_by", "version"])
    figures.update(original_budget=F("budget"))
    refresh_line_year_totals(year_ids=[current.pk])
    MonthlyFigure.history.bulk_history_create(
        list(figures),
        default_user=user,
        default_change_reason=f"Original budget frozen: {current.label} approved",
        default_date=now,
    )
    year.budget_approved_at, year.budget_approved_by = now, user
    year.version = current.version
    return current


@dataclass(frozen=True)
class ChangeAmount:
    """One amount of a budget change: added to `line`'s budget for `period` of `year`
    (negative takes budget away)."""

    line: BudgetLine
    year: FinancialYear
    period: int
    amount: Decimal

    @property
    def key(self) -> tuple[int, int, int]:
        return (self.line.pk, self.year.pk, self.period)

    @property
    def where(self) -> str:
        return f"{self.line.code} P{self.period} {self.year.label}"


class BudgetChangeError(ValueError):
    """A budget change that breaks a rule; `problems` says each, and nothing was written."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(" ".join(problems))


class BudgetChangeConflictError(Exception):
    """Someone recorded a budget change on the same lines and periods after the form was
    opened; nothing was written. `changes` are theirs."""

    def __init__(self, changes: list[BudgetChange]):
        self.changes = changes
        named = "; ".join(
            f"{c} by {c.made_by.get_full_name() or c.made_by.get_username()}, "
            f"{timezone.localtime(c.made_at):%-d %b %Y %H:%M}"
            for c in changes
        )
        super().__init__(
            f"Someone changed the budget of these lines since you opened the form ({named}). "
            "Your amounts are kept: check them against the budget now and record again."
        )


def latest_change_id() -> int:
    """The newest budget change's id (0 when none): what a change form carries, so that a
    change recorded meanwhile on the same figures is caught (`record_budget_change`)."""
    return BudgetChange.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _difference(total: Decimal) -> str:
    side = "more is added than taken away" if total > 0 else "more is taken away than added"
    return f"they add up to {format_money(total)} ({side} by {format_money(abs(total))})"


def _years_after(years: set[FinancialYear]) -> dict[int, FinancialYear | None]:
    ordered = list(FinancialYear.objects.order_by("start"))
    following = dict(zip([y.pk for y in ordered], [*ordered[1:], None], strict=True))
    return {y.pk: following.get(y.pk) for y in years}


def _carry_forward_problems(amounts: list[ChangeAmount]) -> list[str]:
    """A carry-forward takes from one year's lines and adds the same to the next year's."""
    years = sorted({a.year for a in amounts}, key=lambda y: y.start)
    if len(years) == 1:
        later = _years_after(set(years))[years[0].pk]
        if later is None:
            return [
                f"A carry-forward moves budget into the next year, and {years[0].label} has "
                "no next year: create it first."
            ]
        return [
            f"A carry-forward moves budget from {years[0].label} into {later.label}: "
            "give amounts in both years."
        ]
    if len(years) > 2 or _years_after({years[0]})[years[0].pk] != years[1]:
        return ["A carry-forward moves budget from one year into the next one only."]
    earlier, later = years
    problems = [
        f"{a.where}: a carry-forward takes budget from {earlier.label} (a negative amount)"
        for a in amounts
        if a.year == earlier and a.amount > 0
    ] + [
        f"{a.where}: a carry-forward adds budget to {later.label} (a positive amount)"
        for a in amounts
        if a.year == later and a.amount < 0
    ]
    total = sum((a.amount for a in amounts), ZERO)
    if total:
        problems.append(
            f"A carry-forward adds to {later.label} what it takes from {earlier.label}: "
            f"{_difference(total)}."
        )
    return problems


def change_problems(*, kind: str, reason: str, amounts: list[ChangeAmount]) -> list[str]:
    """Every rule the change breaks, in words naming the line, period or difference."""
    problems = []
    if kind not in BudgetChange.Kind.values:
        problems.append(f"“{kind}” is not a kind of budget change.")
    if not reason.strip():
        problems.append("Give the reason for the change; the committee reads it.")
    if not amounts:
        return [*problems, "Give at least one line, period and amount."]
    seen: set[tuple[int, int, int]] = set()
    for a in amounts:
        if a.key in seen:
            problems.append(f"{a.where} appears twice: give each line and period once.")
        seen.add(a.key)
        if not a.amount:
            problems.append(f"{a.where}: an amount of £0.00 changes nothing.")
    for year in sorted({a.year for a in amounts}, key=lambda y: y.start):
        if not year.is_budget_approved:
            problems.append(
                f"The {year.label} budget is a draft: set it directly until it is approved."
            )
    total = sum((a.amount for a in amounts), ZERO)
    if kind == BudgetChange.Kind.VIREMENT and total:
        problems.append(
            f"A virement moves budget between lines and nets to zero: {_difference(total)}."
        )
    if kind == BudgetChange.Kind.CARRY_FORWARD:
        problems += _carry_forward_problems(amounts)
    return problems


@transaction.atomic
def record_budget_change(
    *,
    kind: str,
    reason: str,
    amounts: Iterable[ChangeAmount],
    user: AbstractBaseUser,
    seen_through: int | None = None,
) -> BudgetChange:
    """Record a budget change and add its amounts to the figures' budget, all or nothing.

    Refuses with PermissionDenied (not an Admin), BudgetChangeError (a rule broken, see
    `change_problems`, or a budget left below zero), PeriodLockedError (a closed period)
    or BudgetChangeConflictError (a change recorded after `seen_through` on the same figures).
    """
    if not user.has_perm(RECORD):
        raise PermissionDenied("Only administrators can change an approved budget.")
    amounts = list(amounts)
    problems = change_problems(kind=kind, reason=reason, amounts=amounts)
    if problems:
        raise BudgetChangeError(problems)
    for year in {a.year for a in amounts}:
        ensure_periods_open(year, [a.period for a in amounts if a.year == year])
    figures = _locked_figures(amounts)
    if seen_through is not None:
        _refuse_conflicts(amounts, seen_through)
    change = BudgetChange(kind=kind, reason=reason.strip(), made_by=user, made_at=timezone.now())
    change._history_user = user
    change.save()
    _apply(change, amounts, figures, user)
    return change


def _locked_figures(amounts: list[ChangeAmount]) -> dict[tuple[int, int, int], MonthlyFigure]:
    keys = {a.key for a in amounts}
    figures = MonthlyFigure.objects.select_for_update().filter(
        line_id__in={k[0] for k in keys}, year_id__in={k[1] for k in keys}
    )
    return {
        (f.line_id, f.year_id, f.period): f
        for f in figures
        if (f.line_id, f.year_id, f.period) in keys
    }


def _refuse_conflicts(amounts: list[ChangeAmount], seen_through: int) -> None:
    keys = {a.key for a in amounts}
    later = BudgetChangeLine.objects.filter(change_id__gt=seen_through).select_related(
        "change", "change__made_by"
    )
    changes = {
        row.change.pk: row.change for row in later if (row.line_id, row.year_id, row.period) in keys
    }
    if changes:
        raise BudgetChangeConflictError(sorted(changes.values(), key=lambda c: c.pk))


def _apply(
    change: BudgetChange,
    amounts: list[ChangeAmount],
    figures: dict[tuple[int, int, int], MonthlyFigure],
    user: AbstractBaseUser,
) -> None:
    """Add each amount to its figure's budget (a figure not yet held is created, with an
    original budget of zero), refusing any budget left below zero."""
    now, updated, created, negative = change.made_at, [], [], []
    for a in amounts:
        figure = figures.get(a.key)
        if figure is None:
            figure = MonthlyFigure(
                line=a.line, year=a.year, period=a.period, budget=ZERO, original_budget=ZERO
            )
            figure.version = 0
            created.append(figure)
        else:
            updated.append(figure)
        figure.budget += a.amount
        figure.version += 1
        figure.updated_by, figure.updated_at = user, now
        if figure.budget < 0:
            negative.append(
                f"{a.where}: the change would leave its budget at {format_money(figure.budget)}; "
                "a budget cannot be negative."
            )
    if negative:
        raise BudgetChangeError(negative)
    history = {
        "default_user": user,
        "default_change_reason": f"{change}: {change.reason}"[:100],
        "default_date": now,
    }
    if updated:
        bulk_update_with_history(
            updated, MonthlyFigure, ["budget", "version", "updated_by", "updated_at"], **history
        )
    if created:
        bulk_create_with_history(created, MonthlyFigure, **history)
    refresh_line_year_totals(
        pairs={(a.line.pk, a.year.pk) for a in amounts},
        periods={(a.year.pk, a.period) for a in amounts},
    )
    bulk_create_with_history(
        [
            BudgetChangeLine(
                change=change, line=a.line, year=a.year, period=a.period, amount=a.amount
            )
            for a in amounts
        ],
        BudgetChangeLine,
        default_user=user,
        default_date=now,
    )
