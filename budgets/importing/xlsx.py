"""Reading the first sheet of an XLSX workbook into text cells, safely.

A workbook is a zip: one that would unpack into something huge is refused before it is
opened, and so is one with more rows than the import takes, counted in the sheets' XML
without parsing it (openpyxl would parse a whole sheet that states no dimension just to
open it). The first sheet is then streamed (openpyxl read-only) once. Cached values are
read (what Excel shows); a formula cell without one (a workbook written by a script and
never opened in Excel) is refused rather than read as empty: a workbook holding formulas
is read a second time, with formulas, to find them.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time

import openpyxl
import pandas as pd
from django.conf import settings

XLSX_MAX_MEMBERS = getattr(settings, "IMPORT_XLSX_MAX_MEMBERS", 200)
XLSX_MAX_UNCOMPRESSED_BYTES = getattr(
    settings, "IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES", 200 * 1024 * 1024
)
FORMULA_TAG = re.compile(rb"<(?:[A-Za-z0-9_]+:)?f[\s/>]")
ROW_TAG = re.compile(rb"<(?:[A-Za-z0-9_]+:)?row[\s/>]")
NO_VALUE = "a formula without a value: open and save the file in Excel, then upload it again"
# A document type declaration, in any encoding an XML parser detects by itself. No
# spreadsheet program writes one; it is how entity attacks (an entity expanding a billion
# times, or naming a file) begin, so a workbook with one is refused before any parser
# sees it, whichever parser openpyxl uses for that part (lxml or defusedxml).
DTD_MARK = re.compile(
    b"|".join(
        re.escape(mark.encode(encoding))
        for mark in ("<!DOCTYPE", "<!ENTITY")
        for encoding in ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
    )
)


@dataclass
class Sheet:
    """The first sheet as text cells (index: each row's number in the sheet), or the
    problems (row, column, reason) that stop it being read."""

    frame: pd.DataFrame | None = None
    problems: list[tuple[int, str, str]] = field(default_factory=list)
    header_row: int = 0
    header: list[str] = field(default_factory=list)
    last_row: int = 0  # the last row of the sheet that was read

    def refuse(self, reason: str, row: int = 0, column: str = "(none)") -> Sheet:
        self.problems.append((row, column, reason))
        return self


def read_first_sheet(data: bytes, *, max_rows: int, wanted=lambda name: True) -> Sheet:
    """The first sheet of the workbook `data`, at most `max_rows` rows under its header.
    Only the columns whose header is `wanted` are checked for formulas without values."""
    sheet = Sheet()
    if problem := _zip_problem(data) or _dtd_problem(data):
        return sheet.refuse(problem)
    try:
        scan = _scan(data, max_rows)
        if scan.rows > max_rows + 1:  # the header and `max_rows` rows
            return sheet.refuse(too_many_rows(max_rows))
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # any failure to open an untrusted workbook is a refusal
        return sheet.refuse(f"the workbook could not be read ({type(error).__name__})")
    try:
        rows = _stream_rows(sheet, book.worksheets[0], max_rows) if book.worksheets else {}
        if rows is None:
            return sheet
        if not rows:
            return _empty_first_sheet(sheet, book.worksheets[1:])
    finally:
        book.close()
    header_row = sheet.header_row = min(rows)
    header = sheet.header = [cell_text(value) for value in rows.pop(header_row)]
    if scan.formulas:
        columns = [index for index, name in enumerate(header) if name and wanted(name)]
        try:
            _refuse_formulas_without_values(sheet, data, rows, sheet.last_row, columns)
        except Exception as error:  # read once already; refuse rather than fail
            sheet.refuse(f"the workbook could not be read ({type(error).__name__})")
        if sheet.problems:
            return sheet
    sheet.frame = _frame(header, rows)
    return sheet


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


def _stream_rows(sheet: Sheet, worksheet, max_rows: int) -> dict[int, tuple] | None:
    """The sheet's non-blank rows by row number, read until the limit is passed (then None,
    with the refusal). The first non-blank row is the header."""
    worksheet.reset_dimensions()  # a script may write a wrong <dimension>: read every row
    rows: dict[int, tuple] = {}
    number = header = 0
    try:
        for number, values in enumerate(worksheet.iter_rows(min_row=1, values_only=True), 1):
            if header and number - header > max_rows:
                sheet.refuse(too_many_rows(max_rows))
                return None
            if any(value is not None and value != "" for value in values):
                rows[number] = values
                header = header or number
    except Exception as error:  # an untrusted workbook may be broken anywhere
        sheet.refuse(f"this row could not be read ({type(error).__name__})", row=number + 1)
        return None
    sheet.last_row = number
    return rows


def too_many_rows(limit: int) -> str:
    return (
        f"the file has more than {limit:,} rows, the most one import takes; "
        "split it into smaller files"
    )


def _empty_first_sheet(sheet: Sheet, others) -> Sheet:
    """Say where the data is when the first sheet has none but another sheet has."""
    for other in others:
        other.reset_dimensions()
        for values in other.iter_rows(min_row=1, values_only=True):
            if any(value is not None and value != "" for value in values):
                return sheet.refuse(
                    f"only the first sheet is read; it has no data (the data seems to be on "
                    f"the sheet “{other.title}”): move that sheet first, or copy its rows "
                    "into the first sheet"
                )
    return sheet.refuse("the file is empty: it needs a header row and data rows", row=1)


def _dtd_problem(data: bytes) -> str:
    """Why `data` may not be parsed: a part of it declares a DTD (DTD_MARK); else ""."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for name in archive.namelist():
                if _declares_dtd(archive, name):
                    return (
                        f"the workbook's part {name} declares a document type (<!DOCTYPE or "
                        "<!ENTITY), which no spreadsheet program writes: save the file again "
                        "from Excel, then upload it"
                    )
    except Exception as error:  # any failure to read an untrusted workbook is a refusal
        return f"the workbook could not be read ({type(error).__name__})"
    return ""


