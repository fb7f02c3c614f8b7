"""Fast batched INSERT / upsert for one table, the same call on SQLite and PostgreSQL.

The statement is SQLAlchemy's dialect `INSERT ... ON CONFLICT`, compiled once per shape.
Rows travel as plain tuples: on SQLite through the driver's `executemany`; on PostgreSQL by
`COPY` into a temporary staging table, then one `INSERT ... SELECT ... ON CONFLICT` (the
fastest upsert PostgreSQL offers; bound parameters cost far more per row). Column values are
converted by each column type's own bind processor, so what is stored is exactly what the
ORM would store.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    ColumnElement,
    MetaData,
    Select,
    Table,
    bindparam,
    func,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

Row = Sequence[Any]


def bulk_write(session: Session, table: Table, columns: Sequence[str], rows: Sequence[Row],
               conflict: Sequence[str] = (), update: Sequence[str] | None = None) -> None:
    """Insert `rows` (tuples in `columns` order) into `table` in the session's transaction.

    With `conflict` columns, a row that collides is updated on the `update` columns, or
    skipped when `update` is None. Does not commit.
    """
    if not rows:
        return
    connection = session.connection()
    shape = (tuple(columns), tuple(conflict), tuple(update) if update else None)
    converted = _convert(rows, _processors(table, shape[0], connection.dialect))
    if _dialect_name(connection) == "sqlite":
        connection.exec_driver_sql(_sqlite_sql(table, *shape), converted)
    elif not conflict:  # nothing can collide: straight into the table
        _copy(connection, connection.dialect.identifier_preparer.quote(table.name), columns,
              converted)
    else:
        _stage(connection, table, columns, converted)
        connection.execute(_postgres_upsert(table, *shape))


def bulk_update(session: Session, table: Table, key: str, columns: Sequence[str],
                rows: Sequence[Row]) -> None:
    """Set `columns` of the rows of `table` whose `key` is each row's first value.

    `rows` are tuples (key, *columns values). PostgreSQL copies them into a temporary table
    and runs one `UPDATE ... FROM`; SQLite runs the driver's `executemany`. Does not commit.
    """
    if not rows:
        return
    connection = session.connection()
    names = (key, *columns)
    converted = _convert(rows, _processors(table, names, connection.dialect))
    preparer = connection.dialect.identifier_preparer
    table_name = preparer.quote(table.name)
    if _dialect_name(connection) == "sqlite":
        assignments = ", ".join(f"{preparer.quote(n)} = ?" for n in columns)
        connection.exec_driver_sql(
            f"UPDATE {table_name} SET {assignments} WHERE {preparer.quote(key)} = ?",
            [(*row[1:], row[0]) for row in converted])
        return
    stage = _stage(connection, table, names, converted)
    quoted = [preparer.quote(n) for n in names]
    assignments = ", ".join(f"{q} = s.{q}" for q in quoted[1:])
    connection.exec_driver_sql(
        f"UPDATE {table_name} AS t SET {assignments} FROM {stage} AS s "
        f"WHERE t.{quoted[0]} = s.{quoted[0]}")


def _dialect_name(connection: Any) -> str:
    name: str = connection.dialect.name
    if name not in ("sqlite", "postgresql"):
        raise NotImplementedError(f"hairlink supports SQLite and PostgreSQL, not {name}")
    return name


def _stage_name(table: Table, columns: Sequence[str]) -> str:
    """The staging table of `table`'s `columns`: one per column set, so shapes never mix."""
    digest = hashlib.sha1(",".join(columns).encode(), usedforsecurity=False).hexdigest()[:8]
    return f"_hairlink_stage_{table.name}_{digest}"


def _stage(connection: Any, table: Table, columns: Sequence[str],
           rows: Sequence[tuple[Any, ...]]) -> str:
    """COPY `rows` into an emptied temporary table of `table`'s `columns` (PostgreSQL; kept
    for the connection, emptied at commit); returns its quoted name."""
    preparer = connection.dialect.identifier_preparer
    stage = preparer.quote(_stage_name(table, columns))
    connection.exec_driver_sql(
        f"CREATE TEMPORARY TABLE IF NOT EXISTS {stage} ON COMMIT DELETE ROWS AS "
        f"SELECT {', '.join(preparer.quote(n) for n in columns)} "
        f"FROM {preparer.quote(table.name)} WITH NO DATA")
    connection.exec_driver_sql(f"TRUNCATE {stage}")  # an earlier batch of this transaction
    _copy(connection, stage, columns, rows)
    return stage


