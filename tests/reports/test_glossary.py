"""The glossary and the links to it from the pages."""

import re

from django.conf import settings

from reports.glossary import TERMS
from tests.conftest import client_for

TERM_TAG = re.compile(r"""\{%\s*term\s+["']([^"']+)["']""")


def test_every_term_linked_from_a_template_has_an_entry():
    used = {
        slug
        for path in (settings.BASE_DIR / "templates").rglob("*.html")
        for slug in TERM_TAG.findall(path.read_text(encoding="utf-8"))
    }
    assert {"outturn", "variance", "cashable"} <= used
    assert used - {t.slug for t in TERMS} == set()


def test_the_glossary_explains_each_term_at_its_anchor(committee_user):
    html = client_for(committee_user).get("/glossary/").content.decode()
    for t in TERMS:
        assert f'<dt id="{t.slug}">' in html
    assert "Virement" in html and "20:20:20" in html
    # The spend RAG's thresholds are the ones the figures use (settings' defaults).
    assert "more than 5% over budget" in html


def test_the_dashboard_links_outturn_to_the_glossary(world, committee_user):
    html = client_for(committee_user).get("/?year=2014-15").content.decode()
    assert '<a class="term" href="/glossary/#outturn">outturn</a>' in html


def test_every_page_links_to_the_glossary_from_its_footer(committee_user):
    html = client_for(committee_user).get("/accounts/profile/").content.decode()
    assert '<a href="/glossary/">Glossary</a>' in html
