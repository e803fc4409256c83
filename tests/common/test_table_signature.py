"""django-tables2's per-cell `signature` kept per function (common.tables.cached_signature):
the same answer as django-tables2's own for every kind of callable a table hands it, and
no `inspect.signature` call per cell once a table's functions have been seen."""

import functools
import inspect
from decimal import Decimal
from unittest import mock

import django_tables2 as tables
from django_tables2 import utils as tables_utils

from common.tables import MoneyColumn, cached_signature

UNCACHED = tables_utils.call_with_appropriate.__globals__["inspect"]


def logged(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs)

    return wrapper


@logged
def wrapped_value(value):
    return value


@logged
def wrapped_record(record, table):
    return record


def render_for(name):
    def render(value, **rest):
        return (name, value)

    return render


class Cell:
    def render(self, value, record):
        return value

    @classmethod
    def build(cls, table, *extra):
        return table

    @staticmethod
    def plain(bound_column, *, column):
        return column

    def __call__(self, value):
        return value


def two(value, record):
    return value


def declared(value, record):
    return value


declared.__signature__ = inspect.Signature(
    [inspect.Parameter("table", inspect.Parameter.KEYWORD_ONLY)]
)


def original(fn):
    """django-tables2's own answer, from the function it ships."""
    args, keywords = [], None
    for parameter in inspect.signature(fn).parameters.values():
        if parameter.kind == parameter.VAR_KEYWORD:
            keywords = parameter.name
        elif parameter.kind != parameter.VAR_POSITIONAL:
            args.append(parameter.name)
    return tuple(args), keywords


def test_every_kind_of_callable_gets_django_tables2s_answer_first_time_and_after():
    first, second = Cell(), Cell()
    callables = [
        lambda value: value,
        lambda record, table: record,
        lambda **kwargs: kwargs,
        render_for("a"),
        render_for("b"),  # the same code as the line above, another closure
        first.render,
        second.render,
        Cell.render,  # the function itself: `self` is an argument here
        Cell.build,
        first.build,
        Cell.plain,
        first,  # a callable object
        functools.partial(two, record=None),
        declared,  # a function that declares its own signature
        wrapped_value,
        wrapped_record,  # the same wrapper code as wrapped_value, another signature
    ]
    for fn in callables:
        assert cached_signature(fn) == original(fn), fn
        assert cached_signature(fn) == original(fn), fn
    assert original(Cell.render) == (("self", "value", "record"), None)
    assert original(first.render) == (("value", "record"), None)
    assert original(wrapped_record) == (("record", "table"), None)
    assert original(declared) == (("table",), None)


def test_django_tables2_asks_the_cached_signature():
    assert tables_utils.signature is cached_signature


class Spending(tables.Table):
    name = tables.Column()
    amount = MoneyColumn(total_key="amount")
    note = tables.Column(empty_values=())

    def render_note(self, record, value):
        return f"{record['name']}: {value}"


def rendered(rows: list[dict]) -> list[list[str]]:
    table = Spending(rows)
    table.totals = {"amount": sum(row["amount"] for row in rows)}
    cells = [[str(cell) for cell in row] for row in table.rows]
    return [*cells, [str(column.footer) for column in table.columns]]


def test_a_table_seen_before_renders_its_cells_without_inspecting_a_function():
    rows = [{"name": f"line {n}", "amount": Decimal(n) / 3} for n in range(40)]
    first = rendered(rows)
    with mock.patch.object(UNCACHED, "signature", wraps=UNCACHED.signature) as inspected:
        again = rendered(rows)
    assert inspected.call_count == 0
    assert again == first
    assert first[1] == ["line 1", "£0.33", "line 1: None"]
    assert first[-1][1] == "£260.00"

    with (
        mock.patch.object(tables_utils, "signature", original),
        mock.patch.object(UNCACHED, "signature", wraps=UNCACHED.signature) as inspected,
    ):
        assert rendered(rows) == first
    assert inspected.call_count >= 2 * len(rows)  # as django-tables2 alone does, per cell