def _declares_dtd(archive: zipfile.ZipFile, name: str) -> bool:
    with archive.open(name) as member:
        tail = b""
        while chunk := member.read(1 << 20):
            if DTD_MARK.search(tail + chunk):
                return True
            tail = chunk[-40:]  # a mark split between two chunks is whole in the next window
    return False


@dataclass
class Scan:
    rows: int = 0  # rows counted in the largest sheet, up to the limit and one more
    formulas: bool = False


def _scan(data: bytes, max_rows: int) -> Scan:
    """Count each worksheet's rows (stopping one past the header and `max_rows`) and see
    whether any holds a formula, reading the XML as bytes, without parsing it."""
    scan = Scan()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                with archive.open(name) as member:
                    _scan_sheet(member, scan, stop=max_rows + 2)
            if scan.rows > max_rows + 1:
                break
    return scan


def _scan_sheet(member, scan: Scan, stop: int) -> None:
    rows, tail = 0, b""
    while chunk := member.read(1 << 20):
        window = tail + chunk
        # A tag split between chunks is in the window once: count only those that start
        # in this chunk.
        rows += sum(1 for found in ROW_TAG.finditer(window) if found.start() >= len(tail))
        scan.formulas = scan.formulas or bool(FORMULA_TAG.search(window))
        scan.rows = max(scan.rows, rows)
        if rows >= stop:
            return
        tail = chunk[-32:]


def _refuse_formulas_without_values(
    sheet: Sheet, data: bytes, rows: dict[int, tuple], last: int, columns: list[int]
) -> None:
    """Each cell of `columns` (by index), from the row after the header to `last`, that
    holds a formula but no cached value. Read again with formulas, but only for workbooks
    that have any; `rows` are the cached values read first (the header popped)."""
    header = sheet.header
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        worksheet = book.worksheets[0]
        worksheet.reset_dimensions()
        start = sheet.header_row + 1
        for number, formulas in enumerate(
            worksheet.iter_rows(min_row=start, max_row=last, values_only=True), start
        ):
            cached = rows.get(number, ())
            for index in columns:
                formula = formulas[index] if index < len(formulas) else None
                value = cached[index] if index < len(cached) else None
                if formula is not None and value is None:
                    sheet.refuse(NO_VALUE, row=number, column=header[index])
    finally:
        book.close()


def _frame(header: list[str], rows: dict[int, tuple]) -> pd.DataFrame:
    width = max([len(header), *(len(values) for values in rows.values())])
    columns = header + [""] * (width - len(header))
    cells = [
        [cell_text(value) for value in values] + [""] * (width - len(values))
        for values in rows.values()
    ]
    frame = pd.DataFrame(cells, index=list(rows), columns=range(width), dtype=object)
    frame.columns = columns
    return frame


def cell_text(value: object) -> str:
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
