"""The layer check of `make lint` (scripts/lint_layers.py over .importlinter) fails on an
upward import, and no app reaches a higher layer by a route import-linter cannot see."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAYERED = ("common", "contracts", "budgets", "savings", "projects", "reports", "scenarios")


def _tree(tmp_path: Path, modules: dict[str, str]) -> Path:
    shutil.copy(ROOT / ".importlinter", tmp_path / ".importlinter")
    for package in ("common", "contracts", "budgets", "savings", "metbudget"):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    for name, source in modules.items():
        (tmp_path / name).write_text(source)
    return tmp_path


def _lint(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own script, fixed arguments
        [sys.executable, str(ROOT / "scripts" / "lint_layers.py"), str(root)],
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_downward_imports_pass(tmp_path):
    root = _tree(tmp_path, {"budgets/models.py": "import contracts\nimport common\n"})
    result = _lint(root)
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_upward_import_fails_and_is_named(tmp_path):
    # A function-level import is an import all the same.
    root = _tree(tmp_path, {"contracts/views.py": "def spend():\n    import budgets\n"})
    result = _lint(root)
    assert result.returncode != 0
    assert "contracts is not allowed to import budgets" in result.stdout


def test_a_package_in_no_layer_fails(tmp_path):
    root = _tree(tmp_path, {})
    (root / "stray").mkdir()
    (root / "stray" / "__init__.py").write_text("")
    result = _lint(root)
    assert result.returncode != 0
    assert "stray" in result.stdout


def test_no_app_reaches_a_higher_layer_by_name():
    """`apps.get_model` and string relations hide a dependency from import-linter."""
    hidden = re.compile(r"apps\.get_model\(|ForeignKey\(\s*[\"']\w+\.\w+[\"']")
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for package in LAYERED
        for path in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if hidden.search(line)
    ]
    assert found == []
