"""The importer service: parse, validate everything, apply once (tests/world.py's numbers).

2014-15 is closed through P2. OUT-01 has actual 1,100.00 in P1-P3 and none after;
NET-01 has none from P3; CHG-01 has 300.00 in P3.
"""

import csv
import io
import zipfile
from datetime import date, datetime
from decimal import Decimal as D

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budgets.importing import (
    AlreadyImportedError,
    ImportProblem,
    ImportRefused,
    StaleImportError,
    apply_import,
    bulk_pg,
    describe_notes_needed,
    parse_file,
    rules,
    validate,
    xlsx,
)
from budgets.importing import apply as applying
from budgets.models import BudgetLine, ImportBatch, MonthlyFigure
from tests.conftest import client_for


def csv_bytes(text: str, bom: bool = False, crlf: bool = False) -> bytes:
    if crlf:
        text = text.replace("\n", "\r\n")
    return (("\ufeff" if bom else "") + text).encode()


def xlsx_bytes(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def plan_for(data: bytes, name: str = "actuals.csv"):
    return validate(parse_file(name, data))


def run_import(data: bytes, user, name: str = "actuals.csv") -> ImportBatch:
    parsed = parse_file(name, data)
    plan = validate(parsed)
    return apply_import(plan=plan, user=user, filename=name, sha256=parsed.sha256)


def figure(code: str, period: int, year: str = "2014-15") -> MonthlyFigure:
    return MonthlyFigure.objects.get(line__code=code, year__label=year, period=period)


def snapshot() -> list[tuple]:
    """Everything an import could change."""
    return [
        *MonthlyFigure.objects.order_by("pk").values_list(
            "pk", "actual", "forecast", "note", "version", "import_batch_id"
        ),
        ("batches", ImportBatch.objects.count()),
        ("history", MonthlyFigure.history.count()),
    ]


FIGURES_CSV = """line_code,year,period,actual,forecast,note
OUT-01,2014-15,P3,"£1,234.56",,
NET-01,2014-15,4,(978.00),,Credit note from BT
CHG-01,2014-15,p4,-12.34,500.00,
"""


def test_figure_file_applies_exact_decimals_with_history(world, finance_user):
    batch = run_import(csv_bytes(FIGURES_CSV, bom=True, crlf=True), finance_user)

    assert figure("OUT-01", 3).actual == D("1234.56")
    net = figure("NET-01", 4)
    assert (net.actual, net.note) == (D("-978.00"), "Credit note from BT")
    chg = figure("CHG-01", 4)
    assert (chg.actual, chg.forecast) == (D("-12.34"), D("500.00"))
    assert figure("OUT-01", 4).forecast == D("1050.00")  # untouched
    batch.refresh_from_db()
    assert (batch.file_format, batch.row_count, batch.figure_count) == ("figures", 3, 3)
    assert batch.total == D("244.22")
    assert batch.uploaded_by == finance_user
    assert figure("OUT-01", 3).version == 2
    assert figure("OUT-01", 3).import_batch == batch
    history = MonthlyFigure.history.filter(import_batch=batch)
    assert history.count() == 3
    assert {h.history_user for h in history} == {finance_user}
    assert history.get(line__code="OUT-01").actual == D("1234.56")


def test_empty_cells_leave_values_as_they_are(world, finance_user):
    run_import(
        csv_bytes("Line Code , YEAR,Period,Actual,Forecast\nOUT-01,2014-15,5,,999.99\n"),
        finance_user,
    )
    out = figure("OUT-01", 5)
    assert (out.actual, out.forecast) == (None, D("999.99"))


LEDGER_CSV = """Line Code,Date,Amount
OUT-01,05/07/2014,100.10
OUT-01,2014-07-31,200.20
OUT-01,01/08/2014,"£1,000.00"
NET-01,15/03/2015,(50.00)
OUT-01,10/06/2014,5.00
"""


def test_ledger_file_sums_amounts_and_replaces_the_periods_actual(world, finance_user):
    batch = run_import(csv_bytes(LEDGER_CSV, crlf=True), finance_user, "ledger.csv")

    assert figure("OUT-01", 4).actual == D("300.30")
    assert figure("OUT-01", 4).forecast == D("1050.00")
    assert figure("OUT-01", 5).actual == D("1000.00")
    assert figure("NET-01", 12).actual == D("-50.00")
    assert figure("OUT-01", 3).actual == D("5.00")  # was 1,100.00: replaced, not added to
    batch.refresh_from_db()
    assert (batch.file_format, batch.row_count, batch.figure_count) == ("ledger", 5, 4)
    assert batch.total == D("1255.30")


def test_preview_shows_old_and_new_values_and_totals(world):
    plan = plan_for(csv_bytes(LEDGER_CSV))
    assert plan.is_valid
    by_place = {c.where: (c.old_actual, c.new_actual) for c in plan.changes}
    assert by_place == {
        "OUT-01 P3 2014-15": (D("1100.00"), D("5.00")),
        "OUT-01 P4 2014-15": (None, D("300.30")),
        "OUT-01 P5 2014-15": (None, D("1000.00")),
        "NET-01 P12 2014-15": (None, D("-50.00")),
    }
    assert (plan.actual_before, plan.actual_after) == (D("1100.00"), D("1255.30"))
    # 2014-15 actuals now: OUT 3,300 + NET 900 + CHG 250 = 4,450.00
    [year] = plan.year_totals
    assert (year.label, year.before, year.after) == ("2014-15", D("4450.00"), D("4605.30"))


def test_xlsx_files_of_both_formats_apply_exactly(world, finance_user):
    figures = xlsx_bytes(
        [
            ["line_code", "year", "period", "actual", "note"],
            ["OUT-01", "2014-15", 4, 1234.56, "typed as a number"],
            ["NET-01", "2014-15", "P5", "(978.00)", ""],
            [],
            ["CHG-01", "2014-15", 6, 999999990000.01, ""],
        ]
    )
    batch = run_import(figures, finance_user, "figures.xlsx")
    assert figure("OUT-01", 4).actual == D("1234.56")
    assert figure("NET-01", 5).actual == D("-978.00")
    assert figure("CHG-01", 6).actual == D("999999990000.01")
    assert batch.total == D("999999990256.57")

    ledger = xlsx_bytes(
        [
            ["line_code", "date", "amount"],
            ["NET-01", datetime(2014, 9, 1), 10.1],
            ["NET-01", "30/09/2014", "£1,000.00"],
        ]
    )
    run_import(ledger, finance_user, "ledger.xlsx")
    assert figure("NET-01", 6).actual == D("1010.10")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "line_code,year,period,actual\nOUT-01,2014-15,4,1.00\nNOPE,2014-15,4,1.00\n",
            "row 3, column line_code: “NOPE” is not a budget line code",
        ),
        (
            "line_code,year,period,actual\nOUT-01,2014-15,4,12.345\n",
            "row 2, column actual: “12.345” is not an amount in pounds, like 1234.56 or (978.00)",
        ),
        (
            "line_code,date,amount\nOUT-01,31/02/2014,1.00\n",
            "row 2, column date: “31/02/2014” is not a date: write DD/MM/YYYY or YYYY-MM-DD",
        ),
        (
            "line_code,date,amount\nOUT-01,01/05/2014,ten pounds\n",
            "row 2, column amount: “ten pounds” is not an amount in pounds, "
            "like 1234.56 or (978.00)",
        ),
        (
            "line_code,year,period,actual\nOUT-01,2014-15,13,1.00\n",
            "row 2, column period: “13” is out of range: periods are 1 to 12",
        ),
        (
            "line_code,year,period,actual\nOUT-01,2099-00,4,1.00\n",
            "row 2, column year: “2099-00” is not a financial year (known: 2013-14, 2014-15)",
        ),
        (
            "line_code,date,amount\nOUT-01,01/05/2099,1.00\n",
            "row 2, column date: no financial year holds “01/05/2099” (known: 2013-14, 2014-15)",
        ),
        (
            "line_code,year,period,actual\nOUT-01,2014-15,P2,1.00\n",
            "row 2, column period: P2 2014-15 is closed (closed through P2); "
            "an administrator must reopen it first",
        ),
        (
            "line_code,date,amount\nOUT-01,30/05/2014,1.00\n",
            "row 2, column date: P2 2014-15 is closed (closed through P2); "
            "an administrator must reopen it first",
        ),
        (
            "line_code,year,period,actual\nOUT-01,2014-15,4,1.00\nout-01,2014-15,P4,2.00\n",
            "row 3, column line_code: the same line and period as row 2 (each appears once)",
        ),
        (
            "line_code,year,period,forecast\nOUT-01,2014-15,4,1.00\n",
            "row 1, column actual: required column is missing "
            "(expected: line_code, year, period, actual, forecast, note, committed)",
        ),
        (
            "line_code,date\nOUT-01,01/05/2014\n",
            "row 1, column amount: required column is missing (expected: line_code, date, amount)",
        ),
        (
            "line_code,year,period,actual\nOUT-01,2014-15,4,999999999999.99\n"
            "OUT-01,2014-15,5,1.00\n",
            "file: the file's amounts add up to more than £999,999,999,999.99",
        ),
        ("", "row 1, column (none): the file is empty: it needs a header row and data rows"),
        (
            "line_code,year,period,actual\n",
            "row 2, column (none): the file has a header but no rows",
        ),
        (
            "line_code,year,period,actual\nOUT-01,2014-15,4,1.00,extra\n",
            "row 2, column (none): has 5 fields, more than the header has",
        ),
    ],
)
def test_each_bad_input_is_reported_by_row_and_column_and_writes_nothing(
    world, finance_user, text, expected
):
    before = snapshot()
    parsed = parse_file("bad.csv", text.encode())
    plan = validate(parsed)
    assert expected in [str(problem) for problem in plan.errors]
    with pytest.raises(ImportRefused):
        apply_import(plan=plan, user=finance_user, filename="bad.csv", sha256=parsed.sha256)
    assert snapshot() == before


