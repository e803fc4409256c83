"""One way to say what a change changed, over django-simple-history's own diff."""

from datetime import date
from decimal import Decimal

from django.db.models import Model
from django.utils.formats import date_format

from common.money import format_money

# Bookkeeping fields that change with every save; the history shows what people changed.
NOT_DIFFED = frozenset({"id", "version", "updated_at", "updated_by", "recorded_at"})


def shown(value) -> str:
    """A stored value as a person reads it: £1,234.56, 30 Sep 2015, or an em dash."""
    if isinstance(value, Decimal):
        return format_money(value)
    if isinstance(value, date):
        return date_format(value)
    if value is None or value == "":
        return "—"
    return str(value)


def differences(old: Model | None, new: Model) -> list[tuple[str, str, str]]:
    """(field label, old, new) for each field that differs between two history rows of one
    record, in the model's field order; every field that has a value when `old` is None
    (the record was created)."""
    meta = new.instance_type._meta
    if old is None:
        return [
            (str(f.verbose_name), "—", shown(getattr(new, f.attname)))
            for f in meta.concrete_fields
            if f.name not in NOT_DIFFED and getattr(new, f.attname) not in (None, "")
        ]
    changed = {change.field for change in new.diff_against(old, excluded_fields=NOT_DIFFED).changes}
    return [
        (str(f.verbose_name), shown(getattr(old, f.attname)), shown(getattr(new, f.attname)))
        for f in meta.concrete_fields
        if f.name in changed
    ]
