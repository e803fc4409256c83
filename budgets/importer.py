"""Import monthly actuals from a CSV or XLSX file: parse, validate everything, then write once.

Two formats, told apart by their header (names match case-, space- and underscore-
insensitively; other columns are ignored and listed in the preview):

- figure rows: `line_code, year, period, actual[, forecast][, note]`. `year` is a label such
  as 2014-15; `period` is 1-12 or P1-P12. An empty cell leaves that value as it is, so a
  file may carry only forecasts or only notes. A (line, year, period) appears once.
- ledger rows: `line_code, date, amount`. Each date falls in a period of the financial year
  (April to March) holding it; the amounts of a line's period are added up and the sum
  REPLACES that period's actual (the ledger is the whole record of the period's spend).

Every cell is read as text (pandas with dtype=str / object, no NA guessing) and amounts
are parsed exactly by `common.money.parse_amount`: never through a float. XLSX numeric
cells arrive from openpyxl as floats; they are written back to text with 15 significant
digits (what Excel itself shows) before parsing, so `1234.56` stays exactly 1234.56.

API (the web views, the `import_actuals` command and the benchmark use the same three):

    parsed = parse_file(name, data)          # bytes in, ParsedImport out; never raises
    plan = validate(parsed)                  # ImportPlan: errors, or the changes to make
    batch = apply_import(plan=plan, user=user, filename=name, sha256=parsed.sha256)

Rows are numbered as a spreadsheet shows them: the header is row 1, the first data row 2.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

import pandas as pd
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from budgets.models import BudgetLine, FinancialYear, ImportBatch, MonthlyFigure
from budgets.services import ensure_periods_open, note_required
from common.money import ZERO, AmountError, format_money, parse_amount

FIGURES, LEDGER = "figures", "ledger"
FIGURE_COLUMNS = ("line_code", "year", "period", "actual", "forecast", "note")
FIGURE_REQUIRED = ("line_code", "year", "period", "actual")
LEDGER_COLUMNS = ("line_code", "date", "amount")
NO_COLUMN = "(none)"
MAX_AMOUNT = Decimal("999999999999.99")

# Permissions a person needs to import (the Finance role has both).
IMPORT_PERMISSIONS = ("budgets.add_importbatch", "budgets.change_monthlyfigure")

# An XLSX is a zip: refuse one that would unpack into something huge before parsing it.
XLSX_MAX_MEMBERS = getattr(settings, "IMPORT_XLSX_MAX_MEMBERS", 200)
XLSX_MAX_UNCOMPRESSED_BYTES = getattr(
    settings, "IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES", 200 * 1024 * 1024
)
WRITE_BATCH_SIZE = 500


def _key(name: object) -> str:
    """A header name reduced to letters and digits: `Line Code`, `line_code` -> linecode."""
    return re.sub(r"[^0-9a-z]", "", str(name).casefold())


_CANONICAL = {_key(name): name for name in FIGURE_COLUMNS + LEDGER_COLUMNS}


@dataclass(frozen=True, order=True)
class ImportProblem:
    """One reason the file cannot be applied. `row` 0 means the file as a whole."""

    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        if self.row == 0:
            return f"file: {self.reason}"
        return f"row {self.row}, column {self.column}: {self.reason}"


@dataclass
class ParsedImport:
    """The file read into text cells, with canonical column names and spreadsheet rows."""

    filename: str
    sha256: str
    size: int
    file_format: str | None = None  # FIGURES or LEDGER once the header is understood
    frame: pd.DataFrame | None = None  # canonical columns + "row"; every cell is a str
    headers: dict[str, str] = field(default_factory=dict)  # canonical -> as written
    ignored_columns: list[str] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)

    @property
    def row_count(self) -> int:
        return 0 if self.frame is None else len(self.frame)


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
    budget: Decimal = ZERO  # the figure's phased budget (0 for a figure to be created)

    @property
    def key(self) -> str:
        return f"{self.line_id}:{self.year_id}:{self.period}"

    @property
    def changed(self) -> bool:
        return (self.old_actual, self.old_forecast, self.old_note) != (
            self.new_actual,
            self.new_forecast,
            self.new_note,
        ) or self.figure_id is None

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


class ImportRefused(Exception):  # noqa: N818 - reads as what happened
    """The import was not applied; the message says why and nothing was written."""


class AlreadyImportedError(ImportRefused):
    def __init__(self, batch: ImportBatch):
        self.batch = batch
        who = batch.uploaded_by
        name = (who.get_full_name() or who.get_username()) if who else "an unknown user"
        when = timezone.localtime(batch.applied_at)
        super().__init__(
            f"This file was already applied on {when:%-d %b %Y at %H:%M} by {name} "
            f"(as {batch.filename}); it cannot be applied twice."
        )


class StaleImportError(ImportRefused):
    def __init__(self, places: list[str]):
        self.places = places
        names = ", ".join(places[:10])
        more = f" and {len(places) - 10} more" if len(places) > 10 else ""
        super().__init__(
            f"Nothing was applied: {names}{more} changed since the preview. "
            "Upload the file again to see the current values."
        )


# --- reading the file --------------------------------------------------------------------


def parse_file(name: str, data: bytes) -> ParsedImport:
    """Read `data` (named `name`) into text cells. Problems are collected, never raised."""
    parsed = ParsedImport(filename=name, sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    limit = settings.IMPORT_MAX_UPLOAD_BYTES
    if len(data) > limit:
        return _refuse(parsed, f"the file is {len(data):,} bytes; the limit is {limit:,} bytes")
    extension = name.rsplit(".", 1)[-1].casefold() if "." in name else ""
    if extension == "csv":
        frame = _read_csv(parsed, data)
    elif extension == "xlsx":
        frame = _read_xlsx(parsed, data)
    else:
        return _refuse(parsed, "only .csv and .xlsx files can be imported")
    if frame is not None:
        _understand_header(parsed, frame)
    return parsed


def _refuse(parsed: ParsedImport, reason: str, row: int = 0) -> ParsedImport:
    parsed.problems.append(ImportProblem(row, NO_COLUMN, reason))
    return parsed


def _read_csv(parsed: ParsedImport, data: bytes) -> pd.DataFrame | None:
    if data.startswith(b"PK\x03\x04") or b"\x00" in data:
        _refuse(parsed, "the file is not CSV text (is it a spreadsheet saved as .csv?)")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        _refuse(
            parsed,
            f"the file is not UTF-8 text (byte {error.start + 1}); save it as “CSV UTF-8”",
        )
        return None
    if not text.strip():
        _refuse(parsed, "the file is empty: it needs a header row and data rows", row=1)
        return None
    try:
        # header=None: a row longer than the header is an error, not an implicit index.
        cells = pd.read_csv(
            io.StringIO(text),
            header=None,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            engine="c",
        )
        frame = cells.iloc[1:].reset_index(drop=True)
        frame.columns = [str(name) for name in cells.iloc[0].fillna("")]
        return frame
    except pd.errors.ParserError as error:
        found = re.search(r"line (\d+), saw (\d+)", str(error))
        if found:
            row, fields = found.groups()
            _refuse(parsed, f"has {fields} fields, more than the header has", row=int(row))
        else:
            _refuse(parsed, f"the file could not be read as CSV ({error})")
    except (ValueError, pd.errors.EmptyDataError) as error:
        _refuse(parsed, f"the file could not be read as CSV ({error})")
    return None


def _read_xlsx(parsed: ParsedImport, data: bytes) -> pd.DataFrame | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        _refuse(parsed, "the file is not an XLSX workbook")
        return None
    names = {member.filename for member in members}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        _refuse(parsed, "the file is a zip archive but not an XLSX workbook")
        return None
    if len(members) > XLSX_MAX_MEMBERS:
        _refuse(parsed, f"the workbook has {len(members)} parts, more than {XLSX_MAX_MEMBERS}")
        return None
    unpacked = sum(member.file_size for member in members)
    if unpacked > XLSX_MAX_UNCOMPRESSED_BYTES:
        _refuse(
            parsed,
            f"the workbook unpacks to {unpacked:,} bytes, more than "
            f"{XLSX_MAX_UNCOMPRESSED_BYTES:,}; export it as CSV instead",
        )
        return None
    try:
        frame = pd.read_excel(
            io.BytesIO(data), sheet_name=0, dtype=object, keep_default_na=False, engine="openpyxl"
        )
    except Exception as error:  # any failure to read an untrusted workbook is a refusal
        _refuse(parsed, f"the workbook could not be read ({type(error).__name__})")
        return None
    frame.columns = [_cell_text(column) for column in frame.columns]
    return frame.map(_cell_text) if len(frame) else frame


def _cell_text(value: object) -> str:
    """A spreadsheet cell as the text a person sees in it."""
    if value is None:
        return ""
    if isinstance(value, float):
        # 15 significant digits is what Excel shows and stores reliably.
        return "" if math.isnan(value) else format(value, ".15g")
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _understand_header(parsed: ParsedImport, frame: pd.DataFrame) -> None:
    """Decide the format, check required columns and keep the rows that carry data."""
    if not any(str(name).strip() for name in frame.columns) and frame.empty:
        _refuse(parsed, "the file is empty: it needs a header row and data rows", row=1)
        return
    seen: dict[str, str] = {}
    columns = []
    for written in frame.columns:
        written = str(written).strip()
        canonical = _CANONICAL.get(_key(written))
        repeat = re.fullmatch(r"(.+)\.\d+", written)  # pandas renames a repeat `x` to `x.1`
        if canonical is None and repeat and _CANONICAL.get(_key(repeat[1])) in seen:
            canonical = _CANONICAL[_key(repeat[1])]
        if canonical is None:
            if written and not written.startswith("Unnamed:"):
                parsed.ignored_columns.append(written)
            columns.append(None)
            continue
        if canonical in seen:
            parsed.problems.append(
                ImportProblem(1, written, f"the column is repeated (also “{seen[canonical]}”)")
            )
        seen[canonical] = written
        columns.append(canonical)
    if parsed.problems:
        return
    is_ledger = ("date" in seen or "amount" in seen) and not ({"period", "actual"} & set(seen))
    parsed.file_format = LEDGER if is_ledger else FIGURES
    required = LEDGER_COLUMNS if is_ledger else FIGURE_REQUIRED
    missing = [name for name in required if name not in seen]
    for name in missing:
        expected = ", ".join(LEDGER_COLUMNS if is_ledger else FIGURE_COLUMNS)
        parsed.problems.append(
            ImportProblem(1, name, f"required column is missing (expected: {expected})")
        )
    if missing:
        return
    keep = [i for i, name in enumerate(columns) if name is not None]
    frame = frame.iloc[:, keep].copy()
    frame.columns = [columns[i] for i in keep]
    frame = frame.fillna("").astype(str)
    for name in frame.columns:
        frame[name] = frame[name].str.strip()
    frame["row"] = frame.index + 2
    frame = frame[(frame.drop(columns="row") != "").any(axis=1)].reset_index(drop=True)
    if frame.empty:
        parsed.problems.append(ImportProblem(2, NO_COLUMN, "the file has a header but no rows"))
        return
    parsed.headers = {name: seen[name] for name in frame.columns if name != "row"}
    parsed.frame = frame


# --- validating against the database -----------------------------------------------------


class _Errors:
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


_PLAIN_AMOUNT = r"^(-?)(\d{1,12})(?:\.(\d{1,2}))?$"


def _pence(column: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Amounts as whole pence (int, or None) and error messages (or None), per cell.

    Plain amounts such as `-1234.5` are converted column-wise in integer arithmetic; the
    rest (`£1,234.56`, `(978.00)`, mistakes) go through `parse_amount`, once per distinct
    text. Both paths are exact and agree with `parse_amount`.
    """
    parts = column.str.extract(_PLAIN_AMOUNT)
    plain = parts[1].notna()
    pence = pd.Series(None, index=column.index, dtype=object)
    if plain.any():
        whole = parts.loc[plain, 1].astype("int64") * 100
        cents = parts.loc[plain, 2].fillna("").str.ljust(2, "0").astype("int64")
        value = whole + cents
        pence[plain] = value.where(parts.loc[plain, 0] != "-", -value).astype(object)
    values, messages = {}, {}
    for text in column[~plain].unique():
        try:
            values[text] = int(parse_amount(text).scaleb(2))
        except AmountError as error:
            values[text], messages[text] = None, str(error)
    others = column[~plain]
    pence[~plain] = pd.Series([values[text] for text in others], index=others.index, dtype=object)
    return pence, column.map(messages)


