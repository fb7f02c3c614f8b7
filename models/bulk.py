"""Fast batched INSERT / upsert for one table, the same call on SQLite and PostgreSQL.

The statement is SQLAlchemy's dialect `INSERT ... ON CONFLICT`, compiled once per shape.
Records come by column name (mappings) and reach the driver as plain tuples, inside this
module only: on SQLite through the driver's `executemany`; on PostgreSQL by `COPY` into a
temporary staging table, then one `INSERT ... SELECT ... ON CONFLICT` (the fastest upsert
PostgreSQL offers; bound parameters cost far more per row). Column values are
converted by each column type's own bind processor (`models.bulk_values`), so what is
stored is exactly what the ORM would store.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from functools import lru_cache
from typing import Any

from sqlalchemy import (
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
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from models.bulk_values import driver_rows


def write_records(session: Session, table: Table, columns: Sequence[str],
                  records: Sequence[Mapping[str, Any]], conflict: Sequence[str] = (),
                  update: Sequence[str] | None = None, json_text: Sequence[str] = ()) -> None:
    """Insert `records` into `table` in the session's transaction: each record is a mapping
    holding at least `columns` (other keys are ignored).

    With `conflict` columns, a record that collides is updated on the `update` columns, or
    skipped when `update` is None. `json_text`: JSON columns whose values come as JSON text
    already (encoded once by the caller), stored as they are instead of encoded again.
    Does not commit.
    """
    if not records:
        return
    connection = session.connection()
    shape = (tuple(columns), tuple(conflict), tuple(update) if update else None)
    converted = driver_rows(table, shape[0], records, connection.dialect, frozenset(json_text))
    if _dialect_name(connection) == "sqlite":
        connection.exec_driver_sql(_sqlite_sql(table, *shape), converted)
    elif not conflict:  # nothing can collide: straight into the table
        _copy(connection, connection.dialect.identifier_preparer.quote(table.name), columns,
              converted)
    else:
        _stage(connection, table, columns, converted)
        connection.execute(_postgres_upsert(table, *shape))
        analyse_if_grown(session, table)


ANALYSE_FROM = 1000  # rows changed before a table's first ANALYZE


def analyse_if_grown(session: Session, table: Table) -> bool:
    """ANALYZE `table` (PostgreSQL) once the rows changed since its last analyse reach the
    size it had then: it doubled, or it was never analysed and `ANALYSE_FROM` rows changed.

    Autovacuum analyses a growing table late (after 10% + 50 rows changed, checked once a
    minute), and until then a table that grew from empty has no statistics: the planner
    takes `source_id = ?` to match 0.5% of the rows and answers a batch's key lookup by
    scanning the whole table (18.7 ms at 100,000 rows instead of 0.15 ms). The counters read
    are PostgreSQL's cumulative statistics, a second or so behind. Another writer analysing
    the same table holds its lock: then this one skips (waits at most 50 ms, in a
    savepoint, so the caller's transaction goes on). Returns whether it analysed.
    """
    connection = session.connection()
    if _dialect_name(connection) != "postgresql":
        return False
    quoted = connection.dialect.identifier_preparer.quote(table.name)
    row = connection.exec_driver_sql(
        "SELECT c.reltuples AS estimate, pg_stat_get_mod_since_analyze(c.oid) AS changed "
        "FROM pg_class c WHERE c.oid = to_regclass(%(name)s)", {"name": quoted}).first()
    if row is None or row.changed < max(row.estimate, ANALYSE_FROM):
        return False
    previous = connection.exec_driver_sql("SELECT current_setting('lock_timeout')").scalar()
    try:
        with session.begin_nested():
            connection.exec_driver_sql("SELECT set_config('lock_timeout', '50ms', true)")
            connection.exec_driver_sql(f"ANALYZE {quoted}")
    except OperationalError as error:
        if getattr(error.orig, "sqlstate", None) != _LOCK_NOT_AVAILABLE:
            raise
        return False
    finally:
        connection.exec_driver_sql("SELECT set_config('lock_timeout', %(v)s, true)",
                                   {"v": previous})
    return True


_LOCK_NOT_AVAILABLE = "55P03"


def update_records(session: Session, table: Table, key: str, columns: Sequence[str],
                   records: Sequence[Mapping[str, Any]]) -> None:
    """Set `columns` of the rows of `table` whose `key` column equals each record's `key`
    (records are mappings holding `key` and `columns`; other keys are ignored).

    PostgreSQL copies them into a temporary table and runs one `UPDATE ... FROM`; SQLite runs
    the driver's `executemany`. Does not commit.
    """
    if not records:
        return
    connection = session.connection()
    names = (key, *columns)
    converted = driver_rows(table, names, records, connection.dialect)
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

    PostgreSQL joins the keys as one array (`unnest`): one bound parameter and one plan
    whatever the number of keys. The plan is only as good as the table's statistics: on a
    table never analysed the planner may hash-join the keys against the whole table (the
    thread table's `source_id = ?` looks selective to it); `write_records` keeps tables it
    upserts analysed as they grow (`analyse_if_grown`). SQLite answers `column IN (SELECT value
    FROM json_each(?))` by probing its index per key (a `json_each` join, tried, makes its
    planner scan the table instead): the keys travel as one JSON text, so the statement is
    compiled once, not re-rendered with one parameter per key on every call.
    """
    if session.get_bind().dialect.name == "postgresql":
        array = bindparam(None, list(values), type_=ARRAY(column.type))
        keys = func.unnest(array).table_valued("value").render_derived(name="batch_keys")
        return stmt.join(keys, column == keys.c.value)
    keys = func.json_each(bindparam(None, json.dumps(list(values)))).table_valued("value")
    return stmt.where(column.in_(select(keys.c.value)))


@contextmanager
def secondary_indexes_deferred(session: Session, tables: Sequence[Table]) -> Iterator[None]:
    """Inside the session's transaction, fill `tables` without their secondary indexes:
    on SQLite they are dropped on entry and created again, from the SQL they were stored
    with, on a normal exit (creating an index sorts its entries once, where keeping it up
    to date costs a B-tree descent per row). SQLite's DDL is transactional, so a rollback
    brings them back as they were; readers of the database (WAL) see the old indexes until
    the commit. Primary keys and unique indexes stay (uniqueness is enforced throughout),
    and the planner's statistics of the dropped indexes (`sqlite_stat1`, when the database
    was analysed) are put back with them. On PostgreSQL this does nothing: `DROP INDEX`
    would lock the table against every reader until the commit.

    For a caller that replaces most of the tables' rows in one transaction (a full
    aggregate run); a handful of rows is cheaper through the indexes. Refuses to run
    outside an open SQLite transaction (a driver in autocommit would lose the indexes on a
    failure).
    """
    connection = session.connection()
    if _dialect_name(connection) != "sqlite":
        yield
        return
    if not connection.connection.driver_connection.in_transaction:
        raise RuntimeError("secondary_indexes_deferred needs an open SQLite transaction")
    names = [table.name for table in tables]
    unique = _unique_indexes(connection, names)
    stored = [(name, sql) for name, sql in connection.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({', '.join('?' * len(names))}) ORDER BY rowid", tuple(names)).all()
        if name not in unique]
    stats = _index_stats(connection, [name for name, _ in stored])
    preparer = connection.dialect.identifier_preparer
    for name, _ in stored:
        connection.exec_driver_sql(f"DROP INDEX {preparer.quote(name)}")
    yield
    for _, sql in stored:
        connection.exec_driver_sql(sql)
    if stats:
        connection.exec_driver_sql(
            "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)", stats)


def _unique_indexes(connection: Any, tables: list[str]) -> set[str]:
    """The names of the UNIQUE indexes of SQLite `tables` (`PRAGMA index_list`)."""
    quote = connection.dialect.identifier_preparer.quote
    return {row[1] for table in tables
            for row in connection.exec_driver_sql(f"PRAGMA index_list({quote(table)})")
            if row[2]}


def _index_stats(connection: Any, names: list[str]) -> list[tuple[str, str, str]]:
    """The `sqlite_stat1` rows of the indexes `names` (none when never analysed)."""
    if not names or connection.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first() is None:
        return []
    marks = ", ".join("?" * len(names))
    return [(row[0], row[1], row[2]) for row in connection.exec_driver_sql(
        f"SELECT tbl, idx, stat FROM sqlite_stat1 WHERE idx IN ({marks})", tuple(names))]


BULK_PAGE_CACHE_KIB = 65_536


@contextmanager
def bulk_page_cache(session: Session, kib: int = BULK_PAGE_CACHE_KIB) -> Iterator[None]:
    """Inside the session's transaction, let SQLite's page cache of its connection grow to
    `kib` KiB (the default holds 2 MB), then restore the connection's own size.

    A transaction that writes more pages than the cache holds spills them to the WAL
    before its commit and reads them back (system time: ~1 CPU-s of a full aggregate run
    at 100,000 threads); the cache is allocated as pages are used, not up front. Does
    nothing on PostgreSQL. (Pages the transaction dirtied are written at its commit even
    after the size is restored: SQLite evicts only clean pages when the cache shrinks.)
    """
    connection = session.connection()
    if _dialect_name(connection) != "sqlite":
        yield
        return
    before = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    restore = f"PRAGMA cache_size = {int(before)}"
    connection.exec_driver_sql(f"PRAGMA cache_size = {-int(kib)}")
    try:
        yield
    except BaseException:
        with suppress(SQLAlchemyError):  # a lost connection: the body's error is the one
            connection.exec_driver_sql(restore)
        raise
    connection.exec_driver_sql(restore)
