"""The layer check of `make lint`: import-linter's contract in .importlinter.

import-linter builds its import graph from `root_packages` and stops at one that does not
exist, while a layer written in parentheses may be missing. .importlinter lists every
package the layers will hold; this runs the contract over those that exist now, and
fails on a top-level package that .importlinter does not list, so that a new package
cannot slip past the check.
"""

from __future__ import annotations

import configparser
import os
import sys
import tempfile
from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / ".importlinter"
NOT_LAYERED = {"tests"}
CACHE = ROOT / ".venv" / "import-linter-cache"


def main(root: Path = ROOT) -> int:
    """Check the packages under `root` (the project; a test passes a small tree)."""
    config = configparser.ConfigParser()
    config.read(root / CONFIG.name)
    listed = config["importlinter"]["root_packages"].split()
    present = sorted(init.parent.name for init in root.glob("*/__init__.py"))
    unlisted = [name for name in present if name not in listed and name not in NOT_LAYERED]
    if unlisted:
        print(
            f"{CONFIG.name}: the package(s) {', '.join(unlisted)} are in no layer: "
            "add them to root_packages and to the layers contract"
        )
        return 1
    config["importlinter"]["root_packages"] = "\n" + "\n".join(
        name for name in listed if name in present
    )
    os.chdir(root)
    with tempfile.TemporaryDirectory() as tmp:
        existing = Path(tmp) / ".importlinter"
        with existing.open("w") as file:
            config.write(file)
        return lint_imports(config_filename=str(existing), cache_dir=str(CACHE), no_logo=True)


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else ROOT))