def _decimal(pence: int | None) -> Decimal | None:
    return None if pence is None or pd.isna(pence) else Decimal(int(pence)).scaleb(-2)


def _periods(column: pd.Series) -> pd.Series:
    """`4`, `04`, `P4` or `p4` as 4; anything else as <NA>."""
    digits = column.str.upper().str.removeprefix("P").str.fullmatch(r"\d{1,2}")
    numbers = pd.to_numeric(column.str.upper().str.removeprefix("P").where(digits), "coerce")
    return numbers.astype("Int64")


def _dates(column: pd.Series) -> pd.Series:
    """DD/MM/YYYY or ISO YYYY-MM-DD (an XLSX date cell arrives as ISO text)."""
    iso = pd.to_datetime(column, format="%Y-%m-%d", errors="coerce")
    dmy = pd.to_datetime(column, format="%d/%m/%Y", errors="coerce")
    return iso.fillna(dmy)


def validate(parsed: ParsedImport) -> ImportPlan:
    """Check every row against the database; list every problem or every change.

    A constant number of queries whatever the number of rows: lines, years and the
    existing figures of the years named are each read once.
    """
    plan = ImportPlan(parsed=parsed, errors=list(parsed.problems))
    if plan.errors or parsed.frame is None:
        return plan
    frame = parsed.frame.copy()
    errors = _Errors(frame, parsed.headers)
    years = list(FinancialYear.objects.all())

    exact = dict(BudgetLine.objects.values_list("code", "id"))
    folded = {code.casefold(): (pk, code) for code, pk in exact.items()}
    codes = frame["line_code"]
    frame["line_id"] = codes.map(exact).fillna(
        codes.str.casefold().map({k: v[0] for k, v in folded.items()})
    )
    frame["line_code"] = codes.map({code: code for code in exact}).fillna(
        codes.str.casefold().map({k: v[1] for k, v in folded.items()})
    )
    errors.add(codes == "", "line_code", "is empty")
    errors.add(
        (codes != "") & frame["line_id"].isna(),
        "line_code",
        "“{}” is not a budget line code",
        codes,
    )

    if parsed.file_format == LEDGER:
        _validate_ledger(frame, errors, years)
    else:
        _validate_figures(frame, errors, years)

    closed = frame["year_id"].map({y.pk: y.closed_through for y in years})
    labels = frame["year_id"].map({y.pk: y.label for y in years})
    locked = frame["period"].notna() & closed.notna() & (frame["period"] <= closed)
    time_column = "date" if parsed.file_format == LEDGER else "period"
    errors.add(
        locked,
        time_column,
        "P{} {} is closed (closed through P{}); an administrator must reopen it first",
        frame["period"],
        labels,
        closed.astype("Int64"),
    )
    if parsed.file_format == FIGURES:
        _check_duplicates(frame, errors)

    good = frame[~errors.bad]
    targets = _ledger_targets(good, errors) if parsed.file_format == LEDGER else good
    plan.errors = errors.problems()
    if plan.errors:
        return plan
    _plan_changes(plan, targets, years)
    return plan