def test_one_bad_row_among_ten_thousand_writes_nothing_and_lists_every_bad_row(world, finance_user):
    lines = ["line_code,date,amount"]
    for n in range(10_000):
        lines.append(f"{('OUT-01', 'NET-01', 'CHG-01')[n % 3]},{1 + n % 28:02d}/07/2014,1.00")
    lines[5000] = "OUT-01,01/07/2014,1.0.0"
    lines[9000] = "GONE-01,01/07/2014,1.00"
    before = snapshot()
    plan = plan_for("\n".join(lines).encode())
    assert [str(p) for p in plan.errors] == [
        "row 5001, column amount: “1.0.0” is not an amount in pounds, like 1234.56 or (978.00)",
        "row 9001, column line_code: “GONE-01” is not a budget line code",
    ]
    with pytest.raises(ImportRefused):
        apply_import(plan=plan, user=finance_user, filename="big.csv", sha256="x" * 64)
    assert snapshot() == before


def test_the_same_file_cannot_be_applied_twice(world, finance_user):
    data = csv_bytes(FIGURES_CSV)
    run_import(data, finance_user, "first.csv")
    after_first = snapshot()
    with pytest.raises(AlreadyImportedError) as refused:
        run_import(data, finance_user, "renamed.csv")
    message = str(refused.value)
    assert "already applied on" in message
    assert "by Fiona" in message
    assert "first.csv" in message
    assert snapshot() == after_first


