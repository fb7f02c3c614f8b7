"""Records as the database driver's rows: each column's values converted by the column
type's own bind processor (what the ORM would store), without Python code per value where
the column allows. Used by `models.bulk` only; rows never leave it."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from functools import partial
from itertools import chain
from operator import attrgetter, itemgetter, methodcaller
from typing import Any

from sqlalchemy import JSON, Table
from sqlalchemy.engine import Dialect

from models.types import UTCDateTime

Row = Sequence[Any]


def driver_rows(table: Table, columns: tuple[str, ...], records: Sequence[Mapping[str, Any]],
                dialect: Dialect, json_text: frozenset[str] = frozenset(),
                ) -> list[tuple[Any, ...]]:
    """The records' values in `columns` order, converted for `dialect`'s driver. A JSON
    column in `json_text` holds JSON text already and is passed as it is."""
    return _convert(_rows(records, columns), _processors(table, columns, dialect, json_text))


def _rows(records: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> list[Row]:
    """The records' values in `columns` order: the driver's rows (inside this module only)."""
    pick = itemgetter(*columns)
    return list(map(pick, records)) if len(columns) > 1 else [(pick(r),) for r in records]



def _convert(rows: Sequence[Row],
             procs: list[Callable[[Any], Any] | None]) -> list[tuple[Any, ...]]:
    """Apply bind processors column by column (None stays None, equal values are converted
    once), without Python code per value where the column allows (see `convert_column`)."""
    if not any(procs):
        return [tuple(row) for row in rows]
    columns: list[Sequence[Any]] = list(zip(*rows, strict=True))
    for index, proc in enumerate(procs):
        if proc is not None:
            columns[index] = convert_column(columns[index], proc)
    return list(zip(*columns, strict=True))


_ISOFORMAT = methodcaller("isoformat", " ", "microseconds")
_TZINFO = attrgetter("tzinfo")
_WITHOUT_OFFSET = itemgetter(slice(0, -6))  # "...+00:00" -> "..."


def convert_column(values: Sequence[Any], proc: Callable[[Any], Any]) -> Sequence[Any]:
    """One column's values converted by `proc`.

    The per-value loops run in C (`map`, `dict.fromkeys`): `proc` is called once per
    distinct value (lists of strings keyed by their items), SQLite datetimes that are all
    naive or all UTC are formatted by `datetime.isoformat` directly (what `UTCDateTime`
    stores), and only other unhashable values (dicts) go through `proc` one by one.
    """
    if isinstance(proc, UTCDateTimes):
        distinct = list(dict.fromkeys(values)) if len(values) > 1 else values
        fast = proc.fast(distinct)
        if fast is not None:
            if len(distinct) == len(values):
                return fast
            table = dict(zip(distinct, fast, strict=True))
            return list(map(table.__getitem__, values))
    kinds = set(map(type, values))
    if kinds <= {list, type(None)} and set(map(type, chain.from_iterable(
            filter(None, values)))) <= {str}:
        keys: Sequence[Any] = [None if v is None else tuple(v) for v in values] \
            if type(None) in kinds else list(map(tuple, values))
        table = {key: None if key is None else proc(list(key)) for key in dict.fromkeys(keys)}
        return list(map(table.__getitem__, keys))
    try:
        distinct = dict.fromkeys(values)
    except TypeError:  # unhashable values: converted one by one
        return [None if v is None else proc(v) for v in values]
    table = {value: None if value is None else proc(value) for value in distinct}
    return list(map(table.__getitem__, values))


class UTCDateTimes:
    """`UTCDateTime`'s bind processor, with a fast path for a column of datetimes that are
    all naive or all in `datetime.UTC` (the usual case): SQLite gets their text from
    `datetime.isoformat` directly, PostgreSQL the values as they are."""

    def __init__(self, dialect: Dialect) -> None:
        self.sqlite = dialect.name == "sqlite"
        self.proc: Callable[[Any], Any] = (UTCDateTime().bind_processor(dialect)
                                           or partial(UTCDateTime().process_bind_param,
                                                      dialect=dialect))

    def __call__(self, value: Any) -> Any:
        """One value converted (the column's plain path)."""
        return self.proc(value)

    def fast(self, values: Sequence[Any]) -> Sequence[Any] | None:
        """The converted column, or None when it needs the value-by-value path."""
        if set(map(type, values)) != {datetime}:
            return None
        zones = set(map(_TZINFO, values))
        if zones == {UTC}:
            return list(map(_WITHOUT_OFFSET, map(_ISOFORMAT, values))) if self.sqlite \
                else values
        if zones == {None} and self.sqlite:
            return list(map(_ISOFORMAT, values))
        return None


def _processors(table: Table, columns: tuple[str, ...], dialect: Dialect,
                json_text: frozenset[str] = frozenset()) -> list[Callable[[Any], Any] | None]:
    """Each column's bind processor (None: the value goes to the driver as it is). A JSON
    column in `json_text` has none: its values are JSON text, which both SQLite (a text
    column) and PostgreSQL's COPY (text input of jsonb) take unchanged."""
    out: list[Callable[[Any], Any] | None] = []
    for name in columns:
        column_type = table.c[name].type
        if name in json_text:
            if not _is_json(column_type, dialect):
                raise ValueError(f"{table.name}.{name} is not a JSON column")
            out.append(None)
            continue
        if isinstance(column_type, UTCDateTime):
            out.append(UTCDateTimes(dialect))
            continue
        proc = column_type.bind_processor(dialect)
        if proc is None and _is_json(column_type, dialect):
            # psycopg adapts JSON per parameter, which COPY does not: send it as text
            proc = _json_text
        out.append(proc)
    return out


def _is_json(column_type: Any, dialect: Dialect) -> bool:
    impl = column_type.dialect_impl(dialect)
    return isinstance(getattr(impl, "impl_instance", impl), JSON)


def _json_text(value: Any) -> str | None:
    return None if value is None else json.dumps(value)
