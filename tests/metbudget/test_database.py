"""The database connection's settings."""

import pytest
from django.db import connection


@pytest.mark.django_db
def test_postgresql_never_compiles_a_query_to_machine_code():
    # Every query here is short; JIT compiling cost more than it saved (settings.py).
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL setting; checked in CI's PostgreSQL pass")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
