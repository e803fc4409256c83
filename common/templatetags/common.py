from datetime import date
from decimal import Decimal

from django import template
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html

from common import tables
from common.money import (
    NO_VALUE,
    format_millions,
    format_money,
    format_percent,
    format_points,
    short_money,
)
from common.rag import RAG_WORDS, rag_css

register = template.Library()


@register.filter
def money(value: Decimal | None) -> str:
    """£1,234,567.89; −£978.00 for negatives (U+2212 minus); an em dash for none."""
    return format_money(value)


@register.filter
def millions(value: Decimal | None) -> str:
    """£42.0m, −£1.2m: for headlines and charts."""
    return format_millions(value)


@register.filter
def pct(value: Decimal | None) -> str:
    """3.4%, −3.4% (U+2212 minus), to one decimal place; an em dash for none."""
    return format_percent(value)


@register.filter
def points(value: Decimal | None) -> str:
    """A change between percentages: 1.5 points, −1.5 points; an em dash for none."""
    return format_points(value)


LONG_FIGURE = 9  # characters beyond which a card's figure is set smaller to fit its card


@register.simple_tag
def figure(value: Decimal | None, short: bool = False) -> str:
    """A headline card's money figure: £m to one decimal place (`short=True`: £m from a
    million up, pounds and pence below), with the exact figure to the penny on hover and
    on keyboard focus (a CSS tooltip, no script) and as the element's accessible name.
    A figure already shown exactly is plain text."""
    shown = short_money(value) if short else format_millions(value)
    exact = format_money(value)
    if value is None or shown == exact:
        return shown if value is not None else NO_VALUE
    size = " figure-long" if len(shown) > LONG_FIGURE else ""
    return format_html(
        '<span class="figure{}" tabindex="0" role="group" aria-label="{}">'
        '<span aria-hidden="true">{}</span>'
        '<span class="figure-exact" aria-hidden="true">{}</span></span>',
        size,
        exact,
        shown,
        exact,
    )


@register.filter
def cell(value) -> str:
    """A chart-table cell: money as £, dates as 30 Sep 2015, anything else as text."""
    if isinstance(value, Decimal):
        return format_money(value)
    if isinstance(value, date):
        return date_format(value)
    return NO_VALUE if value is None else str(value)


@register.simple_tag
def rag(status: str | None, label: str = "") -> str:
    """A RAG badge with its word and shape: never colour alone."""
    if not status:
        return "—"
    word = RAG_WORDS.get(status, status)
    return format_html('<span class="rag rag-{}">{}{}</span>', rag_css(status), word, label)


@register.simple_tag
def term(slug: str, text: str) -> str:
    """`text` linked to its glossary entry: for a term where it first appears on a page."""
    return format_html('<a class="term" href="{}#{}">{}</a>', reverse("glossary"), slug, text)


NOTE_ROW_CHARS = 32  # about what a note box holds per row at its narrowest


@register.filter
def text_rows(text: str | None, most: int = 12) -> int:
    """Rows a textarea needs to show `text` whole (its lines, long ones wrapped), from one
    to `most`; static/js/entry.js grows the box the same way as the person types."""
    lines = str(text or "").splitlines() or [""]
    needed = sum(max(1, -(-len(line) // NOTE_ROW_CHARS)) for line in lines)
    return max(1, min(most, needed))


@register.simple_tag(takes_context=True)
def table_body(context, table) -> str:
    """A django-tables2 table's `<tbody>`, drawn in Python (common.tables.table_body)."""
    return tables.table_body(table, context)
