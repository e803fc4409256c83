"""The stored totals (per line and year, and per period: `refresh_line_year_totals` writes
both) stay exact only if every bulk write of monthly figures refreshes them (a single
figure's save or delete refreshes its own through a signal). This reads the project's
source: a module that writes figures in bulk (bulk_create, bulk_update, simple_history's
bulk_*_with_history, QuerySet.update or SQL naming the figures' table) must be listed here
with the module that calls `refresh_line_year_totals` after it, in the same transaction."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("api", "budgets", "common", "contracts", "demo", "projects", "reports", "savings")
APPS += ("scenarios", "metbudget")
BULK_CALLS = {
    "bulk_create",
    "bulk_update",
    "bulk_create_with_history",
    "bulk_update_with_history",
    "update",
    "execute",
    "executemany",
    "raw",
    "copy",
}

# module -> the module that refreshes the totals after its bulk writes of figures.
REFRESHED_BY = {
    "budgets/services/figures.py": "budgets/services/figures.py",
    "budgets/revisions.py": "budgets/revisions.py",
    "budgets/setting.py": "budgets/setting.py",
    "budgets/importing/apply.py": "budgets/importing/apply.py",
    "budgets/importing/bulk_pg.py": "budgets/importing/apply.py",
    "demo/seed/load.py": "demo/seed/load.py",
    "demo/seed/plan.py": "demo/seed/plan.py",
    "demo/bench/dataset.py": "demo/bench/dataset.py",
    "budgets/models/refresh.py": "budgets/models/refresh.py",
}
# Modules that name figures and call one of BULK_CALLS on something else, with why.
NOT_FIGURE_WRITES = {
    "demo/bench/import_floor.py": "the benchmark's floor: in the scratch database, it writes "
    "again the actuals the import has just written, so the stored totals stay exact",
    "budgets/admin.py": "a form's data (QueryDict.copy)",
    "budgets/budget_grid.py": "a set's update",
    "budgets/views/lines.py": "the template context's update and a QueryDict's copy",
    "demo/bench/floor.py": "SELECTs only: the floor's aggregates",
}


def _bulk_calls(tree: ast.AST) -> set[str]:
    return {
        node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute | ast.Name)
        and (node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id) in BULK_CALLS
    }


def figure_writers(root: Path = ROOT) -> dict[str, set[str]]:
    """Each module naming monthly figures (the model or its table) that makes a bulk
    call, with those calls."""
    found = {}
    for app in APPS:
        for path in sorted((root / app).rglob("*.py")):
            relative = path.relative_to(root).as_posix()
            if "/migrations/" in relative:
                continue
            source = path.read_text()
            if "MonthlyFigure" not in source and "budgets_monthlyfigure" not in source:
                continue
            calls = _bulk_calls(ast.parse(source))
            if calls:
                found[relative] = calls
    return found


def test_every_bulk_writer_of_figures_is_known_to_refresh_the_totals():
    unknown = {
        module: sorted(calls)
        for module, calls in figure_writers().items()
        if module not in REFRESHED_BY and module not in NOT_FIGURE_WRITES
    }
    assert unknown == {}, (
        "these modules write monthly figures in bulk: call refresh_line_year_totals after "
        "the writes and list them in REFRESHED_BY"
    )


def test_every_module_called_harmless_still_makes_a_bulk_call():
    # So that the list cannot keep an exemption for a module that has since changed.
    assert set(NOT_FIGURE_WRITES) <= set(figure_writers())


def test_each_refreshing_module_calls_the_refresh():
    for module, refresher in REFRESHED_BY.items():
        if not (ROOT / module).exists():  # budgets/importing/bulk_pg.py, not yet merged
            assert module == "budgets/importing/bulk_pg.py"
            continue
        assert "refresh_line_year_totals(" in (ROOT / refresher).read_text(), refresher


def test_the_scan_finds_a_new_bulk_writer(tmp_path):
    (tmp_path / "budgets").mkdir()
    (tmp_path / "budgets" / "sneaky.py").write_text(
        "from budgets.models import MonthlyFigure\n"
        "def zero():\n"
        "    MonthlyFigure.objects.filter(period=1).update(actual=0)\n"
    )
    (tmp_path / "budgets" / "harmless.py").write_text(
        "from budgets.models import MonthlyFigure\n"
        "def read():\n"
        "    return list(MonthlyFigure.objects.all())\n"
    )
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "raw.py").write_text(
        "def zero(cursor):\n    cursor.execute('UPDATE budgets_monthlyfigure SET actual = 0')\n"
    )
    assert figure_writers(tmp_path) == {
        "budgets/sneaky.py": {"update"},
        "reports/raw.py": {"execute"},
    }
