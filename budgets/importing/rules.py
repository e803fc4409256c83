"""The rules every row of an import must pass, checked column by column against the
database: every problem is listed with its spreadsheet row, column and reason.

`check_rows` returns the figures the file targets, one row per (line, year, period), with
the values it gives; or, when any row breaks a rule, the problems and no targets. Amounts
are read by `common.money.parse_amount`, so a file accepts exactly what the entry pages
accept.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd

from budgets.importing.read import LEDGER, ImportProblem, ParsedImport
from budgets.models import BudgetLine, FinancialYear
from budgets.setting import approved_message
from common.money import AmountError, parse_amount

MAX_AMOUNT = Decimal("999999999999.99")
TOO_LARGE = "more than £999,999,999,999.99"
NOTE_MAX_LENGTH = 2000
KEYS = ["line_id", "year_id", "period"]


class RowErrors:
    """Row-numbered problems collected column by column, without a loop over rows."""

    def __init__(self, frame: pd.DataFrame, headers: dict[str, str]):
        self.frame, self.headers = frame, headers
        self.parts: list[pd.DataFrame] = []
        self.bad = pd.Series(False, index=frame.index)

    def add(self, mask: pd.Series, column: str, reason: str | pd.Series, *values: pd.Series):
        """Flag the rows of `mask`. `reason` is a message, a message per row, or a
        template whose `{}` are filled from `values` (only for the flagged rows)."""
        mask = mask.reindex(self.frame.index).fillna(False).astype(bool)
        if not mask.any():
            return
        if isinstance(reason, pd.Series):
            reasons = reason[mask]
        elif values:
            cells = zip(*(value[mask] for value in values), strict=True)
            reasons = [reason.format(*row) for row in cells]
        else:
            reasons = reason
        self.parts.append(
            pd.DataFrame(
                {
                    "row": self.frame.loc[mask, "row"],
                    "column": self.headers.get(column, column),
                    "reason": reasons,
                }
            )
        )
        self.bad |= mask

    def problems(self) -> list[ImportProblem]:
        if not self.parts:
            return []
        table = pd.concat(self.parts).sort_values("row", kind="stable")
        return [
            ImportProblem(int(row), str(column), str(reason))
            for row, column, reason in table.itertuples(index=False)
        ]


def amounts(column: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Each cell's amount (a Decimal, or None) and the reason it is not one (or None), by
    `parse_amount`: a file accepts exactly what the entry pages accept."""
    values: list[Decimal | None] = []
    reasons: list[str | None] = []
    for text in column.tolist():
        try:
            values.append(parse_amount(text))
            reasons.append(None)
        except AmountError as error:
            values.append(None)
            reasons.append(str(error))
    index = column.index
    return pd.Series(values, index, dtype=object), pd.Series(reasons, index, dtype=object)


def periods(column: pd.Series) -> pd.Series:
    """`4`, `04`, `P4` or `p4` as 4; anything else as <NA>."""
    bare = column.str.upper().str.removeprefix("P")
    digits = bare.str.fullmatch(r"\d{1,2}")
    return pd.to_numeric(bare.where(digits), "coerce").astype("Int64")


def dates(column: pd.Series) -> pd.Series:
    """DD/MM/YYYY or ISO YYYY-MM-DD (an XLSX date cell arrives as ISO text)."""
    iso = pd.to_datetime(column, format="%Y-%m-%d", errors="coerce")
    dmy = pd.to_datetime(column, format="%d/%m/%Y", errors="coerce")
    return iso.fillna(dmy)


def check_rows(
    parsed: ParsedImport, years: list[FinancialYear]
) -> tuple[pd.DataFrame | None, list[ImportProblem]]:
    """The targets of a parsed file (line_id, line_code, year_id, period, has_/new_ actual,
    forecast and note, row), or None and every problem. Reads the lines once."""
    frame = parsed.frame.copy()
    errors = RowErrors(frame, parsed.headers)
    check_lines(frame, errors)
    if parsed.file_format == LEDGER:
        _check_ledger(frame, errors, years)
    else:
        _check_figures(frame, errors, years)
    _check_open(frame, errors, years, "date" if parsed.file_format == LEDGER else "period")
    if parsed.file_format != LEDGER:
        _check_duplicates(frame, errors)
    good = frame[~errors.bad]
    targets = _ledger_targets(good, errors) if parsed.file_format == LEDGER else good
    problems = errors.problems()
    return (None, problems) if problems else (targets, [])


