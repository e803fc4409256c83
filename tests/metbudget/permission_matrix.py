"""Walk a URLconf and check every page against the role rules.

Used by test_permission_matrix.py on the real URLconf, and on a test-only URLconf with a
deliberately unprotected view to prove that the check catches a forgotten permission.
"""

import re
from collections.abc import Iterator

from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

# Pages anyone may reach, and pages every signed-in user may POST to.
PUBLIC_NAMES = {"login", "healthz"}
SELF_SERVICE_NAMES = {"login", "logout", "profile", "profile_token_new", "profile_token_revoke"}
# The JSON API answers an anonymous call with 401, not the sign-in page; its docs are a page.
API_PAGES = {"api:docs"}
# The API's writes, with the permission each needs; every other method of an API endpoint
# but reading is refused (405) whoever calls.
API_WRITES = {("api:figure-batch-list", "post"): "budgets.change_monthlyfigure"}
API_WRITE_ONLY = {"api:figure-batch-list"}  # endpoints with nothing to read
API_METHODS = ("get", "post", "put", "patch", "delete")


def is_api(name: str) -> bool:
    return name.startswith("api:") and name not in API_PAGES


SKIP_PREFIXES = ("admin/",)  # Django admin: its own permission model, tested on its own


def walk(patterns, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str, dict]]:
    """Yield (route, qualified name, converters) for every leaf pattern."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            converters = {**getattr(entry.pattern, "converters", {})}
            yield route, f"{namespace}{entry.name or ''}", converters


def concrete_url(route: str, samples: dict[str, str]) -> str:
    """Fill `<conv:name>` parts of a route with sample values; fail loudly on a new name."""

    def fill(match: re.Match) -> str:
        name = match.group("name")
        if name not in samples:
            raise KeyError(f"no sample value for URL parameter {name!r} in {route!r}")
        return str(samples[name])

    if route.startswith("^"):
        raise ValueError(f"regex routes are not walked: {route}")
    return "/" + re.sub(r"<(?:(?P<conv>[^:>]+):)?(?P<name>[^>]+)>", fill, route)


def pages(urlconf=None, samples: dict | None = None) -> list[tuple[str, str]]:
    result = []
    for route, name, _ in walk(get_resolver(urlconf).url_patterns):
        if route.startswith(SKIP_PREFIXES):
            continue
        result.append((name, concrete_url(route, samples or {})))
    return result


# The project's apps whose rows a refused write must leave as they were.
FINGERPRINTED_APPS = (
    "common",
    "contracts",
    "budgets",
    "savings",
    "projects",
    "reports",
    "scenarios",
    "auth",
)


def database_fingerprint() -> dict[str, int]:
    """Row counts of every model of the project's apps, history tables included."""
    counts = {}
    for label in FINGERPRINTED_APPS:
        for model in apps.get_app_config(label).get_models():
            counts[model._meta.label] = model.objects.count()
    return counts


def anonymous_violations(pages_: list[tuple[str, str]]) -> list[str]:
    client = Client()
    problems = []
    for name, url in pages_:
        if name.split(":")[-1] in PUBLIC_NAMES:
            continue
        response = client.get(url)
        if is_api(name):
            if response.status_code != 401:
                problems.append(f"anonymous GET {url} ({name}) gave {response.status_code}")
        elif response.status_code != 302 or "/accounts/login/" not in response["Location"]:
            problems.append(f"anonymous GET {url} ({name}) gave {response.status_code}")
    return problems


def api_expected(name: str, method: str, user) -> set[int]:
    """The statuses the role table allows for `method` on an API endpoint, sent an empty
    body: reads succeed (or find nothing), a write the role may make is refused as bad input
    (400), one it may not as forbidden (403); no other method exists (405)."""
    if user is None:
        return {401}
    if method == "get":
        return {405} if name in API_WRITE_ONLY else {200, 404}
    needed = API_WRITES.get((name, method))
    if needed is None:
        return {405}
    return {400} if user.has_perm(needed) else {403}


def api_violations(clients: dict, pages_: list[tuple[str, str]]) -> list[str]:
    """Every API endpoint x method x caller (`clients`: role name -> (user or None, client))
    against `api_expected`; any write that changes the database is a violation too."""
    problems = []
    for name, url in pages_:
        if not is_api(name):
            continue
        for role, (user, client) in clients.items():
            before = database_fingerprint()
            for method in API_METHODS:
                response = getattr(client, method)(url, {}, format="json")
                expected = api_expected(name, method, user)
                if response.status_code not in expected:
                    problems.append(
                        f"{role} {method.upper()} {url} ({name}) gave {response.status_code}, "
                        f"not {sorted(expected)}"
                    )
            if database_fingerprint() != before:
                problems.append(f"{role}'s calls to {url} ({name}) changed the database")
    return problems


def committee_post_violations(client: Client, pages_: list[tuple[str, str]]) -> list[str]:
    problems = []
    for name, url in pages_:
        if name.split(":")[-1] in SELF_SERVICE_NAMES | PUBLIC_NAMES:
            continue
        before = database_fingerprint()
        response = client.post(url, {"confirm": "1"})
        if response.status_code not in (403, 405):
            problems.append(f"Committee POST {url} ({name}) gave {response.status_code}")
        if database_fingerprint() != before:
            problems.append(f"Committee POST {url} ({name}) changed the database")
    return problems
