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


def test_xlsx_downloads_are_written_through_lxml():
    """openpyxl writes a cell through lxml when lxml is installed, about twice as fast as
    through its own pure-Python XML writer (the register's XLSX export at 10,000 lines):
    a requirement, so its absence shows here rather than only in the benchmark."""
    import openpyxl.xml
    from openpyxl.cell import _writer

    assert openpyxl.xml.LXML is True
    assert _writer.write_cell is _writer.lxml_write_cell


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
