"""The OpenAPI 3 schema at /api/v1/schema/ and the docs page at /api/v1/docs/, whose every
script and style is a static file of this site (the strict CSP holds: no CDN, no inline
script)."""

import re

from django.contrib.staticfiles import finders

from tests.conftest import client_for


def test_the_schema_is_openapi_3_and_names_every_resource(world, committee_api):
    response = committee_api.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    paths = set(schema["paths"])
    for path in (
        "/api/v1/figures/",
        "/api/v1/figure-batches/",
        "/api/v1/years/{label}/totals/",
        "/api/v1/contract-changes/",
        "/api/v1/initiative-years/",
        "/api/v1/benefit-measures/",
        "/api/v1/reports/",
        "/api/v1/history/",
    ):
        assert path in paths
    figure = schema["components"]["schemas"]["MonthlyFigure"]["properties"]
    # Money is a decimal string in the schema too.
    assert figure["actual"]["type"] == "string" and figure["actual"]["format"] == "decimal"
    assert schema["components"]["securitySchemes"]["apiToken"]["scheme"] == "bearer"


def test_the_schema_needs_a_signed_in_caller(db):
    from rest_framework.test import APIClient

    assert APIClient().get("/api/v1/schema/").status_code == 401


def test_the_docs_page_loads_only_static_files_under_the_strict_csp(world, committee_user):
    response = client_for(committee_user).get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert len(scripts) == 4  # the site's own two, Swagger UI and its starter
    for attributes, body in scripts:
        assert body.strip() == ""  # no inline script
        (src,) = re.findall(r'src="([^"]+)"', attributes)
        assert src.startswith("/static/")
    for href in re.findall(r'<link rel="stylesheet" href="([^"]+)"', html):
        assert href.startswith("/static/")
    assert 'data-schema-url="/api/v1/schema/"' in html
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    assert finders.find("api/docs.js")


def test_the_docs_page_is_behind_sign_in(db, client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
