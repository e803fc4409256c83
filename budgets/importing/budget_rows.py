"""Budget rows in an import: the wide phasing format and the rules every budget value
meets, whichever format carries it.

The wide format is one row per line and year, either twelve months or a full year and
how to phase it:

- `line_code, year, P1, ..., P12`: the twelve monthly budgets (all twelve; 0 for none);
- `line_code, year, annual, profile`: the full-year budget phased `even` or `previous`
  (the line's previous-year monthly profile), exact to the penny (`budgets.setting`).

A row is read into twelve figure targets (one per period) that carry only a budget, so the
preview, the once-per-file rule and the one transaction that writes are the figure rows'.
A budget is refused (row, column, reason; nothing written) when it is not an amount, is
negative, or is for a year whose budget is approved ("2015-16's budget is approved; change
it with a budget change"); `apply` checks the approval and the Admin's permission again
inside its transaction.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
from django.contrib.auth.models import AbstractBaseUser

from budgets.importing.read import MONTH_COLUMNS, ImportProblem, ParsedImport
from budgets.importing.rules import RowErrors, amounts, check_approved, check_lines, check_year
from budgets.models import FinancialYear
from budgets.setting import (
    EVEN,
    PREVIOUS,
    BudgetApprovedError,
    PhasingError,
    ensure_draft,
    phase_even,
    phase_profile,
    previous_year,
    profiles,
)

SET_BUDGET = "budgets.change_budgetline"


def check_wide_rows(
    parsed: ParsedImport, years: list[FinancialYear]
) -> tuple[pd.DataFrame | None, list[ImportProblem]]:
    """As `rules.check_rows`, for the wide format: the figure targets, or None and every
    problem."""
    frame = parsed.frame.copy()
    errors = RowErrors(frame, parsed.headers)
    check_lines(frame, errors)
    targets = check_wide(frame, errors, years)
    problems = errors.problems()
    return (None, problems) if problems else (targets, [])


def check_wide(frame: pd.DataFrame, errors: RowErrors, years: list[FinancialYear]) -> pd.DataFrame:
    """The twelve figure targets of each good wide row (line_id, line_code, year_id,
    period, row, has_/new_ budget; no actual, forecast or note)."""
    check_year(frame, errors, years)
    monthly = all(name in frame for name in MONTH_COLUMNS)
    budgets = _monthly(frame, errors) if monthly else _phased(frame, errors, years)
    first = "p1" if monthly else "annual"
    check_approved(frame, errors, years, frame["year_id"].notna(), first)
    _check_closed(frame, errors, years)
    _check_repeats(frame, errors)
    good = frame[~errors.bad]
    return _targets(good, budgets.loc[good.index])


def _monthly(frame: pd.DataFrame, errors: RowErrors) -> pd.DataFrame:
    """Each row's twelve budgets (columns 1..12) from the P1..P12 cells."""
    months = {}
    for period, name in enumerate(MONTH_COLUMNS, start=1):
        cells = frame[name]
        values, messages = amounts(cells.where(cells != "", "0"))
        errors.add(cells == "", name, "is empty: write 0 for no budget")
        errors.add((cells != "") & messages.notna(), name, messages)
        negative = messages.isna() & values.map(lambda v: v is not None and v < 0)
        errors.add((cells != "") & negative, name, "a budget cannot be negative")
        months[period] = values
    return pd.DataFrame(months, index=frame.index)


def _phased(frame: pd.DataFrame, errors: RowErrors, years: list[FinancialYear]) -> pd.DataFrame:
    """Each row's twelve budgets phased from its `annual` amount and `profile`."""
    if "profile" not in frame:
        frame["profile"] = ""
    annual, messages = amounts(frame["annual"].where(frame["annual"] != "", "0"))
    errors.add(frame["annual"] == "", "annual", "is empty: write 0 for no budget")
    errors.add((frame["annual"] != "") & messages.notna(), "annual", messages)
    profile = frame["profile"].str.casefold()
    errors.add(
        ~profile.isin([EVEN, PREVIOUS]),
        "profile",
        "“{}” is not a profile: write even or previous",
        frame["profile"],
    )
    shapes = _previous_profiles(frame, years)
    rows = {}
    for index in frame.index[~errors.bad]:
        rows[index] = _phase(frame, errors, index, annual[index], profile[index], shapes)
    months = pd.DataFrame.from_dict(rows, orient="index", columns=range(1, 13), dtype=object)
    return months.reindex(frame.index)


