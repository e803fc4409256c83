"""Reading an import file: bytes in, text cells with canonical column names out.

The size, type and zip checks come first, so that a hostile or mistaken file is refused
before anything parses it. Every cell is read as text (pandas with dtype=str / object, no
NA guessing); XLSX numeric cells arrive from openpyxl as floats and are written back to
text with 15 significant digits (what Excel itself shows), so `1234.56` stays exactly
1234.56 when `common.money.parse_amount` reads it later. Nothing here raises: problems
are collected on the ParsedImport.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first data row 2.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time

import pandas as pd
from django.conf import settings

FIGURES, LEDGER = "figures", "ledger"
FIGURE_COLUMNS = ("line_code", "year", "period", "actual", "forecast", "note")
FIGURE_REQUIRED = ("line_code", "year", "period", "actual")
LEDGER_COLUMNS = ("line_code", "date", "amount")
NO_COLUMN = "(none)"

# An XLSX is a zip: refuse one that would unpack into something huge before parsing it.
XLSX_MAX_MEMBERS = getattr(settings, "IMPORT_XLSX_MAX_MEMBERS", 200)
XLSX_MAX_UNCOMPRESSED_BYTES = getattr(
    settings, "IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES", 200 * 1024 * 1024
)


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
        found = re.search(r"line (\d+), saw (\d+)", str(error))
        if found:
            row, fields = found.groups()
            parsed.refuse(f"has {fields} fields, more than the header has", row=int(row))
        else:
            parsed.refuse(f"the file could not be read as CSV ({error})")
        return None
    except (ValueError, pd.errors.EmptyDataError) as error:
        parsed.refuse(f"the file could not be read as CSV ({error})")
        return None
    frame = cells.iloc[1:].reset_index(drop=True)
    frame.columns = [str(name) for name in cells.iloc[0].fillna("")]
    return frame


# --- XLSX --------------------------------------------------------------------------------


def _zip_problem(data: bytes) -> str:
    """Why `data` is not a workbook that is safe to open, or ""."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return "the file is not an XLSX workbook"
    names = {member.filename for member in members}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        return "the file is a zip archive but not an XLSX workbook"
    if len(members) > XLSX_MAX_MEMBERS:
        return f"the workbook has {len(members)} parts, more than {XLSX_MAX_MEMBERS}"
    unpacked = sum(member.file_size for member in members)
    if unpacked > XLSX_MAX_UNCOMPRESSED_BYTES:
        return (
            f"the workbook unpacks to {unpacked:,} bytes, more than "
            f"{XLSX_MAX_UNCOMPRESSED_BYTES:,}; export it as CSV instead"
        )
    return ""


def _read_xlsx(parsed: ParsedImport, data: bytes) -> pd.DataFrame | None:
    problem = _zip_problem(data)
    if problem:
        parsed.refuse(problem)
        return None
    try:
        frame = pd.read_excel(
            io.BytesIO(data), sheet_name=0, dtype=object, keep_default_na=False, engine="openpyxl"
        )
    except Exception as error:  # any failure to read an untrusted workbook is a refusal
        parsed.refuse(f"the workbook could not be read ({type(error).__name__})")
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
    """Figures or ledger, from the columns present; False when a required one is missing."""
    is_ledger = ("date" in seen or "amount" in seen) and not ({"period", "actual"} & set(seen))
    parsed.file_format = LEDGER if is_ledger else FIGURES
    required = LEDGER_COLUMNS if is_ledger else FIGURE_REQUIRED
    expected = ", ".join(LEDGER_COLUMNS if is_ledger else FIGURE_COLUMNS)
    missing = [name for name in required if name not in seen]
    for name in missing:
        parsed.refuse(f"required column is missing (expected: {expected})", 1, name)
    return not missing


def _rows_with_data(frame: pd.DataFrame) -> pd.DataFrame:
    """Cells stripped, the spreadsheet row number added, and blank rows dropped."""
    for name in frame.columns:
        frame[name] = frame[name].str.strip()
    frame["row"] = frame.index + 2
    return frame[(frame.drop(columns="row") != "").any(axis=1)].reset_index(drop=True)
