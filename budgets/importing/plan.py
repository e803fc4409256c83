"""What an import would do: every figure's old -> new values, and the totals the preview,
the confirmation and the `import_actuals` command show. Nothing here writes.

`validate(parsed)` is a constant number of queries whatever the number of rows: lines,
years and the existing figures of the years named are each read once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd
from django.conf import settings
from django.db.models import Sum

from budgets.importing.budget_rows import check_wide_rows
from budgets.importing.read import (
    BUDGET_COLUMN,
    BUDGETS,
    LEDGER,
    NO_COLUMN,
    ImportProblem,
    ParsedImport,
)
from budgets.importing.rules import MAX_AMOUNT, TOO_LARGE, check_rows
from budgets.models import FinancialYear, MonthlyFigure
from budgets.services import note_required
from common.money import ZERO, format_money

NOTES_NAMED = 20


@dataclass
class FigureChange:
    """What the import does to one monthly figure (figure_id None: it will be created)."""

    line_id: int
    line_code: str
    year_id: int
    year_label: str
    period: int
    figure_id: int | None
    version: int  # the version read when validating; 0 for a figure that does not exist
    old_actual: Decimal | None
    new_actual: Decimal | None
    old_forecast: Decimal | None
    new_forecast: Decimal | None
    old_note: str
    new_note: str
    old_committed: Decimal = ZERO
    new_committed: Decimal = ZERO
    budget: Decimal = ZERO  # the figure's phased budget (0 for a figure to be created)
    new_budget: Decimal | None = None  # the budget the file gives (None: left as it is)

    @property
    def key(self) -> str:
        return f"{self.line_id}:{self.year_id}:{self.period}"

    @property
    def changed(self) -> bool:
        return (
            (self.old_actual, self.old_forecast, self.old_note, self.old_committed)
            != (self.new_actual, self.new_forecast, self.new_note, self.new_committed)
            or self.figure_id is None
            or self.budget_changed
        )

    @property
    def budget_changed(self) -> bool:
        return self.new_budget is not None and self.new_budget != self.budget

    @property
    def budget_after(self) -> Decimal:
        return self.budget if self.new_budget is None else self.new_budget

    @property
    def where(self) -> str:
        return f"{self.line_code} P{self.period} {self.year_label}"

    @property
    def variance(self) -> Decimal:
        """The new actual less budget."""
        return (self.new_actual or ZERO) - self.budget

    @property
    def needs_note(self) -> bool:
        """The new actual is as far from budget as the entry pages refuse without a note,
        and neither the file nor the figure gives one."""
        return (
            self.new_actual != self.old_actual
            and not self.new_note.strip()
            and note_required(actual=self.new_actual, budget=self.budget)
        )


@dataclass
class YearTotal:
    label: str
    before: Decimal
    after: Decimal

    @property
    def change(self) -> Decimal:
        return self.after - self.before


@dataclass
class ImportPlan:
    """The outcome of validation: either errors, or every figure change the file makes."""

    parsed: ParsedImport
    errors: list[ImportProblem] = field(default_factory=list)
    changes: list[FigureChange] = field(default_factory=list)  # figures changed, in order
    unchanged: int = 0  # figures the file names whose values it does not change
    total: Decimal = ZERO  # the file's actuals (or ledger amounts), added up
    actual_before: Decimal = ZERO  # the actuals of the figures the file names, now
    actual_after: Decimal = ZERO  # and after the import
    budget_before: Decimal = ZERO  # the budgets of the figures the file names, now
    budget_after: Decimal = ZERO  # and after the import
    year_totals: list[YearTotal] = field(default_factory=list)
    versions: dict[str, int] = field(default_factory=dict)  # every target's key -> version
    places: dict[str, str] = field(default_factory=dict)  # key -> "OUT-01 P4 2014-15"

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def file_format(self) -> str | None:
        return self.parsed.file_format

    @property
    def row_count(self) -> int:
        return self.parsed.row_count

    @property
    def actual_change(self) -> Decimal:
        return self.actual_after - self.actual_before

    @property
    def budget_change(self) -> Decimal:
        return self.budget_after - self.budget_before

    @property
    def gives_budgets(self) -> bool:
        return self.file_format == BUDGETS or BUDGET_COLUMN in self.parsed.headers

    @property
    def new_count(self) -> int:
        return sum(1 for change in self.changes if change.figure_id is None)

    @property
    def notes_needed(self) -> list[FigureChange]:
        """Changes whose new actual needs a variance note that nobody has written.

        Not a reason to refuse: a ledger export carries no notes. The preview and the
        command warn, and the notes are then written on the period pages.
        """
        return [change for change in self.changes if change.needs_note]

    def stale(self, versions: dict[str, int]) -> list[str]:
        """The figures (as "OUT-01 P4 2014-15") whose version differs from `versions`,
        the versions recorded when the preview was shown."""
        keys = set(versions) | set(self.versions)
        moved = [key for key in keys if versions.get(key) != self.versions.get(key)]
        return sorted(self.places.get(key, key) for key in moved)


def validate(parsed: ParsedImport) -> ImportPlan:
    """Check every row against the database; list every problem or every change."""
    plan = ImportPlan(parsed=parsed, errors=list(parsed.problems))
    if plan.errors or parsed.frame is None:
        return plan
    years = list(FinancialYear.objects.all())
    check = check_wide_rows if parsed.file_format == BUDGETS else check_rows
    targets, plan.errors = check(parsed, years)
    if plan.errors:
        return plan
    if parsed.file_format == LEDGER:
        plan.total = targets.attrs["total"]
    elif parsed.file_format == BUDGETS:
        plan.total = sum(targets["new_budget"], ZERO)
    else:
        plan.total = sum((v for v in targets["new_actual"] if v is not None), ZERO)
    if abs(plan.total) > MAX_AMOUNT:
        plan.errors.append(ImportProblem(0, NO_COLUMN, f"the file's amounts add up to {TOO_LARGE}"))
        return plan
    labels = {y.pk: y.label for y in years}
    _plan_changes(plan, _with_stored_values(targets), labels)
    _add_year_totals(plan, labels)
    return plan


STORED = {  # MonthlyFigure field -> the merged frame's column
    "line_id": "line_id",
    "year_id": "year_id",
    "period": "period",
    "id": "figure_id",
    "version": "old_version",
    "actual": "old_actual",
    "forecast": "old_forecast",
    "note": "old_note",
    "committed": "old_committed",
    "budget": "budget",
}


def _with_stored_values(targets: pd.DataFrame) -> pd.DataFrame:
    """The targets beside the figures as stored now (missing where none exists yet), in
    the preview's order: year, line code, period."""
    year_ids = sorted({int(y) for y in targets["year_id"]})
    periods = sorted({int(p) for p in targets["period"]})  # at most twelve
    existing = pd.DataFrame(
        MonthlyFigure.objects.filter(year_id__in=year_ids, period__in=periods).values_list(*STORED),
        columns=list(STORED.values()),
        dtype=object,
    )
    keys = ["line_id", "year_id", "period"]
    types = dict.fromkeys(keys, int)
    merged = targets.astype(types).merge(existing.astype(types), on=keys, how="left")
    return merged.sort_values(["year_id", "line_code", "period"], kind="stable")


