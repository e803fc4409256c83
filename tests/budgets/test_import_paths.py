"""The two ways an import writes: set-based on PostgreSQL (`bulk_pg`), row by row elsewhere.

The same file applied by each path, from the same starting point, must leave the same
figures, versions, history rows (type, user, reason, values), batch records and refusals.
The comparisons need PostgreSQL (the set-based path exists only there): they skip on
SQLite and run in CI's PostgreSQL pass. The tests at the end run whichever path the
database uses, so both paths are held to the same expectations on both databases.
tests/world.py: 2014-15 is a draft closed through P2; OUT-01 1,000.00 a month, NET-01
500.00, CHG-01 200.00.
"""

from decimal import Decimal as D

import pytest
from django.db import connection, transaction

from budgets.importing import (
    ImportRefused,
    StaleImportError,
    apply_import,
    bulk_pg,
    parse_file,
    validate,
)
from budgets.importing import apply as applying
from budgets.models import BudgetLine, FinancialYear, ImportBatch, MonthlyFigure
from tests.budgets.test_import import csv_bytes

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the set-based path exists only on PostgreSQL; compared in CI's PostgreSQL pass",
)

FIGURES = (
    "line_code,year,period,actual,forecast,note,committed\n"
    'OUT-01,2014-15,P3,"£1,234.56",,,\n'
    'NET-01,2014-15,4,(978.00),,"Credit note,\ttab and\nnew line \\ back",12.50\n'
    "CHG-01,2014-15,p4,-12.34,500.00,,\n"
    "NEW-01,2014-15,5,20.00,30.00,A new line's first figure,1.00\n"
    "CHG-01,2014-15,5,,,,250.00\n"
)
LEDGER = (
    "line_code,date,amount\n"
    "OUT-01,05/07/2014,100.10\n"
    "OUT-01,2014-07-31,200.20\n"
    'NEW-01,01/08/2014,"£1,000.00"\n'
    "NET-01,15/03/2015,(50.00)\n"
)
FIELDS = (
    "line__code",
    "year__label",
    "period",
    "budget",
    "original_budget",
    "committed",
    "actual",
    "forecast",
    "note",
    "version",
    "updated_by__username",
)


@pytest.fixture
def new_line(world) -> BudgetLine:
    return BudgetLine.objects.create(
        code="NEW-01", name="New line", category=world["lines"]["out"].category
    )


def use_set_based(monkeypatch, on: bool) -> None:
    monkeypatch.setattr(applying, "SET_BASED_VENDORS", {"postgresql"} if on else set())


def outcome(filename: str) -> dict:
    """What an import leaves, without ids or clock times (they differ between runs)."""
    figures = MonthlyFigure.objects.order_by("year__start", "line__code", "period")
    history = MonthlyFigure.history.order_by("history_id")
    return {
        "figures": list(figures.values_list(*FIELDS, "import_batch__filename")),
        "history": list(
            history.values_list(
                "history_type",
                "history_user__username",
                "history_change_reason",
                *FIELDS,
                "import_batch__filename",
            )
        ),
        "history_dates": history.filter(import_batch__filename=filename)
        .order_by()
        .values("history_date")
        .distinct()
        .count(),
        "batches": list(
            ImportBatch.objects.order_by("pk").values_list(
                "sha256",
                "filename",
                "file_format",
                "uploaded_by__username",
                "row_count",
                "figure_count",
                "total",
            )
        ),
    }


def apply_by(monkeypatch, set_based: bool, data: bytes, user, name: str, *, before=None):
    """Apply `data` by one path and return what it left (or the refusal's type and
    message), then undo it all so the other path starts from the same point."""
    use_set_based(monkeypatch, set_based)
    with transaction.atomic():
        parsed = parse_file(name, data)
        plan = validate(parsed)
        if before:
            before()
        try:
            apply_import(plan=plan, user=user, filename=name, sha256=parsed.sha256)
        except Exception as refused:
            result = {"refused": (type(refused).__name__, str(refused))}
        else:
            result = outcome(name)
        transaction.set_rollback(True)
    return result


@needs_postgresql
@pytest.mark.parametrize(("data", "name"), [(FIGURES, "figures.csv"), (LEDGER, "ledger.csv")])
def test_both_paths_write_the_same_figures_history_and_batch(
    world, new_line, finance_user, monkeypatch, data, name
):
    row_by_row = apply_by(monkeypatch, False, csv_bytes(data), finance_user, name)
    set_based = apply_by(monkeypatch, True, csv_bytes(data), finance_user, name)
    assert "refused" not in set_based
    assert set_based == row_by_row
    history = set_based["history"]
    assert {row[0] for row in history} == {"~", "+"}  # changed and created figures
    assert set_based["history_dates"] == 1  # one moment for the whole import


@needs_postgresql
def test_both_paths_set_a_draft_budget_the_same_way(world, new_line, admin_user, monkeypatch):
    data = csv_bytes(
        "line_code,year,period,budget,actual\n"
        "OUT-01,2014-15,6,1500.00,\n"
        "NEW-01,2014-15,6,75.25,\n"
        "NET-01,2014-15,7,,10.00\n"
    )
    row_by_row = apply_by(monkeypatch, False, data, admin_user, "budgets.csv")
    set_based = apply_by(monkeypatch, True, data, admin_user, "budgets.csv")
    assert "refused" not in set_based
    assert set_based == row_by_row


