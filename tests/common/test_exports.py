"""Exported cells that a spreadsheet could run as a formula are made inert; plain numbers
stay numbers."""

import csv
import io
from decimal import Decimal

import pytest

from common.exports import csv_response, neutralise


@pytest.mark.parametrize(
    "cell",
    [
        "=1+1",
        '=HYPERLINK("http://example.org")',
        "@SUM(A1:A2)",
        "@SUM",
        "+1",
        "+NaN1",
        "+NaN",
        "-NaN",
        "-Infinity",
        "+Infinity",
        "-inf",
        "-1e5",
        "+1e5",
        "-1E+5",
        "-0x10",
        "-12.50 ",
        "-12.",
        "-.5",
        "--1",
        "-1,2345.00",
        "-١٢",  # Arabic-Indic digits are not plain digits
        "-1\n",
        "\t=1+1",
        "\r=1+1",
        "-",
    ],
)
def test_a_cell_that_starts_like_a_formula_and_is_not_a_plain_number_is_made_inert(cell):
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["-12.50", "-978", "-0.00", "-1,234.56", "-1,234,567", "-12.5000"])
def test_a_plain_negative_number_stays_a_number(cell):
    assert neutralise(cell) == cell


@pytest.mark.parametrize(
    "value", ["1e5", "Capgemini", "12.50", "", Decimal("-12.50"), -3, None, 1.5]
)
def test_cells_that_do_not_start_like_a_formula_are_left_alone(value):
    assert neutralise(value) == value


def test_csv_download_neutralises_every_cell():
    response = csv_response("x.csv", ["note", "amount"], [["+NaN1", Decimal("-12.50")]])
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [["note", "amount"], ["'+NaN1", "-12.50"]]
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'


