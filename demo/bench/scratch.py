"""The scratch database the benchmark runs in: never the configured one."""

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connections


@contextmanager
def scratch_database(alias: str = "default", verbosity: int = 0) -> Iterator[str]:
    """Create and migrate a scratch database, switch `alias` to it, yield its name, and
    destroy it afterwards. SQLite: a file in a temporary directory; PostgreSQL and others:
    `<configured name>_bench` on the same server."""
    conn = connections[alias]
    original_name = conn.settings_dict["NAME"]
    original_test = dict(conn.settings_dict.get("TEST") or {})
    tmpdir = None
    if conn.vendor == "sqlite":
        tmpdir = tempfile.mkdtemp(prefix="metbudget-bench-")
        scratch = os.path.join(tmpdir, "bench.sqlite3")
    else:
        scratch = f"{original_name}_bench"
    conn.settings_dict["TEST"] = {**original_test, "NAME": scratch}
    conn.close()
    try:
        # Checked before anything is created or migrated: never the configured database.
        planned = conn.creation._get_test_db_name()
        if planned != scratch or planned == original_name:
            raise RuntimeError(f"refusing to benchmark in {planned!r}: not a scratch database")
        name = conn.creation.create_test_db(
            verbosity=verbosity, autoclobber=True, serialize=False, keepdb=False
        )
        try:
            yield name
        finally:
            conn.creation.destroy_test_db(original_name, verbosity=verbosity, keepdb=False)
    finally:
        conn.settings_dict["NAME"] = original_name
        settings.DATABASES[alias]["NAME"] = original_name
        conn.settings_dict["TEST"] = original_test
        if tmpdir:
            shutil.rmtree(tmpdir, ignore_errors=True)
