from decimal import Decimal

from django import template

from projects.figures import format_quantity

register = template.Library()


@register.filter
def quantity(value: Decimal | None, unit: str) -> str:
    """A benefit's level in its unit: 12,400 devices, £1,234.5, or an em dash."""
    return format_quantity(value, unit)
