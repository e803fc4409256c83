"""What is read from the database, built once for each state of the database.

The data version names what the database shows right now: two reads under the same name
see the same rows. On PostgreSQL it is the MVCC snapshot (`pg_current_snapshot()`: the
oldest transaction still running, the next transaction id and those in progress), with the
database's name and the server's start time. A transaction that commits, anywhere on the
server, changes it; one that has not committed changes nothing anyone else can see. So a
result built under a name stays right for as long as that name is read again, and no write
path has to remember to invalidate anything: the entry forms, the import's COPY, the admin,
a migration and a hand-typed SQL UPDATE alike. The server's start time keeps a database
restored to an earlier point (which uses transaction ids again) from meeting old names.

`remember` reads the name and builds in one read-only REPEATABLE READ transaction, so
every query of the build sees exactly the state the name names.

None (nothing is remembered) when:
- the database is not PostgreSQL: SQLite has no name for its state that holds across
  connections (`PRAGMA data_version` is per connection);
- the connection is already inside a transaction: its isolation is set, and if it has
  written, it sees rows no one else does;
- the server is a standby: there the snapshot does not list the transactions being
  replayed, so a replayed commit need not change it.

`remember(name, key, build)` gives `build()`'s result for (name, key, data version), built once
per version in this process (two requests that miss at once may both build) and kept for
the last `MAX_ENTRIES` such keys. Each process (each gunicorn worker) keeps its own.
Results are shared between requests: read them, never change them.
"""

from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock
from typing import TypeVar

from django.db import connections, transaction

T = TypeVar("T")

MAX_ENTRIES = 32

_entries: OrderedDict[tuple, object] = OrderedDict()
_lock = Lock()


# The snapshot, the database and the server's start; trusted on a primary only, and only
# while this transaction has written nothing.
VERSION_SQL = """
    SELECT concat_ws(' ', pg_current_snapshot()::text, current_database(),
                     pg_postmaster_start_time()::text),
           NOT pg_is_in_recovery() AND pg_current_xact_id_if_assigned() IS NULL
"""


def _version(connection) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute(VERSION_SQL)
        version, trusted = cursor.fetchone()
    return version if trusted else None


def remember(name: str, key: Hashable, build: Callable[[], T]) -> T:
    """`build()`, or what it gave before for `name` and `key` under the same data version.
    The version is read and the result built in one read-only REPEATABLE READ transaction:
    the build sees the state the version names, and writes nothing."""
    connection = connections["default"]
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return build()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        version = _version(connection)
        if version is None:
            return build()
        return keep((name, key, version), build)


def keep(entry: tuple, build: Callable[[], T]) -> T:
    """What `build()` gave for `entry` before, or `build()` kept for the next time: the
    last `MAX_ENTRIES` entries used."""
    with _lock:
        if entry in _entries:
            _entries.move_to_end(entry)
            return _entries[entry]
    result = build()
    with _lock:
        _entries[entry] = result
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return result


def forget() -> None:
    """Drop everything remembered (the benchmark's way to time a first build)."""
    with _lock:
        _entries.clear()
