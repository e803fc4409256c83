"""What metbudget needs outside Python, found or installed in one place (see the Makefile).

    python scripts/system_deps.py libs --libraries NAME... --debian PACKAGE...
    python scripts/system_deps.py browser --stamp FILE

`libs` checks that the shared libraries are there (by the names any system knows them
by, e.g. `pango-1.0`) and, when some are missing, installs the Debian packages that hold
them, as root on Debian or Ubuntu.

`browser` finds a Chromium for the browser tests, writes its path to the stamp file (so
that later runs only check that it still works) and prints it. In order: CHROMIUM_PATH
when set (it must work; the stamp is left alone), the stamp, a system Chromium,
Playwright's own (`python -m playwright install chromium`, run with the Python that has
Playwright), and, as root on Debian or Ubuntu, `apt-get install chromium`.

Either stops, exit 1, with one line saying what to install when it can find or install
nothing. Progress goes to stderr; `browser` prints only the path on stdout.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes.util
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

SYSTEM_CHROMIUMS = ("chromium", "chromium-browser")
# Playwright's download comes from its own CDN: where that is unreachable it must fail
# fast, not hang. Its connection timeout is in milliseconds.
PLAYWRIGHT_CONNECTION_TIMEOUT_MS = "15000"
PLAYWRIGHT_INSTALL_SECONDS = int(os.environ.get("PLAYWRIGHT_INSTALL_TIMEOUT", "300"))
APT_LISTS = Path("/var/lib/apt/lists")


class MissingError(Exception):
    """Nothing found or installed: the message is the one line to show."""


PREFIX = "system-deps"


def say(message: str) -> None:
    print(f"{PREFIX}: {message}", file=sys.stderr, flush=True)


def run(command: list[str], timeout: float, env: dict[str, str] | None = None) -> tuple[int, str]:
    """Run a command quietly: its exit code (124 on timeout) and its output.

    It runs in its own process group, all of which is killed on timeout: `python -m
    playwright` hands over to a node process that would otherwise outlive it.
    """
    try:
        process = subprocess.Popen(  # noqa: S603 - fixed commands, no shell
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            env={**os.environ, **(env or {})},
            start_new_session=True,
        )
    except OSError as error:
        return 127, str(error)
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        output, _ = process.communicate()
        return 124, f"{output}\n(stopped after {timeout:.0f} s)"
    return process.returncode, output


def error_line(output: str) -> str:
    """The first error line of a command's output (apt's `E: ...`, node's `Error: ...`),
    else its last line."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    for line in lines:
        if line.startswith(("E:", "Error:", "error:")):
            return line
    return lines[-1] if lines else "no output"


# --- apt, as root on Debian or Ubuntu ---------------------------------------------------


def can_apt() -> bool:
    return (
        hasattr(os, "geteuid")
        and os.geteuid() == 0
        and Path("/etc/debian_version").exists()
        and shutil.which("apt-get") is not None
    )


def apt_install(packages: list[str]) -> None:
    """`apt-get install -y PACKAGES`, after `apt-get update` when the package lists are
    empty (a fresh machine) or when installing from the lists there failed (old lists)."""
    env = {"DEBIAN_FRONTEND": "noninteractive"}
    # Wait for another apt or dpkg rather than fail on its lock.
    install = ["apt-get", "install", "-y", "-q", "-o", "DPkg::Lock::Timeout=300", *packages]
    update = ["apt-get", "update", "-q", "-o", "DPkg::Lock::Timeout=300"]
    updated = False
    if not any(APT_LISTS.glob("*_Packages*")):
        say("apt-get update (the package lists are empty)")
        code, output = run(update, timeout=600, env=env)
        if code != 0:
            raise MissingError(f"apt-get update failed: {error_line(output)}")
        updated = True
    say(f"apt-get install -y {' '.join(packages)}")
    code, output = run(install, timeout=900, env=env)
    if code != 0 and not updated:
        say("apt-get update, then install again")
        run(update, timeout=600, env=env)
        code, output = run(install, timeout=900, env=env)
    if code != 0:
        raise MissingError(f"apt-get install {' '.join(packages)} failed: {error_line(output)}")


