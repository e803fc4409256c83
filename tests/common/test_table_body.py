"""Every table's rows are drawn in Python (common.tables.table_body), as django-tables2's own
`table.tbody` block draws them: on each page that shows a table, the same `<tbody>`, tag for
tag and cell for cell, as the page drawn again with that block (read from the installed
django-tables2's template) in its place."""

import re
from pathlib import Path

import django_tables2
import pytest
from django.template import Template

from contracts.models import Supplier
from reports.publishing import publish_report
from tests.conftest import client_for
from tests.projects.world import build_projects

PAGES = [
    "/budgets/?year=2014-15",
    "/budgets/?year=2014-15&sort=-variance",
    "/budgets/?year=2014-15&q=no-such-line",  # no rows: the empty text
    "/budgets/changes/",
    "/budgets/import/batches/",
    "/reports/",
    "/history/",
    "/contracts/",
    "/contracts/suppliers/{supplier}/",
    "/savings/",
    "/projects/",
]


def their_tbody() -> Template:
    """django-tables2's `table.tbody` block, its inner blocks opened up."""
    source = Path(django_tables2.__file__).parent / "templates/django_tables2/table.html"
    block = re.search(
        r"{% block table.tbody %}(.*?){% endblock table.tbody %}", source.read_text(), re.S
    ).group(1)
    return Template(
        "{% load django_tables2 i18n l10n %}" + re.sub(r"{% (end)?block [^%]*%}", "", block)
    )


def tbodies(html: str) -> list[str]:
    bodies = re.findall(r"<tbody.*?</tbody>", html, re.S)
    return [re.sub(r">\s+<", "><", body) for body in bodies]


@pytest.mark.parametrize("path", PAGES)
def test_each_tables_rows_are_those_django_tables2_draws(world, admin_user, monkeypatch, path):
    build_projects(world)
    publish_report(year=world["year"], period=2, user=admin_user)
    client = client_for(admin_user)
    path = path.format(supplier=Supplier.objects.order_by("pk").first().pk)
    ours = tbodies(client.get(path).content.decode())

    block = their_tbody()

    def theirs(table, context):
        with context.push(table=table):
            return block.render(context)

    monkeypatch.setattr("common.tables.table_body", theirs)
    expected = tbodies(client.get(path).content.decode())
    assert ours == expected
    assert sum(body.count("<tr") for body in ours) >= 1


def test_columns_that_ask_for_localize_or_unlocalize_are_drawn_as_the_block_draws_them(
    settings, rf
):
    """No table of the project sets `localize` on a column yet: drawn as django-tables2's
    `|localize` and `|unlocalize` draw them, escaped alike."""
    from datetime import date
    from decimal import Decimal

    import django_tables2 as tables
    from django.template import Context
    from django.utils.safestring import mark_safe

    from common.tables import table_body

    settings.USE_THOUSAND_SEPARATOR = True

    class Localised(tables.Table):
        shown = tables.Column(localize=True)
        plain = tables.Column(localize=False)
        default = tables.Column()

    values = [Decimal("1234567.5"), date(2015, 3, 31), "<b>A&B</b>", mark_safe("<i>ok</i>"), 1234]
    context = Context({"request": rf.get("/")})

    def fresh():  # a table counts its rows as drawn (their odd and even classes)
        table = Localised([{"shown": v, "plain": v, "default": v} for v in values])
        table.context = context
        return table

    with context.push(table=fresh()):
        expected = their_tbody().render(context)
    ours = table_body(fresh(), context)
    assert tbodies(ours) == tbodies(expected)
    assert "1,234,567.5" in ours and "1234567.5" in ours  # the two branches differ
    assert "&lt;b&gt;A&amp;B&lt;/b&gt;" in ours and "<i>ok</i>" in ours
