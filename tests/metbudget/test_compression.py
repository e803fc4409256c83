"""Pages are gzipped for browsers that accept it; static files are served precompressed."""

import gzip

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage

from tests.conftest import client_for


def test_a_page_is_gzipped_when_the_browser_accepts_it(world, committee_user):
    client = client_for(committee_user)
    plain = client.get("/budgets/")
    zipped = client.get("/budgets/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert "Content-Encoding" not in plain
    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"]
    html = gzip.decompress(zipped.content).decode()
    assert world["lines"]["out"].name in html
    assert len(zipped.content) * 3 < len(plain.content)


def test_an_export_is_gzipped_too(world, committee_user):
    response = client_for(committee_user).get(
        "/budgets/?year=2014-15&_export=csv", HTTP_ACCEPT_ENCODING="gzip"
    )
    assert response["Content-Encoding"] == "gzip"
    assert (
        world["lines"]["out"].code
        in gzip.decompress(
            b"".join(response.streaming_content) if response.streaming else response.content
        ).decode()
    )


def test_static_files_are_stored_and_served_with_brotli(client):
    name = staticfiles_storage.stored_name("vendor/plotly-finance.min.js")
    assert (settings.STATIC_ROOT / f"{name}.br").exists()
    assert (settings.STATIC_ROOT / f"{name}.gz").exists()
    response = client.get(f"/static/{name}", HTTP_ACCEPT_ENCODING="gzip, br")
    assert response["Content-Encoding"] == "br"
    assert int(response["Content-Length"]) < 500_000