def check_lines(frame: pd.DataFrame, errors: RowErrors) -> None:
    """Line codes match exactly, else case-insensitively; the code as stored is kept.
    Each distinct code is looked up once (a ledger repeats a few thousand codes)."""
    exact = dict(BudgetLine.objects.values_list("code", "id"))
    folded = {code.casefold(): (pk, code) for code, pk in exact.items()}
    codes = frame["line_code"]
    positions, distinct = pd.factorize(codes, use_na_sentinel=False)
    found = [_line(code, exact, folded) for code in distinct]
    ids = np.array([pk if pk is not None else np.nan for pk, _ in found])
    stored = np.array([code if code is not None else np.nan for _, code in found], dtype=object)
    frame["line_id"] = pd.Series(ids[positions], index=frame.index)
    frame["line_code"] = pd.Series(stored[positions], index=frame.index, dtype=object)
    errors.add(codes == "", "line_code", "is empty")
    errors.add(
        (codes != "") & frame["line_id"].isna(),
        "line_code",
        "“{}” is not a budget line code",
        codes,
    )


def _line(code, exact: dict, folded: dict) -> tuple[int | None, str | None]:
    """A written code's line id and stored code, or (None, None)."""
    if code in exact:
        return exact[code], code
    if isinstance(code, str):
        return folded.get(code.casefold(), (None, None))
    return None, None


def check_year(frame: pd.DataFrame, errors: RowErrors, years: list[FinancialYear]) -> None:
    """`year` names a known financial year (its id in `year_id`)."""
    by_label = {y.label: y.pk for y in years}
    frame["year_id"] = frame["year"].str.replace("/", "-", regex=False).map(by_label)
    known = ", ".join(by_label) or "none yet"
    errors.add(frame["year"] == "", "year", "is empty")
    errors.add(
        (frame["year"] != "") & frame["year_id"].isna(),
        "year",
        "“{}” is not a financial year (known: {})",
        frame["year"],
        pd.Series(known, index=frame.index),
    )


def check_approved(
    frame: pd.DataFrame, errors: RowErrors, years: list[FinancialYear], given: pd.Series, column
) -> None:
    """Rows giving a budget (`given`) for a year whose budget is approved: it changes only
    by a recorded budget change."""
    approved = {y.pk: approved_message(y) for y in years if y.is_budget_approved}
    reason = frame["year_id"].map(approved)
    errors.add(given & reason.notna(), column, reason)


def _check_budget_column(frame: pd.DataFrame, errors: RowErrors, years) -> None:
    """The optional `budget` column: an amount, not negative, for a draft year; an empty
    cell leaves the budget as it is."""
    _check_amount_column(frame, errors, "budget")
    values = frame["new_budget"]
    errors.add(
        values.map(lambda v: v is not None and v < 0), "budget", "a budget cannot be negative"
    )
    check_approved(frame, errors, years, frame["has_budget"], "budget")
    del frame["budget"]  # the text as written; the stored budget joins under this name


def _check_figures(frame: pd.DataFrame, errors: RowErrors, years: list[FinancialYear]) -> None:
    check_year(frame, errors, years)
    written = frame["period"]
    period = frame["period"] = periods(written)
    out_of_range = period.notna() & ((period < 1) | (period > 12))
    errors.add(written == "", "period", "is empty")
    errors.add(
        (written != "") & period.isna(),
        "period",
        "“{}” is not a period: write 1 to 12 or P1 to P12",
        written,
    )
    errors.add(out_of_range, "period", "“{}” is out of range: periods are 1 to 12", written)
    frame.loc[out_of_range, "period"] = pd.NA
    for name in ("actual", "forecast", "committed"):
        _check_amount_column(frame, errors, name)
    negative = frame["new_committed"].map(lambda amount: amount is not None and amount < 0)
    errors.add(negative, "committed", "a commitment cannot be negative")
    _check_budget_column(frame, errors, years)
    if "note" not in frame:
        frame["note"] = ""
    errors.add(frame["note"].str.len() > NOTE_MAX_LENGTH, "note", "is longer than 2,000 characters")
    frame["has_note"] = frame["note"] != ""
    frame["new_note"] = frame["note"]
    nothing = ~(
        frame["has_actual"] | frame["has_forecast"] | frame["has_note"] | frame["has_committed"]
    )
    nothing &= ~frame["has_budget"]
    errors.add(nothing, "actual", "the row gives no actual, forecast, committed, budget or note")


