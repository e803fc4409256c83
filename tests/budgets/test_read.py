"""Reading an import file (budgets/importing/read.py and xlsx.py): the row limit checked
before parsing, formulas without values, and messages that say what to do."""

import io
import re
import zipfile
from decimal import Decimal as D

import openpyxl
import pytest

from budgets.importing import parse_file, validate, xlsx
from budgets.importing import read as reading

FIGURES = "line_code,year,period,actual\n"


def reasons(name: str, data: bytes) -> list[str]:
    return [str(p) for p in parse_file(name, data).problems]


def workbook(*sheets: list[list]) -> bytes:
    book = openpyxl.Workbook()
    for index, rows in enumerate(sheets):
        sheet = book.active if index == 0 else book.create_sheet(f"Sheet{index + 1}")
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rewrite_sheet(data: bytes, edit) -> bytes:
    """The workbook with its first sheet's XML passed through `edit`."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = edit(content)
            target.writestr(item, content)
    return out.getvalue()


def csv_rows(count: int) -> bytes:
    return (FIGURES + "".join(f"OUT-01,2014-15,{4 + n % 9},1.00\n" for n in range(count))).encode()


# --- the row limit ----------------------------------------------------------------------


def test_the_row_limit_defaults_to_200000(settings):
    assert settings.IMPORT_MAX_ROWS == 200_000


def test_a_csv_over_the_row_limit_is_refused_before_it_is_parsed(db, settings, monkeypatch):
    settings.IMPORT_MAX_ROWS = 5

    def must_not_parse(*args, **kwargs):
        raise AssertionError("parsed a file over the row limit")

    monkeypatch.setattr(reading.pd, "read_csv", must_not_parse)
    assert reasons("a.csv", csv_rows(6)) == [
        "file: the file has more than 5 rows, the most one import takes; split it into "
        "smaller files"
    ]


def test_a_csv_at_the_row_limit_is_read_and_cells_with_line_breaks_are_one_row(world, settings):
    settings.IMPORT_MAX_ROWS = 3
    data = (
        b"line_code,year,period,actual,note\n"
        b'OUT-01,2014-15,4,1.00,"one\nnote\nover\nlines"\n'
        b"OUT-01,2014-15,5,2.00,\n"
        b"OUT-01,2014-15,6,3.00,\n"
    )
    plan = validate(parse_file("a.csv", data))
    assert plan.errors == []
    assert [c.new_actual for c in plan.changes] == [D("1.00"), D("2.00"), D("3.00")]
    assert plan.changes[0].new_note == "one\nnote\nover\nlines"


def test_an_xlsx_over_the_row_limit_is_refused_without_reading_past_it(db, settings):
    settings.IMPORT_MAX_ROWS = 10
    rows = [["line_code", "year", "period", "actual"]]
    rows += [["OUT-01", "2014-15", 4, 1.0] for _ in range(999)]
    # Row 1000 cannot be read at all: reaching it would be refused differently.
    broken = rewrite_sheet(
        workbook(rows),
        lambda xml: re.sub(
            rb'<c r="A1000"[^>]*>.*?</c>', b'<c r="A1000" t="s"><v>9999</v></c>', xml
        ),
    )
    assert reasons("a.xlsx", broken) == [
        "file: the file has more than 10 rows, the most one import takes; split it into "
        "smaller files"
    ]
    settings.IMPORT_MAX_ROWS = 1000
    assert reasons("a.xlsx", broken) == [
        "row 1000, column (none): this row could not be read (IndexError)"
    ]


def test_an_xlsx_over_the_row_limit_is_refused_before_it_is_opened(db, settings, monkeypatch):
    # A workbook written by a script often states no dimension: openpyxl would parse the
    # whole sheet just to open it. The rows are counted in the XML first.
    settings.IMPORT_MAX_ROWS = 50
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    for n in range(52):
        sheet.append(["line_code", "year", "period", "actual"] if n == 0 else ["OUT-01", 1, 2, n])
    out = io.BytesIO()
    book.save(out)
    assert b"<dimension" not in zipfile.ZipFile(out).read("xl/worksheets/sheet1.xml")

    def must_not_open(*args, **kwargs):
        raise AssertionError("opened a workbook over the row limit")

    monkeypatch.setattr(xlsx.openpyxl, "load_workbook", must_not_open)
    assert reasons("a.xlsx", out.getvalue()) == [
        "file: the file has more than 50 rows, the most one import takes; split it into "
        "smaller files"
    ]


def test_an_xlsx_is_never_read_by_pandas(world, monkeypatch):
    def must_not_parse(*args, **kwargs):
        raise AssertionError("the sheet is streamed once, not read again by pandas")

    monkeypatch.setattr(reading.pd, "read_excel", must_not_parse)
    data = workbook([["line_code", "year", "period", "actual"], ["OUT-01", "2014-15", 4, 12.5]])
    plan = validate(parse_file("a.xlsx", data))
    assert [c.new_actual for c in plan.changes] == [D("12.50")]


# --- formulas ---------------------------------------------------------------------------

FORMULA_ROWS = [
    ["line_code", "year", "period", "actual", "check"],
    ["OUT-01", "2014-15", 4, "=1000+234.56", "=D2*2"],
    ["NET-01", "2014-15", 4, 10, "=D3*2"],
]


def test_a_formula_without_a_cached_value_is_refused_naming_row_and_column(db):
    # openpyxl, like most scripts, writes formulas without the value Excel would cache.
    assert reasons("a.xlsx", workbook(FORMULA_ROWS)) == [
        "row 2, column actual: a formula without a value: open and save the file in Excel, "
        "then upload it again"
    ]  # "check" is not a column the import reads


def test_a_formula_with_its_cached_value_is_read_as_that_value(world):
    cached = rewrite_sheet(
        workbook(FORMULA_ROWS),
        lambda xml: xml.replace(
            b"<f>1000+234.56</f><v />", b"<f>1000+234.56</f><v>1234.56</v>"
        ).replace(b"<f>1000+234.56</f><v></v>", b"<f>1000+234.56</f><v>1234.56</v>"),
    )
    plan = validate(parse_file("a.xlsx", cached))
    assert plan.errors == []
    assert {c.line_code: c.new_actual for c in plan.changes} == {
        "OUT-01": D("1234.56"),
        "NET-01": D("10.00"),
    }


def test_a_row_of_formulas_only_is_not_dropped_as_empty(db):
    rows = [["line_code", "year", "period", "actual"], ['="OUT"&"-01"', "=2014", "=4", "=1"]]
    problems = reasons("a.xlsx", workbook(rows))
    assert len(problems) == 4
    assert problems[0].startswith("row 2, column line_code: a formula without a value")


# --- clearer messages -------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_file_is_told_to_be_saved_as_csv_utf8(db, encoding):
    data = (FIGURES + "OUT-01,2014-15,4,1.00\n").encode(encoding)
    assert reasons("a.csv", data) == [
        "file: the file is UTF-16 text (Excel's “Unicode Text”); save it as “CSV UTF-8 "
        "(Comma delimited)” and upload that"
    ]


@pytest.mark.parametrize(("separator", "name"), [(";", "';'"), ("\t", "tabs")])
def test_a_file_separated_by_semicolons_or_tabs_says_so(db, separator, name):
    data = "line_code;year;period;actual\nOUT-01;2014-15;4;1,00\n".replace(";", separator)
    assert reasons("a.csv", data.encode()) == [
        f"row 1, column (none): the columns are separated by {name}, not commas: save the "
        "file as “CSV UTF-8 (Comma delimited)”"
    ]


def test_data_on_a_second_sheet_says_only_the_first_is_read(db):
    data = workbook([], [["line_code", "year", "period", "actual"], ["OUT-01", "2014-15", 4, 1]])
    assert reasons("a.xlsx", data) == [
        "file: only the first sheet is read; it has no data (the data seems to be on the "
        "sheet “Sheet2”): move that sheet first, or copy its rows into the first sheet"
    ]


def test_an_unclosed_quote_is_reported_on_its_spreadsheet_row(db):
    data = (FIGURES + 'OUT-01,2014-15,4,1.00\nOUT-01,"2014-15,5,1.00\n').encode()
    assert reasons("a.csv", data) == [
        "row 3, column (none): a quoted cell starts here and is never closed: check its "
        "quotation marks"
    ]


def test_xlsx_rows_are_numbered_as_the_sheet_shows_them(world):
    rows = [[], [], ["line_code", "year", "period", "actual"], ["OUT-01", "2014-15", 4, 1], []]
    rows += [["NOPE", "2014-15", 4, 1]]
    plan = validate(parse_file("a.xlsx", workbook(rows)))
    assert [str(p) for p in plan.errors] == [
        "row 6, column line_code: “NOPE” is not a budget line code"
    ]


def test_a_workbook_is_streamed_read_only(db, monkeypatch):
    opened = []
    real = xlsx.openpyxl.load_workbook

    def spy(*args, **kwargs):
        opened.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(xlsx.openpyxl, "load_workbook", spy)
    parse_file("a.xlsx", workbook([["line_code", "year", "period", "actual"]]))
    assert opened == [{"read_only": True, "data_only": True}]