def _validate_figures(frame: pd.DataFrame, errors: _Errors, years: list[FinancialYear]) -> None:
    by_label = {y.label: y.pk for y in years}
    year_text = frame["year"].str.replace("/", "-", regex=False)
    frame["year_id"] = year_text.map(by_label)
    known = ", ".join(by_label) or "none yet"
    errors.add(frame["year"] == "", "year", "is empty")
    errors.add(
        (frame["year"] != "") & frame["year_id"].isna(),
        "year",
        "“{}” is not a financial year (known: {})",
        frame["year"],
        pd.Series(known, index=frame.index),
    )
    written = frame["period"]
    period = frame["period"] = _periods(written)
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

    for name in ("actual", "forecast"):
        if name not in frame:
            frame[name] = ""
        given = frame[name] != ""
        pence, messages = _pence(frame[name].where(given, "0"))
        errors.add(given & messages.notna(), name, messages)
        frame[f"new_{name}"] = pence.map(_decimal).where(given & messages.isna(), None)
        frame[f"has_{name}"] = given
    if "note" not in frame:
        frame["note"] = ""
    errors.add(frame["note"].str.len() > 2000, "note", "is longer than 2,000 characters")
    frame["has_note"] = frame["note"] != ""
    frame["new_note"] = frame["note"]
    nothing = ~(frame["has_actual"] | frame["has_forecast"] | frame["has_note"])
    errors.add(nothing, "actual", "the row gives no actual, forecast or note")