def move_on(code: str, period: int):
    def change() -> None:
        MonthlyFigure.objects.filter(line__code=code, period=period, year__label="2014-15").update(
            version=99
        )

    return change


def close_through(period: int):
    def close() -> None:
        FinancialYear.objects.filter(label="2014-15").update(closed_through=period)

    return close


def create_figure() -> None:
    line = BudgetLine.objects.get(code="NEW-01")
    year = FinancialYear.objects.get(label="2014-15")
    MonthlyFigure.objects.create(line=line, year=year, period=5, actual=D("1.00"))


@needs_postgresql
@pytest.mark.parametrize(
    ("before", "expected"),
    [
        (move_on("OUT-01", 3), "OUT-01 P3 2014-15"),
        (move_on("CHG-01", 5), "CHG-01 P5 2014-15"),
        (create_figure, "NEW-01 P5 2014-15"),  # created by someone else since the preview
        (close_through(4), "P3 2014-15 is closed"),
    ],
)
def test_both_paths_refuse_the_same_way_and_write_nothing(
    world, new_line, finance_user, monkeypatch, before, expected
):
    data = csv_bytes(FIGURES)
    start = outcome("figures.csv")
    row_by_row = apply_by(monkeypatch, False, data, finance_user, "figures.csv", before=before)
    set_based = apply_by(monkeypatch, True, data, finance_user, "figures.csv", before=before)
    assert expected in set_based["refused"][1]
    assert set_based == row_by_row
    assert outcome("figures.csv") == start


@needs_postgresql
def test_both_paths_name_the_same_stale_figures(world, new_line, finance_user, monkeypatch):
    def many() -> None:
        move_on("OUT-01", 3)()
        move_on("NET-01", 4)()

    row_by_row = apply_by(
        monkeypatch, False, csv_bytes(FIGURES), finance_user, "f.csv", before=many
    )
    set_based = apply_by(monkeypatch, True, csv_bytes(FIGURES), finance_user, "f.csv", before=many)
    assert set_based["refused"][0] == StaleImportError.__name__
    assert set_based == row_by_row


@needs_postgresql
def test_a_failure_in_the_set_based_write_leaves_nothing_written(
    world, new_line, finance_user, monkeypatch
):
    use_set_based(monkeypatch, True)

    def crash(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(bulk_pg, "_write_history", crash)  # after the figures are written
    parsed = parse_file("figures.csv", csv_bytes(FIGURES))
    plan = validate(parsed)
    start = outcome("figures.csv")
    with pytest.raises(RuntimeError, match="disk full"):
        apply_import(plan=plan, user=finance_user, filename="figures.csv", sha256=parsed.sha256)
    assert outcome("figures.csv") == start
    assert not ImportBatch.objects.exists()


# --- whichever path the database uses ----------------------------------------------------


def run(data: bytes, user, name: str = "figures.csv") -> ImportBatch:
    parsed = parse_file(name, data)
    plan = validate(parsed)
    assert plan.errors == []
    return apply_import(plan=plan, user=user, filename=name, sha256=parsed.sha256)


def test_the_database_path_writes_figures_versions_and_history(world, new_line, finance_user):
    out_before = MonthlyFigure.objects.get(line__code="OUT-01", period=3, year__label="2014-15")
    batch = run(csv_bytes(FIGURES), finance_user)
    out = MonthlyFigure.objects.get(pk=out_before.pk)
    assert (out.actual, out.forecast, out.version) == (
        D("1234.56"),
        out_before.forecast,
        out_before.version + 1,
    )
    assert (out.updated_by, out.import_batch) == (finance_user, batch)
    net = MonthlyFigure.objects.get(line__code="NET-01", period=4, year__label="2014-15")
    assert net.note == "Credit note,\ttab and\nnew line \\ back"
    assert net.committed == D("12.50")
    new = MonthlyFigure.objects.get(line=new_line, period=5)
    assert (new.actual, new.forecast, new.committed, new.budget, new.version) == (
        D("20.00"),
        D("30.00"),
        D("1.00"),
        D("0.00"),
        1,
    )
    rows = MonthlyFigure.history.filter(import_batch=batch)
    assert rows.count() == batch.figure_count == 5
    assert {(h.history_user, h.history_change_reason) for h in rows} == {
        (finance_user, "Imported from figures.csv")
    }
    assert rows.get(line=new_line).history_type == "+"
    changed = rows.get(line__code="OUT-01")
    assert (changed.history_type, changed.actual, changed.version) == ("~", out.actual, out.version)


def test_the_database_path_refuses_bad_amounts_and_unknown_lines_by_row_and_field(
    world, finance_user
):
    data = csv_bytes(
        "line_code,year,period,actual\nOUT-01,2014-15,4,12.345\nNOPE-9,2014-15,4,1.00\n"
        "CHG-01,2014-15,5,ten pounds\n"
    )
    plan = validate(parse_file("bad.csv", data))
    found = [(p.row, p.column, p.reason) for p in plan.errors]
    assert (2, "actual", "“12.345” is not an amount in pounds, like 1234.56 or (978.00)") in found
    assert (3, "line_code", "“NOPE-9” is not a budget line code") in found
    assert (4, "actual", "“ten pounds” is not an amount in pounds, like 1234.56 or (978.00)") in (
        found
    )
    with pytest.raises(ImportRefused, match="3 problems"):
        apply_import(plan=plan, user=finance_user, filename="bad.csv", sha256="d" * 64)
    assert not ImportBatch.objects.exists()
