"""manage.py import_actuals: the importer from a shell, with exit codes."""

from decimal import Decimal as D

import pytest
from django.core.management import base, call_command
from django.core.management.base import CommandError

from budgets.management.commands.import_actuals import Command
from budgets.models import ImportBatch, MonthlyFigure

GOOD = """line_code,year,period,actual
OUT-01,2014-15,P4,"£1,234.56"
NET-01,2014-15,4,(978.00)
"""

BAD = """line_code,year,period,actual
OUT-01,2014-15,P4,1.00
NOPE,2014-15,4,2.00
OUT-01,2014-15,P2,3.00
"""


def actual(code: str, period: int):
    return MonthlyFigure.objects.get(line__code=code, year__label="2014-15", period=period).actual


def write(tmp_path, text: str, name: str = "actuals.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.fixture(autouse=True)
def _keep_test_connection(monkeypatch):
    # run_from_argv closes every connection when it ends, which would end the test's
    # transaction on PostgreSQL.
    monkeypatch.setattr(base.connections, "close_all", lambda: None)


def run(*argv: str) -> int:
    """Run the command as manage.py does and return its exit status."""
    try:
        Command().run_from_argv(["manage.py", "import_actuals", *argv])
    except SystemExit as exit_:
        return exit_.code
    return 0


def test_a_good_file_is_applied_and_exits_0(world, finance_user, tmp_path, capsys):
    assert run(write(tmp_path, GOOD), "--user", "fiona") == 0
    assert actual("OUT-01", 4) == D("1234.56")
    assert actual("NET-01", 4) == D("-978.00")
    batch = ImportBatch.objects.get()
    assert (batch.uploaded_by, batch.total, batch.figure_count) == (finance_user, D("256.56"), 2)
    assert "Imported actuals.csv: 2 figures changed from 2 rows" in capsys.readouterr().out


def test_validation_errors_are_printed_by_row_and_exit_1_writing_nothing(
    world, finance_user, tmp_path, capsys
):
    assert run(write(tmp_path, BAD), "--user", "fiona") == 1
    err = capsys.readouterr().err.splitlines()
    assert err[:2] == [
        "row 3, column line_code: “NOPE” is not a budget line code",
        "row 4, column period: P2 2014-15 is closed (closed through P2); "
        "an administrator must reopen it first",
    ]
    assert actual("OUT-01", 4) is None
    assert ImportBatch.objects.count() == 0


def test_dry_run_shows_the_changes_and_writes_nothing(world, finance_user, tmp_path, capsys):
    assert run(write(tmp_path, GOOD), "--user", "fiona", "--dry-run") == 0
    out = capsys.readouterr().out
    assert "2 figures change (0 new)" in out
    assert "2014-15 actuals, all lines: £4,450.00 -> £4,706.56" in out
    assert "Dry run: nothing was written." in out
    assert actual("OUT-01", 4) is None
    assert ImportBatch.objects.count() == 0


def test_dry_run_of_a_bad_file_exits_1(world, finance_user, tmp_path):
    assert run(write(tmp_path, BAD), "--user", "fiona", "--dry-run") == 1


def test_the_same_file_twice_exits_1_saying_when_and_by_whom(world, finance_user, tmp_path):
    path = write(tmp_path, GOOD)
    call_command("import_actuals", path, user="fiona")
    with pytest.raises(CommandError, match=r"already applied on .* by Fiona") as refused:
        call_command("import_actuals", path, user="fiona")
    assert refused.value.returncode == 1
    assert ImportBatch.objects.count() == 1


def test_a_committee_user_cannot_import(world, committee_user, tmp_path):
    with pytest.raises(CommandError, match="carol may not import actuals") as refused:
        call_command("import_actuals", write(tmp_path, GOOD), user="carol")
    assert refused.value.returncode == 1
    assert actual("OUT-01", 4) is None


def test_an_unknown_user_or_missing_file_exits_1(world, finance_user, tmp_path):
    assert run(write(tmp_path, GOOD), "--user", "nobody") == 1
    assert run(str(tmp_path / "missing.csv"), "--user", "fiona") == 1
    assert ImportBatch.objects.count() == 0


def test_actuals_needing_a_variance_note_are_warned_of_and_still_applied(
    world, finance_user, tmp_path, capsys, settings
):
    settings.VARIANCE_NOTE_PERCENT, settings.VARIANCE_NOTE_AMOUNT = D("10"), D("100")
    # GOOD: OUT-01 P4 1,234.56 against 1,000.00 (23%, £234.56); NET-01 P4 (978.00)
    # against 500.00 (£1,478.00 under). Neither file row carries a note.
    path = write(tmp_path, GOOD)
    assert run(path, "--user", "fiona", "--dry-run") == 0
    warning = (
        "Warning: 2 imported actuals differ from budget by more than 10% and £100.00 with no "
        "variance note: NET-01 P4 2014-15, OUT-01 P4 2014-15. Add the notes on each period's "
        "page."
    )
    assert warning in capsys.readouterr().out.splitlines()
    assert run(path, "--user", "fiona") == 0
    assert warning in capsys.readouterr().out.splitlines()
    assert actual("OUT-01", 4) == D("1234.56")