def _validate_ledger(frame: pd.DataFrame, errors: _Errors, years: list[FinancialYear]) -> None:
    days = _dates(frame["date"])
    errors.add(frame["date"] == "", "date", "is empty")
    errors.add(
        (frame["date"] != "") & days.isna(),
        "date",
        "“{}” is not a date: write DD/MM/YYYY or YYYY-MM-DD",
        frame["date"],
    )
    start_year = days.dt.year - (days.dt.month < 4).astype("Int64")
    by_start = {y.start.year: y.pk for y in years}
    frame["year_id"] = start_year.map(by_start)
    frame["period"] = ((days.dt.month - 4) % 12 + 1).astype("Int64")
    known = ", ".join(y.label for y in years) or "none yet"
    errors.add(
        days.notna() & frame["year_id"].isna(),
        "date",
        "no financial year holds “{}” (known: {})",
        frame["date"],
        pd.Series(known, index=frame.index),
    )
    frame["pence"], messages = _pence(frame["amount"])
    errors.add(messages.notna(), "amount", messages)


def _check_duplicates(frame: pd.DataFrame, errors: _Errors) -> None:
    keys = ["line_id", "year_id", "period"]
    usable = frame[keys].notna().all(axis=1)
    subset = frame[usable]
    dup = subset.duplicated(keys, keep="first")
    if not dup.any():
        return
    first = subset.groupby(keys)["row"].transform("first")
    mask = pd.Series(False, index=frame.index)
    mask[subset.index[dup]] = True
    reason = pd.Series("", index=frame.index)
    reason[subset.index[dup]] = (
        "the same line and period as row " + first[dup].astype(str) + " (each appears once)"
    )
    errors.add(mask, "line_code", reason)