def test_an_xlsx_sheet_holds_each_kind_of_value_as_a_spreadsheet_reads_it(settings):
    """common.xlsx writes the sheet itself: read back by openpyxl (another implementation),
    every kind of value the exports give comes back as itself, with its style."""
    from datetime import UTC, date, datetime, time

    import openpyxl

    from common import xlsx

    settings.TIME_ZONE = "Europe/London"
    header = ["text", "number", "when", "flag"]
    rows = [
        ["  spaced  ", Decimal("-12.50"), date(2015, 3, 31), True],
        ["a <b> & 'c' \"d\"", Decimal("1E+3"), datetime(2015, 6, 30, 13, 45, 7), False],
        ["two\nlines\r\nthree", 7, datetime(2015, 7, 1, 12, 0, tzinfo=UTC), None],
        ["", 2.5, time(9, 30), "ünïcødé £"],
    ]
    data = xlsx.workbook('Q&A "one"', header, rows, [10, 8.5, 20, 4])
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.active

    assert sheet.title == 'Q&A "one"'
    assert [c.value for c in sheet[1]] == header
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert [sheet.column_dimensions[c].width for c in "ABCD"] == [10, 8.5, 20, 4]
    values = [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert values == [
        ["  spaced  ", -12.5, datetime(2015, 3, 31), True],
        ["a <b> & 'c' \"d\"", 1000, datetime(2015, 6, 30, 13, 45, 7), False],
        # An aware time is shown in the project's time zone (BST in July).
        ["two\nlines\r\nthree", 7, datetime(2015, 7, 1, 13, 0), None],
        [None, 2.5, "09:30:00", "ünïcødé £"],
    ]
    assert sheet["C2"].number_format == "yyyy-mm-dd"
    assert sheet["C3"].number_format == "yyyy-mm-dd h:mm:ss"
    assert sheet["A4"].alignment.wrap_text and not sheet["B4"].alignment.wrap_text
    assert not sheet["A2"].alignment.wrap_text and not sheet["A2"].font.bold


def test_what_a_spreadsheet_cannot_hold_is_made_so_it_can():
    """Excel repairs (or will not open) a workbook with a cell over 32,767 characters, a
    number that is not a number or a character XML forbids; it shows no date before 1900."""
    import re
    import zipfile
    from datetime import date, datetime

    import openpyxl

    from common import xlsx

    long_note = "x" * 40_000
    rows = [
        [long_note, Decimal("NaN"), float("inf"), date(1899, 12, 1)],
        ["ok", Decimal("1.5"), float("nan"), date(1900, 1, 1)],
        ["ok", None, 3.25, datetime(1900, 2, 28, 12, 0)],
        ["ok", None, None, date(1900, 3, 1)],
    ]
    data = xlsx.workbook("Title\x01", ["head\x0bing", "b", "c", "d"], rows, [10] * 4)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet.title == "Title"
    assert sheet["A1"].value == "heading"
    cut = sheet["A2"].value
    assert len(cut) == xlsx.MAX_TEXT and cut.endswith(xlsx.CUT) and cut.startswith("xxx")
    assert (sheet["B2"].value, sheet["C2"].value, sheet["C3"].value) == (None, None, None)
    assert sheet["D2"].value == "1899-12-01"  # before Excel's first day: text
    # Serial numbers as Excel counts them, its 29 February 1900 included.
    assert sheet["D3"].value == datetime(1900, 1, 1)
    assert sheet["D4"].value == datetime(1900, 2, 28, 12, 0)
    assert sheet["D5"].value == datetime(1900, 3, 1)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        book = archive.read("xl/workbook.xml").decode()
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    serials = re.findall(r'<c r="D\d" s="\d"><v>([^<]+)</v>', sheet_xml)
    assert serials == ["1", "59.5", "61"]
    # The workbook's view, which the sheet's view names (Excel may fail to print without).
    assert '<bookViews><workbookView activeTab="0"/></bookViews>' in book
    assert '<sheetView tabSelected="1" workbookViewId="0">' in sheet_xml
    # The worksheet's parts in the order the schema gives.
    order = [sheet_xml.index(tag) for tag in ("<sheetViews>", "<cols>", "<sheetData>")]
    assert order == sorted(order)


def test_a_column_is_never_wider_than_excel_allows():
    import openpyxl

    from common import xlsx
    from common.exports import ExportColumn, export_response

    columns = [ExportColumn("note", lambda row: row)]
    response = export_response("xlsx", "notes.xlsx", columns, ["y" * 1000])
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.column_dimensions["A"].width == xlsx.MAX_WIDTH


def test_an_exported_workbook_is_read_by_the_projects_own_import(world):
    """The import's checks (no document type, parts and sizes) pass our own files."""
    from datetime import date

    from budgets.importing.xlsx import read_first_sheet
    from common import xlsx

    header = ["line_code", "date", "amount", "note"]
    rows = [["OUT-01", date(2014, 6, 30), Decimal("1100.00"), "June\ninvoice"]]
    sheet = read_first_sheet(xlsx.workbook("Actuals", header, rows, [8, 10, 8, 12]), max_rows=10)
    assert sheet.problems == []
    assert sheet.header == header
    assert len(sheet.frame) == 1


def test_an_xlsx_cell_leaves_out_characters_xml_cannot_hold():
    """A note pasted from elsewhere may carry a vertical tab or U+FFFF, which XML cannot
    hold: the download leaves them out rather than failing; CSV keeps them as they are."""
    import openpyxl

    from common.exports import ExportColumn, export_response

    columns = [ExportColumn("Note", lambda record: record)]
    notes = ["Line\x0bbreak", "odd\uffffend", "bell\x07 x", "fine\tas\nis"]
    response = export_response("xlsx", "notes.xlsx", columns, notes)
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        "Linebreak",
        "oddend",
        "bell x",
        "fine\tas\nis",
    ]
    csv_text = export_response("csv", "notes.csv", columns, notes).content.decode()
    assert "Line\x0bbreak" in csv_text
