"""Plain JSON for stored snapshots that keeps Decimals and dates exact.

A published report stores the structure a page is drawn from. JSON has no Decimal or date,
and a float would round money, so those are tagged: `{"$decimal": "42000000.00"}` and
`{"$date": "2015-09-30"}`. `dumps` is canonical (sorted keys, no spaces) so that two equal
snapshots are byte-identical.
"""

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

DECIMAL, DATE, DATETIME = "$decimal", "$date", "$datetime"


def encode(value: Any) -> Any:
    """`value` with every Decimal, date and datetime tagged, tuples as lists."""
    if isinstance(value, Decimal):
        return {DECIMAL: str(value)}
    if isinstance(value, datetime):
        return {DATETIME: value.isoformat()}
    if isinstance(value, date):
        return {DATE: value.isoformat()}
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [encode(v) for v in value]
    if isinstance(value, float):
        raise TypeError(f"A float ({value!r}) cannot be stored in a snapshot: use Decimal.")
    return value


def decode(value: Any) -> Any:
    """The inverse of `encode`."""
    if isinstance(value, dict):
        if len(value) == 1:
            ((key, raw),) = value.items()
            if key == DECIMAL:
                return Decimal(raw)
            if key == DATE:
                return date.fromisoformat(raw)
            if key == DATETIME:
                return datetime.fromisoformat(raw)
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


def dumps(value: Any) -> str:
    return json.dumps(encode(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def loads(text: str) -> Any:
    return decode(json.loads(text))
