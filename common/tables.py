"""Columns shared by every table: money and percentages shown rounded for people and
exported exactly."""

from decimal import Decimal

import django_tables2 as tables

from common.money import PENNY, format_money

NUM = {"th": {"class": "num"}, "td": {"class": "num"}, "tf": {"class": "num"}}


class MoneyColumn(tables.Column):
    """£1,234.56 on the page; the exact Decimal in exports. `total_key` names the table's
    `totals` entry shown in the footer."""

    def __init__(self, *args, total_key: str = "", **kwargs):
        kwargs.setdefault("attrs", NUM)
        if total_key:
            kwargs["footer"] = lambda table: format_money(table.totals.get(total_key))
        super().__init__(*args, **kwargs)

    def render(self, value):
        return format_money(value)

    def value(self, value):
        return value.quantize(PENNY) if isinstance(value, Decimal) else value