# --- shared libraries -------------------------------------------------------------------


def libs(libraries: list[str], debian_packages: list[str]) -> None:
    missing = [name for name in libraries if ctypes.util.find_library(name) is None]
    if not missing:
        return
    say(f"missing shared libraries: {', '.join(missing)}")
    if can_apt():
        apt_install(debian_packages)
        missing = [name for name in libraries if ctypes.util.find_library(name) is None]
        if not missing:
            return
    raise MissingError(
        f"metbudget needs the shared libraries {', '.join(missing)} (the PDF renderer's "
        f"Pango): install them, on Debian or Ubuntu with "
        f"`sudo apt-get install -y {' '.join(debian_packages)}`"
    )


# --- the browser ------------------------------------------------------------------------


def works(path: str | None) -> bool:
    """An executable file that answers `--version`."""
    if not path or not os.path.isfile(path) or not os.access(path, os.X_OK):
        return False
    code, _ = run([path, "--version"], timeout=30)
    return code == 0


def system_chromium() -> str | None:
    for name in SYSTEM_CHROMIUMS:
        path = shutil.which(name)
        if works(path):
            return path
    return None


def playwright_chromium() -> str | None:
    """The path of Playwright's own Chromium, whether downloaded or not; None without
    Playwright."""
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            return playwright.chromium.executable_path
    except Exception as error:  # no Playwright, or its driver does not start
        say(f"no Playwright browser: {error}")
        return None


def download_playwright_chromium() -> bool:
    say(
        "downloading Playwright's Chromium (python -m playwright install chromium, "
        f"at most {PLAYWRIGHT_INSTALL_SECONDS} s)"
    )
    code, output = run(
        [sys.executable, "-m", "playwright", "install", "chromium"],
        timeout=PLAYWRIGHT_INSTALL_SECONDS,
        env={"PLAYWRIGHT_DOWNLOAD_CONNECTION_TIMEOUT": PLAYWRIGHT_CONNECTION_TIMEOUT_MS},
    )
    if code != 0:
        say(f"that failed: {error_line(output)}")
    return code == 0


def find_chromium() -> str:
    path = system_chromium()
    if path:
        return path
    bundled = playwright_chromium()
    if works(bundled):
        return bundled
    if bundled and download_playwright_chromium() and works(bundled):
        return bundled
    if can_apt():
        apt_install(["chromium"])
        path = system_chromium()
        if path:
            return path
    raise MissingError(
        "No Chromium for the browser tests: install one (Debian: `sudo apt-get install -y "
        "chromium`; elsewhere: `.venv/bin/python -m playwright install chromium`) or set "
        "CHROMIUM_PATH; `make test-fast` runs the rest"
    )


def browser(stamp: Path) -> str:
    override = os.environ.get("CHROMIUM_PATH")
    if override:
        if works(override):
            return override
        raise MissingError(
            f"CHROMIUM_PATH={override} is not a working Chromium: "
            "point it at one, or unset it to let `make browser` find or install one"
        )
    if stamp.exists():
        found = stamp.read_text().strip()
        if found and os.path.isfile(found) and os.access(found, os.X_OK):
            return found
    path = find_chromium()
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(f"{path}\n")
    say(f"Chromium for the browser tests: {path} (kept in {stamp})")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    libs_parser = commands.add_parser("libs", help="check shared libraries, install if root")
    libs_parser.add_argument("--libraries", nargs="*", default=[])
    libs_parser.add_argument("--debian", nargs="*", default=[])
    browser_parser = commands.add_parser("browser", help="find or install Chromium")
    browser_parser.add_argument("--stamp", type=Path, required=True)
    args = parser.parse_args(argv)
    global PREFIX
    PREFIX = args.command
    try:
        if args.command == "libs":
            libs(args.libraries, args.debian)
        else:
            print(browser(args.stamp))
    except MissingError as missing:
        print(str(missing), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
