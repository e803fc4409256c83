"""The API fuzzed from its own OpenAPI schema (schemathesis): for each role, and for a
caller with no credentials, no request to any endpoint gives a 5xx, every response matches
the schema where it documents one, and no write the role table forbids changes anything.

Bounded in time (about 10 s a role here): a few generated requests per operation and role
(ROLE_EXAMPLES, FUZZ_EXAMPLES), the same ones each run (derandomized).
"""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from common.services import create_api_token
from tests.metbudget.permission_matrix import API_WRITES, database_fingerprint

FUZZ_EXAMPLES = {"anonymous": 2}  # a caller with no credentials meets 401 whatever it sends
ROLE_EXAMPLES = 3
ROLES = ["anonymous", "committee_user", "finance_user", "admin_user"]
WRITES = {"post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def api_schema():
    """The schema the server publishes, loaded once, run against the app in process."""
    document = SchemaGenerator().get_schema(request=None, public=True)
    schema = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(document)))
    schema.app = get_wsgi_application()
    return schema


@pytest.fixture
def in_test_transaction():
    """A WSGI request closes old connections when it starts and ends, which would end the
    test's transaction: the test client does without, and so does this."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def may_write(user, operation) -> bool:
    name = {"/api/v1/figure-batches/": "api:figure-batch-list"}.get(operation.path)
    needed = API_WRITES.get((name, operation.method.lower()))
    return bool(user and needed and user.has_perm(needed))


def fuzz(operation, headers: dict, user, examples: int) -> None:
    """Send `examples` generated requests to `operation`; a failed check raises, naming
    the operation and how to reproduce the request."""

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def run(case):
        forbidden = operation.method.lower() in WRITES and not may_write(user, operation)
        before = database_fingerprint() if forbidden else None
        case.call_and_validate(
            headers=headers, checks=[not_a_server_error, response_schema_conformance]
        )
        if before is not None:
            assert database_fingerprint() == before, f"{operation.label} wrote for {user}"

    run()


@pytest.mark.parametrize("role", ROLES)
def test_no_server_error_and_no_forbidden_write_for_any_role(
    request, role, world, api_schema, in_test_transaction
):
    # The in-process transport does not unzip: ask for plain bodies (gzip is tested apart,
    # tests/metbudget/test_compression.py).
    user, headers = None, {"Accept-Encoding": "identity"}
    if role != "anonymous":
        user = request.getfixturevalue(role)
        _, text = create_api_token(actor=user, name="fuzz")
        headers["Authorization"] = f"Bearer {text}"
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 30
    for operation in operations:
        fuzz(operation, headers, user, FUZZ_EXAMPLES.get(role, ROLE_EXAMPLES))