def _phase(frame, errors: RowErrors, index, annual: Decimal, profile: str, shapes) -> list:
    try:
        if profile == EVEN:
            return phase_even(annual)
        shape = shapes.get((int(frame.at[index, "line_id"]), int(frame.at[index, "year_id"])), [])
        return phase_profile(annual, shape)
    except PhasingError as error:
        mask = pd.Series(frame.index == index, index=frame.index)
        errors.add(mask, "annual" if "negative" in str(error) else "profile", str(error))
        return [None] * 12


def _previous_profiles(frame: pd.DataFrame, years: list[FinancialYear]) -> dict:
    """(line id, year id) -> the line's twelve budgets of the year before. One query per
    year named with the `previous` profile (a file names one or two)."""
    wanted = frame[frame["profile"].str.casefold() == PREVIOUS]
    wanted = wanted[wanted["line_id"].notna() & wanted["year_id"].notna()]
    shapes = {}
    by_id = {y.pk: y for y in years}
    for year_id, rows in wanted.groupby("year_id"):
        before = previous_year(by_id[int(year_id)])
        found = profiles(before, {int(pk) for pk in rows["line_id"]})
        shapes.update({(line_id, int(year_id)): shape for line_id, shape in found.items()})
    return shapes


def _check_closed(frame: pd.DataFrame, errors: RowErrors, years: list[FinancialYear]) -> None:
    closed = frame["year_id"].map({y.pk: y.closed_through for y in years if y.closed_through})
    labels = frame["year_id"].map({y.pk: y.label for y in years})
    errors.add(
        closed.notna(),
        "year",
        "{} is closed through P{}; a row sets all twelve months, so an administrator must "
        "reopen it first",
        labels,
        closed.astype("Int64"),
    )


def _check_repeats(frame: pd.DataFrame, errors: RowErrors) -> None:
    keys = ["line_id", "year_id"]
    usable = frame[frame[keys].notna().all(axis=1)]
    repeated = usable.duplicated(keys, keep="first")
    if not repeated.any():
        return
    first = usable.groupby(keys)["row"].transform("first")
    reason = pd.Series("", index=frame.index)
    reason[usable.index[repeated]] = (
        "the same line and year as row " + first[repeated].astype(str) + " (each appears once)"
    )
    errors.add(reason != "", "line_code", reason)


def _targets(good: pd.DataFrame, budgets: pd.DataFrame) -> pd.DataFrame:
    """Twelve figure targets per row, in row then period order."""
    records = [
        {
            "line_id": row.line_id,
            "line_code": row.line_code,
            "year_id": row.year_id,
            "period": period,
            "row": row.row,
            "new_budget": budgets.at[index, period],
        }
        for index, row in zip(good.index, good.itertuples(index=False), strict=True)
        for period in range(1, 13)
    ]
    columns = ["line_id", "line_code", "year_id", "period", "row", "new_budget"]
    targets = pd.DataFrame(records, columns=columns)
    targets["has_budget"] = True
    targets["has_actual"] = targets["has_forecast"] = targets["has_note"] = False
    targets["has_committed"] = False
    targets["new_actual"] = targets["new_forecast"] = targets["new_committed"] = None
    targets["new_note"] = ""
    return targets


def check_budget_writes(changes, user: AbstractBaseUser) -> str:
    """Inside the import's transaction: why the budget changes among `changes` may not be
    written ("" when they may): the user is not an Admin, or a year's budget is approved
    (read afresh with a row lock)."""
    years = {change.year_id for change in changes if change.budget_changed}
    if not years:
        return ""
    if not user.has_perm(SET_BUDGET):
        return "Only administrators can import budgets; nothing was applied."
    for year in FinancialYear.objects.filter(pk__in=years).order_by("start"):
        try:
            ensure_draft(year)
        except BudgetApprovedError as error:
            return f"{error}; nothing was applied."
    return ""