def _ledger_targets(good: pd.DataFrame, errors: _Errors) -> pd.DataFrame:
    """One row per (line, year, period): the sum of its amounts, as the new actual."""
    keys = ["line_id", "year_id", "period"]
    grouped = good.astype({"pence": object}).groupby(keys, sort=True)
    sums = grouped.agg(line_code=("line_code", "first"), pence=("pence", "sum"), row=("row", "min"))
    sums = sums.reset_index()
    limit = int(MAX_AMOUNT.scaleb(2))
    too_big = sums["pence"].map(lambda p: abs(p) > limit)
    if too_big.any():
        # Reported on the first row of the period, as the period is what is too large.
        flag = good["row"].isin(sums.loc[too_big, "row"])
        errors.add(flag, "amount", "the period's amounts add up to more than £999,999,999,999.99")
    sums["new_actual"] = sums["pence"].map(_decimal)
    sums["has_actual"], sums["has_forecast"], sums["has_note"] = True, False, False
    sums["new_forecast"], sums["new_note"] = None, ""
    sums.attrs["total_pence"] = sum(good["pence"])
    return sums


def _plan_changes(plan: ImportPlan, targets: pd.DataFrame, years: list[FinancialYear]) -> None:
    year_ids = sorted({int(y) for y in targets["year_id"]})
    labels = {y.pk: y.label for y in years}
    columns = [
        "line_id",
        "year_id",
        "period",
        "id",
        "version",
        "actual",
        "forecast",
        "note",
        "budget",
    ]
    existing = pd.DataFrame(
        MonthlyFigure.objects.filter(year_id__in=year_ids).values_list(*columns),
        columns=[
            *columns[:3],
            "figure_id",
            "old_version",
            "old_actual",
            "old_forecast",
            "old_note",
            "budget",
        ],
        dtype=object,
    )
    keys = ["line_id", "year_id", "period"]
    targets = targets.astype({"line_id": int, "year_id": int, "period": int})
    existing = existing.astype({"line_id": int, "year_id": int, "period": int})
    merged = targets.merge(existing, on=keys, how="left", sort=False)
    merged = merged.sort_values(["year_id", "line_code", "period"], kind="stable")

    if plan.parsed.file_format == LEDGER:
        plan.total = Decimal(targets.attrs.get("total_pence", 0)).scaleb(-2)
    else:
        plan.total = sum((v for v in targets["new_actual"] if v is not None), ZERO)

    if abs(plan.total) > MAX_AMOUNT:
        plan.errors.append(
            ImportProblem(
                0, NO_COLUMN, "the file's amounts add up to more than £999,999,999,999.99"
            )
        )
        return
    changes, unchanged = [], 0
    for row in merged.itertuples(index=False):
        present = not pd.isna(row.figure_id)
        old_actual = _value(row.old_actual) if present else None
        old_forecast = _value(row.old_forecast) if present else None
        old_note = row.old_note if present else ""
        change = FigureChange(
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
            budget=(_value(row.budget) or ZERO) if present else ZERO,
        )
        plan.versions[change.key] = change.version
        plan.places[change.key] = change.where
        plan.actual_before += old_actual or ZERO
        plan.actual_after += change.new_actual or ZERO
        if change.changed:
            changes.append(change)
        else:
            unchanged += 1
    plan.changes, plan.unchanged = changes, unchanged

    delta: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for change in changes:
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


