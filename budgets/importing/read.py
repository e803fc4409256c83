"""Reading an import file: bytes in, text cells with canonical column names out.

The size, type and zip checks come first, so that a hostile or mistaken file is refused
before anything parses it. Every cell is read as text (pandas with dtype=str / object, no
NA guessing); XLSX numeric cells arrive from openpyxl as floats and are written back to
text with 15 significant digits (what Excel itself shows), so `1234.56` stays exactly
1234.56 when `common.money.parse_amount` reads it later (see `xlsx`). A file with more
rows than IMPORT_MAX_ROWS is refused before it is parsed. Nothing here raises: problems
are collected on the ParsedImport.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first data row 2.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field

import pandas as pd
from django.conf import settings

from budgets.importing.xlsx import read_first_sheet, too_many_rows

FIGURES, LEDGER, BUDGETS = "figures", "ledger", "budgets"
FIGURE_COLUMNS = ("line_code", "year", "period", "actual", "forecast", "note", "committed")
FIGURE_REQUIRED = ("line_code", "year", "period", "actual")
LEDGER_COLUMNS = ("line_code", "date", "amount")
# The figure rows' optional budget column, and the wide budget rows (see `budget_rows`).
BUDGET_COLUMN = "budget"
MONTH_COLUMNS = tuple(f"p{period}" for period in range(1, 13))
WIDE_COLUMNS = ("line_code", "year", "annual", "profile", *MONTH_COLUMNS)
NO_COLUMN = "(none)"


def _key(name: object) -> str:
    """A header name reduced to letters and digits: `Line Code`, `line_code` -> linecode."""
    return re.sub(r"[^0-9a-z]", "", str(name).casefold())


_CANONICAL = {
    _key(name): name for name in FIGURE_COLUMNS + LEDGER_COLUMNS + (BUDGET_COLUMN,) + WIDE_COLUMNS
}


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

    def refuse(self, reason: str, row: int = 0, column: str = NO_COLUMN) -> None:
        self.problems.append(ImportProblem(row, column, reason))


def parse_file(name: str, data: bytes) -> ParsedImport:
    """Read `data` (named `name`) into text cells. Problems are collected, never raised."""
    parsed = ParsedImport(filename=name, sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    limit = settings.IMPORT_MAX_UPLOAD_BYTES
    if len(data) > limit:
        parsed.refuse(f"the file is {len(data):,} bytes; the limit is {limit:,} bytes")
        return parsed
    extension = name.rsplit(".", 1)[-1].casefold() if "." in name else ""
    if extension == "csv":
        frame = _read_csv(parsed, data)
    elif extension == "xlsx":
        frame = _read_xlsx(parsed, data)
    else:
        parsed.refuse("only .csv and .xlsx files can be imported")
        return parsed
    if frame is not None:
        _understand_header(parsed, frame)
    return parsed


# --- CSV ---------------------------------------------------------------------------------


def _read_csv(parsed: ParsedImport, data: bytes) -> pd.DataFrame | None:
    text = _csv_text(parsed, data)
    if text is None:
        return None
    if _too_many_csv_rows(text, settings.IMPORT_MAX_ROWS):
        parsed.refuse(too_many_rows(settings.IMPORT_MAX_ROWS))
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
    except pd.errors.ParserError as error:
        _refuse_parser_error(parsed, str(error))
        return None
    except (ValueError, pd.errors.EmptyDataError) as error:
        parsed.refuse(f"the file could not be read as CSV ({error})")
        return None
    frame = cells.iloc[1:]
    frame.index = frame.index + 1  # the spreadsheet's row numbers: the header is row 1
    frame.columns = [str(name) for name in cells.iloc[0].fillna("")]
    return frame


def _csv_text(parsed: ParsedImport, data: bytes) -> str | None:
    """The file as text, or None with the reason it is not UTF-8 CSV with commas."""
    if data.startswith(UTF16_MARKS) or _looks_like_utf16(data):
        parsed.refuse(
            "the file is UTF-16 text (Excel's “Unicode Text”); save it as “CSV UTF-8 "
            "(Comma delimited)” and upload that"
        )
        return None
    if data.startswith(b"PK\x03\x04") or b"\x00" in data:
        parsed.refuse("the file is not CSV text (is it a spreadsheet saved as .csv?)")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        parsed.refuse(
            f"the file is not UTF-8 text (byte {error.start + 1}); save it as “CSV UTF-8”"
        )
        return None
    if not text.strip():
        parsed.refuse("the file is empty: it needs a header row and data rows", row=1)
        return None
    header = text.lstrip("\r\n").split("\n", 1)[0]
    for separator, name in ((";", "';'"), ("\t", "tabs")):
        if separator in header and "," not in header:
            parsed.refuse(
                f"the columns are separated by {name}, not commas: save the file as "
                "“CSV UTF-8 (Comma delimited)”",
                row=1,
            )
            return None
    return text


UTF16_MARKS = (b"\xff\xfe", b"\xfe\xff")


def _looks_like_utf16(data: bytes) -> bool:
    """UTF-16 without its byte-order mark: ASCII text with every other byte zero."""
    sample = data[:512]
    halves = (sample[0::2], sample[1::2])
    return len(sample) >= 4 and any(half.count(0) > 0.9 * len(half) for half in halves)


def _too_many_csv_rows(text: str, limit: int) -> bool:
    """Whether the text holds more than `limit` rows under its header. Counting its line
    breaks settles almost every file; only a file with more line breaks than the limit
    (cells may hold line breaks) is counted by records, stopping past the limit."""
    if text.count("\n") <= limit:
        return False
    try:
        for count, _ in enumerate(csv.reader(io.StringIO(text)), start=0):
            if count > limit:  # the header and `limit` rows have been read
                return True
    except csv.Error:
        return True  # not even the csv module reads it: refuse it by its size
    return False


def _refuse_parser_error(parsed: ParsedImport, message: str) -> None:
    """pandas' tokenizer errors, said with the spreadsheet's row number."""
    if found := re.search(r"line (\d+), saw (\d+)", message):
        row, fields = found.groups()
        parsed.refuse(f"has {fields} fields, more than the header has", row=int(row))
    elif found := re.search(r"EOF inside string starting at row (\d+)", message):
        # pandas counts rows from 0; a spreadsheet from 1.
        parsed.refuse(
            "a quoted cell starts here and is never closed: check its quotation marks",
            row=int(found[1]) + 1,
        )
    else:
        parsed.refuse(f"the file could not be read as CSV ({message})")


# --- XLSX --------------------------------------------------------------------------------


def _read_xlsx(parsed: ParsedImport, data: bytes) -> pd.DataFrame | None:
    sheet = read_first_sheet(
        data, max_rows=settings.IMPORT_MAX_ROWS, wanted=lambda name: _key(name) in _CANONICAL
    )
    for row, column, reason in sheet.problems:
        parsed.refuse(reason, row, column)
    return sheet.frame


# --- the header --------------------------------------------------------------------------


def _understand_header(parsed: ParsedImport, frame: pd.DataFrame) -> None:
    """Decide the format, check required columns and keep the rows that carry data."""
    if not any(str(name).strip() for name in frame.columns) and frame.empty:
        parsed.refuse("the file is empty: it needs a header row and data rows", row=1)
        return
    columns, seen = _canonical_columns(parsed, frame.columns)
    if parsed.problems or not _choose_format(parsed, seen):
        return
    keep = [i for i, name in enumerate(columns) if name is not None]
    frame = frame.iloc[:, keep].copy()
    frame.columns = [columns[i] for i in keep]
    frame = _rows_with_data(frame.fillna("").astype(str))
    if frame.empty:
        parsed.refuse("the file has a header but no rows", row=2)
        return
    parsed.headers = {name: seen[name] for name in frame.columns if name != "row"}
    parsed.frame = frame


def _canonical_columns(parsed: ParsedImport, written_names) -> tuple[list, dict[str, str]]:
    """Each written column's canonical name (None: ignored), and canonical -> as written.
    A repeated column is a problem on row 1."""
    seen: dict[str, str] = {}
    columns: list[str | None] = []
    for written in (str(name).strip() for name in written_names):
        canonical = _canonical(written, seen)
        if canonical is None:
            if written and not written.startswith("Unnamed:"):
                parsed.ignored_columns.append(written)
        elif canonical in seen:
            parsed.refuse(f"the column is repeated (also “{seen[canonical]}”)", 1, written)
        else:
            seen[canonical] = written
        columns.append(canonical)
    return columns, seen


def _canonical(written: str, seen: dict[str, str]) -> str | None:
    canonical = _CANONICAL.get(_key(written))
    repeat = re.fullmatch(r"(.+)\.\d+", written)  # pandas renames a repeat `x` to `x.1`
    if canonical is None and repeat and _CANONICAL.get(_key(repeat[1])) in seen:
        canonical = _CANONICAL[_key(repeat[1])]
    return canonical


def _choose_format(parsed: ParsedImport, seen: dict[str, str]) -> bool:
    """Figures, ledger or wide budget rows, from the columns present; False when a required
    one is missing."""
    is_ledger = ("date" in seen or "amount" in seen) and not ({"period", "actual"} & set(seen))
    is_wide = "period" not in seen and bool({"annual", "profile", *MONTH_COLUMNS} & set(seen))
    if is_wide:
        return _choose_wide(parsed, seen)
    parsed.file_format = LEDGER if is_ledger else FIGURES
    required = LEDGER_COLUMNS if is_ledger else FIGURE_REQUIRED
    if not is_ledger and BUDGET_COLUMN in seen:
        required = FIGURE_REQUIRED[:-1]  # a budget file need not carry actuals
    expected = ", ".join(LEDGER_COLUMNS if is_ledger else FIGURE_COLUMNS)
    missing = [name for name in required if name not in seen]
    for name in missing:
        parsed.refuse(f"required column is missing (expected: {expected})", 1, name)
    return not missing


def _choose_wide(parsed: ParsedImport, seen: dict[str, str]) -> bool:
    """Wide budget rows: line_code, year and either P1..P12 or annual with profile."""
    parsed.file_format = BUDGETS
    monthly = [name for name in MONTH_COLUMNS if name in seen]
    required = ["line_code", "year"]
    if "annual" in seen or "profile" in seen:
        if monthly:
            parsed.refuse("give either P1 to P12 or annual and profile, not both", 1, "annual")
        required += ["annual", "profile"]
    else:
        required += list(MONTH_COLUMNS)
    expected = "line_code, year, P1 … P12 (or annual, profile)"
    missing = [name for name in required if name not in seen]
    for name in missing:
        shown = name.upper() if name in MONTH_COLUMNS else name
        parsed.refuse(f"required column is missing (expected: {expected})", 1, shown)
    return not missing and not parsed.problems


def _rows_with_data(frame: pd.DataFrame) -> pd.DataFrame:
    """Cells stripped, the spreadsheet row number added, and blank rows dropped."""
    for name in frame.columns:
        frame[name] = frame[name].str.strip()
    frame["row"] = frame.index  # the readers index rows by their spreadsheet row number
    return frame[(frame.drop(columns="row") != "").any(axis=1)].reset_index(drop=True)