def test_a_figure_changed_after_validation_stops_the_whole_import(world, finance_user):
    plan = plan_for(csv_bytes(FIGURES_CSV))
    out = figure("OUT-01", 3)
    MonthlyFigure.objects.filter(pk=out.pk).update(actual=D("1.00"), version=out.version + 1)
    before = snapshot()
    with pytest.raises(StaleImportError) as refused:
        apply_import(plan=plan, user=finance_user, filename="a.csv", sha256="a" * 64)
    assert "OUT-01 P3 2014-15" in str(refused.value)
    assert snapshot() == before


def test_stale_lists_figures_whose_version_moved_since_the_preview(world):
    preview = plan_for(csv_bytes(FIGURES_CSV))
    MonthlyFigure.objects.filter(pk=figure("NET-01", 4).pk).update(version=7)
    again = plan_for(csv_bytes(FIGURES_CSV))
    assert again.stale(preview.versions) == ["NET-01 P4 2014-15"]
    assert preview.stale(preview.versions) == []


def test_a_period_closed_after_validation_stops_the_import(world, finance_user):
    plan = plan_for(csv_bytes(FIGURES_CSV))
    world["year"].closed_through = 3
    world["year"].save()
    before = snapshot()
    with pytest.raises(Exception, match="P3 2014-15 is closed"):
        apply_import(plan=plan, user=finance_user, filename="a.csv", sha256="a" * 64)
    assert snapshot() == before


