"""The forecast grid's boxes, drawn in Python: a page has hundreds (lines x open periods),
and one `format_html` each takes a fraction of the time of a template block each."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from common.money import format_money

register = template.Library()


@register.simple_tag
def forecast_cell(item: dict, line_pk: int, editable: bool) -> SafeString:
    """One period's box of one line (`item`: a cell of `FigureGrid.rows_by_line`): an
    input labelled by its line and period headers and described by the budget under it
    (and its error, if any), with the value it showed and the figure's version beside
    it; without `editable`, the forecast (else the budget) as text."""
    cell, figure = item["cell"], item["figure"]
    if editable:
        described = f"fb{figure.pk} {cell.error_id}" if cell.error else f"fb{figure.pk}"
        box = format_html(
            '<input inputmode="decimal" class="money{}" name="{}" id="{}" value="{}"'
            ' aria-labelledby="fl{} fp{}" aria-describedby="{}"{}>'
            '<input type="hidden" name="{}" value="{}">'
            '<input type="hidden" name="version-{}" value="{}">',
            " invalid" if cell.error else "",
            cell.name,
            cell.name,
            cell.value,
            line_pk,
            figure.period,
            described,
            mark_safe(' aria-invalid="true"') if cell.error else "",
            cell.shown_name,
            cell.shown,
            figure.pk,
            item["version"],
        )
    else:
        box = format_money(figure.forecast_or_budget)
    error = (
        format_html(
            '<p class="error-message" id="{}"><span class="visually-hidden">Error:</span> {}</p>',
            cell.error_id,
            cell.error,
        )
        if cell.error
        else ""
    )
    return format_html(
        '<td class="num">{}<small id="fb{}">Budget {}</small>{}</td>',
        box,
        figure.pk,
        format_money(figure.budget),
        error,
    )