def _check_amount_column(frame: pd.DataFrame, errors: RowErrors, name: str) -> None:
    """An optional amount: an empty cell leaves the figure's value as it is."""
    if name not in frame:
        frame[name] = ""
    given = frame[name] != ""
    values, messages = amounts(frame[name].where(given, "0"))
    errors.add(given & messages.notna(), name, messages)
    frame[f"new_{name}"] = values.where(given & messages.isna(), None)
    frame[f"has_{name}"] = given


def _check_ledger(frame: pd.DataFrame, errors: RowErrors, years: list[FinancialYear]) -> None:
    days = dates(frame["date"])
    errors.add(frame["date"] == "", "date", "is empty")
    errors.add(
        (frame["date"] != "") & days.isna(),
        "date",
        "“{}” is not a date: write DD/MM/YYYY or YYYY-MM-DD",
        frame["date"],
    )
    start_year = days.dt.year - (days.dt.month < 4).astype("Int64")
    frame["year_id"] = start_year.map({y.start.year: y.pk for y in years})
    frame["period"] = ((days.dt.month - 4) % 12 + 1).astype("Int64")
    known = ", ".join(y.label for y in years) or "none yet"
    errors.add(
        days.notna() & frame["year_id"].isna(),
        "date",
        "no financial year holds “{}” (known: {})",
        frame["date"],
        pd.Series(known, index=frame.index),
    )
    frame["amount"], messages = amounts(frame["amount"])
    errors.add(messages.notna(), "amount", messages)


def _check_open(
    frame: pd.DataFrame, errors: RowErrors, years: list[FinancialYear], column: str
) -> None:
    closed = frame["year_id"].map({y.pk: y.closed_through for y in years})
    labels = frame["year_id"].map({y.pk: y.label for y in years})
    locked = frame["period"].notna() & closed.notna() & (frame["period"] <= closed)
    errors.add(
        locked,
        column,
        "P{} {} is closed (closed through P{}); an administrator must reopen it first",
        frame["period"],
        labels,
        closed.astype("Int64"),
    )


def _check_duplicates(frame: pd.DataFrame, errors: RowErrors) -> None:
    usable = frame[KEYS].notna().all(axis=1)
    subset = frame[usable]
    dup = subset.duplicated(KEYS, keep="first")
    if not dup.any():
        return
    first = subset.groupby(KEYS)["row"].transform("first")
    mask = pd.Series(False, index=frame.index)
    mask[subset.index[dup]] = True
    reason = pd.Series("", index=frame.index)
    reason[subset.index[dup]] = (
        "the same line and period as row " + first[dup].astype(str) + " (each appears once)"
    )
    errors.add(mask, "line_code", reason)


def _ledger_targets(good: pd.DataFrame, errors: RowErrors) -> pd.DataFrame:
    """One row per (line, year, period): the sum of its amounts, as the new actual."""
    grouped = good.groupby(KEYS, sort=True)
    sums = grouped.agg(
        line_code=("line_code", "first"), new_actual=("amount", "sum"), row=("row", "min")
    ).reset_index()
    too_big = sums["new_actual"].map(lambda amount: abs(amount) > MAX_AMOUNT)
    if too_big.any():
        # Reported on the first row of the period, as the period is what is too large.
        flag = good["row"].isin(sums.loc[too_big, "row"])
        errors.add(flag, "amount", f"the period's amounts add up to {TOO_LARGE}")
    sums["has_actual"], sums["has_forecast"], sums["has_note"] = True, False, False
    sums["new_forecast"], sums["new_note"] = None, ""
    sums["has_budget"], sums["new_budget"] = False, None
    sums["has_committed"], sums["new_committed"] = False, None
    sums.attrs["total"] = sum(good["amount"], Decimal("0.00"))
    return sums