def test_a_crash_mid_apply_leaves_the_database_as_before(world, finance_user, monkeypatch):
    BudgetLine.objects.create(
        code="NEW-01", name="New line", category=world["lines"]["out"].category
    )
    data = csv_bytes(
        "line_code,year,period,actual\nOUT-01,2014-15,4,10.00\nNEW-01,2014-15,4,20.00\n"
    )
    plan = plan_for(data)
    assert plan.new_count == 1

    def crash(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(applying, "bulk_create_with_history", crash)  # row by row (SQLite)
    monkeypatch.setattr(bulk_pg, "_write_history", crash)  # set-based (PostgreSQL)
    before = snapshot()
    with pytest.raises(RuntimeError):
        apply_import(plan=plan, user=finance_user, filename="a.csv", sha256="b" * 64)
    assert snapshot() == before


def test_a_figure_missing_for_a_line_is_created_with_history(world, finance_user):
    line = BudgetLine.objects.create(
        code="NEW-01", name="New line", category=world["lines"]["out"].category
    )
    batch = run_import(
        csv_bytes("line_code,year,period,actual\nNEW-01,2014-15,4,20.00\n"), finance_user
    )
    created = MonthlyFigure.objects.get(line=line, period=4)
    assert (created.actual, created.budget, created.import_batch) == (D("20.00"), D("0.00"), batch)
    assert created.history.get().history_user == finance_user


def test_committee_user_cannot_apply_an_import(world, committee_user):
    from django.core.exceptions import PermissionDenied

    plan = plan_for(csv_bytes(FIGURES_CSV))
    before = snapshot()
    with pytest.raises(PermissionDenied):
        apply_import(plan=plan, user=committee_user, filename="a.csv", sha256="c" * 64)
    assert snapshot() == before


def ledger_rows(count: int) -> bytes:
    """`count` rows spread over the same fifteen figures (3 lines x P4-P8)."""
    lines = ["line_code,date,amount"]
    for n in range(count):
        code = ("OUT-01", "NET-01", "CHG-01")[n % 3]
        month = 7 + (n // 3) % 5
        lines.append(f"{code},{1 + n % 28:02d}/{month:02d}/2014,{n}.01")
    return "\n".join(lines).encode()


def count_queries(data: bytes, user, name: str) -> int:
    user = type(user).objects.get(pk=user.pk)  # no permissions cached from an earlier call
    with CaptureQueriesContext(connection) as queries:
        batch = run_import(data, user, name)
    assert batch.figure_count == 15
    return len(queries)


def test_query_count_does_not_grow_with_the_number_of_rows(world, finance_user):
    small = count_queries(ledger_rows(20), finance_user, "small.csv")
    large = count_queries(ledger_rows(2000), finance_user, "large.csv")
    assert large == small


def test_query_count_of_a_large_figure_file_is_bounded(
    world, finance_user, django_assert_max_num_queries
):
    category = world["lines"]["out"].category
    BudgetLine.objects.bulk_create(
        BudgetLine(code=f"GEN-{n:03d}", name=f"Line {n}", category=category) for n in range(150)
    )
    rows = ["line_code,year,period,actual"] + [
        f"GEN-{n:03d},2014-15,{p},{n}.{p:02d}" for n in range(150) for p in range(3, 13)
    ]
    # SQLite takes at most 999 parameters a query, so 1,500 figures and their history rows
    # go in batches (more of them since figures carry an original budget and a commitment);
    # PostgreSQL writes them in a handful of queries. Then the stored totals are refreshed.
    with django_assert_max_num_queries(68):
        batch = run_import("\n".join(rows).encode(), finance_user)
    assert batch.figure_count == 1500
    assert MonthlyFigure.objects.get(line__code="GEN-149", period=12).actual == D("149.12")


# --- safety -----------------------------------------------------------------------------


def reasons(name: str, data: bytes) -> list[str]:
    return [str(p) for p in parse_file(name, data).problems]


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 100
    assert reasons("a.csv", b"x" * 101) == ["file: the file is 101 bytes; the limit is 100 bytes"]


def test_only_csv_and_xlsx_are_accepted_by_name_and_content(db):
    assert reasons("a.txt", b"line_code") == ["file: only .csv and .xlsx files can be imported"]
    zipped = xlsx_bytes([["line_code", "year", "period", "actual"]])
    assert reasons("a.csv", zipped) == [
        "file: the file is not CSV text (is it a spreadsheet saved as .csv?)"
    ]
    assert reasons("a.csv", b"line_code\x00,year") == [
        "file: the file is not CSV text (is it a spreadsheet saved as .csv?)"
    ]
    assert reasons("a.csv", "line_code,amount\nOUT-01,£1\n".encode("latin-1")) == [
        "file: the file is not UTF-8 text (byte 25); save it as “CSV UTF-8”"
    ]
    assert reasons("a.xlsx", FIGURES_CSV.encode()) == ["file: the file is not an XLSX workbook"]
    other_zip = io.BytesIO()
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert reasons("a.xlsx", other_zip.getvalue()) == [
        "file: the file is a zip archive but not an XLSX workbook"
    ]


def test_a_workbook_that_unpacks_too_large_is_refused_before_parsing(db, monkeypatch):
    def must_not_parse(*args, **kwargs):
        raise AssertionError("parsed a workbook that should have been refused")

    monkeypatch.setattr(xlsx.openpyxl, "load_workbook", must_not_parse)
    monkeypatch.setattr(xlsx, "XLSX_MAX_UNCOMPRESSED_BYTES", 1000)
    data = xlsx_bytes([["line_code", "year", "period", "actual"]])
    [reason] = reasons("a.xlsx", data)
    assert reason.startswith("file: the workbook unpacks to ")
    assert reason.endswith("more than 1,000; export it as CSV instead")
    monkeypatch.setattr(xlsx, "XLSX_MAX_UNCOMPRESSED_BYTES", 10**9)
    monkeypatch.setattr(xlsx, "XLSX_MAX_MEMBERS", 3)
    [reason] = reasons("a.xlsx", data)
    assert reason.startswith("file: the workbook has ")
    assert reason.endswith("parts, more than 3")


def test_an_empty_workbook_is_reported_as_empty(db):
    assert reasons("a.xlsx", xlsx_bytes([])) == [
        "row 1, column (none): the file is empty: it needs a header row and data rows"
    ]


def test_defusedxml_protects_the_xlsx_reader():
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True


# Nine nested entities, each ten of the one before: a billion "lol"s if expanded.
ENTITY_BOMB = (
    '<!DOCTYPE bomb [<!ENTITY lol0 "lol">'
    + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    + "]>"
)


def with_part_changed(data: bytes, part: str, change) -> bytes:
    """The workbook `data` with its part `part` as `change` makes it."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as changed:
        for info in source.infolist():
            body = source.read(info.filename)
            changed.writestr(info, change(body) if info.filename == part else body)
    return out.getvalue()


LEDGER = [["line_code", "year", "period", "actual"], ["NET-01", "2014-15", 4, 1]]
BOMB_NAME = ("xl/workbook.xml", 'name="Sheet"', 'name="&lol9;"')  # parsed by lxml
BOMB_CELL = ("xl/worksheets/sheet1.xml", "<t>line_code</t>", "<t>&lol9;</t>")  # by defusedxml


@pytest.mark.parametrize(
    ("part", "old", "new", "dtd", "encoding"),
    [
        (*BOMB_NAME, ENTITY_BOMB, "utf-8"),
        (*BOMB_CELL, ENTITY_BOMB, "utf-8"),
        # One harmless entity: libxml2 would expand it; still no spreadsheet writes one.
        (
            "xl/workbook.xml",
            'name="Sheet"',
            'name="&s;"',
            '<!DOCTYPE w [<!ENTITY s "S">]>',
            "utf-8",
        ),
        # The same, in UTF-16, which an XML parser reads by itself from the byte order mark.
        (*BOMB_NAME, ENTITY_BOMB, "utf-16"),
    ],
)
def test_a_workbook_declaring_a_document_type_is_refused_before_it_is_parsed(
    db, part, old, new, dtd, encoding
):
    """openpyxl parses a workbook's own parts with lxml when it is installed (entities in
    attributes expanded, up to libxml2's limits) and its sheets with defusedxml: a part that
    declares a DTD, in any encoding, is refused before either sees it."""

    def poison(body: bytes) -> bytes:
        assert old.encode() in body
        return (dtd + body.decode().replace(old, new)).encode(encoding)

    data = with_part_changed(xlsx_bytes(LEDGER), part, poison)
    assert reasons("a.xlsx", data) == [
        f"file: the workbook's part {part} declares a document type (<!DOCTYPE or "
        "<!ENTITY), which no spreadsheet program writes: save the file again from Excel, "
        "then upload it"
    ]


def test_a_workbook_without_a_document_type_is_read():
    assert reasons("a.xlsx", xlsx_bytes(LEDGER)) == []


# --- properties -------------------------------------------------------------------------

STYLES = {
    "plain": lambda v: f"{v}",
    "pound_and_commas": lambda v: f"£{v:,}" if v >= 0 else f"-£{-v:,}",
    "commas_no_pound": lambda v: f"{v:,}",
    "brackets": lambda v: f"({-v})" if v < 0 else f"{v}",
    "pound_brackets": lambda v: f"£({-v:,})" if v < 0 else f"£{v:,}",
}

money = st.decimals(
    min_value=D("-999999999999.99"),
    max_value=D("999999999999.99"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)
PROPERTY = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@PROPERTY
@given(value=money, style=st.sampled_from(sorted(STYLES)))
def test_any_amount_written_in_an_accepted_style_parses_back_exactly(world, value, style):
    written = STYLES[style](value)
    data = f'line_code,year,period,actual\nNET-01,2014-15,4,"{written}"\n'.encode()
    plan = plan_for(data)
    assert plan.errors == []
    assert [c.new_actual for c in plan.changes] == [value]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=money)
def test_any_amount_typed_as_an_xlsx_number_parses_back_exactly(world, value):
    data = xlsx_bytes(
        [["line_code", "year", "period", "actual"], ["NET-01", "2014-15", 4, float(value)]]
    )
    plan = plan_for(data, "a.xlsx")
    assert [c.new_actual for c in plan.changes] == [value]


HEADERS = st.sampled_from(
    ["", "line_code,year,period,actual,forecast,note\n", "line_code,date,amount\n"]
)


@PROPERTY
@given(header=HEADERS, body=st.text(max_size=300))
def test_random_text_only_ever_gives_validation_errors(world, header, body):
    plan = plan_for((header + body).encode())
    assert plan.errors or plan.changes or plan.unchanged
    for problem in plan.errors:
        assert str(problem).startswith(("row ", "file: "))


@PROPERTY
@given(name=st.sampled_from(["a.csv", "a.xlsx"]), data=st.binary(max_size=300))
def test_random_bytes_only_ever_give_validation_errors(world, name, data):
    plan = plan_for(data, name)
    assert plan.errors, "random bytes are never a valid import"
    assert (plan.changes, plan.unchanged) == ([], 0)
    for problem in plan.errors:
        assert isinstance(problem, ImportProblem)
        assert problem.row >= 0 and problem.column and problem.reason
        assert str(problem).startswith(("row ", "file: "))


@PROPERTY
@given(
    cells=st.lists(
        st.tuples(
            st.sampled_from(["OUT-01", "NET-01", "X", ""]),
            st.one_of(st.text(max_size=12), st.dates(date(2013, 1, 1), date(2016, 12, 31))),
            st.text(max_size=12),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_random_ledger_rows_only_ever_give_validation_errors_or_a_plan(world, cells):
    lines = ["line_code,date,amount"]
    for code, day, amount in cells:
        day = day.strftime("%d/%m/%Y") if isinstance(day, date) else day
        quoted = [c.replace('"', '""') for c in (code, day, amount)]
        lines.append(",".join(f'"{c}"' for c in quoted))
    plan = plan_for("\n".join(lines).encode())
    assert plan.errors or plan.changes or plan.unchanged


@PROPERTY
@given(
    texts=st.lists(
        st.one_of(
            st.text(alphabet="0123456789.,-£() ", max_size=16),
            money.map(str),
            money.map(lambda amount: f"£{amount:,}"),  # as ledgers write them
            money.map(lambda amount: f"({abs(amount)})"),
            st.text(max_size=8),
        ),
        min_size=1,
        max_size=10,
    )
)
def test_column_amounts_agree_with_parse_amount_cell_by_cell(texts):
    import pandas as pd

    from common.money import AmountError, parse_amount

    values, messages = rules.amounts(pd.Series(texts, dtype=str))
    for text, got, message in zip(texts, values, messages, strict=True):
        try:
            expected = parse_amount(text)
        except AmountError as error:
            assert got is None
            assert message == str(error)
        else:
            assert str(got) == str(expected)  # the same value, places and sign
            assert pd.isna(message)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("£1,234.56", D("1234.56")),
        ("(978.00)", D("-978.00")),
        ("(£5)", D("-5.00")),
        ("(1,234.5)", D("-1234.50")),
        ("£999,999,999,999.99", D("999999999999.99")),
        ("999999999999", D("999999999999.00")),
        ("(0.00)", D("0.00")),
        ("£1,23", None),
        ("1,234,567,890,123", None),
        ("9999999999999", None),
        ("(12", None),
        ("12)", None),
        ("£(978.00)", D("-978.00")),
        (" 12.5 ", D("12.50")),
    ],
)
def test_column_amounts_read_the_formatted_forms_as_parse_amount_does(text, expected):
    import pandas as pd

    from common.money import AmountError, parse_amount

    values, messages = rules.amounts(pd.Series([text, text], dtype=str))
    assert list(values) == [expected, expected]
    if expected is None:
        with pytest.raises(AmountError) as error:
            parse_amount(text)
        assert list(messages) == [str(error.value)] * 2
    else:
        assert parse_amount(text) == expected
        assert str(values[0]) == str(parse_amount(text))  # the same places and sign
        assert messages.isna().all()


# --- pages ------------------------------------------------------------------------------


def upload(client, data: bytes, name: str = "actuals.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post("/budgets/import/", {"file": SimpleUploadedFile(name, data)})


def confirm(client, preview):
    """Press "Confirm" on a preview page: post its confirmation form as shown."""
    form = preview.context["confirm_form"]
    data = {name: form[name].value() for name in form.fields}
    return client.post("/budgets/import/confirm/", data, follow=True)


def test_committee_cannot_upload_confirm_or_cancel(world, committee_client):
    before = snapshot()
    assert committee_client.get("/budgets/import/").status_code == 403
    assert upload(committee_client, csv_bytes(FIGURES_CSV)).status_code == 403
    crafted = {"pending": "1", "sha256": "0" * 64}
    assert committee_client.post("/budgets/import/confirm/", crafted).status_code == 403
    assert committee_client.post("/budgets/import/cancel/").status_code == 403
    assert committee_client.get("/budgets/import/errors.csv").status_code == 403
    assert snapshot() == before


def test_finance_uploads_sees_the_preview_and_confirms(world, finance_client):
    before = snapshot()
    response = upload(finance_client, csv_bytes(FIGURES_CSV))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Check the import of actuals.csv" in page
    assert "£1,100.00" in page and "£1,234.56" in page  # OUT-01 P3 old -> new
    assert "−£978.00" in page
    assert snapshot() == before  # a preview writes no figure

    response = confirm(finance_client, response)
    assert "Imported actuals.csv: 3 figures changed from 3 rows" in response.content.decode()
    assert figure("OUT-01", 3).actual == D("1234.56")
    assert figure("NET-01", 4).actual == D("-978.00")
    batch = ImportBatch.objects.get()
    assert response.redirect_chain[-1][0] == f"/budgets/import/batches/{batch.pk}/"


def test_cancel_discards_the_waiting_file(world, finance_client):
    response = upload(finance_client, csv_bytes(FIGURES_CSV))
    preview = response
    before = snapshot()
    response = finance_client.post("/budgets/import/cancel/", follow=True)
    assert "Import cancelled: nothing was changed." in response.content.decode()
    response = confirm(finance_client, preview)
    assert "There is no import waiting for confirmation" in response.content.decode()
    assert snapshot() == before


def test_a_figure_changed_since_the_preview_applies_nothing_and_says_why(world, finance_client):
    response = upload(finance_client, csv_bytes(FIGURES_CSV))
    preview = response
    net = figure("NET-01", 4)
    MonthlyFigure.objects.filter(pk=net.pk).update(actual=D("7.00"), version=net.version + 1)
    before = snapshot()
    response = confirm(finance_client, preview)
    page = response.content.decode()
    assert "Nothing was applied: NET-01 P4 2014-15 changed since the preview." in page
    assert snapshot() == before
    assert figure("NET-01", 4).actual == D("7.00")


def test_bad_file_lists_the_first_hundred_problems_and_all_in_the_csv(world, finance_client):
    rows = ["line_code,year,period,actual"] + [f"BAD-{n},2014-15,4,1.00" for n in range(150)]
    before = snapshot()
    response = upload(finance_client, "\n".join(rows).encode())
    assert response.status_code == 200
    assert len(response.context["problems"]) == 100
    page = response.content.decode()
    assert "actuals.csv has 150 problems: nothing was saved" in page
    assert "row 2, column line_code: “BAD-0” is not a budget line code" in page
    assert "BAD-100" not in page
    download = finance_client.get("/budgets/import/errors.csv")
    lines = list(csv.reader(io.StringIO(download.content.decode())))
    assert len(lines) == 151
    assert lines[0] == ["row", "column", "problem", "message"]
    assert lines[-1] == [
        "151",
        "line_code",
        "“BAD-149” is not a budget line code",
        "row 151, column line_code: “BAD-149” is not a budget line code",
    ]
    assert snapshot() == before


def test_uploading_an_applied_file_again_says_when_and_by_whom(world, finance_user):
    run_import(csv_bytes(FIGURES_CSV), finance_user, "march.csv")
    response = upload(client_for(finance_user), csv_bytes(FIGURES_CSV), "again.csv")
    page = response.content.decode()
    assert "This file was already applied on" in page
    assert "by Fiona (as march.csv)" in page
    assert ImportBatch.objects.count() == 1


def test_a_file_over_the_upload_limit_is_refused_on_the_page(world, finance_client, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 50
    response = upload(finance_client, csv_bytes(FIGURES_CSV))
    assert "the limit is 50 bytes" in response.content.decode()
    assert ImportBatch.objects.count() == 0


def test_templates_list_the_active_lines_for_the_chosen_period(world, committee_client):
    BudgetLine.objects.create(
        code="OLD-01", name="Retired", category=world["lines"]["out"].category, active=False
    )
    response = committee_client.get("/budgets/import/template.csv?year=2014-15&period=5")
    assert response.status_code == 200
    assert response.content.decode().splitlines() == [
        "line_code,year,period,actual,forecast,note,committed",
        "CHG-01,2014-15,P5,,,,",
        "NET-01,2014-15,P5,,,,",
        "OUT-01,2014-15,P5,,,,",
    ]
    response = committee_client.get("/budgets/import/template.xlsx?year=2014-15&period=P7")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [tuple(cell or "" for cell in row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ("line_code", "year", "period", "actual", "forecast", "note", "committed")
    assert rows[1:] == [
        ("CHG-01", "2014-15", "P7", "", "", "", ""),
        ("NET-01", "2014-15", "P7", "", "", "", ""),
        ("OUT-01", "2014-15", "P7", "", "", "", ""),
    ]


def test_a_filled_template_imports(world, finance_user):
    client = client_for(finance_user)
    text = client.get("/budgets/import/template.csv?year=2014-15&period=4").content.decode()
    filled = text.replace("OUT-01,2014-15,P4,,,", "OUT-01,2014-15,P4,42.00,,").replace(
        "NET-01,2014-15,P4,,,", "NET-01,2014-15,P4,(1.50),,"
    )
    filled = filled.replace("CHG-01,2014-15,P4,,,", "CHG-01,2014-15,P4,0,,")
    run_import(filled.encode(), finance_user, "template.csv")
    assert [figure(code, 4).actual for code in ("OUT-01", "NET-01", "CHG-01")] == [
        D("42.00"),
        D("-1.50"),
        D("0.00"),
    ]


def test_batch_list_and_detail_show_who_when_file_rows_and_total(
    world, finance_user, committee_client
):
    batch = run_import(csv_bytes(LEDGER_CSV), finance_user, "ledger.csv")
    page = committee_client.get("/budgets/import/batches/").content.decode()
    assert "ledger.csv" in page and "fiona" in page and "£1,255.30" in page
    export = committee_client.get("/budgets/import/batches/?_export=csv").content.decode()
    assert "ledger.csv" in export and "1255.30" in export
    detail = committee_client.get(f"/budgets/import/batches/{batch.pk}/")
    rows = [
        (r.line.code, r.period, r.actual_before, r.actual) for r in detail.context["table"].data
    ]
    assert rows == [
        ("NET-01", 12, None, D("-50.00")),
        ("OUT-01", 3, None, D("5.00")),  # the world's figures were made without history
        ("OUT-01", 4, None, D("300.30")),
        ("OUT-01", 5, None, D("1000.00")),
    ]
    second = run_import(b"line_code,year,period,actual\nOUT-01,2014-15,3,7.00\n", finance_user)
    detail = committee_client.get(f"/budgets/import/batches/{second.pk}/")
    rows = [
        (r.line.code, r.period, r.actual_before, r.actual) for r in detail.context["table"].data
    ]
    assert rows == [("OUT-01", 3, D("5.00"), D("7.00"))]


# --- variance notes ----------------------------------------------------------------------
# The entry pages refuse an actual more than 10% and more than the amount from budget
# without a note. A ledger export carries no notes, so an import is not refused: the
# preview, the confirmation and the command name each figure left needing one.


@pytest.fixture
def note_thresholds(settings):
    settings.VARIANCE_NOTE_PERCENT = D("10")
    settings.VARIANCE_NOTE_AMOUNT = D("100")


NOTES_CSV = """line_code,year,period,actual,note
OUT-01,2014-15,4,1500.00,
NET-01,2014-15,4,520.00,
CHG-01,2014-15,4,400.00,Extra licences
OUT-01,2014-15,5,"1,200.00",
"""


def test_actuals_far_from_budget_without_a_note_are_listed_not_refused(
    world, finance_user, note_thresholds
):
    # OUT-01 P4: 500 over 1,000 (50%, > £100), no note -> listed.
    # NET-01 P4: 20 over 500 -> within both. CHG-01 P4: 200 over 200 but the file explains it.
    # OUT-01 P5: 200 over, but the figure already has a note -> not listed.
    MonthlyFigure.objects.filter(pk=figure("OUT-01", 5).pk).update(note="Price rise agreed")
    plan = plan_for(csv_bytes(NOTES_CSV))
    assert plan.errors == []
    assert [c.where for c in plan.notes_needed] == ["OUT-01 P4 2014-15"]
    [needed] = plan.notes_needed
    assert (needed.budget, needed.new_actual, needed.variance) == (
        D("1000.00"),
        D("1500.00"),
        D("500.00"),
    )
    assert describe_notes_needed(plan) == (
        "1 imported actual differs from budget by more than 10% and £100.00 with no "
        "variance note: OUT-01 P4 2014-15. Add the notes on each period's page."
    )
    run_import(csv_bytes(NOTES_CSV), finance_user)
    assert figure("OUT-01", 4).actual == D("1500.00")
    assert figure("OUT-01", 4).note == ""


def test_a_ledger_far_from_budget_is_listed_for_notes(world, note_thresholds):
    ledger = b"line_code,date,amount\nNET-01,01/09/2014,700.00\nNET-01,02/09/2014,1.00\n"
    ledger += b"OUT-01,01/09/2014,1050.00\n"
    plan = plan_for(ledger)
    # NET-01 P6: 701.00 against 500.00 (40%, £201); OUT-01 P6: 50 over, within both.
    assert [c.where for c in plan.notes_needed] == ["NET-01 P6 2014-15"]


def test_notes_use_the_default_thresholds_of_ten_percent_and_fifty_thousand(world):
    plan = plan_for(b"line_code,year,period,actual\nOUT-01,2014-15,4,50999.00\n")
    assert plan.notes_needed == []  # 49,999 over: more than 10% but not than £50,000
    plan = plan_for(b"line_code,year,period,actual\nOUT-01,2014-15,4,51001.00\n")
    assert [c.where for c in plan.notes_needed] == ["OUT-01 P4 2014-15"]


def test_preview_and_confirmation_warn_of_missing_variance_notes(
    world, finance_client, note_thresholds
):
    MonthlyFigure.objects.filter(pk=figure("OUT-01", 5).pk).update(note="Price rise agreed")
    response = upload(finance_client, csv_bytes(NOTES_CSV))
    page = response.content.decode()
    assert 'data-testid="notes-needed"' in page
    assert "1 figure will need a variance note" in page
    assert '<a href="/budgets/2014-15/p4/">P4 2014-15</a>' in page
    assert "You can still confirm the import" in page

    response = confirm(finance_client, response)
    notes = [str(m) for m in response.context["messages"]]
    assert notes[1] == (
        "1 imported actual differs from budget by more than 10% and £100.00 with no "
        "variance note: OUT-01 P4 2014-15. Add the notes on each period's page."
    )
    assert figure("OUT-01", 4).actual == D("1500.00")


def test_preview_has_no_note_warning_when_every_variance_is_explained(world, finance_client):
    page = upload(finance_client, csv_bytes(FIGURES_CSV)).content.decode()
    assert "Check the import of actuals.csv" in page
    assert 'data-testid="notes-needed"' not in page


# --- acceptance points at full size ------------------------------------------------------


def test_one_bad_row_among_ten_thousand_on_the_page_lists_100_and_all_in_the_csv(
    world, finance_client
):
    lines = ["line_code,date,amount"]
    for n in range(10_000):
        lines.append(f"{('OUT-01', 'NET-01', 'CHG-01')[n % 3]},{1 + n % 28:02d}/07/2014,1.00")
    bad_rows = list(range(3, 10_000, 66))  # 152 bad rows spread through the file
    for n in bad_rows:
        lines[n] = f"OUT-01,01/07/2014,{n}p"
    before = snapshot()
    response = upload(finance_client, "\n".join(lines).encode(), "ledger.csv")
    assert len(bad_rows) == 152
    assert f"ledger.csv has {len(bad_rows)} problems: nothing was saved" in (
        response.content.decode()
    )
    shown = response.context["problems"]
    assert [p.row for p in shown] == [n + 1 for n in bad_rows[:100]]
    download = finance_client.get("/budgets/import/errors.csv")
    listed = list(csv.reader(io.StringIO(download.content.decode())))[1:]
    assert [int(row[0]) for row in listed] == [n + 1 for n in bad_rows]
    assert listed[-1][3] == (
        f"row {bad_rows[-1] + 1}, column amount: “{bad_rows[-1]}p” is not an amount in "
        "pounds, like 1234.56 or (978.00)"
    )
    assert snapshot() == before


def test_a_real_zip_bomb_workbook_is_refused_at_the_default_limits(db, monkeypatch):
    def must_not_parse(*args, **kwargs):
        raise AssertionError("parsed a workbook that should have been refused")

    monkeypatch.setattr(xlsx.openpyxl, "load_workbook", must_not_parse)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(201):  # 201 MB of zeros: a few hundred KB compressed
                member.write(chunk)
    data = out.getvalue()
    assert len(data) < 1024 * 1024
    [reason] = reasons("bomb.xlsx", data)
    assert reason.startswith("file: the workbook unpacks to 210,763,")
    assert reason.endswith("bytes, more than 209,715,200; export it as CSV instead")

    many = io.BytesIO()
    with zipfile.ZipFile(many, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for n in range(200):
            archive.writestr(f"xl/part{n}.xml", "")
    assert reasons("parts.xlsx", many.getvalue()) == [
        "file: the workbook has 201 parts, more than 200"
    ]


def test_reupload_refusal_says_exactly_when_and_by_whom(world, finance_user):
    from datetime import UTC

    batch = run_import(csv_bytes(FIGURES_CSV), finance_user, "march.csv")
    ImportBatch.objects.filter(pk=batch.pk).update(
        applied_at=datetime(2015, 3, 3, 10, 15, tzinfo=UTC)  # GMT in London
    )
    page = upload(client_for(finance_user), csv_bytes(FIGURES_CSV), "again.csv")
    assert (
        "This file was already applied on 3 Mar 2015 at 10:15 by Fiona (as march.csv); "
        "it cannot be applied twice."
    ) in page.content.decode()
    assert ImportBatch.objects.count() == 1