def _plan_changes(plan: ImportPlan, merged: pd.DataFrame, labels: dict[int, str]) -> None:
    for row in merged.itertuples(index=False):
        change = _change(row, labels)
        plan.versions[change.key] = change.version
        plan.places[change.key] = change.where
        plan.actual_before += change.old_actual or ZERO
        plan.actual_after += change.new_actual or ZERO
        plan.budget_before += change.budget
        plan.budget_after += change.budget_after
        if change.changed:
            plan.changes.append(change)
        else:
            plan.unchanged += 1


def _change(row, labels: dict[int, str]) -> FigureChange:
    """One merged row as a FigureChange: an empty cell in the file keeps the stored value."""
    present = not pd.isna(row.figure_id)
    old_actual = _stored(row.old_actual)
    old_forecast = _stored(row.old_forecast)
    old_note = row.old_note if present else ""
    return FigureChange(
        line_id=int(row.line_id),
        line_code=row.line_code,
        year_id=int(row.year_id),
        year_label=labels[int(row.year_id)],
        period=int(row.period),
        figure_id=int(row.figure_id) if present else None,
        version=int(row.old_version) if present else 0,
        old_actual=old_actual,
        new_actual=row.new_actual if row.has_actual else old_actual,
        old_forecast=old_forecast,
        new_forecast=row.new_forecast if row.has_forecast else old_forecast,
        old_note=old_note,
        new_note=row.new_note if row.has_note else old_note,
        old_committed=_stored(row.old_committed) or ZERO,
        new_committed=row.new_committed
        if row.has_committed
        else _stored(row.old_committed) or ZERO,
        budget=_stored(row.budget) or ZERO,
        new_budget=row.new_budget if row.has_budget else None,
    )


def _stored(value: object) -> Decimal | None:
    """A stored amount from the merged frame: None where pandas put a missing marker."""
    return value if isinstance(value, Decimal) else None


def _add_year_totals(plan: ImportPlan, labels: dict[int, str]) -> None:
    """Each year's actuals, all lines, before and after the import."""
    year_ids = sorted({int(key.split(":")[1]) for key in plan.versions})  # the years named
    delta: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for change in plan.changes:
        delta[change.year_id] += (change.new_actual or ZERO) - (change.old_actual or ZERO)
    before = dict(
        MonthlyFigure.objects.filter(year_id__in=year_ids)
        .values("year_id")
        .annotate(total=Sum("actual"))
        .values_list("year_id", "total")
    )
    plan.year_totals = [
        YearTotal(
            label=labels[pk],
            before=before.get(pk) or ZERO,
            after=(before.get(pk) or ZERO) + delta[pk],
        )
        for pk in year_ids
    ]


def describe_notes_needed(plan: ImportPlan) -> str:
    """A warning naming the figures left far from budget with no variance note, or ""."""
    needed = plan.notes_needed
    if not needed:
        return ""
    names = ", ".join(change.where for change in needed[:NOTES_NAMED])
    more = f" and {len(needed) - NOTES_NAMED} more" if len(needed) > NOTES_NAMED else ""
    count = len(needed)
    return (
        f"{count} imported actual{'s differ' if count != 1 else ' differs'} from budget "
        f"by more than {settings.VARIANCE_NOTE_PERCENT}% and "
        f"{format_money(settings.VARIANCE_NOTE_AMOUNT)} with no variance note: "
        f"{names}{more}. Add the notes on each period's page."
    )