def _copy(connection: Any, table_name: str, columns: Sequence[str],
          rows: Sequence[tuple[Any, ...]]) -> None:
    """COPY rows into an already quoted table name (PostgreSQL)."""
    preparer = connection.dialect.identifier_preparer
    column_list = ", ".join(preparer.quote(name) for name in columns)
    driver = connection.connection.driver_connection
    with driver.cursor() as cursor, cursor.copy(f"COPY {table_name} ({column_list}) FROM STDIN"
                                                ) as copy:
        for row in rows:
            copy.write_row(row)


def _convert(rows: Sequence[Row],
             procs: list[Callable[[Any], Any] | None]) -> list[tuple[Any, ...]]:
    """Apply bind processors column by column; equal values are converted once."""
    if not any(procs):
        return [tuple(row) for row in rows]
    columns = list(zip(*rows, strict=True))
    for index, proc in enumerate(procs):
        if proc is None:
            continue
        seen: dict[Any, Any] = {None: None}
        converted = []
        for value in columns[index]:
            key = _cache_key(value)
            if key is _UNCACHED:
                converted.append(proc(value))
                continue
            try:
                converted.append(seen[key])
            except KeyError:
                seen[key] = result = proc(value)
                converted.append(result)
        columns[index] = tuple(converted)
    return list(zip(*columns, strict=True))


_UNCACHED = object()


def _cache_key(value: Any) -> Any:
    """A key equal values share for the conversion cache (a list of strings by its items),
    or `_UNCACHED` for a value converted every time (another list, a dict)."""
    if isinstance(value, list):
        return ("list", *value) if all(type(x) is str for x in value) else _UNCACHED
    if isinstance(value, dict | set):
        return _UNCACHED
    return value


def _processors(table: Table, columns: tuple[str, ...],
                dialect: Dialect) -> list[Callable[[Any], Any] | None]:
    out: list[Callable[[Any], Any] | None] = []
    for name in columns:
        column_type = table.c[name].type
        proc = column_type.bind_processor(dialect)
        if proc is None and isinstance(column_type.dialect_impl(dialect), JSON):
            # psycopg adapts JSON per parameter, which COPY does not: send it as text
            proc = _json_text
        out.append(proc)
    return out


def _json_text(value: Any) -> str | None:
    return None if value is None else json.dumps(value)


@lru_cache(maxsize=64)
def _sqlite_sql(table: Table, columns: tuple[str, ...], conflict: tuple[str, ...],
                update: tuple[str, ...] | None) -> str:
    stmt = sqlite.insert(table)
    stmt = _on_conflict(stmt, table, conflict, update)
    compiled = stmt.compile(dialect=sqlite.dialect(), column_keys=list(columns))
    assert compiled.positiontup == list(columns), "unexpected parameter order"
    return str(compiled)


@lru_cache(maxsize=64)
def _postgres_upsert(table: Table, columns: tuple[str, ...], conflict: tuple[str, ...],
                     update: tuple[str, ...] | None) -> Any:
    """`INSERT INTO table SELECT ... FROM <the staging table of columns> ON CONFLICT ...`."""
    stage = Table(_stage_name(table, columns), MetaData(),
                  *(Column(name, table.c[name].type) for name in columns))
    stmt = postgresql.insert(table).from_select(list(columns),
                                                select(*(stage.c[name] for name in columns)))
    return _on_conflict(stmt, table, conflict, update)


def _on_conflict(stmt: Any, table: Table, conflict: tuple[str, ...],
                 update: tuple[str, ...] | None) -> Any:
    if not conflict:
        return stmt
    index = [table.c[name] for name in conflict]
    if update:
        return stmt.on_conflict_do_update(index_elements=index,
                                          set_={n: stmt.excluded[n] for n in update})
    return stmt.on_conflict_do_nothing(index_elements=index)


def restrict_to(session: Session, stmt: Select[Any], column: ColumnElement[Any],
                values: Sequence[Any]) -> Select[Any]:
    """`stmt` limited to rows whose `column` is one of `values` (a batch of keys).

    PostgreSQL joins the keys as one array (`unnest`): an index lookup per key whatever the
    table statistics say, where a long `IN` list on a freshly grown, not yet analysed table
    is filtered row by row against the whole list. SQLite answers `IN` by probing its index
    per key (a `json_each` join, tried, makes its planner scan the table instead).
    """
    if session.get_bind().dialect.name == "postgresql":
        array = bindparam(None, list(values), type_=ARRAY(column.type))
        keys = func.unnest(array).table_valued("value").render_derived(name="batch_keys")
        return stmt.join(keys, column == keys.c.value)
    return stmt.where(column.in_(values))