def _value(value: object) -> Decimal | None:
    """A stored amount from a merged frame: None where pandas put a missing marker."""
    return value if isinstance(value, Decimal) else None


# --- applying ----------------------------------------------------------------------------


def describe_batch(batch: ImportBatch) -> str:
    return (
        f"Imported {batch.filename}: {batch.figure_count} figures changed from "
        f"{batch.row_count} rows (file total {format_money(batch.total)})."
    )


NOTES_NAMED = 20


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


def _write_updates(
    figures: list[MonthlyFigure], varying: list[str], *, user, now, batch: ImportBatch
) -> None:
    """Write updated figures: what every row shares (who, when, batch, version + 1) in one
    UPDATE per chunk, and only the fields that really vary through bulk_update, whose
    per-row CASE expressions are the slow part of a large import."""
    for start in range(0, len(figures), WRITE_BATCH_SIZE):
        chunk = figures[start : start + WRITE_BATCH_SIZE]
        MonthlyFigure.objects.filter(pk__in=[f.pk for f in chunk]).update(
            version=F("version") + 1, updated_by=user, updated_at=now, import_batch=batch
        )
    if varying:
        MonthlyFigure.objects.bulk_update(figures, varying, batch_size=WRITE_BATCH_SIZE)


@transaction.atomic
def apply_import(
    *, plan: ImportPlan, user: AbstractBaseUser, filename: str, sha256: str
) -> ImportBatch:
    """Write every change of a valid plan in one transaction, or nothing.

    Refuses (ImportRefused, nothing written) when the plan has errors, the same file was
    applied before, a period it touches has been closed, or any figure's version moved on
    since `validate` read it. Changed figures get a new version, the user, the batch and
    a history row each (with the user and the file name as the reason).
    """
    if not all(user.has_perm(perm) for perm in IMPORT_PERMISSIONS):
        raise PermissionDenied("Only Finance can import actuals.")
    if plan.errors:
        raise ImportRefused(f"The file has {len(plan.errors)} problems; nothing was applied.")
    previous = ImportBatch.objects.filter(sha256=sha256).select_related("uploaded_by").first()
    if previous is not None:
        raise AlreadyImportedError(previous)

    by_year: dict[int, set[int]] = defaultdict(set)
    for change in plan.changes:
        by_year[change.year_id].add(change.period)
    for year in FinancialYear.objects.filter(pk__in=by_year):
        ensure_periods_open(year, by_year[year.pk])

    current = {
        f"{f.line_id}:{f.year_id}:{f.period}": f
        for f in MonthlyFigure.objects.select_for_update(of=("self",)).filter(year_id__in=by_year)
    }
    stale = [
        c.where
        for c in plan.changes
        if (current[c.key].version if c.key in current else 0) != c.version
    ]
    if stale:
        raise StaleImportError(stale)

    now = timezone.now()
    batch = ImportBatch(
        sha256=sha256,
        filename=filename[:255],
        file_format=plan.file_format or "",
        uploaded_by=user,
        row_count=plan.row_count,
        figure_count=len(plan.changes),
        total=plan.total,
    )
    batch._history_user = user
    try:
        with transaction.atomic():
            batch.save()
    except IntegrityError:
        raise AlreadyImportedError(ImportBatch.objects.get(sha256=sha256)) from None

    updated, created = [], []
    varying: set[str] = set()  # the per-figure fields that differ anywhere in this import
    for change in plan.changes:
        figure = current.get(change.key)
        if figure is None:
            figure = MonthlyFigure(
                line_id=change.line_id, year_id=change.year_id, period=change.period, version=0
            )
            created.append(figure)
        else:
            updated.append(figure)
            varying.update(
                name
                for name, new in (
                    ("actual", change.new_actual),
                    ("forecast", change.new_forecast),
                    ("note", change.new_note),
                )
                if getattr(figure, name) != new
            )
        figure.actual, figure.forecast = change.new_actual, change.new_forecast
        figure.note = change.new_note
        figure.version += 1
        figure.updated_by, figure.updated_at, figure.import_batch = user, now, batch
    reason = f"Imported from {filename}"[:100]
    if updated:
        _write_updates(updated, sorted(varying), user=user, now=now, batch=batch)
        # The rows are written; this adds their history rows (fields=[] updates nothing).
        bulk_update_with_history(
            updated,
            MonthlyFigure,
            [],
            batch_size=WRITE_BATCH_SIZE,
            default_user=user,
            default_change_reason=reason,
            default_date=now,
        )
    if created:
        bulk_create_with_history(
            created,
            MonthlyFigure,
            batch_size=WRITE_BATCH_SIZE,
            default_user=user,
            default_change_reason=reason,
            default_date=now,
        )
    return batch
