"""Queries compiled to SQL once per database and argument shape, then run again with new arguments.

The API's busiest reads are a handful of small queries whose SQL depends only on how many ids they are given;
building and compiling each QuerySet anew costs about as much CPU as PostgreSQL spends answering it.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connections, router
from django.db.models import Model, QuerySet

SENTINEL_BASE = -(10**15)  # keys no record has, one per argument value, to find where each one lands


class Slot(tuple):
    """Where a parameter comes from: (argument index, position in a list argument or None, form).

    The form is None for the value itself, or "iso" for a date the backend sends as ISO text (SQLite).
    """


@dataclass(frozen=True)
class Compiled:
    sql: str
    params: tuple  # the query's own constants, with a Slot wherever an argument goes
    names: tuple[str, ...]
    converters: tuple  # (column index, expression, converter functions), as Django would apply them


class Prepared:
    """`Prepared(Model, build)(*args)` gives the rows of `build(*args)`, a `.values()` QuerySet, as dicts.

    Arguments are single keys (integers, strings or dates) or lists of keys; a list's length is part of
    the shape the SQL is kept for. An argument may appear in the SQL more than once.
    """

    def __init__(self, model: type[Model], build: Callable[..., QuerySet]):
        self.model, self.build = model, build
        self.compiled: dict[tuple, Compiled] = {}

    def __call__(self, *args) -> list[dict]:
        args = [list(arg) if isinstance(arg, list | tuple | set) else arg for arg in args]
        if any(isinstance(arg, list) and not arg for arg in args):
            return []  # an empty list of keys matches nothing
        alias = router.db_for_read(self.model)
        shape = (alias, *(len(arg) if isinstance(arg, list) else None for arg in args))
        compiled = self.compiled.get(shape)
        if compiled is None:
            compiled = self.compiled[shape] = self._compile(alias, args)
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, [_bind(param, args) for param in compiled.params])
            rows = cursor.fetchall()
        if compiled.converters:
            rows = [_convert(row, compiled.converters, connection) for row in rows]
        return [dict(zip(compiled.names, row, strict=True)) for row in rows]

    def _compile(self, alias: str, args: list) -> Compiled:
        slots, sentinels, expected = {}, [], set()
        for index, arg in enumerate(args):
            values = []
            for position in range(len(arg)) if isinstance(arg, list) else [None]:
                sentinel = _sentinel(arg if position is None else arg[position], len(expected))
                expected.add((index, position))
                slots[sentinel] = Slot((index, position, None))
                if isinstance(sentinel, dt.date):
                    slots[sentinel.isoformat()] = Slot((index, position, "iso"))
                values.append(sentinel)
            sentinels.append(values if isinstance(arg, list) else values[0])
        query = self.build(*sentinels).query
        compiler = query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        bound = tuple(slots.get(param, param) if isinstance(param, int | str | dt.date) else param for param in params)
        if {slot[:2] for slot in bound if isinstance(slot, Slot)} != expected:
            raise ValueError("Each argument value must appear among the query's parameters, as given.")
        columns = [column[0] for column in compiler.select[: compiler.col_count]]
        converters = compiler.get_converters(columns)
        return Compiled(
            sql=sql,
            params=bound,
            # The row's names as ValuesIterable gives them (`selected` keeps the order values() was given).
            names=tuple(query.selected or (*query.extra_select, *query.values_select, *query.annotation_select)),
            converters=tuple((index, expression, tuple(fns)) for index, (fns, expression) in converters.items()),
        )


def _sentinel(example, number: int):
    """A key no record has, told apart from the query's own constants by its value alone."""
    if isinstance(example, str):
        return f"\x1fprepared-{number}\x1f"
    if isinstance(example, dt.date):
        return dt.date(1, 1, 1) + dt.timedelta(days=number)
    return SENTINEL_BASE - number


def _bind(param, args):
    if not isinstance(param, Slot):
        return param
    index, position, form = param
    value = args[index] if position is None else args[index][position]
    return value.isoformat() if form == "iso" else value


def _convert(row: tuple, converters: tuple, connection) -> tuple:
    row = list(row)
    for index, expression, functions in converters:
        for convert in functions:
            row[index] = convert(row[index], expression, connection)
    return tuple(row)
