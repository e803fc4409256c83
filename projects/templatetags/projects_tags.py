from decimal import Decimal

from django import template

from common.money import short_money as _short_money
from projects.figures import format_quantity

register = template.Library()


@register.filter
def quantity(value: Decimal | None, unit: str) -> str:
    """A benefit's level in its unit: 12,400 devices, £1,234.5, or an em dash."""
    return format_quantity(value, unit)


@register.filter
def short_money(value: Decimal | None) -> str:
    """£42.0m from a million up, else pounds and pence: headline figures of any size."""
    return _short_money(value)
