"""What is read from the database, built once for each state of the database.

`data_version()` names what the database shows right now: two reads under the same name
see the same rows. On PostgreSQL it is the MVCC snapshot (`pg_current_snapshot()`: the
oldest transaction still running, the next transaction id and those in progress). A
transaction that commits, anywhere on the server, changes it; one that has not committed
changes nothing anyone else can see. So a result built under a name stays right for as long
as that name is read again, and no write path has to remember to invalidate anything: the
entry forms, the import's COPY, the admin, a migration and a hand-typed SQL UPDATE alike.

A result can only be newer than its name, never older: the queries that build it each take
their own snapshot, at or after the one named, and any commit in between changes the name
every later reader gets.

None (nothing is remembered) when:
- the database is not PostgreSQL: SQLite has no name for its state that holds across
  connections (`PRAGMA data_version` is per connection);
- this connection's own transaction has written: it sees rows no one else does.

`remember(name, key, build)` gives `build()`'s result for (name, key, version), built once
per version in this process and kept for the last `MAX_ENTRIES` such keys. Each process
(each gunicorn worker) keeps its own. Results are shared between requests: read them, never
change them.
"""

from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock
from typing import TypeVar

from django.db import connections

T = TypeVar("T")

MAX_ENTRIES = 32

_entries: OrderedDict[tuple, object] = OrderedDict()
_lock = Lock()


def data_version(using: str = "default") -> str | None:
    """The name of what `using` shows this connection now; None when there is none to
    trust (see the module's docstring)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_current_snapshot()::text, pg_current_xact_id_if_assigned() IS NULL"
        )
        snapshot, nothing_written = cursor.fetchone()
    return snapshot if nothing_written else None


def remember(name: str, key: Hashable, build: Callable[[], T]) -> T:
    """`build()`, or what it gave before for `name` and `key` under the same data version."""
    version = data_version()
    if version is None:
        return build()
    entry = (name, key, version)
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
